/** Webhooks: subscriptions (URL, topics, paused), their secret shown once, and each one's delivery log with retry. */
import { useState } from 'react';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, unwrap, type paths } from '../../api/client';
import { Badge, Empty, ErrorBox, Field, Loading, Modal, Page } from '../../ui';
import { formatDateTime } from '../../ui/format';
import { Confirm } from './Confirm';
import { idempotency } from './data';
import { issueAt, issuesByPath } from './issues';
import { TOPICS, deliveryTone, toggleTopic } from './webhookTopics';
import { FormButtons } from './FormButtons';

type Hook = paths['/api/webhooks']['get']['responses'][200]['content']['application/json']['items'][number];
const KEY = ['admin', 'webhooks'] as const;

export function WebhooksScreen() {
  const { t } = useTranslation('admin');
  const queryClient = useQueryClient();
  const [editing, setEditing] = useState<Hook | 'new' | null>(null);
  const [deleting, setDeleting] = useState<Hook | null>(null);
  const [secret, setSecret] = useState<{ url: string; secret: string } | null>(null);
  const [selected, setSelected] = useState<string | null>(null);
  const list = useQuery({ queryKey: [...KEY, 'list'], queryFn: async () => (await unwrap(api.GET('/api/webhooks'))).items });
  const patch = useMutation({
    mutationFn: ({ hook, body }: { hook: Hook; body: { active?: boolean; rotateSecret?: boolean } }) =>
      unwrap(api.PATCH('/api/webhooks/{id}', { params: { path: { id: hook.id }, header: idempotency() }, body })),
    onSuccess: async (answer, { hook, body }) => {
      // A rotation returns the new secret once, beside the subscription (not in the OpenAPI answer type).
      const fresh = (answer as { secret?: string }).secret;
      if (body.rotateSecret && fresh) setSecret({ url: hook.url, secret: fresh });
      await queryClient.invalidateQueries({ queryKey: KEY });
    },
  });
  const current = list.data?.find((h) => h.id === selected) ?? null;

  return (
    <Page title={t('webhooks.title')} actions={<button type="button" className="primary" onClick={() => setEditing('new')}>{t('webhooks.create')}</button>}>
      <ErrorBox error={patch.error} />
      {list.isPending ? <Loading /> : list.error ? <ErrorBox error={list.error} onRetry={() => void list.refetch()} /> : list.data.length === 0 ? <Empty>{t('webhooks.none')}</Empty> : (
        <div className="admin-table-wrap" style={{ maxHeight: 260 }}>
          <table>
            <caption className="sr-only">{t('webhooks.title')}</caption>
            <thead><tr><th>{t('webhooks.url')}</th><th>{t('webhooks.topics')}</th><th>{t('webhooks.state')}</th><th className="num">{t('webhooks.pending')}</th><th><span className="sr-only">{t('catalog.actions')}</span></th></tr></thead>
            <tbody>
              {list.data.map((h) => (
                <tr key={h.id} className={selected === h.id ? 'selected' : undefined}>
                  <td><code>{h.url}</code><div className="muted">{t('webhooks.since', { date: formatDateTime(h.createdAt) })}</div></td>
                  <td>{h.topics.map((x) => <Badge key={x}>{x === '*' ? t('webhooks.allTopics') : x}</Badge>)}</td>
                  <td>{h.active ? <Badge tone="ok">{t('webhooks.active')}</Badge> : <Badge tone="warn">{t('webhooks.paused')}</Badge>}</td>
                  <td className="num">{h.pending}</td>
                  <td>
                    <div className="admin-actions">
                      <button type="button" onClick={() => setSelected(h.id)} aria-pressed={selected === h.id} aria-label={t('webhooks.logOf', { url: h.url })}>{t('webhooks.log')}</button>
                      <button type="button" onClick={() => setEditing(h)} aria-label={t('webhooks.editOne', { url: h.url })}>{t('common:action.edit')}</button>
                      <button type="button" disabled={patch.isPending} onClick={() => patch.mutate({ hook: h, body: { active: !h.active } })}
                        aria-label={t(h.active ? 'webhooks.pauseOne' : 'webhooks.resumeOne', { url: h.url })}>{t(h.active ? 'webhooks.pause' : 'webhooks.resume')}</button>
                      <button type="button" disabled={patch.isPending} onClick={() => patch.mutate({ hook: h, body: { rotateSecret: true } })}
                        aria-label={t('webhooks.rotateOne', { url: h.url })}>{t('webhooks.rotate')}</button>
                      <button type="button" className="danger" onClick={() => setDeleting(h)} aria-label={t('webhooks.deleteOne', { url: h.url })}>{t('common:action.delete')}</button>
                    </div>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {current && <DeliveryLog hook={current} />}
      {editing && <HookForm hook={editing === 'new' ? null : editing} onClose={() => setEditing(null)} onSecret={setSecret} />}
      {secret && (
        <Modal title={t('webhooks.secretTitle')} open onClose={() => setSecret(null)}>
          <SecretOnce url={secret.url} secret={secret.secret} onClose={() => setSecret(null)} />
        </Modal>
      )}
      {deleting && (
        <Confirm
          title={t('webhooks.deleteTitle')}
          confirmLabel={t('common:action.delete')}
          onClose={() => setDeleting(null)}
          onConfirm={async () => {
            await unwrap(api.DELETE('/api/webhooks/{id}', { params: { path: { id: deleting.id }, header: idempotency() } }));
            if (selected === deleting.id) setSelected(null);
            await queryClient.invalidateQueries({ queryKey: KEY });
          }}
        >
          <p>{t('webhooks.deleteText', { url: deleting.url })}</p>
        </Confirm>
      )}
    </Page>
  );
}

function SecretOnce({ url, secret, onClose }: { url: string; secret: string; onClose: () => void }) {
  const { t } = useTranslation('admin');
  const [copied, setCopied] = useState<boolean | null>(null);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(secret);
      setCopied(true);
    } catch {
      // Clipboard needs a secure context; the officer can still select the text by hand.
      setCopied(false);
    }
  };
  return (
    <>
      <p>{t('webhooks.secretText', { url })}</p>
      <code className="secret" data-testid="webhook-secret" tabIndex={0}>{secret}</code>
      <div className="admin-buttons">
        {copied !== null && <span role="status" className={copied ? 'muted' : 'field-error'}>{t(copied ? 'webhooks.copied' : 'webhooks.copyFailed')}</span>}
        <button type="button" onClick={() => void copy()}>{t('webhooks.copy')}</button>
        <button type="button" className="primary" onClick={onClose}>{t('webhooks.secretKept')}</button>
      </div>
    </>
  );
}

function HookForm({ hook, onClose, onSecret }: { hook: Hook | null; onClose: () => void; onSecret: (s: { url: string; secret: string }) => void }) {
  const { t } = useTranslation('admin');
  const queryClient = useQueryClient();
  const [url, setUrl] = useState(hook?.url ?? '');
  const [topics, setTopics] = useState<string[]>(hook?.topics ?? ['dossier.progress']);
  const [secret, setSecret] = useState('');
  const save = useMutation({
    mutationFn: async () => {
      const own = secret.trim() ? { secret: secret.trim() } : {};
      if (hook) return unwrap(api.PATCH('/api/webhooks/{id}', { params: { path: { id: hook.id }, header: idempotency() }, body: { url: url.trim(), topics, ...own } }));
      const created = await unwrap(api.POST('/api/webhooks', { params: { header: idempotency() }, body: { url: url.trim(), topics, ...own } }));
      onSecret({ url: created.url, secret: created.secret });
      return created;
    },
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: KEY });
      onClose();
    },
  });
  const issues = issuesByPath(save.error);
  return (
    <Modal title={hook ? t('webhooks.editTitle') : t('webhooks.create')} open onClose={onClose}>
      <form onSubmit={(e) => { e.preventDefault(); save.mutate(); }}>
        <Field label={t('webhooks.url')} hint={t('webhooks.urlHint')} error={issueAt(issues, '/url')}>
          {(id) => <input id={id} type="url" value={url} onChange={(e) => setUrl(e.target.value)} required placeholder="https://dvcqg.example.gov.vn/motcua/webhook" style={{ width: '100%' }} />}
        </Field>
        <fieldset className="checks">
          <legend>{t('webhooks.topics')}</legend>
          <label><input type="checkbox" checked={topics.includes('*')} onChange={(e) => setTopics(toggleTopic(topics, '*', e.target.checked))} />{t('webhooks.allTopics')}</label>
          {TOPICS.map((x) => (
            <label key={x}><input type="checkbox" checked={topics.includes(x)} onChange={(e) => setTopics(toggleTopic(topics, x, e.target.checked))} />{t(`topic.${x.replace('.', '_')}`)}</label>
          ))}
        </fieldset>
        {issueAt(issues, '/topics') && <p className="field-error" role="alert">{issueAt(issues, '/topics')}</p>}
        <Field label={hook ? t('webhooks.newSecret') : t('webhooks.secret')} hint={t('webhooks.secretHint')} error={issueAt(issues, '/secret')}>
          {(id) => <input id={id} value={secret} onChange={(e) => setSecret(e.target.value)} autoComplete="off" />}
        </Field>
        <ErrorBox error={save.error} />
        <FormButtons onCancel={onClose} disabled={save.isPending || topics.length === 0} />
      </form>
    </Modal>
  );
}

const PAGE_SIZE = 20;

/** A subscription's delivery log (also the national portal connection's sync log, admin/PortalScreen). */
export function DeliveryLog({ hook }: { hook: Pick<Hook, 'id' | 'url'> }) {
  const { t } = useTranslation('admin');
  const queryClient = useQueryClient();
  const [status, setStatus] = useState<'' | 'pending' | 'delivered' | 'failed'>('');
  const [page, setPage] = useState(1);
  const query = { page, pageSize: PAGE_SIZE, ...(status ? { status } : {}) };
  const log = useQuery({
    queryKey: [...KEY, hook.id, 'deliveries', query],
    placeholderData: keepPreviousData,
    queryFn: () => unwrap(api.GET('/api/webhooks/{id}/deliveries', { params: { path: { id: hook.id }, query } })),
  });
  const retry = useMutation({
    mutationFn: (deliveryId: number) => unwrap(api.POST('/api/webhooks/{id}/deliveries/{deliveryId}/retry', { params: { path: { id: hook.id, deliveryId }, header: idempotency() } })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: KEY }),
  });
  return (
    <section className="card" style={{ marginTop: 12 }} aria-labelledby="log-head">
      <div className="admin-toolbar" style={{ justifyContent: 'space-between' }}>
        <h2 id="log-head" style={{ fontSize: 16, margin: 0 }}>{t('webhooks.logTitle', { url: hook.url })}</h2>
        <div className="row">
          <Field label={t('webhooks.deliveryStatus')}>
            {(id) => (
              <select id={id} value={status} onChange={(e) => { setStatus(e.target.value as typeof status); setPage(1); }}>
                <option value="">{t('webhooks.allStatuses')}</option>
                {(['pending', 'delivered', 'failed'] as const).map((s) => <option key={s} value={s}>{t(`delivery.${s}`)}</option>)}
              </select>
            )}
          </Field>
          <button type="button" onClick={() => void log.refetch()}>{t('webhooks.refresh')}</button>
        </div>
      </div>
      <ErrorBox error={retry.error} />
      {log.isPending ? <Loading /> : log.error ? <ErrorBox error={log.error} onRetry={() => void log.refetch()} /> : log.data.items.length === 0 ? <Empty>{t('webhooks.noDeliveries')}</Empty> : (
        <>
          <div className="admin-table-wrap" style={{ maxHeight: 300 }}>
            <table>
              <caption className="sr-only">{t('webhooks.logTitle', { url: hook.url })}</caption>
              <thead><tr><th>{t('webhooks.topic')}</th><th>{t('webhooks.deliveryStatus')}</th><th className="num">{t('webhooks.attempts')}</th><th>{t('webhooks.nextAttempt')}</th><th>{t('webhooks.response')}</th><th>{t('webhooks.queued')}</th><th><span className="sr-only">{t('catalog.actions')}</span></th></tr></thead>
              <tbody>
                {log.data.items.map((d) => (
                  <tr key={d.id}>
                    <td><code>{d.topic}</code>{d.dossierId && <div className="muted">{d.dossierId}</div>}</td>
                    <td><Badge tone={deliveryTone(d.status)}>{t(`delivery.${d.status}`, { defaultValue: d.status })}</Badge>{d.deliveredAt && <div className="muted">{formatDateTime(d.deliveredAt)}</div>}</td>
                    <td className="num">{d.attempts}</td>
                    <td>{d.status === 'delivered' ? '—' : formatDateTime(d.nextAttemptAt)}</td>
                    <td>{d.lastStatus ?? '—'}{d.lastError && <div className="muted" style={{ maxWidth: 280, overflowWrap: 'anywhere' }}>{d.lastError}</div>}</td>
                    <td>{formatDateTime(d.createdAt)}</td>
                    <td>
                      {d.status !== 'delivered' && (
                        <button type="button" disabled={retry.isPending} onClick={() => retry.mutate(d.id)} aria-label={t('webhooks.retryOne', { id: d.id })}>{t('webhooks.retry')}</button>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <nav className="row" aria-label={t('users.pages')} style={{ marginTop: 8 }}>
            <button type="button" disabled={page <= 1} onClick={() => setPage(page - 1)}>{t('users.prev')}</button>
            <span>{t('webhooks.page', { page })}</span>
            <button type="button" disabled={!log.data.hasMore} onClick={() => setPage(page + 1)}>{t('users.next')}</button>
          </nav>
        </>
      )}
    </section>
  );
}
