/**
 * The condition of an action: react-querybuilder with JSON Logic export and parse back;
 * a raw JSON Logic box when the condition is more than the builder can show.
 */
import { useEffect, useMemo, useState } from 'react';
import { QueryBuilder, formatQuery, toOptions, type Field, type RuleGroupType, type ValueSelectorProps } from 'react-querybuilder';

/** The builder's selects with their title as the accessible name too (a title alone fails axe's label-title-only). */
function LabelledSelect({ className, handleOnChange, options, value, title, disabled }: ValueSelectorProps) {
  return (
    <select className={className} value={typeof value === 'string' ? value : ''} title={title} aria-label={title} disabled={disabled}
      onChange={(e) => handleOnChange(e.target.value)}>
      {toOptions(options)}
    </select>
  );
}
const SELECTS = { combinatorSelector: LabelledSelect, fieldSelector: LabelledSelect, operatorSelector: LabelledSelect };
import { parseJsonLogic } from 'react-querybuilder/parseJsonLogic';
import { useTranslation } from 'react-i18next';
import type { JsonLogicRule } from '@motcua/engine';
import 'react-querybuilder/dist/query-builder.css';

const canonical = (v: unknown): string => JSON.stringify(v, (_k, x: unknown) => (x && typeof x === 'object' && !Array.isArray(x)
  ? Object.fromEntries(Object.entries(x as { [k: string]: unknown }).sort(([a], [b]) => a.localeCompare(b))) : x));

const EMPTY: RuleGroupType = { combinator: 'and', rules: [] };

/** The builder's query for a rule, or null when a round trip would change the rule. */
function toQuery(rule: JsonLogicRule | undefined): RuleGroupType | null {
  if (rule === undefined) return EMPTY;
  try {
    const q = parseJsonLogic(rule as never);
    if (q.rules.length === 0) return null;
    return canonical(formatQuery(q, 'jsonlogic')) === canonical(rule) ? q : null;
  } catch {
    return null;
  }
}

export function GuardEditor({ label, value, onChange, fields, disabled }: {
  label: string; value: JsonLogicRule | undefined; onChange: (v: JsonLogicRule | undefined) => void; fields: Field[]; disabled?: boolean;
}) {
  const { t } = useTranslation('designer');
  const parsed = useMemo(() => toQuery(value), [value]);
  const [mode, setMode] = useState<'builder' | 'raw'>(parsed ? 'builder' : 'raw');
  const [query, setQuery] = useState<RuleGroupType>(parsed ?? EMPTY);
  const [raw, setRaw] = useState(value === undefined ? '' : JSON.stringify(value, null, 2));
  const [rawError, setRawError] = useState<string | null>(null);
  // Undo or another edit may change the rule from outside: follow it unless it is our own echo.
  useEffect(() => {
    const own = query.rules.length === 0 ? undefined : formatQuery(query, 'jsonlogic');
    if (canonical(own) !== canonical(value)) {
      if (parsed) setQuery(parsed);
      else setMode('raw');
    }
    setRaw(value === undefined ? '' : JSON.stringify(value, null, 2));
    // eslint-disable-next-line react-hooks/exhaustive-deps -- only outside changes of the rule matter here
  }, [value]);

  const onQuery = (q: RuleGroupType) => {
    setQuery(q);
    onChange(q.rules.length === 0 ? undefined : (formatQuery(q, 'jsonlogic') as JsonLogicRule));
  };
  const applyRaw = (text: string) => {
    setRaw(text);
    if (text.trim() === '') {
      setRawError(null);
      onChange(undefined);
      return;
    }
    try {
      const v = JSON.parse(text) as JsonLogicRule;
      setRawError(null);
      onChange(v);
    } catch (err) {
      setRawError(t('guard.badJson', { error: err instanceof Error ? err.message : String(err) }));
    }
  };
  const translations = {
    fields: { title: t('guard.field') }, operators: { title: t('guard.operator') }, value: { title: t('guard.value') },
    combinators: { title: t('guard.combinator') },
    addRule: { label: t('guard.addRule'), title: t('guard.addRule') }, addGroup: { label: t('guard.addGroup'), title: t('guard.addGroup') },
    removeRule: { label: '×', title: t('guard.removeRule') }, removeGroup: { label: '×', title: t('guard.removeGroup') },
  };
  return (
    <fieldset className="sub guard" data-field="guard">
      <legend>{label}</legend>
      {mode === 'builder' ? (
        <>
          {value === undefined && <p className="muted">{t('guard.none')}</p>}
          <QueryBuilder
            fields={fields}
            query={query}
            onQueryChange={onQuery}
            disabled={disabled}
            translations={translations}
            controlElements={SELECTS}
            combinators={[{ name: 'and', label: t('guard.and') }, { name: 'or', label: t('guard.or') }]}
          />
          <button type="button" className="link" onClick={() => setMode('raw')}>{t('guard.raw')}</button>
        </>
      ) : (
        <>
          {!parsed && value !== undefined && <p className="muted">{t('guard.cannotParse')}</p>}
          <label htmlFor="guard-raw">{t('guard.rawLabel')}</label>
          <textarea id="guard-raw" className="code" rows={4} value={raw} disabled={disabled} onChange={(e) => applyRaw(e.target.value)} />
          {rawError && <p className="field-error" role="alert">{rawError}</p>}
          <div className="row">
            {parsed && <button type="button" className="link" onClick={() => { setQuery(parsed); setMode('builder'); }}>{t('guard.useBuilder')}</button>}
            {value !== undefined && <button type="button" className="link" disabled={disabled} onClick={() => applyRaw('')}>{t('guard.clear')}</button>}
          </div>
        </>
      )}
    </fieldset>
  );
}
