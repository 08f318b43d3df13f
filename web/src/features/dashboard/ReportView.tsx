/** The report of form II.06a for the chosen unit, period and grouping: the table, then its charts. */
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api, unwrap } from '../../api/client';
import { ErrorBox, Loading } from '../../ui';
import type { ReportParams } from './chartData';
import { ReportTable } from './ReportTable';
import { ReportCharts } from './ReportCharts';

export function ReportView({ params }: { params: ReportParams }) {
  const q = useQuery({
    queryKey: ['stats', 'report', params],
    queryFn: () => unwrap(api.GET('/api/stats/report', { params: { query: { ...params } } })),
    // Keep the old table on screen while a new filter loads: no jump on slow machines.
    placeholderData: keepPreviousData,
  });
  if (q.isPending) return <Loading />;
  if (q.error) return <ErrorBox error={q.error} onRetry={() => void q.refetch()} />;
  return (
    <div className={q.isPlaceholderData ? 'dash-stale' : undefined} aria-busy={q.isFetching}>
      <ReportTable report={q.data} />
      <ReportCharts report={q.data} />
    </div>
  );
}
