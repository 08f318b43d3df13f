/** Today's figures of the unit: open, due soon, overdue, today's intake and results, this month's on-time rate, satisfaction. */
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { ErrorBox, Loading } from '../../ui';
import { formatDate, formatDateTime, formatNumber } from '../../ui/format';
import { percent, type ReportParams } from './chartData';
import { reportQuery, summaryQuery } from './queries';

interface Card {
  id: string;
  label: string;
  value: string;
  note?: string;
  tone?: 'warn' | 'bad' | 'ok';
}

/**
 * `report`: the period chosen above the table. The rate and satisfaction cards count that
 * period (the same figures as the table's totals row); the others are today's and now's.
 */
export function SummaryCards({ unit, includeChildren, report }: { unit: string; includeChildren: boolean; report: ReportParams | null }) {
  const { t } = useTranslation('dashboard');
  const q = useQuery(summaryQuery(unit, includeChildren));
  const period = useQuery({ ...reportQuery(report ?? { unit, children: includeChildren, from: '', to: '', groupBy: 'field' }), enabled: report !== null });
  if (q.isPending) return <Loading />;
  if (q.error) return <ErrorBox error={q.error} onRetry={() => void q.refetch()} />;
  const s = q.data;
  const p = report && period.data ? period.data : null;
  const resolvedCount = p ? p.total.resolved.total : s.month.resolved;
  const rate = percent(p ? p.total.onTimeRate : s.month.onTimeRate);
  const satisfaction = p ? p.total.satisfaction : s.satisfaction;
  const span = p ? t('summary.period', { from: formatDate(p.period.from), to: formatDate(p.period.to) }) : t('summary.month');
  const cards: Card[] = [
    { id: 'open', label: t('summary.open'), value: formatNumber(s.open) },
    { id: 'due-soon', label: t('summary.dueSoon'), value: formatNumber(s.dueSoon), ...(s.dueSoon > 0 ? { tone: 'warn' as const } : {}) },
    { id: 'overdue', label: t('summary.overdue'), value: formatNumber(s.overdue), ...(s.overdue > 0 ? { tone: 'bad' as const } : {}) },
    { id: 'waiting-citizen', label: t('summary.waitingCitizen'), value: formatNumber(s.waitingCitizen), note: t('summary.waitingCitizenNote') },
    { id: 'awaiting-intake', label: t('summary.awaitingIntake'), value: formatNumber(s.awaitingIntake), note: t('summary.awaitingIntakeNote') },
    { id: 'received-today', label: t('summary.receivedToday'), value: formatNumber(s.receivedToday) },
    { id: 'resolved-today', label: t('summary.resolvedToday'), value: formatNumber(s.resolvedToday) },
    {
      id: 'month-on-time', label: t('summary.onTime'), value: rate === null ? '—' : `${formatNumber(rate, 1)}%`,
      note: `${span} · ${t('summary.monthResolved', { count: resolvedCount })}`,
    },
    {
      id: 'satisfaction', label: t('summary.satisfaction'),
      value: satisfaction.average === null ? '—' : `${formatNumber(satisfaction.average, 1)}/5`,
      note: `${span} · ${satisfaction.count === 0 ? t('summary.noRatings') : t('summary.ratings', { count: satisfaction.count })}`,
    },
  ];
  return (
    <section className="dash-summary" aria-labelledby="dash-summary-h">
      <h2 id="dash-summary-h" className="sr-only">{t('summary.heading')}</h2>
      <ul className="dash-cards">
        {cards.map((c) => (
          <li key={c.id} className={`dash-card${c.tone ? ` ${c.tone}` : ''}`} data-testid={`summary-${c.id}`}>
            <span className="dash-card-label">{c.label}</span>
            <strong className="dash-card-value">{c.value}</strong>
            {c.note && <span className="dash-card-note muted">{c.note}</span>}
          </li>
        ))}
      </ul>
      <p className="muted dash-asof">{t('summary.asOf', { time: formatDateTime(s.asOf) })} {t('summary.waitingSplit')}</p>
    </section>
  );
}
