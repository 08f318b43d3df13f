/** The same action on many dossiers at once (a leader signing a batch); each dossier succeeds or fails on its own. */
import { useMemo, useRef, useState } from 'react';
import { useMutation, useQueries, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { Badge, ErrorBox, IssueList, Loading, Modal } from '../../ui';
import { currentLang, pick } from '../../i18n';
import { keys, postBulk, unwrapAs } from './api';
import { bulkRows, commonActions, intentClass, type CommonAction } from './logic';
import { itemFieldLabel, pruneEmpty } from './schemaForm';
import { SchemaForm } from './SchemaForm';
import { OfflineNotice } from './OfflineNotice';
import type { BulkResult, DossierView } from './types';

export function BulkDialog({ ids, onClose }: { ids: string[]; onClose: (done: boolean) => void }) {
  const { t } = useTranslation('desk');
  const queryClient = useQueryClient();
  const views = useQueries({
    queries: ids.map((id) => ({
      queryKey: keys.dossier(id),
      queryFn: () => unwrapAs<DossierView>(api.GET('/api/dossiers/{id}', { params: { path: { id } } })),
    })),
  });
  const loading = views.some((v) => v.isPending);
  const failed = views.find((v) => v.error)?.error;
  const dossiers = views.map((v) => v.data).filter((d): d is DossierView => d !== undefined);
  const options = useMemo(() => (loading ? [] : commonActions(dossiers)), [loading, dossiers]);
  // No action until the officer picks one: a batch is never run by a stray Enter.
  const [chosen, setChosen] = useState<string>('');
  const current = options.find((o) => o.key === chosen);
  const rows = bulkRows(dossiers, (n) => pick(n));
  const [inputs, setInputs] = useState<{ [k: string]: unknown }>({});
  // One key per confirmed submission: a retry after a network error is not applied twice.
  const idem = useRef<string | null>(null);

  const run = useMutation({
    // The action goes with the values: the answer is read with its form (the field titles) after
    // the dossiers, reloaded, no longer offer it.
    mutationFn: ({ values, action }: { values: { [k: string]: unknown }; action: CommonAction }) => {
      idem.current ??= crypto.randomUUID();
      const cleaned = pruneEmpty(values) as { [k: string]: unknown };
      return postBulk(action.items.map((i) => ({ id: i.id, step: i.step, action: action.action.action, inputs: cleaned, expectedVersion: i.expectedVersion })), idem.current);
    },
    onSettled: async () => {
      idem.current = null;
      await queryClient.invalidateQueries({ queryKey: ['dossiers'] });
      await Promise.all(ids.map((id) => queryClient.invalidateQueries({ queryKey: ['dossier', id] })));
    },
  });
  const result: BulkResult | undefined = run.data;
  const labelOf = (path: string | undefined) => itemFieldLabel(run.variables?.action.action.inputs, path, currentLang());

  return (
    <Modal title={t('bulk.title', { count: ids.length })} open onClose={() => onClose(result !== undefined)} wide>
      {loading ? <p role="status">{t('bulk.loading')}</p> : null}
      <ErrorBox error={failed} />
      {!loading && !result && dossiers.length > 0 && (
        <table className="bulk-list">
          <caption className="sr-only">{t('bulk.listed')}</caption>
          <thead><tr><th>{t('inbox.col.code')}</th><th>{t('inbox.col.applicant')}</th><th>{t('inbox.col.step')}</th></tr></thead>
          <tbody>
            {rows.map((r) => <tr key={r.id}><td>{r.id}</td><td>{r.applicant}</td><td>{r.steps}</td></tr>)}
          </tbody>
        </table>
      )}
      {!loading && !result && (options.length === 0 ? <p>{t('bulk.none')}</p> : (
        <>
          <label className="field bulk-choice">
            <span>{t('bulk.choose')}</span>
            <select value={chosen} onChange={(e) => { setChosen(e.target.value); setInputs({}); }}>
              <option value="">{t('bulk.pick')}</option>
              {options.map((o) => <option key={o.key} value={o.key}>{pick(o.action.label)}</option>)}
            </select>
          </label>
          <SchemaForm
            schema={current?.action.inputs ?? { type: 'object', properties: {} }}
            formData={inputs}
            onChange={setInputs}
            onSubmit={(values) => { if (current) run.mutate({ values, action: current }); }}
            idPrefix="bulk"
            disabled={run.isPending}
          >
            <div className="row form-buttons">
              <button type="submit" className={current ? intentClass(current.action.intent) : ''} disabled={run.isPending || !current}>
                {t('bulk.run', { count: dossiers.length })}
              </button>
              <button type="button" onClick={() => onClose(false)}>{t('common:action.cancel')}</button>
            </div>
          </SchemaForm>
          <ErrorBox error={run.error} labelOf={labelOf} />
        </>
      ))}
      <OfflineNotice paused={run.isPaused} />
      {run.isPending && !run.isPaused && <Loading />}
      {result && (
        <>
          <p role="status"><strong>{t('bulk.result', { ok: result.succeeded, failed: result.failed })}</strong></p>
          <table>
            <thead><tr><th>{t('inbox.col.code')}</th><th>{t('dossier.status')}</th><th>{t('dossier.inputs')}</th></tr></thead>
            <tbody>
              {result.results.map((r) => (
                <tr key={r.id}>
                  <td>{r.id}</td>
                  <td>{r.ok ? <Badge tone="ok">{t('bulk.ok')}</Badge> : <Badge tone="bad">{t('bulk.failed')}</Badge>}</td>
                  <td>
                    {r.error ? pick(r.error.message) : ''}
                    {/* The item's own issues (which input, why), at /items/<n>/inputs/… of the body sent. */}
                    {r.error?.issues && <IssueList issues={r.error.issues} labelOf={labelOf} />}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <div className="row form-buttons">
            <button type="button" className="primary" onClick={() => onClose(true)}>{t('common:action.close')}</button>
          </div>
        </>
      )}
    </Modal>
  );
}
