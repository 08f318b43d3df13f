/** Today's figures of the unit: open, due soon, overdue, today's intake and results, this month's on-time rate, satisfaction. */
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { ErrorBox, Loading } from '../../ui';
import { formatDateTime, formatNumber } from '../../ui/format';
import { percent } from './chartData';
import { summaryQuery } from './queries';

interface Card {
  id: string;
  label: string;
  value: string;
  note?: string;
  tone?: 'warn' | 'bad' | 'ok';
}

export function SummaryCards({ unit, includeChildren }: { unit: string; includeChildren: boolean }) {
  const { t } = useTranslation('dashboard');
  const q = useQuery(summaryQuery(unit, includeChildren));
  if (q.isPending) return <Loading />;
  if (q.error) return <ErrorBox error={q.error} onRetry={() => void q.refetch()} />;
  const s = q.data;
  const rate = percent(s.month.onTimeRate);
  const cards: Card[] = [
    { id: 'open', label: t('summary.open'), value: formatNumber(s.open) },
    { id: 'due-soon', label: t('summary.dueSoon'), value: formatNumber(s.dueSoon), ...(s.dueSoon > 0 ? { tone: 'warn' as const } : {}) },
    { id: 'overdue', label: t('summary.overdue'), value: formatNumber(s.overdue), ...(s.overdue > 0 ? { tone: 'bad' as const } : {}) },
    { id: 'waiting-citizen', label: t('summary.waitingCitizen'), value: formatNumber(s.waitingCitizen) },
    { id: 'awaiting-intake', label: t('summary.awaitingIntake'), value: formatNumber(s.awaitingIntake) },
    { id: 'received-today', label: t('summary.receivedToday'), value: formatNumber(s.receivedToday) },
    { id: 'resolved-today', label: t('summary.resolvedToday'), value: formatNumber(s.resolvedToday) },
    {
      id: 'month-on-time', label: t('summary.monthOnTime'), value: rate === null ? '—' : `${formatNumber(rate, 1)}%`,
      note: t('summary.monthResolved', { count: s.month.resolved }),
    },
    {
      id: 'satisfaction', label: t('summary.satisfaction'),
      value: s.satisfaction.average === null ? '—' : `${formatNumber(s.satisfaction.average, 1)}/5`,
      note: s.satisfaction.count === 0 ? t('summary.noRatings') : t('summary.ratings', { count: s.satisfaction.count }),
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
      <p className="muted dash-asof">{t('summary.asOf', { time: formatDateTime(s.asOf) })}</p>
    </section>
  );
}
