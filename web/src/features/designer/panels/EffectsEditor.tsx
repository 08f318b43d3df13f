/** The effects of an action: a list, each with the fields its type needs. */
import { useTranslation } from 'react-i18next';
import type { EffectSpec, Outcome, ProcedureDefinition, SlipKind, UnitScope } from '@motcua/engine';

const TYPES: EffectSpec['type'][] = ['issueSlip', 'assign', 'notify', 'spawn', 'setOutcome', 'set', 'extendDeadline', 'grantExtraTime', 'requestPayment', 'returnResult', 'signResult'];
const SLIPS: SlipKind[] = ['receipt', 'supplement-request', 'refusal', 'apology', 'control', 'stop-notice', 'extra-time-notice'];
const OUTCOMES: Outcome[] = ['approved', 'rejected', 'refused', 'withdrawn', 'stopped'];
const SCOPES = ['receiving', 'competent', 'return'] as const;

/** A fresh effect of a type, with the fields it must have. */
export function blankEffect(type: EffectSpec['type'], def: ProcedureDefinition): EffectSpec {
  const role = def.roles[0]?.id ?? 'desk';
  switch (type) {
    case 'issueSlip': return { type, slip: 'receipt' };
    case 'assign': return { type, role };
    case 'notify': return { type, to: 'applicant', template: 'notice' };
    case 'spawn': return { type, procedure: '', unit: 'competent', key: 'linked' };
    case 'setOutcome': return { type, outcome: 'approved' };
    case 'set': return { type, path: 'data.field', value: true };
    case 'extendDeadline': return { type };
    case 'grantExtraTime': return { type };
    case 'requestPayment': return { type };
    case 'returnResult': return { type };
    case 'signResult': return { type };
  }
}

export function EffectsEditor({ label, effects, onChange, def, disabled }: {
  label: string; effects: EffectSpec[]; onChange: (e: EffectSpec[] | undefined) => void; def: ProcedureDefinition; disabled?: boolean;
}) {
  const { t } = useTranslation('designer');
  const set = (n: number, e: EffectSpec) => onChange(effects.map((x, i) => (i === n ? e : x)));
  const roles = def.roles.map((r) => r.id);
  const scopeSelect = (n: number, value: UnitScope | undefined, apply: (u: UnitScope) => void) => (
    <label>{t('effect.unit')}
      <select value={typeof value === 'object' ? 'receiving' : value ?? 'competent'} disabled={disabled}
        aria-label={`${t('effect.n', { n: n + 1 })}: ${t('effect.unit')}`}
        onChange={(e) => apply(e.target.value as UnitScope)}>
        {SCOPES.map((s) => <option key={s} value={s}>{t(`unit.${s}`)}</option>)}
      </select>
    </label>
  );
  return (
    <fieldset className="sub" data-field="effects">
      <legend>{label}</legend>
      <ol className="effects">
        {effects.map((e, n) => {
          const name = t('effect.n', { n: n + 1 });
          return (
            <li key={n}>
              <div className="row">
                <select aria-label={`${name}: ${t('effect.type')}`} value={e.type} disabled={disabled} onChange={(ev) => set(n, blankEffect(ev.target.value as EffectSpec['type'], def))}>
                  {TYPES.map((ty) => <option key={ty} value={ty}>{t(`effect.types.${ty}`)}</option>)}
                </select>
                <button type="button" className="icon" disabled={disabled} aria-label={t('effect.remove', { n: n + 1 })}
                  onClick={() => { const next = effects.filter((_, i) => i !== n); onChange(next.length ? next : undefined); }}>×</button>
              </div>
              <div className="row">
                {e.type === 'issueSlip' && (
                  <select aria-label={`${name}: ${t('effect.slip')}`} value={e.slip} disabled={disabled} onChange={(ev) => set(n, { ...e, slip: ev.target.value as SlipKind })}>
                    {SLIPS.map((s) => <option key={s} value={s}>{t(`effect.slips.${s}`)}</option>)}
                  </select>
                )}
                {e.type === 'assign' && (
                  <>
                    <select aria-label={`${name}: ${t('effect.role')}`} value={e.role} disabled={disabled} onChange={(ev) => set(n, { ...e, role: ev.target.value })}>
                      {roles.map((r) => <option key={r} value={r}>{r}</option>)}
                    </select>
                    {scopeSelect(n, e.unit, (u) => set(n, { ...e, unit: u }))}
                  </>
                )}
                {e.type === 'notify' && (
                  <>
                    <select aria-label={`${name}: ${t('effect.to')}`} value={e.to === 'applicant' ? 'applicant' : e.to.role} disabled={disabled}
                      onChange={(ev) => set(n, { ...e, to: ev.target.value === 'applicant' ? 'applicant' : { role: ev.target.value } })}>
                      <option value="applicant">{t('effect.applicant')}</option>
                      {roles.map((r) => <option key={r} value={r}>{r}</option>)}
                    </select>
                    <input aria-label={`${name}: ${t('effect.template')}`} value={e.template} disabled={disabled} onChange={(ev) => set(n, { ...e, template: ev.target.value })} />
                  </>
                )}
                {e.type === 'spawn' && (
                  <>
                    <input aria-label={`${name}: ${t('effect.procedure')}`} placeholder={t('effect.procedure')} value={e.procedure} disabled={disabled} onChange={(ev) => set(n, { ...e, procedure: ev.target.value })} />
                    <input aria-label={`${name}: ${t('effect.key')}`} placeholder={t('effect.key')} value={e.key} disabled={disabled} onChange={(ev) => set(n, { ...e, key: ev.target.value })} />
                    {scopeSelect(n, e.unit, (u) => set(n, { ...e, unit: u }))}
                  </>
                )}
                {e.type === 'setOutcome' && (
                  <select aria-label={`${name}: ${t('effect.outcome')}`} value={e.outcome} disabled={disabled} onChange={(ev) => set(n, { ...e, outcome: ev.target.value as Outcome })}>
                    {OUTCOMES.map((o) => <option key={o} value={o}>{t(`outcome.${o}`)}</option>)}
                  </select>
                )}
                {e.type === 'set' && (
                  <>
                    <input aria-label={`${name}: ${t('effect.path')}`} value={e.path} disabled={disabled} onChange={(ev) => set(n, { ...e, path: ev.target.value })} />
                    <input aria-label={`${name}: ${t('effect.value')}`} defaultValue={JSON.stringify(e.value)} disabled={disabled}
                      onBlur={(ev) => { try { set(n, { ...e, value: JSON.parse(ev.target.value) as never }); } catch { ev.target.value = JSON.stringify(e.value); } }} />
                  </>
                )}
                {e.type === 'signResult' && (
                  <>
                    <label className="check">
                      <input type="checkbox" checked={e.seal !== false} disabled={disabled}
                        onChange={(ev) => set(n, ev.target.checked ? (({ seal: _seal, ...rest }) => rest)(e) : { ...e, seal: false })} /> {t('effect.seal')}
                    </label>
                    {/* Kept in the citizen's data store as this paper type: a later checklist item of the type reuses the signed result. */}
                    <input aria-label={`${name}: ${t('effect.paperType')}`} placeholder={t('effect.paperType')} value={e.paperType ?? ''} disabled={disabled}
                      onChange={(ev) => set(n, ev.target.value ? { ...e, paperType: ev.target.value } : (({ paperType: _p, ...rest }) => rest)(e))} />
                  </>
                )}
                {e.type === 'requestPayment' && def.catalog.fees.length > 0 && (
                  <fieldset className="inline">
                    <legend>{t('effect.fees')}</legend>
                    {def.catalog.fees.map((f) => (
                      <label key={f.id} className="check">
                        <input type="checkbox" checked={e.fees?.includes(f.id) ?? false} disabled={disabled}
                          onChange={(ev) => {
                            const fees = ev.target.checked ? [...(e.fees ?? []), f.id] : (e.fees ?? []).filter((x) => x !== f.id);
                            set(n, fees.length ? { ...e, fees } : { type: 'requestPayment' });
                          }} /> {f.name.vi}
                      </label>
                    ))}
                  </fieldset>
                )}
              </div>
            </li>
          );
        })}
      </ol>
      <button type="button" disabled={disabled} onClick={() => onChange([...effects, blankEffect('notify', def)])}>{t('effect.add')}</button>
    </fieldset>
  );
}
