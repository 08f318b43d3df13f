/**
 * Property fields for the authoring features of issue 15: a hand-off's unit chosen at run time
 * (a JSON Logic expression and the kinds allowed) and the answers mapped back, the outputs a
 * procedure returns, its internal flag, legal time by case, an SLA counted from an action, a
 * fee's provincial parameter. Problems are the engine's own live validation (../model/check.ts),
 * shown beside the field their JSON pointer names: nothing is checked twice.
 */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type {
  DeadlineCase, Handoff, JsonLogicRule, ProcedureDefinition, ProcedureOutput, StepDefinition, UnitScope,
} from '@motcua/engine';
import { pick } from '../../../i18n';
import type { DesignerIssue } from '../model/check';
import { CheckField, SelectField, TextField } from './inputs';
import { answerAction } from '../model/commands';
import { caseAmount, caseUnit, setCaseTime } from '../model/deadlineCases';
import type { Exec } from './StepPanel';

/** Kinds of unit the directory knows (server/src/db: units.kind). */
export const UNIT_KINDS = ['commune', 'ward', 'police', 'social-insurance', 'department', 'province'] as const;

/** The engine's issues whose pointer lies under `prefix`, in the language shown. */
export function IssueNotes({ issues, prefix, id }: { issues: readonly DesignerIssue[]; prefix: string; id?: string }) {
  const { i18n } = useTranslation();
  const mine = issues.filter((i) => i.severity !== 'info' && (i.path === prefix || i.path.startsWith(`${prefix}/`)));
  if (mine.length === 0) return null;
  return (
    <div className="field-issues" id={id} role="alert">
      <ul>
        {mine.map((i, n) => (
          <li key={n} className={`field-error ${i.severity}`}>
            {i18n.language.startsWith('en') ? i.message.en : i.message.vi} <code>{i.path}</code>
          </li>
        ))}
      </ul>
    </div>
  );
}

/**
 * A JSON box applied while it parses: the text stays as typed (a half-typed rule is not lost),
 * a parse error is said at once, a valid rule goes to the definition, where the engine checks it.
 */
export function JsonField({ label, value, onChange, field, disabled, rows = 3 }: {
  label: string; value: unknown; onChange: (v: JsonLogicRule | undefined) => void; field?: string; disabled?: boolean; rows?: number;
}) {
  const { t } = useTranslation('designer');
  const shown = value === undefined ? '' : JSON.stringify(value);
  const [text, setText] = useState(shown);
  const [error, setError] = useState<string | null>(null);
  // Undo or another edit changes the value from outside: show it unless it is what we typed.
  useEffect(() => {
    try {
      if (JSON.stringify(text.trim() === '' ? undefined : JSON.parse(text)) === JSON.stringify(value)) return;
    } catch { /* a half-typed text: replace it with the value */ }
    setText(shown);
    setError(null);
    // eslint-disable-next-line react-hooks/exhaustive-deps -- only outside changes matter
  }, [shown]);
  const id = `json-${field ?? label}`.replace(/[^a-zA-Z0-9_-]/g, '-');
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <textarea id={id} className="code" rows={rows} data-field={field} value={text} disabled={disabled}
        aria-invalid={error !== null}
        onChange={(e) => {
          setText(e.target.value);
          if (e.target.value.trim() === '') {
            setError(null);
            onChange(undefined);
            return;
          }
          try {
            const v = JSON.parse(e.target.value) as JsonLogicRule;
            setError(null);
            onChange(v);
          } catch (err) {
            setError(t('guard.badJson', { error: err instanceof Error ? err.message : String(err) }));
          }
        }} />
      {error && <p className="field-error" role="alert">{error}</p>}
    </div>
  );
}

type UnitMode = 'receiving' | 'competent' | 'return' | 'named' | 'data';

/** A hand-off step's target: the linked procedure, its unit (fixed or from the data), the data sent and the answers mapped back. */
export function HandoffFields({ def, step, pointer, exec, readOnly, issues }: {
  def: ProcedureDefinition; step: StepDefinition; pointer: string; exec: Exec; readOnly: boolean; issues: readonly DesignerIssue[];
}) {
  const { t } = useTranslation('designer');
  const h: Handoff = step.handoff ?? { procedure: '', unit: 'competent' };
  const set = (patch: Partial<Handoff>, key: string) => exec({ type: 'step.update', id: step.id, patch: { handoff: { ...h, ...patch } } }, `${step.id}/handoff.${key}`);
  const u = h.unit;
  const mode: UnitMode = typeof u === 'string' ? u : 'expression' in u ? 'data' : 'named';
  const fromData = typeof u === 'object' && 'expression' in u ? u : null;
  const setMode = (m: string) => set({
    unit: m === 'data' ? { expression: { var: 'data.' }, kinds: ['commune', 'ward'] } : m === 'named' ? { unit: '' } : (m as UnitScope),
  }, 'unit');
  const outputs = Object.entries(h.outputs ?? {});
  return (
    <fieldset className="sub" data-field="handoff">
      <legend>{t('authoring.handoff')}</legend>
      <TextField label={t('authoring.handoffProcedure')} value={h.procedure} field="handoff.procedure" disabled={readOnly}
        onChange={(procedure) => set({ procedure }, 'procedure')} />
      <SelectField label={t('authoring.handoffUnit')} value={mode} field="handoff.unit" disabled={readOnly}
        options={(['competent', 'receiving', 'return', 'named', 'data'] as const).map((m) => ({ value: m, label: t(m === 'data' ? 'authoring.unitFromData' : `unit.${m}`) }))}
        onChange={setMode} />
      {typeof u === 'object' && 'unit' in u && (
        <TextField label={t('step.unitCode')} value={u.unit} disabled={readOnly} onChange={(unit) => set({ unit: { unit } }, 'unit.code')} />
      )}
      {fromData && (
        <>
          <JsonField label={t('authoring.unitExpression')} field="handoff.unit.expression" value={fromData.expression} disabled={readOnly}
            onChange={(expression) => set({ unit: { ...fromData, expression: expression ?? null } }, 'unit.expression')} />
          <p className="muted">{t('authoring.unitExpressionHint')}</p>
          <fieldset className="sub" data-field="handoff.unit.kinds">
            <legend>{t('authoring.unitKinds')}</legend>
            {UNIT_KINDS.map((k) => (
              <CheckField key={k} label={t(`authoring.kinds.${k}`)} checked={fromData.kinds?.includes(k) ?? false} disabled={readOnly}
                onChange={(on) => {
                  const kinds = on ? [...(fromData.kinds ?? []), k] : (fromData.kinds ?? []).filter((x) => x !== k);
                  const { kinds: _drop, ...rest } = fromData;
                  set({ unit: kinds.length ? { ...rest, kinds } : rest }, 'unit.kinds');
                }} />
            ))}
          </fieldset>
          <TextField label={t('authoring.unitLabel')} value={fromData.label?.vi ?? ''} disabled={readOnly}
            onChange={(vi) => { const { label: _l, ...rest } = fromData; set({ unit: vi ? { ...rest, label: { vi } } : rest }, 'unit.label'); }} />
        </>
      )}
      <IssueNotes issues={issues} prefix={`${pointer}/handoff/unit`} />
      <fieldset className="sub" data-field="handoff.outputs">
        <legend>{t('authoring.answers')}</legend>
        <p className="muted">{t('authoring.answersHint')}</p>
        {outputs.map(([field, name], n) => (
          <div key={n} className="row item">
            <input aria-label={t('authoring.answerField', { n: n + 1 })} value={field} size={12} disabled={readOnly}
              onChange={(e) => set({ outputs: Object.fromEntries(outputs.map(([f, o], i) => (i === n ? [e.target.value, o] : [f, o]))) }, `outputs${n}.field`)} />
            <span aria-hidden="true">←</span>
            <input aria-label={t('authoring.answerOutput', { n: n + 1 })} value={name} size={12} disabled={readOnly}
              onChange={(e) => set({ outputs: Object.fromEntries(outputs.map(([f, o], i) => (i === n ? [f, e.target.value] : [f, o]))) }, `outputs${n}.output`)} />
            <button type="button" className="icon" aria-label={t('authoring.removeAnswer', { n: n + 1 })} disabled={readOnly}
              onClick={() => { const rest = outputs.filter((_, i) => i !== n); set({ outputs: rest.length ? Object.fromEntries(rest) : undefined }, 'outputs.remove'); }}>×</button>
          </div>
        ))}
        <button type="button" disabled={readOnly} onClick={() => set({ outputs: { ...(h.outputs ?? {}), [`answer${outputs.length + 1}`]: '' } }, 'outputs.add')}>{t('authoring.addAnswer')}</button>
        <IssueNotes issues={issues} prefix={`${pointer}/handoff/outputs`} />
      </fieldset>
      <AnswerRoute def={def} step={step} exec={exec} readOnly={readOnly} />
      <IssueNotes issues={issues.filter((i) => !i.path.startsWith(`${pointer}/handoff/unit`) && !i.path.startsWith(`${pointer}/handoff/outputs`))} prefix={`${pointer}/handoff`} />
      <IssueNotes issues={issues.filter((i) => i.code === 'DEF_HANDOFF_NEEDS_SYSTEM_ACTION')} prefix={`${pointer}/actions`} />
    </fieldset>
  );
}

/**
 * Where the dossier goes when the linked unit answers: the target of the hand-off's system
 * action (an arrow drawn out of the step sets it too). A step that lost that action gets it back.
 */
function AnswerRoute({ def, step, exec, readOnly }: { def: ProcedureDefinition; step: StepDefinition; exec: Exec; readOnly: boolean }) {
  const { t } = useTranslation('designer');
  const answer = (step.actions ?? []).find((a) => (a.role ?? step.role) === 'system');
  if (!answer) {
    return (
      <div className="field">
        <p className="muted">{t('authoring.answerMissing')}</p>
        <button type="button" disabled={readOnly}
          onClick={() => exec({ type: 'step.update', id: step.id, patch: { actions: [...(step.actions ?? []), answerAction()] } }, `${step.id}/answer.add`)}>
          {t('authoring.answerAdd')}
        </button>
      </div>
    );
  }
  const target = typeof answer.target === 'string' ? answer.target : '';
  return (
    <>
      {/* Routes by condition (a list) are edited on the action itself; a single target here. */}
      {typeof answer.target !== 'object' && (
        <SelectField label={t('authoring.answerTarget')} value={target} field="handoff.answer" disabled={readOnly}
          options={[{ value: '', label: t('authoring.answerNoTarget') }, ...def.steps.filter((s) => s.id !== step.id).map((s) => ({ value: s.id, label: `${pick(s.name)} (${s.id})` }))]}
          onChange={(to) => exec({ type: 'action.update', step: step.id, action: answer.id, patch: { target: to || undefined } }, `${step.id}/answer.target`)} />
      )}
      {!answer.target && <p className="muted" role="note">{t('authoring.answerTargetHint')}</p>}
    </>
  );
}

/** A step SLA counted from one of its actions (the verification reply) rather than from entering it. */
export function SlaFromField({ step, exec, readOnly }: { step: StepDefinition; exec: Exec; readOnly: boolean }) {
  const { t } = useTranslation('designer');
  if (!step.sla) return null;
  const sla = step.sla;
  return (
    <SelectField label={t('authoring.slaFrom')} value={sla.from ?? ''} field="sla.from" disabled={readOnly}
      options={[{ value: '', label: t('authoring.slaFromEntry') }, ...(step.actions ?? []).map((a) => ({ value: a.id, label: `${pick(a.label)} (${a.id})` }))]}
      onChange={(from) => { const { from: _f, ...rest } = sla; exec({ type: 'step.update', id: step.id, patch: { sla: from ? { ...rest, from } : rest } }, `${step.id}/sla.from`); }} />
  );
}

/** Catalog-level authoring fields: internal flag, legal time by case, fee parameters, declared outputs. */
export function ProcedureAuthoring({ def, exec, readOnly, issues }: { def: ProcedureDefinition; exec: Exec; readOnly: boolean; issues: readonly DesignerIssue[] }) {
  const { t } = useTranslation('designer');
  const c = def.catalog;
  const cases = c.legalDeadline.cases ?? [];
  const setCases = (list: DeadlineCase[], key: string) => {
    const { cases: _drop, ...base } = c.legalDeadline;
    exec({ type: 'catalog.update', patch: { legalDeadline: list.length ? { ...base, cases: list } : base } }, `catalog/cases.${key}`);
  };
  const outputs = Object.entries(def.outputs ?? {});
  const setOutputs = (list: [string, ProcedureOutput][], key: string) =>
    exec({ type: 'definition.update', patch: { outputs: list.length ? Object.fromEntries(list) : undefined } }, `outputs/${key}`);
  return (
    <>
      <CheckField label={t('authoring.internal')} checked={c.internal ?? false} field="internal" disabled={readOnly}
        onChange={(on) => exec({ type: 'catalog.update', patch: { internal: on || undefined } }, 'catalog/internal')} />
      <fieldset className="sub" data-field="legalDeadline.cases">
        <legend>{t('authoring.cases')}</legend>
        <p className="muted">{t('authoring.casesHint')}</p>
        {cases.map((k, n) => (
          <div key={n} className="item">
            <JsonField label={t('authoring.caseWhen', { n: n + 1 })} field={`cases.${n}.when`} value={k.when} disabled={readOnly} rows={2}
              onChange={(when) => setCases(cases.map((x, i) => (i === n ? { ...x, when: when ?? true } : x)), `${n}.when`)} />
            <div className="row">
              {/* The case keeps its own unit: a case in hours stays in hours when its amount is edited. */}
              <input aria-label={t('authoring.caseAmount', { n: n + 1 })} type="number" min={0} step={caseUnit(k) === 'hours' ? 0.5 : 1} value={caseAmount(k)} style={{ width: 64 }} disabled={readOnly}
                onChange={(e) => setCases(cases.map((x, i) => (i === n ? setCaseTime(x, Number(e.target.value)) : x)), `${n}.time`)} />
              <select aria-label={t('authoring.caseUnit', { n: n + 1 })} value={caseUnit(k)} disabled={readOnly}
                onChange={(e) => setCases(cases.map((x, i) => (i === n ? setCaseTime(x, caseAmount(x), e.target.value === 'hours' ? 'hours' : 'days') : x)), `${n}.unit`)}>
                <option value="days">{t('duration.days')}</option>
                <option value="hours">{t('duration.hours')}</option>
              </select>
              <button type="button" className="icon" aria-label={t('authoring.removeCase', { n: n + 1 })} disabled={readOnly} onClick={() => setCases(cases.filter((_, i) => i !== n), 'remove')}>×</button>
            </div>
          </div>
        ))}
        <button type="button" disabled={readOnly} onClick={() => setCases([...cases, { when: { var: 'data.' }, days: (c.legalDeadline.days ?? 0) + 1 }], 'add')}>{t('authoring.addCase')}</button>
        <IssueNotes issues={issues} prefix="/catalog/legalDeadline" />
      </fieldset>
      <fieldset className="sub" data-field="fees.param">
        <legend>{t('authoring.feeParams')}</legend>
        {c.fees.length === 0 ? <p className="muted">{t('authoring.noFees')}</p> : c.fees.map((f, n) => (
          <div key={n}>
            <TextField label={t('authoring.feeParam', { name: pick(f.name) })} value={f.param ?? ''} disabled={readOnly} placeholder="fee.…"
              onChange={(param) => exec({ type: 'catalog.update', patch: { fees: c.fees.map((x, i) => { if (i !== n) return x; const { param: _p, ...rest } = x; return param ? { ...rest, param } : rest; }) } }, `catalog/fee${n}.param`)} />
            {/* A bad key (or one no scope sets yet, said at publishing) shows beside its field, not only in the issue list. */}
            <IssueNotes issues={issues} prefix={`/catalog/fees/${n}/param`} />
          </div>
        ))}
      </fieldset>
      <fieldset className="sub" data-field="outputs">
        <legend>{t('authoring.outputs')}</legend>
        <p className="muted">{t('authoring.outputsHint')}</p>
        {outputs.map(([name, o], n) => (
          <div key={n} className="item">
            <div className="row">
              <input aria-label={t('authoring.outputName', { n: n + 1 })} value={name} size={12} disabled={readOnly}
                onChange={(e) => setOutputs(outputs.map(([k, v], i) => (i === n ? [e.target.value, v] : [k, v])), `${n}.name`)} />
              <input aria-label={t('authoring.outputTitle', { n: n + 1 })} value={o.title.vi} disabled={readOnly}
                onChange={(e) => setOutputs(outputs.map(([k, v], i) => (i === n ? [k, { ...v, title: { ...v.title, vi: e.target.value } }] : [k, v])), `${n}.title`)} />
              <button type="button" className="icon" aria-label={t('authoring.removeOutput', { n: n + 1 })} disabled={readOnly} onClick={() => setOutputs(outputs.filter((_, i) => i !== n), 'remove')}>×</button>
            </div>
            <JsonField label={t('authoring.outputValue', { n: n + 1 })} field={`outputs.${n}.value`} value={o.value} disabled={readOnly} rows={1}
              onChange={(value) => setOutputs(outputs.map(([k, v], i) => (i === n ? [k, { ...v, value: value ?? null }] : [k, v])), `${n}.value`)} />
          </div>
        ))}
        <button type="button" disabled={readOnly} onClick={() => setOutputs([...outputs, [`output${outputs.length + 1}`, { title: { vi: 'Dữ liệu trả về' }, value: { var: 'data.' } }]], 'add')}>{t('authoring.addOutput')}</button>
        <IssueNotes issues={issues} prefix="/outputs" />
      </fieldset>
    </>
  );
}
