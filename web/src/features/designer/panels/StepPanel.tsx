/** Properties of one step: names, kind, role, unit, SLA, timer, form fields, documents, outcome, its actions. */
import { useTranslation } from 'react-i18next';
import type { Outcome, ProcedureDefinition, StepDefinition, StepKind, UnitScope } from '@motcua/engine';
import { currentLang, pick } from '../../../i18n';
import type { Command } from '../model/commands';
import { CheckField, CommitField, DurationField, SelectField, TextField } from './inputs';
import { FieldsEditor } from './FieldsEditor';
import { HandoffFields, SlaFromField } from './AuthoringFields';
import type { DesignerIssue } from '../model/check';
import { stepNameOf } from '../model/targets';

export const STEP_KINDS: StepKind[] = ['intake', 'task', 'approval', 'parallel', 'handoff', 'wait-citizen', 'payment', 'return-result', 'final'];
const OUTCOMES: Outcome[] = ['approved', 'rejected', 'refused', 'withdrawn', 'stopped'];

export type Exec = (command: Command, mergeKey?: string) => void;

export function roleOptions(def: ProcedureDefinition): { value: string; label: string }[] {
  return [
    ...def.roles.map((r) => ({ value: r.id, label: `${pick(r.name)} (${r.id})` })),
    { value: 'applicant', label: 'Người nộp hồ sơ (applicant)' },
    { value: 'system', label: 'Hệ thống (system)' },
  ];
}

export function StepPanel({ def, step, exec, readOnly, onSelectAction, issues = [] }: {
  def: ProcedureDefinition; step: StepDefinition; exec: Exec; readOnly: boolean; onSelectAction: (id: string) => void;
  /** The engine's live findings, shown beside the fields they point at. */
  issues?: readonly DesignerIssue[];
}) {
  const { t } = useTranslation('designer');
  const update = (patch: Partial<StepDefinition>, key: string) => exec({ type: 'step.update', id: step.id, patch }, `${step.id}/${key}`);
  const unitKind = typeof step.unit === 'object' ? 'named' : step.unit ?? '';
  const isFinal = step.kind === 'final';
  return (
    <div className="panel-body" aria-label={t('step.title', { name: pick(step.name) })}>
      <h2>{t('step.title', { name: pick(step.name) || step.id })}</h2>
      <CommitField label={t('step.id')} value={step.id} field="id" disabled={readOnly} hint={t('step.renameHint')}
        onCommit={(to) => exec({ type: 'step.rename', from: step.id, to })} />
      <TextField label={t('step.nameVi')} value={step.name.vi} field="name" disabled={readOnly} onChange={(vi) => update({ name: { ...step.name, vi } }, 'name.vi')} />
      <TextField label={t('step.nameEn')} value={step.name.en ?? ''} disabled={readOnly}
        onChange={(en) => update({ name: en ? { ...step.name, en } : { vi: step.name.vi } }, 'name.en')} />
      <SelectField label={t('step.kind')} value={step.kind} field="kind" disabled={readOnly}
        options={STEP_KINDS.map((k) => ({ value: k, label: t(`kind.${k}`) }))}
        onChange={(k) => update(k === 'final' ? { kind: 'final', outcome: step.outcome ?? 'approved', actions: undefined } : { kind: k as StepKind, outcome: undefined }, 'kind')} />
      {def.initial === step.id
        ? <p className="badge info">{t('step.isInitial')}</p>
        : !isFinal && <button type="button" disabled={readOnly} onClick={() => exec({ type: 'definition.update', patch: { initial: step.id } })}>{t('step.makeInitial')}</button>}
      {isFinal ? (
        <SelectField label={t('step.outcome')} value={step.outcome ?? ''} field="outcome" disabled={readOnly}
          options={[{ value: '', label: t('words.none') }, ...OUTCOMES.map((o) => ({ value: o, label: t(`outcome.${o}`) }))]}
          onChange={(o) => update({ outcome: (o || undefined) as Outcome | undefined }, 'outcome')} />
      ) : (
        <>
          <SelectField label={t('step.role')} value={step.role ?? ''} field="role" disabled={readOnly}
            options={[{ value: '', label: t('step.noRole') }, ...roleOptions(def)]}
            onChange={(role) => update({ role: role || undefined }, 'role')} />
          <div className="grid two tight">
            <SelectField label={t('step.unit')} value={unitKind} field="unit" disabled={readOnly}
              options={[{ value: '', label: t('words.none') }, ...(['receiving', 'competent', 'return', 'named'] as const).map((u) => ({ value: u, label: t(`unit.${u}`) }))]}
              onChange={(u) => update({ unit: u === '' ? undefined : u === 'named' ? { unit: '' } : (u as UnitScope) }, 'unit')} />
            {typeof step.unit === 'object' && (
              <TextField label={t('step.unitCode')} value={step.unit.unit} disabled={readOnly} onChange={(unit) => update({ unit: { unit } }, 'unit.code')} />
            )}
          </div>
          <fieldset className="sub" data-field="sla">
            <legend>{t('step.sla')}</legend>
            {/* The field edits days or hours only: an SLA counted from an action keeps its `from`. */}
            <DurationField amountLabel={t('step.slaAmount')} unitLabel={t('step.slaUnit')} value={step.sla} disabled={readOnly}
              onChange={(sla) => update({ sla: sla && step.sla?.from !== undefined ? { ...sla, from: step.sla.from } : sla }, 'sla')} />
            <SlaFromField step={step} exec={exec} readOnly={readOnly} />
          </fieldset>
          {step.kind === 'handoff' && (
            <HandoffFields def={def} step={step} pointer={`/steps/${def.steps.findIndex((s) => s.id === step.id)}`} exec={exec} readOnly={readOnly} issues={issues} />
          )}
          <fieldset className="sub" data-field="timeout">
            <legend>{t('step.timeout')}</legend>
            <DurationField amountLabel={t('step.timeoutAfter')} unitLabel={t('step.timeoutUnit')} value={step.timeout?.after} disabled={readOnly}
              onChange={(after) => update({ timeout: after ? { after, action: step.timeout?.action ?? step.actions?.[0]?.id ?? '' } : undefined }, 'timeout')} />
            {step.timeout && (
              <SelectField label={t('step.timeoutAction')} value={step.timeout.action} disabled={readOnly}
                options={[{ value: '', label: t('words.choose') }, ...(step.actions ?? []).map((a) => ({ value: a.id, label: `${pick(a.label)} (${a.id})` }))]}
                onChange={(action) => update({ timeout: { after: step.timeout!.after, action } }, 'timeout.action')} />
            )}
          </fieldset>
          <FieldsEditor label={t('step.form')} field="form" schema={step.form} disabled={readOnly} onChange={(form) => update({ form }, 'form')} />
          <fieldset className="sub" data-field="documents">
            <legend>{t('step.documents')}</legend>
            {def.catalog.documents.length === 0 ? <p className="muted">{t('step.noDocuments')}</p> : def.catalog.documents.map((d) => (
              <CheckField key={d.id} label={pick(d.name)} checked={step.documents?.includes(d.id) ?? false} disabled={readOnly}
                onChange={(on) => {
                  const documents = on ? [...(step.documents ?? []), d.id] : (step.documents ?? []).filter((x) => x !== d.id);
                  update({ documents: documents.length ? documents : undefined }, 'documents');
                }} />
            ))}
          </fieldset>
          {step.kind === 'parallel' && (
            <fieldset className="sub" data-field="branches">
              <legend>{t('step.branches')}</legend>
              <ul>{(step.branches ?? []).map((b) => <li key={b.id}><strong>{pick(b.name)}</strong>: {b.steps.map((s) => `${pick(s.name)} (${s.id})`).join(' → ')}</li>)}</ul>
              <SelectField label={t('step.next')} value={typeof step.next === 'string' ? step.next : ''} disabled={readOnly}
                options={[{ value: '', label: t('words.none') }, ...def.steps.filter((s) => s.id !== step.id).map((s) => ({ value: s.id, label: `${pick(s.name)} (${s.id})` }))]}
                onChange={(next) => update({ next: next || undefined }, 'next')} />
            </fieldset>
          )}
          {step.kind !== 'parallel' && (
            <fieldset className="sub" data-field="actions">
              <legend>{t('step.actions')}</legend>
              <ul className="plain">
                {(step.actions ?? []).map((a) => (
                  <li key={a.id}>
                    <button type="button" className="link" onClick={() => onSelectAction(a.id)} aria-label={t('action.selectAction', { name: pick(a.label) })}>
                      {pick(a.label)}
                    </button>{' '}
                    <small className="muted">→ {typeof a.target === 'string' ? stepNameOf(def.steps, a.target, currentLang()) : Array.isArray(a.target) ? a.target.map((r) => stepNameOf(def.steps, r.target, currentLang())).join(' | ') : '∅'}</small>
                  </li>
                ))}
              </ul>
            </fieldset>
          )}
        </>
      )}
    </div>
  );
}
