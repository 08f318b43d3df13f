/**
 * `/payments/notifications`: the administrators' texts of the citizen notifications (placeholders
 * checked by the server, errors shown by field) and the delivery log.
 */
import { useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, ApiError, unwrap } from '../../api/client';
import { pick } from '../../i18n';
import { Badge, Empty, ErrorBox, Field, Loading, Modal, Page } from '../../ui';
import { formatDateTime } from '../../ui/format';
import { channelKey, eventLabel } from './deliveryLog';

type Item = { event: string; name: { vi: string; en?: string }; subject: string; body: string; custom: boolean };

export function TemplatesScreen() {
  const { t } = useTranslation('payments');
  const list = useQuery({ queryKey: ['notifications', 'templates'], queryFn: () => unwrap(api.GET('/api/notifications/templates')) });
  const log = useQuery({
    queryKey: ['notifications', 'log'], queryFn: () => unwrap(api.GET('/api/notifications/deliveries', { params: { query: {} } })), refetchInterval: 5000,
  });
  const [editing, setEditing] = useState<Item | null>(null);
  const eventNames = (list.data?.items ?? []).map((i) => ({ event: i.event, name: pick(i.name) }));
  const channelName = (channel: string) => { const key = channelKey(channel); return key ? t(key) : channel; };
  return (
    <Page title={t('templates.title')}>
      <p className="muted">{t('templates.intro')}</p>
      {list.isPending ? <Loading /> : list.error || !list.data ? <ErrorBox error={list.error} /> : (
        <>
          <p>{t('templates.placeholders')}: {list.data.placeholders.map((p) => <code key={p.key} title={pick(p.label)}>{`{{${p.key}}}`} </code>)}</p>
          <table className="table" data-testid="templates">
            <thead><tr><th>{t('templates.event')}</th><th>{t('templates.subject')}</th><th>{t('templates.body')}</th><th /></tr></thead>
            <tbody>
              {list.data.items.map((i) => (
                <tr key={i.event}>
                  <td>{pick(i.name)} <Badge tone={i.custom ? 'info' : 'neutral'}>{i.custom ? t('templates.custom') : t('templates.default')}</Badge></td>
                  <td>{i.subject}</td><td>{i.body}</td>
                  <td><button type="button" onClick={() => setEditing(i)} aria-label={`${t('templates.edit')} ${pick(i.name)}`}>{t('templates.edit')}</button></td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
      {editing && <Editor item={editing} onClose={() => setEditing(null)} />}
      <h2>{t('templates.log')}</h2>
      {log.isPending ? <Loading /> : log.error || !log.data ? <ErrorBox error={log.error} /> : log.data.items.length === 0 ? <Empty>{t('templates.noLog')}</Empty> : (
        <table className="table" data-testid="delivery-log">
          <thead><tr><th>{t('templates.sentAt')}</th><th>{t('templates.dossier')}</th><th>{t('templates.event')}</th><th>{t('templates.channel')}</th><th>{t('templates.recipient')}</th><th>{t('pay.status')}</th><th>{t('templates.attempts')}</th><th>{t('templates.error')}</th></tr></thead>
          <tbody>
            {log.data.items.map((d) => (
              <tr key={d.id}>
                <td>{formatDateTime(d.sentAt ?? d.createdAt)}</td><td>{d.dossierId}</td><td title={d.event}>{eventLabel(d.event, eventNames)}</td>
                <td>{channelName(d.channel)}</td><td>{d.recipient}</td>
                <td><Badge tone={d.status === 'sent' ? 'ok' : d.status === 'failed' ? 'bad' : 'warn'}>{t(`delivery.${d.status}` as 'delivery.sent')}</Badge></td>
                <td className="num">{d.attempts}</td><td>{d.lastError ?? ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Page>
  );
}

function Editor({ item, onClose }: { item: Item; onClose: () => void }) {
  const { t } = useTranslation('payments');
  const qc = useQueryClient();
  const [subject, setSubject] = useState(item.subject);
  const [body, setBody] = useState(item.body);
  const done = () => { void qc.invalidateQueries({ queryKey: ['notifications', 'templates'] }); onClose(); };
  const save = useMutation({
    mutationFn: () => unwrap(api.PUT('/api/notifications/templates/{event}', { params: { path: { event: item.event } }, body: { subject, body } })),
    onSuccess: done,
  });
  const reset = useMutation({ mutationFn: () => unwrap(api.DELETE('/api/notifications/templates/{event}', { params: { path: { event: item.event } } })), onSuccess: done });
  const issue = (path: string) => (save.error instanceof ApiError ? save.error.issues.filter((i) => i.path === path).map((i) => pick(i.message)).join('; ') : '') || undefined;
  return (
    <Modal title={t('templates.editing', { name: pick(item.name) })} open onClose={onClose} wide>
      <form onSubmit={(e) => { e.preventDefault(); save.mutate(); }}>
        <Field label={t('templates.subject')} error={issue('/subject')}>{(id) => <input id={id} value={subject} onChange={(e) => setSubject(e.target.value)} size={60} />}</Field>
        <Field label={t('templates.body')} error={issue('/body')}>{(id) => <textarea id={id} value={body} onChange={(e) => setBody(e.target.value)} rows={4} cols={60} />}</Field>
        {save.error && !(save.error instanceof ApiError && save.error.issues.length) ? <ErrorBox error={save.error} /> : null}
        <div className="form-buttons">
          <button type="submit" className="primary" disabled={save.isPending}>{t('templates.save')}</button>
          {item.custom && <button type="button" onClick={() => reset.mutate()}>{t('templates.reset')}</button>}
          <button type="button" onClick={onClose}>{t('templates.cancel')}</button>
        </div>
      </form>
    </Modal>
  );
}
