/** `/dashboard`: today's figures, the report of form II.06a with charts and exports, bottlenecks per step. */
import { useCallback, useMemo } from 'react';
import { useSearchParams } from 'react-router';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../../api/client';
import { useAuth } from '../../app/auth';
import { Empty, ErrorBox, Loading, Page, useNow } from '../../ui';
import { filterPeriod, readFilters, writeFilters, type Filters, type View } from './filters';
import { localDay } from './period';
import { readableUnits } from './units';
import { summaryQuery } from './queries';
import { FilterBar } from './FilterBar';
import { SummaryCards } from './SummaryCards';
import { DigitisationCard } from '../papers/DigitisationCard';
import { ReportView } from './ReportView';
import { BottleneckView } from './BottleneckView';
import { DeskView } from './DeskView';
import { PortalSyncCard } from './PortalSyncCard';
import { CatalogueView } from './CatalogueView';
import { ExportButtons, TableExportButtons } from './ExportButtons';
import type { ReportParams } from './chartData';
import './dashboard.css';

const VIEWS: View[] = ['report', 'desk', 'catalogue', 'bottlenecks'];

export function DashboardPage() {
  const { t } = useTranslation('dashboard');
  const { user, hasRole } = useAuth();
  const [params, setParams] = useSearchParams();
  // The day changes at midnight in Vietnam; an hourly tick is enough to move "this month".
  const today = localDay(useNow(3_600_000));

  const isAdmin = hasRole('admin');
  // Only administrators may list units (with names and parents); others read their grants.
  const unitList = useQuery({
    queryKey: ['units', 'readable'],
    queryFn: () => unwrap(api.GET('/api/units')),
    enabled: isAdmin,
  });
  const units = useMemo(
    () => readableUnits(user?.grants ?? [], unitList.data?.items ?? []),
    [user, unitList.data],
  );
  const filters = readFilters(params, units);
  // Officers other than administrators know their units by code only; the summary names the chosen one.
  const summary = useQuery({ ...summaryQuery(filters.unit ?? '', filters.children), enabled: filters.unit !== null });
  const named = useMemo(() => {
    const name = summary.data?.unit;
    return name ? units.map((u) => (u.code === name.code && u.name === u.code ? { ...u, name: name.name } : u)) : units;
  }, [units, summary.data]);
  const period = filterPeriod(filters, today);
  // Changes build on the address bar, not on this render's params: the router re-renders a
  // moment after it updates the URL, and a second quick change must not undo the first.
  const latest = () => new URLSearchParams(window.location.search);
  const setFilters = useCallback((change: Partial<Filters>) => {
    setParams(writeFilters({ ...readFilters(latest(), units), ...change }));
  }, [units, setParams]);

  if (isAdmin && unitList.isPending) return <Page title={t('title')}><Loading /></Page>;
  if (!filters.unit) return <Page title={t('title')}><Empty>{t('filters.noUnit')}</Empty></Page>;

  const report: ReportParams | null = period
    ? { unit: filters.unit, children: filters.children, from: period.from, to: period.to, groupBy: filters.groupBy }
    : null;

  return (
    <Page title={t('title')} actions={!report ? null : filters.view === 'report' ? <ExportButtons params={report} />
      : filters.view === 'desk' || filters.view === 'catalogue' ? <TableExportButtons params={report} view={filters.view} /> : null}>
      <ErrorBox error={unitList.error} />
      <FilterBar filters={filters} units={named} period={period} onChange={setFilters} />
      <SummaryCards unit={filters.unit} includeChildren={filters.children} report={report} />
      {report && <DigitisationCard params={{ unit: report.unit, children: report.children, from: report.from, to: report.to }} />}
      <div className="tabs" role="tablist" aria-label={t('tabs.label')}>
        {VIEWS.map((v) => (
          <button
            key={v}
            type="button"
            role="tab"
            id={`dash-tab-${v}`}
            aria-selected={filters.view === v}
            aria-controls="dash-panel"
            onClick={() => setFilters({ view: v })}
          >
            {t(`tabs.${v}`)}
          </button>
        ))}
      </div>
      <div id="dash-panel" role="tabpanel" aria-labelledby={`dash-tab-${filters.view}`}>
        {!report ? (
          <p className="muted">{t('filters.customHint')}</p>
        ) : filters.view === 'report' ? (
          <ReportView params={report} />
        ) : filters.view === 'desk' ? (
          <DeskView params={report} />
        ) : filters.view === 'catalogue' ? (
          <CatalogueView params={report} />
        ) : (
          <BottleneckView params={report} />
        )}
      </div>
      <PortalSyncCard />
    </Page>
  );
}
