/** Delegations: made, received and administered; record one with its signature block previewed live; revoke. */
import { useDeferredValue, useState } from 'react';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, unwrap, type ApiIssue } from '../../api/client';
import { useAuth } from '../../app/auth';
import { pick } from '../../i18n';
import { Badge, Empty, ErrorBox, Field, Loading, Modal, Page } from '../../ui';
import { formatDateTime } from '../../ui/format';
import { Confirm } from './Confirm';
import { idempotency, useAllUsers, useUnits } from './data';
import { toLocalInput } from './datetime';
import { KINDS, toDelegationBody, toggle, type DelegationForm } from './delegationDraft';
import { ROLES } from './grants';
import { issueAt, issuesByPath } from './issues';
import { SignatureBlock } from './SignatureBlock';
import { treeRows } from './unitTree';
import { FormButtons } from './FormButtons';
import { UnitNames } from '../../app/UnitName';

const KEY = ['admin', 'delegations'] as const;
type Filter = 'all' | 'made' | 'received';
const statusTone = (s: string) => (s === 'active' ? 'ok' : s === 'pending' ? 'info' : s === 'revoked' ? 'bad' : 'neutral') as 'ok' | 'info' | 'bad' | 'neutral';

export function DelegationsScreen() {
  const { t } = useTranslation('admin');
  const { user: me } = useAuth();
  const queryClient = useQueryClient();
  const [filter, setFilter] = useState<Filter>('all');
  const [activeOnly, setActiveOnly] = useState(false);
  const [creating, setCreating] = useState(false);
  const [viewing, setViewing] = useState<string | null>(null);
  const [revoking, setRevoking] = useState<{ id: string; label: string } | null>(null);
  const query = {
    ...(filter === 'made' && me ? { from: me.id } : {}),
    ...(filter === 'received' && me ? { to: me.id } : {}),
    ...(activeOnly ? { active: true } : {}),
  };
  const list = useQuery({ queryKey: [...KEY, query], queryFn: () => unwrap(api.GET('/api/delegations', { params: { query } })) });

  return (
    <Page title={t('delegations.title')} actions={<button type="button" className="primary" onClick={() => setCreating(true)}>{t('delegations.create')}</button>}>
      <div className="admin-toolbar">
        <Field label={t('delegations.show')}>
          {(id) => (
            <select id={id} value={filter} onChange={(e) => setFilter(e.target.value as Filter)}>
              <option value="all">{t('delegations.all')}</option>
              <option value="made">{t('delegations.made')}</option>
              <option value="received">{t('delegations.received')}</option>
            </select>
          )}
        </Field>
        <label className="check-line"><input type="checkbox" checked={activeOnly} onChange={(e) => setActiveOnly(e.target.checked)} /> {t('delegations.activeOnly')}</label>
      </div>
      {list.isPending ? <Loading /> : list.error ? <ErrorBox error={list.error} onRetry={() => void list.refetch()} /> : list.data.items.length === 0 ? <Empty /> : (
        <div className="admin-table-wrap">
          <table>
            <caption className="sr-only">{t('delegations.title')}</caption>
            <thead>
              <tr><th>{t('delegations.kind')}</th><th>{t('delegations.from')} → {t('delegations.to')}</th><th>{t('delegations.scope')}</th><th>{t('delegations.period')}</th><th>{t('delegations.status')}</th><th><span className="sr-only">{t('catalog.actions')}</span></th></tr>
            </thead>
            <tbody>
              {list.data.items.map((d) => (
                <tr key={d.id}>
                  <td>{t(`delegationKind.${d.kind}`, { defaultValue: d.kind })}{d.decision && <div className="muted">{d.decision}</div>}</td>
                  <td>{d.from.name} → {d.to.name}</td>
                  <td>
                    {d.scope.roles?.map((r) => t(`common:role.${r}`, { defaultValue: r })).join(', ') || t('delegations.anyRole')}
                    {d.scope.units?.length ? <div className="muted"><UnitNames codes={d.scope.units} /></div> : null}
                    {d.scope.procedures?.length ? <div className="muted">{t('delegations.procedureCount', { count: d.scope.procedures.length })}</div> : null}
                  </td>
                  <td>{formatDateTime(d.validFrom)}<div className="muted">{d.validTo ? `→ ${formatDateTime(d.validTo)}` : t('delegations.openEnded')}</div></td>
                  <td><Badge tone={statusTone(d.status)}>{t(`delegationStatus.${d.status}`)}</Badge></td>
                  <td>
                    <div className="admin-actions">
                    <button type="button" onClick={() => setViewing(d.id)} aria-label={t('delegations.viewOne', { from: d.from.name, to: d.to.name })}>{t('delegations.view')}</button>
                    {(d.status === 'active' || d.status === 'pending') && (
                      <button type="button" className="danger" onClick={() => setRevoking({ id: d.id, label: `${d.from.name} → ${d.to.name}` })}
                        aria-label={t('delegations.revokeOne', { from: d.from.name, to: d.to.name })}>{t('delegations.revoke')}</button>
                    )}
                    </div>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {creating && <DelegationForm onClose={() => setCreating(false)} />}
      {viewing && <DelegationView id={viewing} onClose={() => setViewing(null)} />}
      {revoking && (
        <Confirm
          title={t('delegations.revokeTitle')}
          confirmLabel={t('delegations.revoke')}
          onClose={() => setRevoking(null)}
          onConfirm={async () => {
            await unwrap(api.POST('/api/delegations/{id}/revoke', { params: { path: { id: revoking.id }, header: idempotency() } }));
            await queryClient.invalidateQueries({ queryKey: KEY });
          }}
        >
          <p>{t('delegations.revokeText', { label: revoking.label })}</p>
        </Confirm>
      )}
    </Page>
  );
}

function DelegationForm({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation('admin');
  const queryClient = useQueryClient();
  const users = useAllUsers();
  const units = useUnits();
  const procedures = useQuery({ queryKey: ['procedures', 'admin-list', ''], queryFn: () => unwrap(api.GET('/api/procedures', { params: { query: {} } })) });
  const [form, setForm] = useState<DelegationForm>(() => ({
    kind: 'deputy', from: '', to: '', roles: ['leader'], units: [], procedures: [],
    validFrom: toLocalInput(new Date()), validTo: '', decision: '',
  }));
  const set = (patch: Partial<DelegationForm>) => setForm((f) => ({ ...f, ...patch }));
  const body = toDelegationBody(form);
  // Typing in the decision number should not fire a preview per keystroke on a slow link.
  const deferred = useDeferredValue(body);
  const preview = useQuery({
    queryKey: ['admin', 'delegation-preview', deferred],
    enabled: deferred !== null,
    placeholderData: keepPreviousData,
    retry: false,
    queryFn: () => unwrap(api.POST('/api/delegations/preview', { body: deferred ?? { kind: 'deputy', from: '', to: '', scope: {} } })),
  });
  const save = useMutation({
    mutationFn: () => {
      if (!body) throw new Error(t('delegations.incomplete'));
      return unwrap(api.POST('/api/delegations', { params: { header: idempotency() }, body }));
    },
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: KEY });
      onClose();
    },
  });
  const issues = issuesByPath(save.error);
  const previewIssues = (preview.data?.issues ?? []) as ApiIssue[];
  const people = users.data ?? [];

  return (
    <Modal title={t('delegations.create')} open onClose={onClose} wide>
      <form onSubmit={(e) => { e.preventDefault(); save.mutate(); }}>
        <div className="grid two">
          <div>
            <Field label={t('delegations.kind')} error={issueAt(issues, '/kind')}>
              {(id) => (
                <select id={id} value={form.kind} onChange={(e) => set({ kind: e.target.value as DelegationForm['kind'] })}>
                  {KINDS.map((k) => <option key={k} value={k}>{t(`delegationKind.${k}`)}</option>)}
                </select>
              )}
            </Field>
            <div className="admin-form-grid">
              <Field label={t('delegations.from')} error={issueAt(issues, '/from')}>
                {(id) => (
                  <select id={id} value={form.from} onChange={(e) => set({ from: e.target.value })} required>
                    <option value="">{t('delegations.pickPerson')}</option>
                    {people.map((u) => <option key={u.id} value={u.id}>{u.name} ({u.username})</option>)}
                  </select>
                )}
              </Field>
              <Field label={t('delegations.to')} error={issueAt(issues, '/to')}>
                {(id) => (
                  <select id={id} value={form.to} onChange={(e) => set({ to: e.target.value })} required>
                    <option value="">{t('delegations.pickPerson')}</option>
                    {people.filter((u) => u.id !== form.from && u.active).map((u) => <option key={u.id} value={u.id}>{u.name} ({u.username})</option>)}
                  </select>
                )}
              </Field>
              <Field label={t('delegations.validFrom')} error={issueAt(issues, '/validFrom')}>
                {(id) => <input id={id} type="datetime-local" value={form.validFrom} onChange={(e) => set({ validFrom: e.target.value })} required />}
              </Field>
              <Field label={t('delegations.validTo')} hint={t('delegations.validToHint')} error={issueAt(issues, '/validTo')}>
                {(id) => <input id={id} type="datetime-local" value={form.validTo} onChange={(e) => set({ validTo: e.target.value })} />}
              </Field>
            </div>
            <Field label={t('delegations.decision')} hint={t('delegations.decisionHint')} error={issueAt(issues, '/decision')}>
              {(id) => <input id={id} value={form.decision} onChange={(e) => set({ decision: e.target.value })} />}
            </Field>
            <fieldset className="checks">
              <legend>{t('delegations.scopeRoles')}</legend>
              {ROLES.map((r) => (
                <label key={r}><input type="checkbox" checked={form.roles.includes(r)} onChange={(e) => set({ roles: toggle(form.roles, r, e.target.checked) })} />{t(`common:role.${r}`)}</label>
              ))}
            </fieldset>
            <fieldset className="checks scroll">
              <legend>{t('delegations.scopeUnits')}</legend>
              {treeRows(units.data ?? []).map(({ unit }) => (
                <label key={unit.code}><input type="checkbox" checked={form.units.includes(unit.code)} onChange={(e) => set({ units: toggle(form.units, unit.code, e.target.checked) })} />{unit.name}</label>
              ))}
            </fieldset>
            <fieldset className="checks scroll">
              <legend>{t('delegations.scopeProcedures')}</legend>
              {(procedures.data?.items ?? []).map((p) => (
                <label key={p.id}><input type="checkbox" checked={form.procedures.includes(p.id)} onChange={(e) => set({ procedures: toggle(form.procedures, p.id, e.target.checked) })} />{p.name}</label>
              ))}
            </fieldset>
            {issueAt(issues, '/scope') && <p className="field-error" role="alert">{issueAt(issues, '/scope')}</p>}
          </div>
          <div>
            <h3 style={{ marginTop: 0 }}>{t('delegations.preview')}</h3>
            {!body ? <p className="muted">{t('delegations.previewWaiting')}</p>
              : preview.error ? <ErrorBox error={preview.error} />
              : preview.data ? <SignatureBlock signing={preview.data} label={t('delegations.preview')} />
              : <Loading />}
            {previewIssues.length > 0 && (
              <div className="error-box" role="status">
                <strong>{t('delegations.previewIssues')}</strong>
                <ul>{previewIssues.map((i, n) => <li key={n}>{i.path && <code>{i.path}</code>} {pick(i.message)}</li>)}</ul>
              </div>
            )}
            <p className="muted">{t(`delegationHelp.${form.kind}`)}</p>
          </div>
        </div>
        <ErrorBox error={save.error} />
        <FormButtons onCancel={onClose} disabled={save.isPending || !body} label={t('delegations.save')} />
      </form>
    </Modal>
  );
}

function DelegationView({ id, onClose }: { id: string; onClose: () => void }) {
  const { t } = useTranslation('admin');
  const one = useQuery({ queryKey: [...KEY, 'one', id], queryFn: () => unwrap(api.GET('/api/delegations/{id}', { params: { path: { id } } })) });
  return (
    <Modal title={t('delegations.viewTitle')} open onClose={onClose}>
      {one.isPending ? <Loading /> : one.error ? <ErrorBox error={one.error} /> : (
        <>
          <dl className="kv">
            <dt>{t('delegations.kind')}</dt><dd>{t(`delegationKind.${one.data.kind}`, { defaultValue: one.data.kind })}</dd>
            <dt>{t('delegations.from')}</dt><dd>{one.data.from.name}</dd>
            <dt>{t('delegations.to')}</dt><dd>{one.data.to.name}</dd>
            <dt>{t('delegations.period')}</dt><dd>{formatDateTime(one.data.validFrom)} → {one.data.validTo ? formatDateTime(one.data.validTo) : t('delegations.openEnded')}</dd>
            {one.data.decision && <><dt>{t('delegations.decision')}</dt><dd>{one.data.decision}</dd></>}
            <dt>{t('delegations.status')}</dt><dd><Badge tone={statusTone(one.data.status)}>{t(`delegationStatus.${one.data.status}`)}</Badge></dd>
          </dl>
          {one.data.signing && <SignatureBlock signing={one.data.signing} label={t('delegations.signing')} />}
        </>
      )}
    </Modal>
  );
}
