/** A table of form fields (key, label, type, required) that writes a JSON Schema; raw JSON when the table cannot show it all. */
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { JsonSchema } from '@motcua/engine';
import { FIELD_TYPES, fieldsToSchema, optionsText, parseOptions, schemaToFields, type ChoiceOption, type FieldRow } from '../model/fields';

/**
 * A choice list's options, one a line as "code | Nhãn | Label": the labels are what officers
 * read in selects and in the history. Kept as typed while the field has the focus.
 */
function OptionsInput({ label, options, disabled, onChange }: { label: string; options: ChoiceOption[]; disabled?: boolean; onChange: (o: ChoiceOption[]) => void }) {
  const { t } = useTranslation('designer');
  const [text, setText] = useState(() => optionsText(options));
  const [editing, setEditing] = useState(false);
  const shown = editing ? text : optionsText(options);
  return (
    <>
      <textarea aria-label={label} placeholder={t('fields.optionsHint')} value={shown} disabled={disabled} rows={Math.max(2, options.length)}
        onFocus={() => { setText(optionsText(options)); setEditing(true); }} onBlur={() => setEditing(false)}
        onChange={(e) => { setText(e.target.value); onChange(parseOptions(e.target.value)); }} />
      {options.some((o) => !o.vi) && <small className="warn-text">{t('fields.unlabelled')}</small>}
    </>
  );
}

export function FieldsEditor({ label, schema, onChange, disabled, field }: {
  label: string; schema: JsonSchema | undefined; onChange: (s: JsonSchema | undefined) => void; disabled?: boolean; field?: string;
}) {
  const { t } = useTranslation('designer');
  const { rows, exact } = useMemo(() => schemaToFields(schema), [schema]);
  const [raw, setRaw] = useState(() => JSON.stringify(schema ?? {}, null, 2));
  const [rawError, setRawError] = useState<string | null>(null);
  useEffect(() => setRaw(JSON.stringify(schema ?? {}, null, 2)), [schema]);
  const update = (n: number, patch: Partial<FieldRow>) => onChange(fieldsToSchema(rows.map((r, i) => (i === n ? { ...r, ...patch } : r))));
  const add = () => {
    const taken = new Set(rows.map((r) => r.key));
    let n = rows.length + 1;
    while (taken.has(`field${n}`)) n += 1;
    onChange(fieldsToSchema([...rows, { key: `field${n}`, title: '', type: 'string', required: false, options: [] }]));
  };
  const applyRaw = () => {
    try {
      const parsed = JSON.parse(raw) as JsonSchema;
      setRawError(null);
      onChange(parsed && typeof parsed === 'object' && Object.keys(parsed).length === 0 ? undefined : parsed);
    } catch (err) {
      setRawError(t('guard.badJson', { error: err instanceof Error ? err.message : String(err) }));
    }
  };
  return (
    <fieldset className="sub" data-field={field}>
      <legend>{label}</legend>
      {exact ? (
        <>
          {rows.length === 0 ? <p className="muted">{t('fields.empty')}</p> : (
            <table className="compact">
              <thead>
                <tr><th>{t('fields.key')}</th><th>{t('fields.titleAndOptions')}</th><th>{t('fields.type')}</th><th>{t('fields.required')}</th><th /></tr>
              </thead>
              <tbody>
                {rows.map((r, n) => (
                  <tr key={n}>
                    <td><input aria-label={`${t('fields.key')} ${n + 1}`} value={r.key} disabled={disabled} onChange={(e) => update(n, { key: e.target.value })} size={8} /></td>
                    <td>
                      <input aria-label={`${t('fields.title')} ${n + 1}`} value={r.title} disabled={disabled} onChange={(e) => update(n, { title: e.target.value })} size={10} />
                      {r.type === 'enum' && (
                        <OptionsInput label={`${t('fields.options')} ${n + 1}`} options={r.options} disabled={disabled}
                          onChange={(options) => update(n, { options })} />
                      )}
                    </td>
                    <td>
                      <select aria-label={`${t('fields.type')} ${n + 1}`} value={r.type} disabled={disabled} onChange={(e) => update(n, { type: e.target.value as FieldRow['type'] })}>
                        {FIELD_TYPES.map((ft) => <option key={ft} value={ft}>{t(`fields.types.${ft}`)}</option>)}
                      </select>
                    </td>
                    <td><input type="checkbox" aria-label={`${t('fields.required')} ${n + 1}`} checked={r.required} disabled={disabled} onChange={(e) => update(n, { required: e.target.checked })} /></td>
                    <td>
                      <button type="button" className="icon" disabled={disabled} aria-label={t('fields.remove', { key: r.key || n + 1 })}
                        onClick={() => onChange(fieldsToSchema(rows.filter((_, i) => i !== n)))}>×</button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          <button type="button" onClick={add} disabled={disabled}>{t('fields.add')}</button>
        </>
      ) : <p className="muted">{t('fields.inexact')}</p>}
      <details open={!exact}>
        <summary>{t('fields.raw')}</summary>
        <label className="sr-only" htmlFor={`${field ?? 'schema'}-raw`}>{`${label}: ${t('fields.rawLabel')}`}</label>
        <textarea id={`${field ?? 'schema'}-raw`} className="code" value={raw} disabled={disabled} onChange={(e) => setRaw(e.target.value)} rows={6} />
        {rawError && <p className="field-error" role="alert">{rawError}</p>}
        <button type="button" onClick={applyRaw} disabled={disabled}>{t('fields.applyRaw')}</button>
      </details>
    </fieldset>
  );
}
