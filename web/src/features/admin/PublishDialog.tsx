/**
 * The one publish dialog (catalog screen and designer): what the draft changes against the
 * version in force, its metrics and findings, then the effective date; a date before today
 * asks for the backdating reason the server records.
 */
import { useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, unwrap, type Bilingual, type paths } from '../../api/client';
import { pick } from '../../i18n';
import { Badge, ErrorBox, Field, Loading, Modal } from '../../ui';
import { formatDateTime, formatNumber } from '../../ui/format';
import { fromLocalInput, isBackdated, toLocalInput } from './datetime';
import { idempotency } from './data';
import { issueAt, issuesByPath } from './issues';
import { fromWorkingDays, workingTimeText, workingTimeWords } from '../../ui/workingTime';

type Published = paths['/api/procedures/{id}/versions/{version}/publish']['post']['responses'][200]['content']['application/json'];
type Finding = { code?: string; path: string; severity?: string; message: Bilingual };

/** The metric fields this dialog shows (the OpenAPI types `metrics` loosely; the engine's DefinitionMetrics has them). */
interface Metrics {
  steps: number; actions: number; officerActions: number; handoffs: number;
  workingDays: number; legalDeadlineDays: number; citizen?: { trips: number; agencies: number };
}
interface StepRef { step: string; name: Bilingual | string | null }
interface Diff {
  unchanged: boolean;
  summary: Bilingual;
  steps: { added: StepRef[]; removed: StepRef[]; changed: { step: string }[] };
  actions: { added: unknown[]; removed: unknown[]; changed: unknown[] };
  catalog: { field: string }[];
  metrics: { before: Metrics; after: Metrics };
}

// Times are working days from the server (0.5 for 4 hours): shown as days and hours, not "0,5".
const ROWS: { key: string; get: (m: Metrics) => number | undefined; time?: true }[] = [
  { key: 'steps', get: (m) => m.steps },
  { key: 'actions', get: (m) => m.actions },
  { key: 'officerActions', get: (m) => m.officerActions },
  { key: 'handoffs', get: (m) => m.handoffs },
  { key: 'workingDays', get: (m) => m.workingDays, time: true },
  { key: 'legalDeadlineDays', get: (m) => m.legalDeadlineDays, time: true },
  { key: 'trips', get: (m) => m.citizen?.trips },
  { key: 'agencies', get: (m) => m.citizen?.agencies },
];

export function PublishDialog({ procedure, version, inForce, onClose, blocked = 0, beforePublish, onPublished }: {
  procedure: { id: string; name: string }; version: number; inForce: number | null; onClose: () => void;
  /** Errors the caller's live check still finds (the designer): publishing waits for them. */
  blocked?: number;
  /** Runs first, e.g. the designer saves unsaved edits. */
  beforePublish?: () => Promise<void>;
  onPublished?: (result: Published) => void;
}) {
  const { t } = useTranslation('admin');
  const queryClient = useQueryClient();
  const id = procedure.id;
  const [when, setWhen] = useState(() => toLocalInput(new Date()));
  const [reason, setReason] = useState('');
  const backdated = isBackdated(fromLocalInput(when), new Date());
  const metrics = useQuery({
    queryKey: ['procedures', 'admin-metrics', id, version],
    queryFn: () => unwrap(api.GET('/api/procedures/{id}/versions/{version}/metrics', { params: { path: { id, version } } })),
  });
  const diff = useQuery({
    queryKey: ['procedures', 'admin-diff', id, inForce, version],
    enabled: inForce !== null,
    // `diff` is loosely typed in the OpenAPI document; the engine's DefinitionDiff has this shape.
    queryFn: async () => (await unwrap(api.GET('/api/procedures/{id}/diff', { params: { path: { id }, query: { from: inForce ?? 0, to: version } } }))) as unknown as Diff,
  });
  const publish = useMutation({
    mutationFn: async () => {
      await beforePublish?.();
      const effectiveFrom = fromLocalInput(when);
      return unwrap(api.POST('/api/procedures/{id}/versions/{version}/publish', {
        params: { path: { id, version }, header: idempotency() },
        body: { ...(effectiveFrom ? { effectiveFrom } : {}), ...(backdated && reason.trim() ? { backdatingReason: reason.trim() } : {}) },
      }));
    },
    onSuccess: async (r) => {
      await queryClient.invalidateQueries({ queryKey: ['procedures'] });
      onPublished?.(r);
    },
  });
  const fieldIssues = issuesByPath(publish.error);
  const m = metrics.data?.metrics as unknown as Metrics | undefined;
  const findings = (metrics.data?.findings ?? []) as Finding[];
  const words = workingTimeWords(t, (n) => formatNumber(n, 2), t('publish.sameDay'));
  const cell = (r: (typeof ROWS)[number], v: number | undefined): string =>
    r.time && v !== undefined ? workingTimeText(fromWorkingDays(v), words) : formatNumber(v, 1);

  return (
    <Modal title={t('publish.title', { name: procedure.name, version })} open onClose={onClose} wide>
      {publish.data ? (
        <>
          <p className="notice" role="status">{t('publish.done', { version, date: formatDateTime(publish.data.effectiveFrom) })}</p>
          {publish.data.previous && <p>{t('publish.previousEnds', { version: publish.data.previous.version, date: formatDateTime(publish.data.previous.effectiveTo) })}</p>}
          <FindingList findings={publish.data.findings} />
          <div className="admin-buttons"><button type="button" className="primary" onClick={onClose}>{t('common:action.close')}</button></div>
        </>
      ) : (
        <>
          <div className="grid two">
            <section>
              <h3>{inForce === null ? t('publish.firstVersion') : t('publish.changes', { from: inForce, to: version })}</h3>
              {inForce !== null && (diff.isPending ? <Loading /> : diff.error ? <ErrorBox error={diff.error} /> : diff.data && (
                diff.data.unchanged ? <p>{t('publish.unchanged')}</p> : (
                  <>
                    <p><strong>{pick(diff.data.summary)}</strong></p>
                    <ul className="diff-list">
                      {diff.data.steps.added.map((s) => <li key={`a${s.step}`}>{t('publish.stepAdded', { step: pick(s.name) || s.step })}</li>)}
                      {diff.data.steps.removed.map((s) => <li key={`r${s.step}`}>{t('publish.stepRemoved', { step: pick(s.name) || s.step })}</li>)}
                      {diff.data.steps.changed.length > 0 && <li>{t('publish.stepsChanged', { count: diff.data.steps.changed.length })}</li>}
                      <li>{t('publish.actionsChanged', { added: diff.data.actions.added.length, removed: diff.data.actions.removed.length, changed: diff.data.actions.changed.length })}</li>
                      {diff.data.catalog.length > 0 && <li>{t('publish.catalogChanged', { fields: diff.data.catalog.map((c) => c.field).join(', ') })}</li>}
                    </ul>
                  </>
                )
              ))}
              {metrics.isPending ? <Loading /> : metrics.error ? <ErrorBox error={metrics.error} /> : m && (
                <table>
                  <caption className="sr-only">{t('publish.metrics')}</caption>
                  <thead><tr><th>{t('publish.metric')}</th>{diff.data && <th className="num">v{inForce}</th>}<th className="num">v{version}</th></tr></thead>
                  <tbody>
                    {ROWS.map((r) => (
                      <tr key={r.key}>
                        <td>{t(`metric.${r.key}`)}</td>
                        {diff.data && <td className="num">{cell(r, r.get(diff.data.metrics.before))}</td>}
                        <td className="num">{cell(r, r.get(m))}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              )}
            </section>
            <section>
              <h3>{t('publish.findings')}</h3>
              {metrics.data && (metrics.data.ok ? <Badge tone="ok">{t('publish.ok')}</Badge> : <Badge tone="bad">{t('publish.notOk')}</Badge>)}
              <FindingList findings={findings} />
              <Field label={t('publish.effectiveFrom')} hint={t('publish.effectiveHint')} error={issueAt(fieldIssues, '/effectiveFrom')}>
                {(fid) => <input id={fid} type="datetime-local" value={when} onChange={(e) => setWhen(e.target.value)} />}
              </Field>
              {backdated && (
                <Field label={t('publish.backdatingReason')} hint={t('publish.backdatingHint')}>
                  {(fid) => <textarea id={fid} value={reason} maxLength={500} rows={2} onChange={(e) => setReason(e.target.value)} required />}
                </Field>
              )}
              {blocked > 0 && <p className="field-error" role="alert">{t('publish.blocked', { count: blocked })}</p>}
              <ErrorBox error={publish.error} />
              <div className="admin-buttons">
                <button type="button" onClick={onClose}>{t('common:action.cancel')}</button>
                <button type="button" className="primary" disabled={publish.isPending || blocked > 0 || (backdated && !reason.trim())} onClick={() => publish.mutate()}>{t('publish.confirm', { version })}</button>
              </div>
            </section>
          </div>
        </>
      )}
    </Modal>
  );
}

function FindingList({ findings }: { findings: readonly Finding[] }) {
  const { t } = useTranslation('admin');
  if (findings.length === 0) return <p className="muted">{t('publish.noFindings')}</p>;
  return (
    <ul className="diff-list">
      {findings.map((f, i) => (
        <li key={i}>
          <Badge tone={f.severity === 'error' ? 'bad' : f.severity === 'warning' ? 'warn' : 'info'}>{t(`severity.${f.severity ?? 'info'}`, { defaultValue: f.severity ?? '' })}</Badge>{' '}
          {pick(f.message)} {f.path && <code className="muted">{f.path}</code>}
        </li>
      ))}
    </ul>
  );
}
