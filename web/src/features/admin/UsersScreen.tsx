/** Users at this administrator's units: search, filter, create with roles, rename, lock, replace roles, set a password. */
import { useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../../api/client';
import { useAuth } from '../../app/auth';
import { Badge, Empty, ErrorBox, Field, Loading, Modal, Page } from '../../ui';
import { formatDate } from '../../ui/format';
import { idempotency, usersKey, useUnits, type Unit, type User } from './data';
import { GrantsEditor } from './GrantsEditor';
import { ROLES, blankGrant, toGrantBody, toGrantRows, type GrantRow, type RoleName } from './grants';
import { issueAt, issuesByPath } from './issues';
import { treeRows } from './unitTree';
import { FormButtons } from './FormButtons';

const PAGE_SIZE = 50;
type Editing = { mode: 'create' } | { mode: 'edit'; user: User } | { mode: 'password'; user: User };

export function UsersScreen() {
  const { t } = useTranslation('admin');
  const { user: me } = useAuth();
  const queryClient = useQueryClient();
  const units = useUnits();
  const [q, setQ] = useState('');
  const [unit, setUnit] = useState('');
  const [role, setRole] = useState<RoleName | ''>('');
  const [active, setActive] = useState<'' | 'true' | 'false'>('');
  const [page, setPage] = useState(1);
  const [editing, setEditing] = useState<Editing | null>(null);
  const query = { pageSize: PAGE_SIZE, page, ...(q ? { q } : {}), ...(unit ? { unit } : {}), ...(role ? { role } : {}), ...(active ? { active: active === 'true' } : {}) };
  const list = useQuery({ queryKey: [...usersKey, query], queryFn: () => unwrap(api.GET('/api/users', { params: { query } })) });
  const lock = useMutation({
    mutationFn: (u: User) => unwrap(api.PATCH('/api/users/{id}', { params: { path: { id: u.id }, header: idempotency() }, body: { active: !u.active } })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: usersKey }),
  });
  const unitName = (code: string) => units.data?.find((u) => u.code === code)?.name ?? code;
  const filter = <T,>(setter: (v: T) => void) => (v: T) => { setter(v); setPage(1); };

  return (
    <Page title={t('users.title')} actions={<button type="button" className="primary" onClick={() => setEditing({ mode: 'create' })}>{t('users.create')}</button>}>
      <div className="admin-toolbar" role="search">
        <Field label={t('users.search')}>{(id) => <input id={id} type="search" value={q} onChange={(e) => filter(setQ)(e.target.value)} />}</Field>
        <Field label={t('users.unit')}>
          {(id) => (
            <select id={id} value={unit} onChange={(e) => filter(setUnit)(e.target.value)}>
              <option value="">{t('users.allUnits')}</option>
              {treeRows(units.data ?? []).map(({ unit: u, depth }) => <option key={u.code} value={u.code}>{'\u00a0\u00a0'.repeat(depth)}{u.name}</option>)}
            </select>
          )}
        </Field>
        <Field label={t('users.role')}>
          {(id) => (
            <select id={id} value={role} onChange={(e) => filter(setRole)(e.target.value as RoleName | '')}>
              <option value="">{t('users.allRoles')}</option>
              {ROLES.map((r) => <option key={r} value={r}>{t(`common:role.${r}`)}</option>)}
            </select>
          )}
        </Field>
        <Field label={t('users.state')}>
          {(id) => (
            <select id={id} value={active} onChange={(e) => filter(setActive)(e.target.value as '' | 'true' | 'false')}>
              <option value="">{t('users.allStates')}</option>
              <option value="true">{t('users.active')}</option>
              <option value="false">{t('users.locked')}</option>
            </select>
          )}
        </Field>
      </div>
      <ErrorBox error={lock.error} />
      {list.isPending ? <Loading /> : list.error ? <ErrorBox error={list.error} onRetry={() => void list.refetch()} /> : list.data.items.length === 0 ? <Empty /> : (
        <>
          <div className="admin-table-wrap">
            <table>
              <caption className="sr-only">{t('users.title')}</caption>
              <thead><tr><th>{t('users.username')}</th><th>{t('users.name')}</th><th>{t('users.grants')}</th><th>{t('users.state')}</th><th><span className="sr-only">{t('catalog.actions')}</span></th></tr></thead>
              <tbody>
                {list.data.items.map((u) => (
                  <tr key={u.id}>
                    <td><code>{u.username}</code></td>
                    <td>{u.name}<div className="muted">{t('users.since', { date: formatDate(u.createdAt) })}</div></td>
                    <td>
                      {u.grants.map((g, i) => (
                        <div key={i}>{t(`common:role.${g.role}`, { defaultValue: g.role })} · {unitName(g.unit)}{g.title ? ` · ${g.title}` : ''}</div>
                      ))}
                    </td>
                    <td>{u.active ? <Badge tone="ok">{t('users.active')}</Badge> : <Badge tone="bad">{t('users.locked')}</Badge>}</td>
                    <td>
                      <div className="admin-actions">
                        <button type="button" onClick={() => setEditing({ mode: 'edit', user: u })} aria-label={t('users.editOne', { name: u.name })}>{t('common:action.edit')}</button>
                        <button type="button" className={u.active ? 'danger' : undefined} disabled={lock.isPending || u.id === me?.id}
                          onClick={() => lock.mutate(u)} aria-label={t(u.active ? 'users.lockOne' : 'users.unlockOne', { name: u.name })}>
                          {t(u.active ? 'users.lock' : 'users.unlock')}
                        </button>
                        <button type="button" onClick={() => setEditing({ mode: 'password', user: u })} aria-label={t('users.passwordOne', { name: u.name })}>{t('users.password')}</button>
                      </div>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <nav className="row" aria-label={t('users.pages')} style={{ marginTop: 8 }}>
            <button type="button" disabled={page <= 1} onClick={() => setPage(page - 1)}>{t('users.prev')}</button>
            <span>{t('users.pageOf', { page, pages: Math.max(1, Math.ceil(list.data.total / PAGE_SIZE)), total: list.data.total })}</span>
            <button type="button" disabled={page * PAGE_SIZE >= list.data.total} onClick={() => setPage(page + 1)}>{t('users.next')}</button>
          </nav>
        </>
      )}
      {editing?.mode === 'password' && <PasswordForm user={editing.user} onClose={() => setEditing(null)} />}
      {editing && editing.mode !== 'password' && units.data && (
        <UserForm user={editing.mode === 'edit' ? editing.user : null} units={units.data} onClose={() => setEditing(null)} />
      )}
    </Page>
  );
}

function UserForm({ user, units, onClose }: { user: User | null; units: Unit[]; onClose: () => void }) {
  const { t } = useTranslation('admin');
  const queryClient = useQueryClient();
  const [username, setUsername] = useState('');
  const [name, setName] = useState(user?.name ?? '');
  const [password, setPassword] = useState('');
  const [rows, setRows] = useState<GrantRow[]>(() => (user ? toGrantRows(user.grants) : [blankGrant(units[0]?.code ?? '')]));
  const save = useMutation({
    mutationFn: () => user
      ? unwrap(api.PATCH('/api/users/{id}', { params: { path: { id: user.id }, header: idempotency() }, body: { name: name.trim(), grants: toGrantBody(rows) } }))
      : unwrap(api.POST('/api/users', { params: { header: idempotency() }, body: { username: username.trim(), name: name.trim(), password, grants: toGrantBody(rows) } })),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: usersKey });
      onClose();
    },
  });
  const issues = issuesByPath(save.error);
  return (
    <Modal title={user ? t('users.editTitle', { name: user.name }) : t('users.create')} open onClose={onClose} wide>
      <form onSubmit={(e) => { e.preventDefault(); save.mutate(); }}>
        <div className="admin-form-grid">
          {!user && (
            <Field label={t('users.username')} hint={t('users.usernameHint')} error={issueAt(issues, '/username')}>
              {(id) => <input id={id} value={username} onChange={(e) => setUsername(e.target.value)} required autoComplete="off" />}
            </Field>
          )}
          <Field label={t('users.name')} error={issueAt(issues, '/name')}>
            {(id) => <input id={id} value={name} onChange={(e) => setName(e.target.value)} required />}
          </Field>
          {!user && (
            <Field label={t('users.initialPassword')} hint={t('users.passwordHint')} error={issueAt(issues, '/password')}>
              {(id) => <input id={id} type="password" value={password} onChange={(e) => setPassword(e.target.value)} required minLength={8} autoComplete="new-password" />}
            </Field>
          )}
        </div>
        {user && <p className="muted">{t('users.grantsReplace')}</p>}
        <GrantsEditor rows={rows} onChange={setRows} units={units} issues={issues} />
        <ErrorBox error={save.error} />
        <FormButtons onCancel={onClose} disabled={save.isPending} />
      </form>
    </Modal>
  );
}

function PasswordForm({ user, onClose }: { user: User; onClose: () => void }) {
  const { t } = useTranslation('admin');
  const [password, setPassword] = useState('');
  const save = useMutation({
    mutationFn: () => unwrap(api.POST('/api/users/{id}/password', { params: { path: { id: user.id }, header: idempotency() }, body: { password } })),
  });
  const issues = issuesByPath(save.error);
  return (
    <Modal title={t('users.passwordTitle', { name: user.name })} open onClose={onClose}>
      {save.isSuccess ? (
        <>
          <p className="notice" role="status">{t('users.passwordDone', { name: user.name })}</p>
          <div className="admin-buttons"><button type="button" className="primary" onClick={onClose}>{t('common:action.close')}</button></div>
        </>
      ) : (
        <form onSubmit={(e) => { e.preventDefault(); save.mutate(); }}>
          <Field label={t('users.newPassword')} hint={t('users.passwordHint')} error={issueAt(issues, '/password')}>
            {(id) => <input id={id} type="password" value={password} onChange={(e) => setPassword(e.target.value)} required minLength={8} autoComplete="new-password" autoFocus />}
          </Field>
          <ErrorBox error={save.error} />
          <FormButtons onCancel={onClose} disabled={save.isPending} label={t('users.setPassword')} />
        </form>
      )}
    </Modal>
  );
}
