/**
 * The national portal (Cổng DVC quốc gia): connections (province, endpoints, write-only
 * password, enabled; the inbound token shown once), the province's status table (checked by
 * the server, its pointers shown at the field), the sync log (the connection's delivery log)
 * and the online dossiers received or refused, with reconcile and pull on demand.
 */
import { useEffect, useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, unwrap, type paths } from '../../api/client';
import { pick } from '../../i18n';
import { Badge, Empty, ErrorBox, Field, Loading, Modal, Page } from '../../ui';
import { formatDateTime } from '../../ui/format';
import { idempotency, useUnits } from './data';
import { issueAt, issuesByPath } from './issues';
import { FormButtons } from './FormButtons';
import { DeliveryLog } from './WebhooksScreen';

type Connection = paths['/api/portal/connections']['get']['responses'][200]['content']['application/json']['items'][number];
type StatusTable = paths['/api/portal/status-table/{province}']['get']['responses'][200]['content']['application/json'];
type Codes = StatusTable['codes'];
type State = keyof Codes;
const KEY = ['admin', 'portal'] as const;
/** The internal states in the order a dossier meets them (the server's INTERNAL_STATES). */
const STATES: State[] = ['registered', 'accepted', 'refused', 'in-progress', 'supplement', 'payment', 'withdrawn', 'stopped', 'handled', 'returned', 'rejected'];
const TABS = ['status', 'log', 'inbound'] as const;
type Tab = (typeof TABS)[number];

export function PortalScreen() {
  const { t } = useTranslation('portal');
  const queryClient = useQueryClient();
  const units = useUnits();
  const [editing, setEditing] = useState<Connection | 'new' | null>(null);
  const [token, setToken] = useState<string | null>(null);
  const [selected, setSelected] = useState<string | null>(null);
  const [notice, setNotice] = useState<{ text: string; bad: boolean } | null>(null);
  const list = useQuery({ queryKey: [...KEY, 'connections'], queryFn: async () => (await unwrap(api.GET('/api/portal/connections'))).items });
  const nameOf = (code: string): string => units.data?.find((u) => u.code === code)?.name ?? code;
  const patch = useMutation({
    mutationFn: ({ c, body }: { c: Connection; body: { active?: boolean; rotateInboundToken?: boolean } }) =>
      unwrap(api.PATCH('/api/portal/connections/{id}', { params: { path: { id: c.id }, header: idempotency() }, body })),
    onSuccess: async (answer) => {
      if (answer.inboundToken) setToken(answer.inboundToken);
      await queryClient.invalidateQueries({ queryKey: KEY });
    },
  });
  const run = useMutation({
    mutationFn: async ({ c, what }: { c: Connection; what: 'reconcile' | 'pull' }): Promise<{ text: string; bad: boolean }> => {
      if (what === 'reconcile') {
        const r = await unwrap(api.POST('/api/portal/connections/{id}/reconcile', { params: { path: { id: c.id }, header: idempotency() } }));
        return r.error ? { text: t('admin.portalError', { error: r.error }), bad: true } : { text: t('admin.reconciled', r), bad: false };
      }
      const r = await unwrap(api.POST('/api/portal/connections/{id}/pull', { params: { path: { id: c.id }, header: idempotency() } }));
      if (r.error) return { text: t('admin.portalError', { error: r.error }), bad: true };
      return { text: t('admin.pulled', { received: r.received, duplicates: r.duplicates, refused: r.refused.length }), bad: r.refused.length > 0 };
    },
    onMutate: () => setNotice(null),
    onSuccess: async (outcome) => {
      setNotice(outcome);
      await queryClient.invalidateQueries({ queryKey: KEY });
    },
  });
  // The first connection is open by default: a province usually has one.
  useEffect(() => {
    if (selected === null && list.data?.[0]) setSelected(list.data[0].id);
  }, [list.data, selected]);
  const current = list.data?.find((c) => c.id === selected) ?? null;

  return (
    <Page title={t('admin.title')} actions={<button type="button" className="primary" onClick={() => setEditing('new')}>{t('admin.create')}</button>}>
      <p className="muted">{t('admin.intro')}</p>
      <ErrorBox error={patch.error ?? run.error} />
      {notice && <p className={notice.bad ? 'notice bad' : 'notice'} role="status">{notice.text}</p>}
      {list.isPending ? <Loading /> : list.error ? <ErrorBox error={list.error} onRetry={() => void list.refetch()} /> : list.data.length === 0 ? <Empty>{t('admin.none')}</Empty> : (
        <div className="admin-table-wrap" style={{ maxHeight: 240 }}>
          <table>
            <caption className="sr-only">{t('admin.connections')}</caption>
            <thead>
              <tr>
                <th>{t('admin.province')}</th><th>{t('admin.agencyCode')}</th><th>{t('admin.syncUrl')}</th><th>{t('admin.state')}</th>
                <th><span className="sr-only">{t('admin:catalog.actions')}</span></th>
              </tr>
            </thead>
            <tbody>
              {list.data.map((c) => {
                const province = nameOf(c.province);
                return (
                  <tr key={c.id} className={selected === c.id ? 'selected' : undefined}>
                    <td>{province}<div className="muted">{c.province} · {t('admin.since', { date: formatDateTime(c.createdAt) })}</div></td>
                    <td><code>{c.agencyCode}</code><div className="muted">{c.username}</div></td>
                    <td><code style={{ overflowWrap: 'anywhere' }}>{c.syncUrl}</code></td>
                    <td>{c.active ? <Badge tone="ok">{t('admin.active')}</Badge> : <Badge tone="warn">{t('admin.paused')}</Badge>}</td>
                    <td>
                      <div className="admin-actions">
                        <button type="button" onClick={() => setSelected(c.id)} aria-pressed={selected === c.id} aria-label={t('admin.openOne', { province })}>{t('admin.open')}</button>
                        <button type="button" onClick={() => setEditing(c)} aria-label={t('admin.editOne', { province })}>{t('common:action.edit')}</button>
                        <button type="button" disabled={patch.isPending} onClick={() => patch.mutate({ c, body: { active: !c.active } })}
                          aria-label={t(c.active ? 'admin.pauseOne' : 'admin.resumeOne', { province })}>{t(c.active ? 'admin.pause' : 'admin.resume')}</button>
                        <button type="button" disabled={patch.isPending} onClick={() => patch.mutate({ c, body: { rotateInboundToken: true } })}
                          aria-label={t('admin.rotateOne', { province })}>{t('admin.rotate')}</button>
                      </div>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      {current && (
        <ConnectionDetail
          key={current.id}
          connection={current}
          provinceName={nameOf(current.province)}
          busy={run.isPending}
          onRun={(what) => run.mutate({ c: current, what })}
        />
      )}
      {editing && <ConnectionForm connection={editing === 'new' ? null : editing} onClose={() => setEditing(null)} onToken={setToken} onCreated={setSelected} />}
      {token && (
        <Modal title={t('admin.tokenTitle')} open onClose={() => setToken(null)}>
          <p>{t('admin.tokenText', { url: `${window.location.origin}/api/portal/inbound` })}</p>
          <code className="secret" data-testid="portal-inbound-token" tabIndex={0}>{token}</code>
          <div className="admin-buttons">
            <button type="button" className="primary" onClick={() => setToken(null)}>{t('admin.tokenKept')}</button>
          </div>
        </Modal>
      )}
    </Page>
  );
}

function ConnectionDetail({ connection, provinceName, busy, onRun }: { connection: Connection; provinceName: string; busy: boolean; onRun: (what: 'reconcile' | 'pull') => void }) {
  const { t } = useTranslation('portal');
  const [tab, setTab] = useState<Tab>('status');
  return (
    <section className="card" style={{ marginTop: 12 }} aria-labelledby="portal-detail-head">
      <div className="admin-toolbar" style={{ justifyContent: 'space-between' }}>
        <h2 id="portal-detail-head" style={{ fontSize: 16, margin: 0 }}>{t('admin.detailOf', { province: provinceName })}</h2>
        <div className="row">
          <button type="button" disabled={busy} onClick={() => onRun('reconcile')}>{t('admin.reconcile')}</button>
          <button type="button" disabled={busy} onClick={() => onRun('pull')}>{t('admin.pull')}</button>
        </div>
      </div>
      <div className="tabs" role="tablist" aria-label={t('admin.detailOf', { province: provinceName })}>
        {TABS.map((x) => (
          <button key={x} type="button" role="tab" id={`portal-tab-${x}`} aria-selected={tab === x} aria-controls="portal-panel" onClick={() => setTab(x)}>
            {t(`admin.tabs.${x}`)}
          </button>
        ))}
      </div>
      <div id="portal-panel" role="tabpanel" aria-labelledby={`portal-tab-${tab}`} style={{ marginTop: 8 }}>
        {tab === 'status' ? <StatusTableEditor province={connection.province} provinceName={provinceName} />
          : tab === 'log' ? <DeliveryLog hook={{ id: connection.id, url: connection.syncUrl }} />
            : <InboundLists connection={connection.id} />}
      </div>
    </section>
  );
}

function StatusTableEditor({ province, provinceName }: { province: string; provinceName: string }) {
  const { t } = useTranslation('portal');
  const queryClient = useQueryClient();
  const table = useQuery({
    queryKey: [...KEY, 'status-table', province],
    queryFn: () => unwrap(api.GET('/api/portal/status-table/{province}', { params: { path: { province } } })),
  });
  // What the officer types, as typed: the server judges it (a code outside 1–10 comes back at its field).
  const [draft, setDraft] = useState<Record<string, string> | null>(null);
  const [saved, setSaved] = useState(false);
  useEffect(() => {
    if (table.data && draft === null) setDraft(Object.fromEntries(STATES.map((s) => [s, String(table.data.codes[s])])));
  }, [table.data, draft]);
  const save = useMutation({
    mutationFn: (codes: Record<string, number | string>) =>
      unwrap(api.PUT('/api/portal/status-table/{province}', { params: { path: { province }, header: idempotency() }, body: { codes } })),
    onMutate: () => setSaved(false),
    onSuccess: async (answer) => {
      setDraft(Object.fromEntries(STATES.map((s) => [s, String(answer.codes[s])])));
      setSaved(true);
      await queryClient.invalidateQueries({ queryKey: [...KEY, 'status-table', province] });
    },
  });
  if (table.isPending || !draft) return table.error ? <ErrorBox error={table.error} onRetry={() => void table.refetch()} /> : <Loading />;
  if (table.error) return <ErrorBox error={table.error} onRetry={() => void table.refetch()} />;
  const issues = issuesByPath(save.error);
  const submit = () => {
    // A whole number is sent as a number; anything else as typed, so the server names the field.
    const codes = Object.fromEntries(STATES.map((s) => {
      const raw = (draft[s] ?? '').trim();
      return [s, /^-?\d+$/.test(raw) ? Number(raw) : raw];
    }));
    save.mutate(codes);
  };
  return (
    <form noValidate onSubmit={(e) => { e.preventDefault(); submit(); }} aria-labelledby="status-table-head">
      <h3 id="status-table-head" style={{ fontSize: 15, margin: '4px 0' }}>{t('admin.statusTitle', { province: provinceName })}</h3>
      <p className="muted">{t('admin.statusIntro')}{table.data.isDefault ? ` ${t('admin.statusDefault')}` : ''}</p>
      <table>
        <caption className="sr-only">{t('admin.statusTitle', { province: provinceName })}</caption>
        <thead><tr><th>{t('admin.internal')}</th><th>{t('admin.code')}</th><th>{t('admin.codeName')}</th></tr></thead>
        <tbody>
          {STATES.map((s) => {
            const error = issueAt(issues, `/codes/${s}`);
            const code = Number(draft[s]);
            return (
              <tr key={s}>
                <td>{t(`admin.states.${s}`)}<div className="muted"><code>{s}</code></div></td>
                <td>
                  <Field label={<span className="sr-only">{t('admin.codeOf', { state: t(`admin.states.${s}`) })}</span>} error={error}>
                    {(id) => (
                      <input id={id} inputMode="numeric" value={draft[s] ?? ''} style={{ width: 70 }} aria-invalid={error ? true : undefined}
                        onChange={(e) => setDraft({ ...draft, [s]: e.target.value })} />
                    )}
                  </Field>
                </td>
                <td>{Number.isInteger(code) && code >= 1 && code <= 10 ? t(`admin.codes.${code}`) : '—'}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <ErrorBox error={save.error} />
      {saved && <p className="notice" role="status">{t('admin.saved')}</p>}
      <div className="admin-buttons">
        <button type="button" onClick={() => setDraft(Object.fromEntries(STATES.map((s) => [s, String(DEFAULT_CODES[s])])))}>{t('admin.reset')}</button>
        <button type="submit" className="primary" disabled={save.isPending}>{t('admin.saveTable')}</button>
      </div>
    </form>
  );
}

/** The server's default table (status.ts), for "back to the default": the province saves it like any other. */
const DEFAULT_CODES: Record<State, number> = {
  registered: 1, accepted: 2, refused: 3, 'in-progress': 4, supplement: 5, payment: 6, withdrawn: 7, stopped: 8, handled: 9, returned: 10, rejected: 10,
};

function InboundLists({ connection }: { connection: string }) {
  const { t } = useTranslation('portal');
  const inbound = useQuery({ queryKey: [...KEY, 'inbound'], queryFn: () => unwrap(api.GET('/api/portal/inbound')) });
  if (inbound.isPending) return <Loading />;
  if (inbound.error) return <ErrorBox error={inbound.error} onRetry={() => void inbound.refetch()} />;
  const refused = inbound.data.refused.filter((r) => r.connection === connection);
  return (
    <>
      <h3 style={{ fontSize: 15, margin: '4px 0' }}>{t('admin.inboundTitle')}</h3>
      {inbound.data.items.length === 0 ? <Empty>{t('admin.inboundNone')}</Empty> : (
        <div className="admin-table-wrap" style={{ maxHeight: 260 }}>
          <table>
            <caption className="sr-only">{t('admin.inboundTitle')}</caption>
            <thead><tr><th>{t('admin.portalId')}</th><th>{t('admin.dossier')}</th><th>{t('admin.procedure')}</th><th>{t('admin.unit')}</th><th>{t('admin.dossierStatus')}</th><th>{t('admin.receivedAt')}</th></tr></thead>
            <tbody>
              {inbound.data.items.map((i) => (
                <tr key={i.portalId}>
                  <td><code>{i.portalId}</code></td><td><code>{i.dossierId}</code></td><td><code>{i.procedureCode}</code></td><td>{i.unit}</td>
                  <td>{i.status ?? '—'}</td><td>{formatDateTime(i.receivedAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <h3 style={{ fontSize: 15, margin: '12px 0 4px' }}>{t('admin.refusedTitle')}</h3>
      {refused.length === 0 ? <Empty>{t('admin.refusedNone')}</Empty> : (
        <div className="admin-table-wrap" style={{ maxHeight: 260 }}>
          <table>
            <caption className="sr-only">{t('admin.refusedTitle')}</caption>
            <thead><tr><th>{t('admin.portalId')}</th><th>{t('admin.unit')}</th><th>{t('admin.reason')}</th><th className="num">{t('admin.attempts')}</th><th>{t('admin.lastAt')}</th></tr></thead>
            <tbody>
              {refused.map((r) => (
                <tr key={r.portalId}>
                  <td><code>{r.portalId}</code>{r.procedureCode && <div className="muted">{r.procedureCode}</div>}</td>
                  <td>{r.unit ?? '—'}</td>
                  <td>
                    <Badge tone="bad">{r.status}</Badge> {pick(r.error.message)}
                    {r.error.issues.length > 0 && (
                      <ul className="diff-list">{r.error.issues.map((i, n) => <li key={n}><code>{i.path || '/'}</code> {pick(i.message)}</li>)}</ul>
                    )}
                  </td>
                  <td className="num">{r.attempts}</td><td>{formatDateTime(r.lastAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}

const URL_FIELDS = ['tokenUrl', 'syncUrl', 'progressUrl', 'queryUrl'] as const;

function ConnectionForm({ connection, onClose, onToken, onCreated }: {
  connection: Connection | null; onClose: () => void; onToken: (token: string) => void; onCreated: (id: string) => void;
}) {
  const { t } = useTranslation('portal');
  const queryClient = useQueryClient();
  const units = useUnits();
  const provinces = (units.data ?? []).filter((u) => u.kind === 'province');
  const [form, setForm] = useState({
    province: connection?.province ?? '', username: connection?.username ?? '', agencyCode: connection?.agencyCode ?? '',
    tokenUrl: connection?.tokenUrl ?? '', syncUrl: connection?.syncUrl ?? '', progressUrl: connection?.progressUrl ?? '', queryUrl: connection?.queryUrl ?? '',
    batchSize: String(connection?.batchSize ?? 50), valueFormat: connection?.valueFormat ?? 'typed', active: connection?.active ?? true,
  });
  // Write-only: never read back, sent only when typed.
  const [password, setPassword] = useState('');
  const set = (k: keyof typeof form, v: string | boolean) => setForm({ ...form, [k]: v });
  const save = useMutation({
    mutationFn: async () => {
      const fields = {
        province: form.province, username: form.username.trim(), agencyCode: form.agencyCode.trim(),
        tokenUrl: form.tokenUrl.trim(), syncUrl: form.syncUrl.trim(), progressUrl: form.progressUrl.trim(), queryUrl: form.queryUrl.trim(),
        batchSize: Number(form.batchSize), valueFormat: form.valueFormat,
      };
      if (connection) {
        return unwrap(api.PATCH('/api/portal/connections/{id}', {
          params: { path: { id: connection.id }, header: idempotency() },
          body: { ...fields, active: form.active, ...(password ? { password } : {}) },
        }));
      }
      const created = await unwrap(api.POST('/api/portal/connections', { params: { header: idempotency() }, body: { ...fields, password } }));
      if (!form.active) await unwrap(api.PATCH('/api/portal/connections/{id}', { params: { path: { id: created.id }, header: idempotency() }, body: { active: false } }));
      onToken(created.inboundToken);
      onCreated(created.id);
      return created;
    },
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: KEY });
      onClose();
    },
  });
  const issues = issuesByPath(save.error);
  return (
    <Modal title={connection ? t('admin.editTitle') : t('admin.create')} open onClose={onClose} wide>
      <form onSubmit={(e) => { e.preventDefault(); save.mutate(); }}>
        <div className="admin-form-grid">
          <Field label={t('admin.province')} error={issueAt(issues, '/province')}>
            {(id) => (
              <select id={id} value={form.province} onChange={(e) => set('province', e.target.value)} required>
                <option value="">{t('admin.pickProvince')}</option>
                {provinces.map((u) => <option key={u.code} value={u.code}>{u.name} ({u.code})</option>)}
              </select>
            )}
          </Field>
          <Field label={t('admin.agencyCode')} error={issueAt(issues, '/agencyCode')}>
            {(id) => <input id={id} value={form.agencyCode} onChange={(e) => set('agencyCode', e.target.value)} required maxLength={60} />}
          </Field>
          <Field label={t('admin.username')} error={issueAt(issues, '/username')}>
            {(id) => <input id={id} value={form.username} onChange={(e) => set('username', e.target.value)} required autoComplete="off" maxLength={200} />}
          </Field>
          <Field label={connection ? t('admin.newPassword') : t('admin.password')} hint={connection ? `${t('admin.passwordHint')} ${t('admin.passwordKeep')}` : t('admin.passwordHint')}
            error={issueAt(issues, '/password')}>
            {(id) => <input id={id} type="password" value={password} onChange={(e) => setPassword(e.target.value)} required={!connection} minLength={8} autoComplete="new-password" />}
          </Field>
          {URL_FIELDS.map((k) => (
            <Field key={k} label={t(`admin.${k}`)} error={issueAt(issues, `/${k}`)}>
              {(id) => <input id={id} type="url" value={form[k]} onChange={(e) => set(k, e.target.value)} required placeholder="https://" style={{ width: '100%' }} />}
            </Field>
          ))}
          <Field label={t('admin.batchSize')} error={issueAt(issues, '/batchSize')}>
            {(id) => <input id={id} type="number" min={1} max={500} value={form.batchSize} onChange={(e) => set('batchSize', e.target.value)} required style={{ width: 90 }} />}
          </Field>
          <Field label={t('admin.valueFormat')} hint={t('admin.valueFormatHint')} error={issueAt(issues, '/valueFormat')}>
            {(id) => (
              <select id={id} value={form.valueFormat} onChange={(e) => set('valueFormat', e.target.value === 'strings' ? 'strings' : 'typed')}>
                <option value="typed">{t('admin.valueFormatTyped')}</option>
                <option value="strings">{t('admin.valueFormatStrings')}</option>
              </select>
            )}
          </Field>
          <label className="check-line span"><input type="checkbox" checked={form.active} onChange={(e) => set('active', e.target.checked)} />{t('admin.enabled')}</label>
        </div>
        <ErrorBox error={save.error} />
        <FormButtons onCancel={onClose} disabled={save.isPending} />
      </form>
    </Modal>
  );
}
