/**
 * The table laid out like form II.06a: received (carried over, online, in person, by post),
 * resolved (early, on time, late), in progress (within deadline, overdue), refused,
 * withdrawn, apologies issued (form 04), on-time rate, satisfaction; one row per field or procedure and a totals row.
 * Total cells carry `data-testid="total-…"` and the raw number in `data-value`.
 */
import { useTranslation } from 'react-i18next';
import { formatDateTime, formatDay, formatNumber } from '../../ui/format';
import { percent, type Report, type ReportCounts } from './chartData';

interface Column {
  id: string;
  value: (c: ReportCounts) => number | null;
  text?: (c: ReportCounts) => string;
}

const rateText = (rate: number | null): string => {
  const p = percent(rate);
  return p === null ? '—' : `${formatNumber(p, 1)}%`;
};

const COLUMNS: Column[] = [
  { id: 'received', value: (c) => c.received.total },
  { id: 'carried-over', value: (c) => c.received.carriedOver },
  { id: 'online', value: (c) => c.received.online },
  { id: 'direct', value: (c) => c.received.direct },
  { id: 'postal', value: (c) => c.received.postal },
  { id: 'resolved', value: (c) => c.resolved.total },
  { id: 'early', value: (c) => c.resolved.early },
  { id: 'on-time', value: (c) => c.resolved.onTime },
  { id: 'late', value: (c) => c.resolved.late },
  { id: 'in-progress', value: (c) => c.inProgress.total },
  { id: 'within-deadline', value: (c) => c.inProgress.withinDeadline },
  { id: 'overdue', value: (c) => c.inProgress.overdue },
  { id: 'refused', value: (c) => c.refused },
  { id: 'withdrawn', value: (c) => c.withdrawn },
  { id: 'apologies', value: (c) => c.apologies },
  { id: 'on-time-rate', value: (c) => percent(c.onTimeRate), text: (c) => rateText(c.onTimeRate) },
  {
    id: 'satisfaction', value: (c) => c.satisfaction.average,
    text: (c) => (c.satisfaction.average === null ? '—' : formatNumber(c.satisfaction.average, 2)),
  },
];


export function ReportTable({ report }: { report: Report }) {
  const { t } = useTranslation('dashboard');
  const unitName = report.unit.name + (report.unit.includesChildren ? t('report.withChildren') : '');
  const cells = (c: ReportCounts, total: boolean) => COLUMNS.map((col) => {
    const v = col.value(c);
    return (
      <td
        key={col.id}
        className="num"
        {...(total ? { 'data-testid': `total-${col.id}`, 'data-value': v === null ? '' : String(v) } : {})}
        {...(col.id === 'satisfaction' ? { 'data-count': String(c.satisfaction.count) } : {})}
      >
        {col.text ? col.text(c) : formatNumber(v)}
        {col.id === 'satisfaction' && c.satisfaction.count > 0 && (
          <span className="dash-sub">{t('report.ratingCount', { count: c.satisfaction.count })}</span>
        )}
      </td>
    );
  });

  return (
    <div className="dash-table-wrap">
      <table className="dash-report" data-testid="report-table">
        <caption>
          {t('report.caption', { unit: unitName, from: formatDay(report.period.from), to: formatDay(report.period.to) })}
          <span className="muted"> · {t('report.generatedAt', { time: formatDateTime(report.generatedAt) })}</span>
        </caption>
        <thead>
          <tr>
            <th scope="col" rowSpan={2}>{t('report.no')}</th>
            <th scope="col" rowSpan={2}>{t(`group.${report.groupBy}`)}</th>
            <th scope="colgroup" colSpan={5} className="grp">{t('report.received')}</th>
            <th scope="colgroup" colSpan={4} className="grp">{t('report.resolved')}</th>
            <th scope="colgroup" colSpan={3} className="grp">{t('report.inProgress')}</th>
            <th scope="col" rowSpan={2} className="num">{t('report.refused')}</th>
            <th scope="col" rowSpan={2} className="num">{t('report.withdrawn')}</th>
            <th scope="col" rowSpan={2} className="num" title={t('report.apologiesHint')}>{t('report.apologies')}</th>
            <th scope="col" rowSpan={2} className="num">{t('report.onTimeRate')}</th>
            <th scope="col" rowSpan={2} className="num">{t('report.satisfaction')}</th>
          </tr>
          <tr>
            <th scope="col" className="num">{t('report.total')}</th>
            <th scope="col" className="num">{t('report.carriedOver')}</th>
            <th scope="col" className="num">{t('report.online')}</th>
            <th scope="col" className="num">{t('report.direct')}</th>
            <th scope="col" className="num">{t('report.postal')}</th>
            <th scope="col" className="num">{t('report.total')}</th>
            <th scope="col" className="num">{t('report.early')}</th>
            <th scope="col" className="num">{t('report.onTime')}</th>
            <th scope="col" className="num">{t('report.late')}</th>
            <th scope="col" className="num">{t('report.total')}</th>
            <th scope="col" className="num">{t('report.withinDeadline')}</th>
            <th scope="col" className="num">{t('report.overdue')}</th>
          </tr>
        </thead>
        <tbody>
          {report.rows.length === 0 && (
            <tr><td colSpan={COLUMNS.length + 2} className="muted">{t('report.empty')}</td></tr>
          )}
          {report.rows.map((r, n) => (
            <tr key={r.key}>
              <td className="num">{n + 1}</td>
              <th scope="row" className="dash-label">{r.label}</th>
              {cells(r, false)}
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr className="dash-total" data-testid="report-total">
            <td />
            <th scope="row">{t('report.totalRow')}</th>
            {cells(report.total, true)}
          </tr>
        </tfoot>
      </table>
    </div>
  );
}
