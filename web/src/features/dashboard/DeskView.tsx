/**
 * "Received at this desk": what the unit's one-stop desk received in the period, by deciding
 * unit and procedure. Dossiers taken in for another unit (non-geographic) count in that unit's
 * form II.06a; this view lets the desk account for its own intake beside it.
 */
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../../api/client';
import { Empty, ErrorBox, Loading } from '../../ui';
import { formatDay, formatNumber } from '../../ui/format';
import type { ReportParams } from './chartData';


export function DeskView({ params }: { params: ReportParams }) {
  const { t } = useTranslation('dashboard');
  const { unit, children, from, to } = params;
  const q = useQuery({
    queryKey: ['stats', 'desk', { unit, children, from, to }],
    queryFn: () => unwrap(api.GET('/api/stats/desk', { params: { query: { unit, children, from, to } } })),
    placeholderData: keepPreviousData,
  });
  if (q.isPending) return <Loading />;
  if (q.error) return <ErrorBox error={q.error} onRetry={() => void q.refetch()} />;
  const r = q.data;
  if (r.rows.length === 0) return <Empty>{t('desk.empty')}</Empty>;
  const cells = (c: typeof r.total) => [c.received.total, c.received.online, c.received.direct, c.received.postal, c.forwarded, c.closed, c.open, c.overdue]
    .map((n, i) => <td key={i} className="num">{formatNumber(n)}</td>);
  return (
    <div className={`dash-table-wrap${q.isPlaceholderData ? ' dash-stale' : ''}`}>
      <p className="muted small">{t('desk.note')}</p>
      <table className="dash-report" data-testid="desk-table">
        <caption>{t('desk.caption', { unit: r.unit.name, from: formatDay(r.period.from), to: formatDay(r.period.to) })}</caption>
        <thead>
          <tr>
            <th scope="col">{t('desk.competent')}</th>
            <th scope="col">{t('desk.procedure')}</th>
            {(['received', 'online', 'direct', 'postal', 'forwarded', 'closed', 'open', 'overdue'] as const).map((k) => (
              <th key={k} scope="col" className="num">{t(`desk.${k}`)}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {r.rows.map((row) => (
            <tr key={`${row.competentUnit.code}|${row.procedure.id}`}>
              <th scope="row" className="dash-label">{row.competentUnit.name}</th>
              <td>{row.procedure.code} – {row.procedure.name}</td>
              {cells(row)}
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr>
            <th scope="row" colSpan={2}>{t('desk.total')}</th>
            {cells(r.total)}
          </tr>
        </tfoot>
      </table>
    </div>
  );
}
