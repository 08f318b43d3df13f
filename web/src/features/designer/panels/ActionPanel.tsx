/** Properties of one action: id, labels, target (or conditional routes), role, intent, condition, inputs, effects. */
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import type { Field as QbField } from 'react-querybuilder';
import type { ActionDefinition, ActionIntent, JsonSchema, ProcedureDefinition, RouteBranch } from '@motcua/engine';
import { pick } from '../../../i18n';
import { conditionText } from '../model/targets';
import { CheckField, CommitField, SelectField, TextField } from './inputs';
import { EffectsEditor } from './EffectsEditor';
import { FieldsEditor } from './FieldsEditor';
import { GuardEditor } from './GuardEditor';
import { roleOptions, type Exec } from './StepPanel';

const INTENTS: ActionIntent[] = ['proceed', 'rework', 'supplement', 'refuse', 'withdraw', 'extend', 'extra-time', 'stop'];

type Obj = { [k: string]: unknown };
const propsOf = (schema: JsonSchema | undefined): Obj => (schema && typeof schema === 'object' && typeof schema.properties === 'object' && schema.properties !== null
  ? schema.properties as Obj : {});

/** Fields the condition builder offers: dossier data, this action's inputs, dossier facts. */
function guardFields(def: ProcedureDefinition, action: ActionDefinition): QbField[] {
  const field = (prefix: string, key: string, p: unknown): QbField => {
    const title = p && typeof p === 'object' && typeof (p as Obj).title === 'string' ? (p as Obj).title as string : key;
    const type = p && typeof p === 'object' ? (p as Obj).type : undefined;
    return { name: `${prefix}.${key}`, label: `${prefix}.${key} – ${title}`, ...(type === 'number' || type === 'integer' ? { inputType: 'number' } : {}),
      ...(type === 'boolean' ? { valueEditorType: 'checkbox' as const } : {}) };
  };
  return [
    ...Object.entries(propsOf(def.data)).map(([k, p]) => field('data', k, p)),
    ...Object.entries(propsOf(action.inputs)).map(([k, p]) => field('inputs', k, p)),
    { name: 'dossier.channel', label: 'dossier.channel' },
    { name: 'dossier.nonGeographic', label: 'dossier.nonGeographic', valueEditorType: 'checkbox' },
    { name: 'dossier.supplementRounds', label: 'dossier.supplementRounds', inputType: 'number' },
    { name: 'dossier.extensions', label: 'dossier.extensions', inputType: 'number' },
  ];
}

export function ActionPanel({ def, step, action, exec, readOnly, onSelectStep }: {
  def: ProcedureDefinition; step: string | null; action: ActionDefinition; exec: Exec; readOnly: boolean; onSelectStep: (id: string) => void;
}) {
  const { t } = useTranslation('designer');
  const owner = step === null ? null : def.steps.find((s) => s.id === step) ?? null;
  const update = (patch: Partial<ActionDefinition>, key: string) =>
    exec({ type: 'action.update', step, action: action.id, patch }, `${step ?? '*'}/${action.id}/${key}`);
  const stepOptions = def.steps.map((s) => ({ value: s.id, label: `${pick(s.name)} (${s.id})` }));
  const fields = useMemo(() => guardFields(def, action), [def, action]);
  const words = { otherwise: t('words.otherwise'), generic: t('words.generic'), not: t('words.not') };
  const routes: RouteBranch[] | null = Array.isArray(action.target) ? action.target : null;
  const ownerRole = owner?.role ? def.roles.find((r) => r.id === owner.role) : undefined;
  return (
    <div className="panel-body">
      <h2>{t('action.title', { name: pick(action.label) || action.id })}</h2>
      <p className="muted">
        {owner ? <>{t('action.step')}: <button type="button" className="link" onClick={() => onSelectStep(owner.id)}>{pick(owner.name)}</button></> : t('action.global')}
      </p>
      <CommitField label={t('action.id')} value={action.id} field="id" disabled={readOnly}
        onCommit={(to) => exec({ type: 'action.rename', step, from: action.id, to })} />
      <TextField label={t('action.labelVi')} value={action.label.vi} field="label" disabled={readOnly}
        onChange={(vi) => update({ label: { ...action.label, vi } }, 'label.vi')} />
      <TextField label={t('action.labelEn')} value={action.label.en ?? ''} disabled={readOnly}
        onChange={(en) => update({ label: en ? { ...action.label, en } : { vi: action.label.vi } }, 'label.en')} />
      {routes ? (
        <fieldset className="sub" data-field="target">
          <legend>{t('action.routes')}</legend>
          {routes.map((r, n) => (
            <div key={n} className="route">
              <span className="muted">{t('action.route', { n: n + 1 })}: {conditionText(r.when, words)}</span>
              <SelectField label={t('action.routeTarget', { n: n + 1 })} value={r.target} disabled={readOnly} options={stepOptions}
                onChange={(target) => exec({ type: 'edge.retarget', edge: { kind: 'action', step, action: action.id, route: n }, target })} />
            </div>
          ))}
        </fieldset>
      ) : (
        <SelectField label={t('action.target')} value={typeof action.target === 'string' ? action.target : ''} field="target" disabled={readOnly}
          options={[{ value: '', label: t('action.stay') }, ...stepOptions]}
          onChange={(target) => update({ target: target || undefined }, 'target')} />
      )}
      <SelectField label={t('action.role')} value={action.role ?? ''} field="role" disabled={readOnly}
        options={[{ value: '', label: t('action.roleDefault', { role: ownerRole ? pick(ownerRole.name) : owner?.role ?? '—' }) }, ...roleOptions(def)]}
        onChange={(role) => update({ role: role || undefined }, 'role')} />
      <SelectField label={t('action.intent')} value={action.intent ?? ''} field="intent" disabled={readOnly}
        options={[{ value: '', label: t('words.none') }, ...INTENTS.map((i) => ({ value: i, label: t(`intent.${i}`) }))]}
        onChange={(intent) => update({ intent: (intent || undefined) as ActionIntent | undefined }, 'intent')} />
      <GuardEditor key={`${step}/${action.id}`} label={t('action.guard')} value={action.guard} fields={fields} disabled={readOnly}
        onChange={(guard) => update({ guard }, 'guard')} />
      <FieldsEditor label={t('action.inputs')} field="inputs" schema={action.inputs} disabled={readOnly} onChange={(inputs) => update({ inputs }, 'inputs')} />
      {action.inputs !== undefined && (
        <CheckField label={t('action.mergeInputs')} checked={action.mergeInputs !== false} disabled={readOnly}
          onChange={(on) => update({ mergeInputs: on ? undefined : false }, 'mergeInputs')} />
      )}
      <EffectsEditor label={t('action.effects')} effects={action.effects ?? []} def={def} disabled={readOnly}
        onChange={(effects) => update({ effects }, 'effects')} />
    </div>
  );
}
