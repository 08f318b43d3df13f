/** The report of form II.06a for the chosen unit, period and grouping: the table, then its charts. */
import { useQuery } from '@tanstack/react-query';
import { ErrorBox, Loading } from '../../ui';
import type { ReportParams } from './chartData';
import { ReportTable } from './ReportTable';
import { ReportCharts } from './ReportCharts';
import { reportQuery } from './queries';

export function ReportView({ params }: { params: ReportParams }) {
  const q = useQuery(reportQuery(params));
  if (q.isPending) return <Loading />;
  if (q.error) return <ErrorBox error={q.error} onRetry={() => void q.refetch()} />;
  return (
    <div className={q.isPlaceholderData ? 'dash-stale' : undefined} aria-busy={q.isFetching}>
      <ReportTable report={q.data} />
      <ReportCharts report={q.data} />
    </div>
  );
}
