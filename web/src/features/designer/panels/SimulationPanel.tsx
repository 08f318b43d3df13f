/** Step through the draft with the engine in the browser: act as a role, take actions, move the simulated clock. */
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import Form from '@rjsf/core';
import { formValidator as validator } from '../../../validation/forms';
import type { RJSFSchema } from '@rjsf/utils';
import type { AvailableAction, ProcedureDefinition } from '@motcua/engine';
import { findStep } from '@motcua/engine/steps';
import { currentLang, pick } from '../../../i18n';
import { formatDateTime } from '../../../ui/format';
import { actionsFor, advance, describeLogEntry, firstOfficeMorning, roleName, rolesInPlay, sampleData, startSimulation, takeAction, type SimState } from '../model/simulation';
import { roleOptions } from './StepPanel';

export function SimulationPanel({ def, sim, setSim }: { def: ProcedureDefinition; sim: SimState | null; setSim: (s: SimState | null) => void }) {
  const { t } = useTranslation('designer');
  const { t: tc } = useTranslation('common');
  const [role, setRole] = useState(def.roles[0]?.id ?? 'desk');
  const [dataText, setDataText] = useState(() => JSON.stringify(sampleData(def.data), null, 2));
  const [error, setError] = useState<{ message: { vi: string; en?: string }; issues?: { path: string; message: { vi: string; en?: string } }[] } | null>(null);
  const [asking, setAsking] = useState<AvailableAction | null>(null);
  const offered = useMemo(() => (sim ? actionsFor(sim, role) : []), [sim, role]);
  const inPlay = useMemo(() => (sim ? rolesInPlay(sim, def.roles.map((r) => r.id)) : []), [sim, def.roles]);
  const words = { applicant: t('words.applicant'), system: t('words.system'), ended: t('sim.ended') };
  const stepName = (id: string) => {
    const step = findStep(def.steps, id);
    return step ? pick(step.name) : id;
  };

  const begin = () => {
    let data: { [k: string]: unknown };
    try {
      data = JSON.parse(dataText || '{}') as { [k: string]: unknown };
    } catch {
      setError({ message: { vi: t('sim.badData') } });
      return;
    }
    const r = startSimulation(def, firstOfficeMorning(new Date()), data);
    if (r.ok) { setSim(r.state); setError(null); } else setError(r.error);
  };
  const take = (a: AvailableAction, inputs: { [k: string]: unknown }) => {
    if (!sim) return;
    const r = takeAction(sim, role, a.step, a.action, inputs);
    if (r.ok) { setSim(r.state); setError(null); setAsking(null); } else setError(r.error);
  };

  return (
    <div className="panel-body">
      <h2>{t('sim.title')}</h2>
      {!sim && <p className="muted">{t('sim.notStarted')}</p>}
      {!sim && (
        <>
          <label htmlFor="sim-data">{t('sim.data')}</label>
          <textarea id="sim-data" className="code" rows={6} value={dataText} onChange={(e) => setDataText(e.target.value)} />
        </>
      )}
      <div className="row">
        <button type="button" className="primary" onClick={begin}>{sim ? t('sim.restart') : t('sim.start')}</button>
        {sim && <button type="button" onClick={() => { setSim(null); setAsking(null); }}>{t('sim.stop')}</button>}
      </div>
      {error && (
        <div className="error-box" role="alert">
          <strong>{pick(error.message)}</strong>
          {error.issues && error.issues.length > 0 && <ul>{error.issues.map((i, n) => <li key={n}><code>{i.path}</code> {pick(i.message)}</li>)}</ul>}
        </div>
      )}
      {sim && (
        <>
          <div className="sim-clock row">
            <span><strong>{t('sim.now')}:</strong> <span data-testid="sim-now">{formatDateTime(sim.now)}</span></span>
            <button type="button" onClick={() => setSim(advance(sim, 'hour'))}>{t('sim.plusHour')}</button>
            <button type="button" onClick={() => setSim(advance(sim, 'day'))}>{t('sim.plusDay')}</button>
          </div>
          <p>
            <strong>{t('sim.status')}:</strong>{' '}
            {sim.snapshot.status === 'done'
              ? t('sim.closed', { outcome: sim.snapshot.outcome ? t(`outcome.${sim.snapshot.outcome}`) : '' })
              : tc(`status.${sim.snapshot.status}`)}
          </p>
          {sim.snapshot.active.length > 0 && (
            <div>
              <strong>{t('sim.current')}:</strong>
              <ul className="plain">
                {sim.snapshot.active.map((a) => (
                  <li key={a.step}>{stepName(a.step)} <small className="muted">({a.step}){a.dueAt ? ` · ${t('sim.stepDue', { date: formatDateTime(a.dueAt) })}` : ''}</small></li>
                ))}
              </ul>
            </div>
          )}
          {sim.snapshot.clock.dueAt && <p><strong>{t('sim.due')}:</strong> {formatDateTime(sim.snapshot.clock.dueAt)}</p>}
          {sim.snapshot.clock.pausedAt && <p className="badge info">{t('sim.paused', { minutes: sim.snapshot.clock.remainingMinutes ?? 0 })}</p>}
          {sim.snapshot.clock.pausedMinutes > 0 && <p className="muted">{t('sim.pausedTotal', { minutes: sim.snapshot.clock.pausedMinutes })}</p>}
          <label htmlFor="sim-role"><strong>{t('sim.role')}</strong></label>{' '}
          <select id="sim-role" value={role} onChange={(e) => { setRole(e.target.value); setAsking(null); }}>
            {roleOptions(def).map((o) => <option key={o.value} value={o.value}>{o.label}</option>)}
          </select>
          {inPlay.length > 0 && <p className="muted">{t('sim.rolesInPlay', { roles: inPlay.map((r) => roleName(def, r, currentLang(), words)).join(', ') })}</p>}
          <h3>{t('sim.actions')}</h3>
          {offered.length === 0 ? <p className="muted">{t('sim.noActions')}</p> : (
            <div className="row">
              {offered.map((a) => (
                <button key={`${a.step}/${a.action}`} type="button" className={a.intent === 'proceed' ? 'primary' : ''}
                  onClick={() => (a.inputs ? setAsking(a) : take(a, {}))}>
                  {pick(a.label)}
                </button>
              ))}
            </div>
          )}
          {asking && asking.inputs && (
            <div className="card">
              <h3>{t('sim.inputs', { label: pick(asking.label) })}</h3>
              <Form schema={asking.inputs as RJSFSchema} validator={validator} onSubmit={({ formData }) => take(asking, (formData ?? {}) as { [k: string]: unknown })}>
                <div className="row">
                  <button type="submit" className="primary">{t('sim.take')}</button>
                  <button type="button" onClick={() => setAsking(null)}>{tc('action.cancel')}</button>
                </div>
              </Form>
            </div>
          )}
          {sim.log.length > 0 && (
            <>
              <h3>{t('sim.log')}</h3>
              <ol className="sim-log">
                {sim.log.map((l, n) => {
                  const line = describeLogEntry(def, l, currentLang(), words);
                  return <li key={n}><small>{formatDateTime(l.at)}</small> · {line.role}: {line.action} → {line.to}</li>;
                })}
              </ol>
            </>
          )}
        </>
      )}
    </div>
  );
}
