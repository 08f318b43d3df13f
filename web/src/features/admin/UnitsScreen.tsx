/** Units: the tree this administrator sees; add below a unit, rename, set the signing names, the one-stop body and the province it counts in, move, delete. */
import { useState } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../../api/client';
import { Empty, ErrorBox, Field, Loading, Modal, Page } from '../../ui';
import { Confirm } from './Confirm';
import { idempotency, unitsKey, useUnits, type Unit } from './data';
import { issueAt, issuesByPath } from './issues';
import { moveTargets, treeRows, unitLabel } from './unitTree';
import { FormButtons } from './FormButtons';

const KINDS = ['province', 'commune', 'ward', 'police', 'social-insurance', 'department'] as const;
type Kind = (typeof KINDS)[number];
const asKind = (k: string): Kind => (KINDS as readonly string[]).includes(k) ? k as Kind : 'department';

type Editing = { mode: 'create'; parent: Unit } | { mode: 'edit'; unit: Unit };

export function UnitsScreen() {
  const { t } = useTranslation('admin');
  const units = useUnits();
  const queryClient = useQueryClient();
  const [editing, setEditing] = useState<Editing | null>(null);
  const [deleting, setDeleting] = useState<Unit | null>(null);

  return (
    <Page title={t('units.title')}>
      {units.isPending ? <Loading /> : units.error ? <ErrorBox error={units.error} onRetry={() => void units.refetch()} /> : units.data.length === 0 ? <Empty /> : (
        <div className="admin-table-wrap">
          <table>
            <caption className="sr-only">{t('units.title')}</caption>
            <thead>
              <tr>
                <th>{t('units.name')}</th><th>{t('units.code')}</th><th>{t('units.kind')}</th>
                <th>{t('units.collectiveName')}</th><th>{t('units.headTitle')}</th><th>{t('units.oneStopName')}</th><th><span className="sr-only">{t('catalog.actions')}</span></th>
              </tr>
            </thead>
            <tbody>
              {treeRows(units.data).map(({ unit, depth }) => (
                <tr key={unit.code}>
                  <td><span className="tree-name" style={{ ['--depth' as string]: depth }}>{depth > 0 ? '└ ' : ''}{unit.name}</span></td>
                  <td><code>{unit.code}</code></td>
                  <td>{t(`kind.${unit.kind}`, { defaultValue: unit.kind })}</td>
                  <td>{unit.collectiveName ?? '—'}</td>
                  <td>{unit.headTitle ?? '—'}</td>
                  <td>{unit.oneStopName ?? '—'}</td>
                  <td>
                    <div className="admin-actions">
                      <button type="button" onClick={() => setEditing({ mode: 'create', parent: unit })} aria-label={t('units.addBelow', { name: unit.name })}>{t('units.add')}</button>
                      <button type="button" onClick={() => setEditing({ mode: 'edit', unit })} aria-label={t('units.editOne', { name: unit.name })}>{t('common:action.edit')}</button>
                      <button type="button" className="danger" onClick={() => setDeleting(unit)} aria-label={t('units.deleteOne', { name: unit.name })}>{t('common:action.delete')}</button>
                    </div>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {editing && units.data && <UnitForm editing={editing} units={units.data} onClose={() => setEditing(null)} />}
      {deleting && (
        <Confirm
          title={t('units.deleteTitle', { name: deleting.name })}
          confirmLabel={t('common:action.delete')}
          onClose={() => setDeleting(null)}
          onConfirm={async () => {
            await unwrap(api.DELETE('/api/units/{code}', { params: { path: { code: deleting.code }, header: idempotency() } }));
            await queryClient.invalidateQueries({ queryKey: unitsKey });
          }}
        >
          <p>{t('units.deleteText', { name: deleting.name, code: deleting.code })}</p>
        </Confirm>
      )}
    </Page>
  );
}

function UnitForm({ editing, units, onClose }: { editing: Editing; units: Unit[]; onClose: () => void }) {
  const { t } = useTranslation('admin');
  const queryClient = useQueryClient();
  const start = editing.mode === 'edit' ? editing.unit : null;
  const [code, setCode] = useState('');
  const [name, setName] = useState(start?.name ?? '');
  const [kind, setKind] = useState<Kind>(start ? asKind(start.kind) : 'department');
  const [parent, setParent] = useState(start?.parent ?? (editing.mode === 'create' ? editing.parent.code : ''));
  const [collectiveName, setCollectiveName] = useState(start?.collectiveName ?? '');
  const [headTitle, setHeadTitle] = useState(start?.headTitle ?? '');
  const [oneStopName, setOneStopName] = useState(start?.oneStopName ?? '');
  const [province, setProvince] = useState(start?.province ?? '');
  const provinces = units.filter((u) => u.kind === 'province' && u.code !== start?.code);
  const save = useMutation({
    mutationFn: async () => {
      if (editing.mode === 'create') {
        return unwrap(api.POST('/api/units', {
          params: { header: idempotency() },
          body: {
            code: code.trim(), name: name.trim(), kind, parent,
            ...(collectiveName.trim() ? { collectiveName: collectiveName.trim() } : {}),
            ...(headTitle.trim() ? { headTitle: headTitle.trim() } : {}),
            ...(oneStopName.trim() ? { oneStopName: oneStopName.trim() } : {}),
          },
        }));
      }
      const u = editing.unit;
      return unwrap(api.PATCH('/api/units/{code}', {
        params: { path: { code: u.code }, header: idempotency() },
        body: {
          name: name.trim(), kind,
          ...(parent && parent !== u.parent ? { parent } : {}),
          collectiveName: collectiveName.trim() || null,
          headTitle: headTitle.trim() || null,
          oneStopName: oneStopName.trim() || null,
          ...(kind !== 'province' && province !== (u.province ?? '') ? { province: province || null } : {}),
        },
      }));
    },
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: unitsKey });
      onClose();
    },
  });
  const issues = issuesByPath(save.error);
  const title = editing.mode === 'create' ? t('units.createTitle', { parent: editing.parent.name }) : t('units.editTitle', { name: editing.unit.name });
  const targets = start ? moveTargets(units, start.code) : [];

  return (
    <Modal title={title} open onClose={onClose}>
      <form onSubmit={(e) => { e.preventDefault(); save.mutate(); }}>
        <div className="admin-form-grid">
          {editing.mode === 'create' && (
            <Field label={t('units.code')} hint={t('units.codeHint')} error={issueAt(issues, '/code')}>
              {(id) => <input id={id} value={code} onChange={(e) => setCode(e.target.value)} required autoFocus />}
            </Field>
          )}
          <Field label={t('units.name')} error={issueAt(issues, '/name')}>
            {(id) => <input id={id} value={name} onChange={(e) => setName(e.target.value)} required />}
          </Field>
          <Field label={t('units.kind')} error={issueAt(issues, '/kind')}>
            {(id) => (
              <select id={id} value={kind} onChange={(e) => setKind(asKind(e.target.value))}>
                {KINDS.map((k) => <option key={k} value={k}>{t(`kind.${k}`)}</option>)}
              </select>
            )}
          </Field>
          {start && start.parent !== null && (
            <Field label={t('units.parent')} hint={t('units.moveHint')} error={issueAt(issues, '/parent')}>
              {(id) => (
                <select id={id} value={parent} onChange={(e) => setParent(e.target.value)}>
                  {!targets.some((u) => u.code === parent) && <option value={parent}>{parent}</option>}
                  {treeRows(targets).map(({ unit, depth }) => <option key={unit.code} value={unit.code}>{'\u00a0\u00a0'.repeat(depth)}{unitLabel(unit, unit.code)}</option>)}
                </select>
              )}
            </Field>
          )}
          <Field label={t('units.collectiveName')} hint={t('units.collectiveHint')} error={issueAt(issues, '/collectiveName')}>
            {(id) => <input id={id} value={collectiveName} onChange={(e) => setCollectiveName(e.target.value)} />}
          </Field>
          <Field label={t('units.headTitle')} hint={t('units.headTitleHint')} error={issueAt(issues, '/headTitle')}>
            {(id) => <input id={id} value={headTitle} onChange={(e) => setHeadTitle(e.target.value)} />}
          </Field>
          <Field label={t('units.oneStopName')} hint={t('units.oneStopHint')} error={issueAt(issues, '/oneStopName')}>
            {(id) => <input id={id} value={oneStopName} onChange={(e) => setOneStopName(e.target.value)} maxLength={300} />}
          </Field>
          {editing.mode === 'edit' && kind !== 'province' && (
            <Field label={t('units.province')} hint={t('units.provinceHint')} error={issueAt(issues, '/province')}>
              {(id) => (
                <select id={id} value={province} onChange={(e) => setProvince(e.target.value)}>
                  <option value="">{t('units.provinceNone')}</option>
                  {province && !provinces.some((u) => u.code === province) && <option value={province}>{province}</option>}
                  {provinces.map((u) => <option key={u.code} value={u.code}>{unitLabel(u, u.code)}</option>)}
                </select>
              )}
            </Field>
          )}
        </div>
        <ErrorBox error={save.error} />
        <FormButtons onCancel={onClose} disabled={save.isPending} />
      </form>
    </Modal>
  );
}
