/** Where dossiers wait: average working time per step over the period, worst first, as a bar chart and a table. */
import { useState } from 'react';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../../api/client';
import { pick } from '../../i18n';
import { Empty, ErrorBox, Loading } from '../../ui';
import { formatNumber } from '../../ui/format';
import { percent, stepBars, type ReportParams } from './chartData';

const CHART_STEPS = 10;

export function BottleneckView({ params }: { params: ReportParams }) {
  const { t } = useTranslation('dashboard');
  const { unit, children, from, to } = params;
  const q = useQuery({
    queryKey: ['stats', 'bottlenecks', { unit, children, from, to }],
    queryFn: () => unwrap(api.GET('/api/stats/bottlenecks', { params: { query: { unit, children, from, to } } })),
    placeholderData: keepPreviousData,
  });
  const [includeWaiting, setIncludeWaiting] = useState(false);

  if (q.isPending) return <Loading />;
  if (q.error) return <ErrorBox error={q.error} onRetry={() => void q.refetch()} />;
  // Time waiting for the citizen is not the agency's delay: left out unless asked for.
  const steps = includeWaiting ? q.data.steps : q.data.steps.filter((s) => s.stepKind !== 'wait-citizen');
  const bars = stepBars(steps, (s) => pick(s.stepName), CHART_STEPS);
  const toggle = (
    <label className="dash-check">
      <input type="checkbox" checked={includeWaiting} onChange={(e) => setIncludeWaiting(e.target.checked)} />
      {t('bottlenecks.includeWaiting')}
    </label>
  );
  if (steps.length === 0) return <>{toggle}<Empty>{t('bottlenecks.empty')}</Empty></>;

  return (
    <div className={`dash-bottlenecks${q.isPlaceholderData ? ' dash-stale' : ''}`}>
      {toggle}
      <figure className="card dash-chart">
        <figcaption>{t('bottlenecks.chart')}</figcaption>
        <div aria-hidden="true" inert>
          <ResponsiveContainer width="100%" height={Math.max(160, 40 + bars.length * 26)}>
            <BarChart data={bars} layout="vertical" margin={{ left: 4, right: 16, top: 4, bottom: 4 }} accessibilityLayer={false}>
              <CartesianGrid strokeDasharray="3 3" horizontal={false} />
              <XAxis type="number" />
              <YAxis type="category" dataKey="label" width={340} tick={{ fontSize: 11 }} />
              <Tooltip formatter={(v: unknown) => (typeof v === 'number' ? formatNumber(v, 2) : String(v))} labelFormatter={(_l, p) => String(p[0]?.payload?.fullLabel ?? '')} />
              <Bar dataKey="days" name={t('bottlenecks.days')} fill="#a15c00" isAnimationActive={false} />
            </BarChart>
          </ResponsiveContainer>
        </div>
      </figure>
      <div className="dash-table-wrap">
        <table data-testid="bottleneck-table">
          <caption>{t('bottlenecks.heading')}</caption>
          <thead>
            <tr>
              <th scope="col" className="num">{t('bottlenecks.no')}</th>
              <th scope="col">{t('bottlenecks.step')}</th>
              <th scope="col">{t('bottlenecks.procedure')}</th>
              <th scope="col" className="num">{t('bottlenecks.count')}</th>
              <th scope="col" className="num">{t('bottlenecks.days')}</th>
              <th scope="col" className="num">{t('bottlenecks.hours')}</th>
              <th scope="col" className="num">{t('bottlenecks.late')}</th>
            </tr>
          </thead>
          <tbody>
            {steps.map((s, n) => (
              <tr key={`${s.procedureId}/${s.step}`}>
                <td className="num">{n + 1}</td>
                <th scope="row">{pick(s.stepName) || s.step}</th>
                <td title={s.procedureCode ?? s.procedureId}>{s.procedureName ?? s.procedureCode ?? s.procedureId}</td>
                <td className="num">{formatNumber(s.count)}</td>
                <td className="num">{formatNumber(s.averageWorkingDays, 2)}</td>
                <td className="num">{formatNumber(s.averageMinutes / 60, 1)}</td>
                <td className="num">{formatNumber(percent(s.lateShare), 1)}%</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
