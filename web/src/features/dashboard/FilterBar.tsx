/** The report's conditions: unit (and its subordinates), period, grouping. Every control is labelled. */
import { useTranslation } from 'react-i18next';
import { localInstant } from '@motcua/engine/local-time';
import { Field } from '../../ui';
import { formatDate } from '../../ui/format';
import { PERIOD_PRESETS, type Period, type PeriodPreset } from './period';
import type { Filters } from './filters';
import type { UnitOption } from './units';

interface Props {
  filters: Filters;
  units: readonly UnitOption[];
  period: Period | null;
  onChange: (change: Partial<Filters>) => void;
}

export function FilterBar({ filters, units, period, onChange }: Props) {
  const { t } = useTranslation('dashboard');
  const unit = units.find((u) => u.code === filters.unit);
  return (
    <form className="card dash-filters" aria-label={t('filters.legend')} onSubmit={(e) => e.preventDefault()}>
      <Field label={t('filters.unit')}>
        {(id) => (
          <select id={id} value={filters.unit ?? ''} onChange={(e) => onChange({ unit: e.target.value })}>
            {units.map((u) => (
              <option key={u.code} value={u.code}>
                {'\u00a0\u00a0'.repeat(u.depth)}{u.name}{u.name !== u.code ? ` (${u.code})` : ''}
              </option>
            ))}
          </select>
        )}
      </Field>
      {unit?.subtree && (
        <label className="dash-check">
          <input type="checkbox" checked={filters.children} onChange={(e) => onChange({ children: e.target.checked })} />
          {t('filters.children')}
        </label>
      )}
      <Field label={t('filters.period')} hint={period ? `${formatDate(localInstant(period.from, '12:00'))} – ${formatDate(localInstant(period.to, '12:00'))}` : undefined}>
        {(id) => (
          <select id={id} value={filters.preset} onChange={(e) => onChange({ preset: e.target.value as PeriodPreset })}>
            {PERIOD_PRESETS.map((p) => <option key={p} value={p}>{t(`preset.${p}`)}</option>)}
          </select>
        )}
      </Field>
      {filters.preset === 'custom' && (
        <>
          <Field label={t('filters.from')}>
            {(id) => <input id={id} type="date" value={filters.customFrom} onChange={(e) => onChange({ customFrom: e.target.value })} />}
          </Field>
          <Field label={t('filters.to')}>
            {(id) => <input id={id} type="date" value={filters.customTo} onChange={(e) => onChange({ customTo: e.target.value })} />}
          </Field>
        </>
      )}
      {filters.view === 'report' && (
        <Field label={t('filters.groupBy')}>
          {(id) => (
            <select id={id} value={filters.groupBy} onChange={(e) => onChange({ groupBy: e.target.value === 'procedure' || e.target.value === 'unit' ? e.target.value : 'field' })}>
              <option value="field">{t('group.field')}</option>
              <option value="procedure">{t('group.procedure')}</option>
              <option value="unit">{t('group.unit')}</option>
            </select>
          )}
        </Field>
      )}
    </form>
  );
}
