/**
 * Charts of the report: resolved early / on time / late per group (stacked bars), new
 * dossiers by channel, on-time rate per group. They repeat the table, which is their text
 * equivalent, so each chart points to it.
 */
import { Bar, BarChart, CartesianGrid, Cell, Legend, Pie, PieChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { useTranslation } from 'react-i18next';
import { formatNumber } from '../../ui/format';
import { channelSlices, onTimeBars, resolvedBars, type Report } from './chartData';

export const COLORS = { early: '#1e7b34', onTime: '#0b5cab', late: '#b3261e', online: '#0b5cab', direct: '#5a4bb3', postal: '#a15c00' } as const;

const BAR_HEIGHT = 26;
const height = (n: number): number => Math.min(320, Math.max(140, 40 + n * BAR_HEIGHT));

function Figure({ title, children, empty }: { title: string; children: React.ReactNode; empty: boolean }) {
  const { t } = useTranslation('dashboard');
  return (
    <figure className="card dash-chart">
      <figcaption>{title}<span className="sr-only"> — {t('charts.seeTable')}</span></figcaption>
      {/* The table above is the text equivalent; the drawing itself is decoration for screen readers. */}
      <div aria-hidden="true" inert>{empty ? <p className="muted empty">{t('charts.nothing')}</p> : children}</div>
    </figure>
  );
}

export function ReportCharts({ report }: { report: Report }) {
  const { t } = useTranslation('dashboard');
  const resolved = resolvedBars(report.rows);
  const slices = channelSlices(report.total);
  const rates = onTimeBars(report.rows);
  const tip = (v: unknown) => (typeof v === 'number' ? formatNumber(v, 1) : String(v));

  return (
    <section className="dash-charts" aria-label={t('charts.heading')}>
      <Figure title={t('charts.resolved')} empty={resolved.length === 0}>
        <ResponsiveContainer width="100%" height={height(resolved.length)}>
          <BarChart data={resolved} layout="vertical" margin={{ left: 4, right: 12, top: 4, bottom: 4 }} accessibilityLayer={false}>
            <CartesianGrid strokeDasharray="3 3" horizontal={false} />
            <XAxis type="number" allowDecimals={false} />
            <YAxis type="category" dataKey="label" width={150} tick={{ fontSize: 11 }} />
            <Tooltip formatter={tip} labelFormatter={(_l, p) => String(p[0]?.payload?.fullLabel ?? '')} />
            <Legend wrapperStyle={{ fontSize: 12 }} itemSorter={null} />
            <Bar dataKey="early" stackId="r" name={t('report.early')} fill={COLORS.early} isAnimationActive={false} />
            <Bar dataKey="onTime" stackId="r" name={t('report.onTime')} fill={COLORS.onTime} isAnimationActive={false} />
            <Bar dataKey="late" stackId="r" name={t('report.late')} fill={COLORS.late} isAnimationActive={false} />
          </BarChart>
        </ResponsiveContainer>
      </Figure>
      <Figure title={t('charts.channels')} empty={slices.length === 0}>
        <ResponsiveContainer width="100%" height={220}>
          <PieChart accessibilityLayer={false}>
            <Pie
              data={slices.map((s) => ({ ...s, name: t(`common:channel.${s.key}`) }))}
              dataKey="value"
              nameKey="name"
              outerRadius={70}
              label={({ value }: { value?: number }) => formatNumber(value ?? 0)}
              isAnimationActive={false}
            >
              {slices.map((s) => <Cell key={s.key} fill={COLORS[s.key]} />)}
            </Pie>
            <Tooltip formatter={tip} />
            <Legend wrapperStyle={{ fontSize: 12 }} itemSorter={null} />
          </PieChart>
        </ResponsiveContainer>
      </Figure>
      <Figure title={t('charts.onTime')} empty={rates.length === 0}>
        <ResponsiveContainer width="100%" height={height(rates.length)}>
          <BarChart data={rates} layout="vertical" margin={{ left: 4, right: 12, top: 4, bottom: 4 }} accessibilityLayer={false}>
            <CartesianGrid strokeDasharray="3 3" horizontal={false} />
            <XAxis type="number" domain={[0, 100]} unit="%" />
            <YAxis type="category" dataKey="label" width={150} tick={{ fontSize: 11 }} />
            <Tooltip formatter={tip} labelFormatter={(_l, p) => String(p[0]?.payload?.fullLabel ?? '')} />
            <Bar dataKey="rate" name={t('charts.rate')} isAnimationActive={false}>
              {rates.map((r) => <Cell key={r.fullLabel} fill={r.rate >= 95 ? COLORS.early : r.rate >= 80 ? COLORS.onTime : COLORS.late} />)}
            </Bar>
          </BarChart>
        </ResponsiveContainer>
      </Figure>
    </section>
  );
}
