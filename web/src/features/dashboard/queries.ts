/** Query options shared by the components that read the same statistics (one request, one cache entry). */
import { keepPreviousData, queryOptions } from '@tanstack/react-query';
import { api, unwrap } from '../../api/client';

/** Today's figures of a unit; under ['stats', …] so `stats:changed` refreshes it. */
export const summaryQuery = (unit: string, includeChildren: boolean) => queryOptions({
  queryKey: ['stats', 'summary', unit, includeChildren],
  queryFn: () => unwrap(api.GET('/api/stats/summary', { params: { query: { unit, children: includeChildren } } })),
  placeholderData: keepPreviousData,
});
