/** Small labelled inputs the property panels share: bilingual text, durations, selects. */
import { useEffect, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { Duration } from '@motcua/engine';
import { Field } from '../../../ui';

/** A text box that reports every keystroke (the editor merges them into one undo step). */
export function TextField({ label, value, onChange, field, disabled, multiline, hint, placeholder }: {
  label: string; value: string; onChange: (v: string) => void; field?: string; disabled?: boolean; multiline?: boolean; hint?: ReactNode; placeholder?: string;
}) {
  return (
    <Field label={label} hint={hint}>
      {(id) => (multiline
        ? <textarea id={id} data-field={field} value={value} disabled={disabled} onChange={(e) => onChange(e.target.value)} placeholder={placeholder} />
        : <input id={id} data-field={field} value={value} disabled={disabled} onChange={(e) => onChange(e.target.value)} placeholder={placeholder} />)}
    </Field>
  );
}

/** A text box applied on Enter or when it loses focus: for ids, whose every change renames references. */
export function CommitField({ label, value, onCommit, field, disabled, hint }: {
  label: string; value: string; onCommit: (v: string) => void; field?: string; disabled?: boolean; hint?: ReactNode;
}) {
  const [draft, setDraft] = useState(value);
  useEffect(() => setDraft(value), [value]);
  const commit = () => {
    if (draft.trim() && draft.trim() !== value) onCommit(draft.trim());
    else setDraft(value);
  };
  return (
    <Field label={label} hint={hint}>
      {(id) => (
        <input
          id={id} data-field={field} value={draft} disabled={disabled}
          onChange={(e) => setDraft(e.target.value)}
          onBlur={commit}
          onKeyDown={(e) => { if (e.key === 'Enter') { e.preventDefault(); commit(); } }}
        />
      )}
    </Field>
  );
}

export function SelectField({ label, value, onChange, options, field, disabled }: {
  label: string; value: string; onChange: (v: string) => void; options: { value: string; label: string }[]; field?: string; disabled?: boolean;
}) {
  return (
    <Field label={label}>
      {(id) => (
        <select id={id} data-field={field} value={value} disabled={disabled} onChange={(e) => onChange(e.target.value)}>
          {options.map((o) => <option key={o.value} value={o.value}>{o.label}</option>)}
        </select>
      )}
    </Field>
  );
}

export function CheckField({ label, checked, onChange, field, disabled }: {
  label: string; checked: boolean; onChange: (v: boolean) => void; field?: string; disabled?: boolean;
}) {
  return (
    <label className="check">
      <input type="checkbox" data-field={field} checked={checked} disabled={disabled} onChange={(e) => onChange(e.target.checked)} /> {label}
    </label>
  );
}

/** A working-time budget: a number and its unit (working days or hours), or nothing. */
export function DurationField({ amountLabel, unitLabel, value, onChange, field, disabled, allowNone = true }: {
  amountLabel: string; unitLabel: string; value: Duration | undefined; onChange: (v: Duration | undefined) => void; field?: string; disabled?: boolean; allowNone?: boolean;
}) {
  const { t } = useTranslation('designer');
  const unit: 'days' | 'hours' | 'none' = value?.days !== undefined ? 'days' : value?.hours !== undefined ? 'hours' : 'none';
  const amount = value?.days ?? value?.hours ?? '';
  const set = (u: string, n: number) => onChange(u === 'none' ? undefined : u === 'hours' ? { hours: n } : { days: n });
  return (
    <div className="grid two tight">
      <Field label={amountLabel}>
        {(id) => (
          <input
            id={id} data-field={field} type="number" min={0} step="0.5" value={amount} disabled={disabled || unit === 'none'}
            onChange={(e) => set(unit, e.target.value === '' ? 0 : Number(e.target.value))}
          />
        )}
      </Field>
      <Field label={unitLabel}>
        {(id) => (
          <select id={id} value={unit} disabled={disabled} onChange={(e) => set(e.target.value, typeof amount === 'number' ? amount : 1)}>
            {allowNone && <option value="none">{t('duration.none')}</option>}
            <option value="days">{t('duration.days')}</option>
            <option value="hours">{t('duration.hours')}</option>
          </select>
        )}
      </Field>
    </div>
  );
}
