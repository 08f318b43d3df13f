/** Metrics of the draft (engine, in the browser) and what changed against the version in force. */
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { diff, type AnalysisReport, type ProcedureDefinition } from '@motcua/engine';
import { currentLang, pick } from '../../../i18n';
import { formatNumber } from '../../../ui/format';
import { workingTimeText, workingTimeWords } from '../../../ui/workingTime';
import { stepNameOf } from '../model/targets';

export function MetricsPanel({ def, analysis, base, onMigrate }: {
  def: ProcedureDefinition; analysis: AnalysisReport | null; base: ProcedureDefinition | null;
  /** Opens "Migrate open dossiers" from the compared version to this one. */
  onMigrate?: () => void;
}) {
  const { t } = useTranslation('designer');
  const change = useMemo(() => (analysis && base ? diff(base, def) : null), [analysis, base, def]);
  if (!analysis) return <div className="panel-body"><h2>{t('metrics.title')}</h2><p className="muted">{t('metrics.unavailable')}</p></div>;
  const m = analysis.metrics;
  const num = (n: number) => formatNumber(n, Number.isInteger(n) ? 0 : 2);
  // Times as days and hours, summed apart by the analysis: a 2-hour step is "2 giờ", not "0 ngày".
  const words = workingTimeWords(t, num, t('metrics.sameDay'));
  const legal = def.catalog.legalDeadline;
  const happy = analysis.slaHappyPath;
  const rows: [string, string][] = [
    [t('metrics.steps'), num(m.steps)], [t('metrics.actions'), num(m.actions)], [t('metrics.officerActions'), num(m.officerActions)],
    [t('metrics.handoffs'), num(m.handoffs)], [t('metrics.workingDays'), happy ? workingTimeText(happy, words) : '—'],
    [t('metrics.legalDays'), workingTimeText({ days: legal.days ?? 0, hours: legal.hours ?? 0 }, words)],
    [t('metrics.trips'), num(m.citizen.trips)], [t('metrics.agencies'), num(m.citizen.agencies)],
  ];
  return (
    <div className="panel-body">
      <h2>{t('metrics.title')}</h2>
      <table className="compact">
        <tbody>{rows.map(([k, v]) => <tr key={k}><th scope="row">{k}</th><td className="num">{v}</td></tr>)}</tbody>
      </table>
      <p>
        <strong>{t('metrics.happyPath')}:</strong>{' '}
        {m.happyPath ? m.happyPath.steps.map((id) => stepNameOf(def.steps, id, currentLang())).join(' → ') : <span className="muted">{t('metrics.noHappyPath')}</span>}
      </p>
      {analysis.slaLongestPath && <p className="muted">{t('metrics.longest', { time: workingTimeText(analysis.slaLongestPath, words) })}</p>}
      <h3>{base ? t('metrics.diffTitle', { version: base.version }) : t('metrics.noBase')}</h3>
      {change && (change.unchanged ? <p>{t('metrics.unchanged')}</p> : (
        <>
          <p className="diff-summary" data-testid="diff-summary"><strong>{pick(change.summary)}</strong></p>
          {change.steps.added.length > 0 && <p>{t('metrics.added', { list: change.steps.added.map((s) => s.step).join(', ') })}</p>}
          {change.steps.removed.length > 0 && <p>{t('metrics.removed', { list: change.steps.removed.map((s) => s.step).join(', ') })}</p>}
          {change.steps.changed.length > 0 && <p>{t('metrics.changed', { list: change.steps.changed.map((s) => s.step).join(', ') })}</p>}
        </>
      ))}
      {base && onMigrate && base.version !== def.version && (
        <p><button type="button" onClick={onMigrate}>{t('metrics.migrate', { from: base.version, to: def.version })}</button></p>
      )}
    </div>
  );
}
