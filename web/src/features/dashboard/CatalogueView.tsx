/**
 * The catalogue report (section 4.1 of a commune's periodic report): procedures in force the
 * unit applies, by online level, non-geographic and postal, with dossiers received in the
 * period — from the catalog, nothing typed by hand.
 */
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../../api/client';
import { pick } from '../../i18n';
import { Empty, ErrorBox, Loading } from '../../ui';
import { formatDay, formatNumber } from '../../ui/format';
import type { ReportParams } from './chartData';

const LEVELS = ['full', 'partial', 'none'] as const;

export function CatalogueView({ params }: { params: ReportParams }) {
  const { t } = useTranslation('dashboard');
  const { unit, children, from, to } = params;
  const q = useQuery({
    queryKey: ['stats', 'catalogue', { unit, children, from, to }],
    queryFn: () => unwrap(api.GET('/api/stats/catalogue', { params: { query: { unit, children, from, to } } })),
    placeholderData: keepPreviousData,
  });
  if (q.isPending) return <Loading />;
  if (q.error) return <ErrorBox error={q.error} onRetry={() => void q.refetch()} />;
  const r = q.data;
  if (r.rows.length === 0) return <Empty>{t('catalogue.empty')}</Empty>;
  const level = (l: string): string => (LEVELS.find((x) => x === l) ? t(`catalogue.level.${l}`) : l);
  return (
    <div className={`dash-table-wrap${q.isPlaceholderData ? ' dash-stale' : ''}`}>
      <p data-testid="catalogue-summary">{t('catalogue.summary', r.totals)}</p>
      <table className="dash-report" data-testid="catalogue-table">
        <caption>{t('catalogue.caption', { unit: r.unit.name, from: formatDay(r.period.from), to: formatDay(r.period.to) })}</caption>
        <thead>
          <tr>
            <th scope="col">{t('catalogue.code')}</th>
            <th scope="col">{t('catalogue.name')}</th>
            <th scope="col">{t('catalogue.field')}</th>
            <th scope="col">{t('catalogue.online')}</th>
            <th scope="col">{t('catalogue.nonGeographic')}</th>
            <th scope="col">{t('catalogue.postal')}</th>
            <th scope="col" className="num">{t('catalogue.received')}</th>
          </tr>
        </thead>
        <tbody>
          {r.rows.map((row) => (
            <tr key={row.id}>
              <td>{row.code}</td>
              <th scope="row" className="dash-label">{pick(row.name)}</th>
              <td>{row.field}</td>
              <td>{level(row.onlineLevel)}</td>
              <td>{row.nonGeographic ? t('catalogue.yes') : t('catalogue.no')}</td>
              <td>{row.postal ? t('catalogue.yes') : t('catalogue.no')}</td>
              <td className="num">{formatNumber(row.received)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
