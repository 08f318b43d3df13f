/** Query options shared by the components that read the same statistics (one request, one cache entry). */
import { keepPreviousData, queryOptions } from '@tanstack/react-query';
import { api, unwrap } from '../../api/client';
import type { ReportParams } from './chartData';

/** Today's figures of a unit; under ['stats', …] so `stats:changed` refreshes it. */
export const summaryQuery = (unit: string, includeChildren: boolean) => queryOptions({
  queryKey: ['stats', 'summary', unit, includeChildren],
  queryFn: () => unwrap(api.GET('/api/stats/summary', { params: { query: { unit, children: includeChildren } } })),
  placeholderData: keepPreviousData,
});

/** The report of a period: the table, its charts and the period cards read this one entry. */
export const reportQuery = (params: ReportParams) => queryOptions({
  queryKey: ['stats', 'report', params],
  queryFn: () => unwrap(api.GET('/api/stats/report', { params: { query: { ...params } } })),
  // Keep the old figures on screen while a new filter loads: no jump on slow machines.
  placeholderData: keepPreviousData,
});
