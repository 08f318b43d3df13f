/**
 * "Migrate open dossiers" (catalog screen and the designer's diff view): a plan that maps each
 * step of the old version to one of the new (pre-filled by step id) or keeps dossiers there on
 * the old version; a dry run that lists every open dossier and its fate; the move, confirmed
 * with the number the dry run announced (the server refuses when it changed). docs/migration.md.
 */
import { useMemo, useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { allSteps, type ProcedureDefinition, type StepDefinition } from '@motcua/engine';
import { api, unwrap, type paths } from '../../api/client';
import { pick } from '../../i18n';
import { Badge, ErrorBox, Loading, Modal } from '../../ui';

type DryRun = paths['/api/procedures/{id}/migrations/dry-run']['post']['responses'][200]['content']['application/json'];
type Applied = paths['/api/procedures/{id}/migrations']['post']['responses'][200]['content']['application/json'];
type Plan = paths['/api/procedures/{id}/migrations/dry-run']['post']['requestBody']['content']['application/json'];

/** Choice for a step: a new step id, STAY (null in the plan) or NONE (left out: the same id if there is one). */
const STAY = '__stay';
const NONE = '';

/** Steps of a version a dossier can be at: every step but the top-level final ones. */
function placesOf(def: ProcedureDefinition): StepDefinition[] {
  const top = new Set(def.steps.filter((s) => s.kind === 'final').map((s) => s.id));
  return allSteps(def.steps).filter((s) => !top.has(s.id));
}

/** The obvious plan: each old step to the new step of the same id, else nothing chosen yet. */
export function prefill(from: ProcedureDefinition, to: ProcedureDefinition): { [step: string]: string } {
  const ids = new Set(allSteps(to.steps).map((s) => s.id));
  return Object.fromEntries(placesOf(from).map((s) => [s.id, ids.has(s.id) ? s.id : NONE]));
}

function planOf(from: number, to: number, choices: { [step: string]: string }, data: { [key: string]: unknown } | undefined): Plan {
  const steps: { [step: string]: string | null } = {};
  for (const [k, v] of Object.entries(choices)) if (v === STAY) steps[k] = null; else if (v !== NONE && v !== k) steps[k] = v;
  return { from, to, steps, ...(data ? { data } : {}) };
}

const fateTone = (f: string) => (f === 'moved' || f === 'moves' ? 'ok' : f === 'stays' ? 'info' : 'bad') as 'ok' | 'info' | 'bad';

export function MigrateDialog({ procedureId, from, to, onClose, beforeRun }: {
  procedureId: string; from: number; to: number; onClose: () => void;
  /** Runs before each request, e.g. the designer saves its draft. */
  beforeRun?: () => Promise<void>;
}) {
  const { t } = useTranslation('admin');
  const queryClient = useQueryClient();
  const version = (v: number) => ({
    queryKey: ['procedures', 'version', procedureId, v],
    queryFn: () => unwrap(api.GET('/api/procedures/{id}/versions/{version}', { params: { path: { id: procedureId, version: v } } })),
  });
  const oldV = useQuery(version(from));
  const newV = useQuery(version(to));
  const oldDef = oldV.data?.definition as ProcedureDefinition | undefined;
  const newDef = newV.data?.definition as ProcedureDefinition | undefined;
  const [edited, setEdited] = useState<{ [step: string]: string }>({});
  const [dataText, setDataText] = useState('');
  const [confirming, setConfirming] = useState(false);
  const choices = useMemo(() => ({ ...(oldDef && newDef ? prefill(oldDef, newDef) : {}), ...edited }), [oldDef, newDef, edited]);
  const parsedData = useMemo((): { ok: true; value: { [k: string]: unknown } | undefined } | { ok: false } => {
    if (dataText.trim() === '') return { ok: true, value: undefined };
    try {
      const v = JSON.parse(dataText) as unknown;
      return v !== null && typeof v === 'object' && !Array.isArray(v) ? { ok: true, value: v as { [k: string]: unknown } } : { ok: false };
    } catch {
      return { ok: false };
    }
  }, [dataText]);
  const plan = parsedData.ok ? planOf(from, to, choices, parsedData.value) : null;

  const dry = useMutation({
    mutationFn: async (): Promise<DryRun> => {
      await beforeRun?.();
      return unwrap(api.POST('/api/procedures/{id}/migrations/dry-run', { params: { path: { id: procedureId } }, body: plan! }));
    },
  });
  const run = useMutation({
    mutationFn: async (): Promise<Applied> => unwrap(api.POST('/api/procedures/{id}/migrations', {
      params: { path: { id: procedureId } }, body: { ...plan!, expect: { moves: dry.data!.counts.moves } },
    })),
    onSuccess: () => {
      setConfirming(false);
      void queryClient.invalidateQueries({ queryKey: ['procedures'] });
    },
  });
  const result: DryRun | Applied | undefined = run.data ?? dry.data;
  const stepName = (def: ProcedureDefinition | undefined, id: string) => {
    const s = def ? allSteps(def.steps).find((x) => x.id === id) : undefined;
    return s ? `${pick(s.name)} (${id})` : id;
  };

  return (
    <Modal title={t('migrate.title', { from, to })} open onClose={onClose} wide>
      {(oldV.isPending || newV.isPending) && <Loading />}
      <ErrorBox error={oldV.error ?? newV.error} />
      {oldDef && newDef && (
        <div data-testid="migrate-dialog">
          <p>{t('migrate.intro', { from, to })}</p>
          <p className="muted">{t('migrate.legal')}</p>
          <table className="compact" aria-label={t('migrate.planCaption')}>
            <thead><tr><th>{t('migrate.oldStep', { version: from })}</th><th>{t('migrate.newStep', { version: to })}</th></tr></thead>
            <tbody>
              {placesOf(oldDef).map((s) => (
                <tr key={s.id}>
                  <th scope="row">{pick(s.name)} <code className="muted">{s.id}</code></th>
                  <td>
                    <select
                      aria-label={t('migrate.targetOf', { step: pick(s.name) })} data-step={s.id} value={choices[s.id] ?? NONE}
                      onChange={(e) => { setEdited({ ...edited, [s.id]: e.target.value }); dry.reset(); run.reset(); }}
                    >
                      <option value={NONE}>{t('migrate.unmapped')}</option>
                      <option value={STAY}>{t('migrate.stay', { version: from })}</option>
                      {allSteps(newDef.steps).map((n) => <option key={n.id} value={n.id}>{pick(n.name)} ({n.id})</option>)}
                    </select>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <label style={{ display: 'block', marginTop: 8 }}>
            {t('migrate.data')}
            <textarea rows={2} value={dataText} onChange={(e) => { setDataText(e.target.value); dry.reset(); }} placeholder='{"field": "value"}' style={{ width: '100%' }} />
          </label>
          {!parsedData.ok && <p role="alert" className="error">{t('migrate.dataInvalid')}</p>}
          <div className="admin-buttons">
            <button type="button" onClick={onClose}>{t('migrate.close')}</button>
            <button type="button" disabled={!plan || dry.isPending} onClick={() => { run.reset(); dry.mutate(); }}>{t('migrate.dryRun')}</button>
            <button type="button" className="primary" disabled={!dry.data || dry.data.counts.moves === 0 || run.isSuccess} onClick={() => setConfirming(true)}>
              {t('migrate.apply')}
            </button>
          </div>
          <ErrorBox error={dry.error ?? (confirming ? null : run.error)} />
          {result && (
            <section aria-label={t('migrate.resultCaption')} data-testid="migrate-result">
              {run.data && <p role="status"><strong>{t('migrate.moved', { count: run.data.moved, batches: run.data.batches })}</strong></p>}
              <p data-testid="migrate-counts">{t('migrate.counts', result.counts)}</p>
              {result.issues.length > 0 && (
                <ul className="diff-list">{result.issues.map((i) => <li key={`${i.path}${i.code}`}><code>{i.path || '/'}</code> {pick(i.message)}</li>)}</ul>
              )}
              <table className="compact">
                <thead><tr><th>{t('migrate.dossier')}</th><th>{t('migrate.applicant')}</th><th>{t('migrate.at')}</th><th>{t('migrate.fate')}</th></tr></thead>
                <tbody>
                  {result.dossiers.map((d) => (
                    <tr key={d.id} data-testid="migrate-row" data-fate={d.fate}>
                      <td><code>{d.id}</code></td>
                      <td>{d.applicantName}</td>
                      <td>{d.steps.map((s) => stepName(oldDef, s)).join(', ')}</td>
                      <td>
                        <Badge tone={fateTone(d.fate)}>{t(`migrate.fates.${d.fate}`)}</Badge>
                        {d.moves && <div className="muted">{d.moves.map((m) => `${m.from} → ${m.to}`).join(', ')}</div>}
                        {d.reasons?.map((r, i) => <div key={i}>{pick(r.message)}</div>)}
                        {d.notes?.map((n, i) => <div key={i} className="muted">{pick(n)}</div>)}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </section>
          )}
        </div>
      )}
      {confirming && dry.data && (
        <Modal title={t('migrate.confirmTitle', { count: dry.data.counts.moves, to })} open onClose={() => setConfirming(false)}>
          <p>{t('migrate.confirmText', { count: dry.data.counts.moves, from, to, left: dry.data.counts.stays + dry.data.counts.cannot })}</p>
          <ErrorBox error={run.error} />
          <div className="admin-buttons">
            <button type="button" onClick={() => setConfirming(false)}>{t('migrate.cancel')}</button>
            <button type="button" className="primary" disabled={run.isPending} onClick={() => run.mutate()}>{t('migrate.confirm', { count: dry.data.counts.moves })}</button>
          </div>
        </Modal>
      )}
    </Modal>
  );
}
