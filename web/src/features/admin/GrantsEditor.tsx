/** Roles at units, one row each, with the position and printed title that decide the signing formula. */
import { useTranslation } from 'react-i18next';
import { Field } from '../../ui';
import { POSITIONS, ROLES, blankGrant, type GrantRow, type PositionName, type RoleName } from './grants';
import { issueAt } from './issues';
import { treeRows } from './unitTree';
import type { Unit } from './data';

export function GrantsEditor({ rows, onChange, units, issues }: { rows: GrantRow[]; onChange: (rows: GrantRow[]) => void; units: Unit[]; issues: Map<string, string> }) {
  const { t } = useTranslation('admin');
  const set = (i: number, patch: Partial<GrantRow>) => onChange(rows.map((r, n) => (n === i ? { ...r, ...patch } : r)));
  const ordered = treeRows(units);
  return (
    <fieldset className="checks" style={{ display: 'block' }}>
      <legend>{t('users.grants')}</legend>
      {rows.length === 0 && <p className="muted">{t('users.noGrants')}</p>}
      {rows.map((r, i) => (
        <div className="grant-row" key={i} role="group" aria-label={t('users.grantN', { n: i + 1 })}>
          <Field label={t('users.role')} error={issueAt(issues, `/grants/${i}/role`)}>
            {(id) => (
              <select id={id} value={r.role} onChange={(e) => set(i, { role: e.target.value as RoleName })}>
                {ROLES.map((role) => <option key={role} value={role}>{t(`common:role.${role}`)}</option>)}
              </select>
            )}
          </Field>
          <Field label={t('users.unit')} error={issueAt(issues, `/grants/${i}/unit`)}>
            {(id) => (
              <select id={id} value={r.unit} onChange={(e) => set(i, { unit: e.target.value })} required>
                <option value="">{t('users.pickUnit')}</option>
                {!units.some((u) => u.code === r.unit) && r.unit && <option value={r.unit}>{r.unit}</option>}
                {ordered.map(({ unit, depth }) => <option key={unit.code} value={unit.code}>{'\u00a0\u00a0'.repeat(depth)}{unit.name}</option>)}
              </select>
            )}
          </Field>
          <Field label={t('users.position')} error={issueAt(issues, `/grants/${i}/position`)}>
            {(id) => (
              <select id={id} value={r.position} onChange={(e) => set(i, { position: e.target.value as PositionName | '' })}>
                <option value="">—</option>
                {POSITIONS.map((p) => <option key={p} value={p}>{t(`position.${p}`)}</option>)}
              </select>
            )}
          </Field>
          <Field label={t('users.titleLabel')} error={issueAt(issues, `/grants/${i}/title`)}>
            {(id) => <input id={id} value={r.title} placeholder={t('users.titlePlaceholder')} onChange={(e) => set(i, { title: e.target.value })} />}
          </Field>
          <button type="button" className="danger" onClick={() => onChange(rows.filter((_, n) => n !== i))} aria-label={t('users.removeGrant', { n: i + 1 })}>×</button>
        </div>
      ))}
      <button type="button" onClick={() => onChange([...rows, blankGrant(units[0]?.code ?? '')])}>{t('users.addGrant')}</button>
    </fieldset>
  );
}
