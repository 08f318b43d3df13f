/** Working calendars: a scope ('*' or a unit) and a year as month grids of non-working days; edit the year or the configuration. */
import { useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { localInstant } from '@motcua/engine/local-time';
import { api, unwrap } from '../../api/client';
import { Badge, ErrorBox, Field, Loading, Page } from '../../ui';
import { formatDate, formatDateTime } from '../../ui/format';
import { Confirm } from './Confirm';
import { idempotency, useUnits } from './data';
import { monthWeeks } from './calendarGrid';
import { treeRows } from './unitTree';
import { CalendarConfigForm, YearForm, type CalendarConfig } from './CalendarForms';

const KEY = ['admin', 'calendars'] as const;
type DayKind = 'weekend' | 'holiday' | 'statutory' | 'day-off' | 'workday';

export function CalendarsScreen() {
  const { t } = useTranslation('admin');
  const queryClient = useQueryClient();
  const units = useUnits();
  const [scope, setScope] = useState('*');
  const [year, setYear] = useState(() => new Date().getFullYear());
  const [editing, setEditing] = useState<'year' | 'config' | 'drop' | null>(null);
  const own = useQuery({ queryKey: [...KEY, 'list'], queryFn: async () => (await unwrap(api.GET('/api/calendars'))).items });
  const calendar = useQuery({ queryKey: [...KEY, scope], queryFn: () => unwrap(api.GET('/api/calendars/{scope}', { params: { path: { scope } } })) });
  const days = useQuery({
    queryKey: [...KEY, scope, 'days', year],
    enabled: year >= 1900 && year <= 2200,
    queryFn: () => unwrap(api.GET('/api/calendars/{scope}/years/{year}/days', { params: { path: { scope, year } } })),
  });
  const ownScopes = new Set(own.data?.map((c) => c.scope) ?? []);
  const scopeName = (s: string) => (s === '*' ? t('calendars.province') : units.data?.find((u) => u.code === s)?.name ?? s);
  // `config` is typed `unknown` by the OpenAPI document; it is the engine's CalendarConfig.
  const config = calendar.data?.config as CalendarConfig | undefined;
  const byDate = new Map<string, { kind: DayKind; reason: string }>();
  for (const d of days.data?.days ?? []) byDate.set(d.date, { kind: d.kind, reason: d.reason });
  for (const w of days.data?.workdays ?? []) byDate.set(w.date, { kind: 'workday', reason: w.name ?? t('calendars.workday') });
  const special = [...byDate.entries()].filter(([, d]) => d.kind !== 'weekend').sort(([a], [b]) => a.localeCompare(b));
  const invalidate = () => queryClient.invalidateQueries({ queryKey: KEY });

  return (
    <Page title={t('calendars.title')}>
      <div className="admin-toolbar">
        <Field label={t('calendars.scope')}>
          {(id) => (
            <select id={id} value={scope} onChange={(e) => setScope(e.target.value)}>
              <option value="*">{t('calendars.province')}{ownScopes.has('*') ? ` — ${t('calendars.own')}` : ''}</option>
              {treeRows(units.data ?? []).map(({ unit, depth }) => (
                <option key={unit.code} value={unit.code}>{'\u00a0\u00a0'.repeat(depth)}{unit.name}{ownScopes.has(unit.code) ? ` — ${t('calendars.own')}` : ''}</option>
              ))}
            </select>
          )}
        </Field>
        <button type="button" onClick={() => setYear(year - 1)} aria-label={t('calendars.prevYear')}>‹</button>
        <Field label={t('calendars.year')}>
          {(id) => <input id={id} type="number" min={1900} max={2200} value={year} onChange={(e) => setYear(Number(e.target.value))} style={{ width: 90 }} />}
        </Field>
        <button type="button" onClick={() => setYear(year + 1)} aria-label={t('calendars.nextYear')}>›</button>
        <button type="button" className="primary" disabled={!config} onClick={() => setEditing('year')}>{t('calendars.editYear', { year })}</button>
        <button type="button" disabled={!config} onClick={() => setEditing('config')}>{t('calendars.editConfig')}</button>
        {calendar.data?.source === 'own' && scope !== '*' && <button type="button" className="danger" onClick={() => setEditing('drop')}>{t('calendars.drop')}</button>}
      </div>
      {calendar.error && <ErrorBox error={calendar.error} onRetry={() => void calendar.refetch()} />}
      {calendar.data && (
        <p>
          <Badge tone={calendar.data.source === 'own' ? 'ok' : 'info'}>{t(`calendarSource.${calendar.data.source}`)}</Badge>{' '}
          {calendar.data.inheritedFrom && t('calendars.inheritedFrom', { scope: scopeName(calendar.data.inheritedFrom) })}{' '}
          {calendar.data.updatedAt && <span className="muted">{t('calendars.updatedAt', { date: formatDateTime(calendar.data.updatedAt) })}</span>}{' '}
          {days.data && <strong>{t('calendars.workingDays', { count: days.data.workingDays, year })}</strong>}
        </p>
      )}
      <div className="legend" aria-hidden="true">
        <span style={{ ['--swatch' as string]: '#eceff3' }}>{t('dayKind.weekend')}</span>
        <span style={{ ['--swatch' as string]: '#fbe4e2' }}>{t('dayKind.holiday')}</span>
        <span style={{ ['--swatch' as string]: '#fff1dc' }}>{t('dayKind.day-off')}</span>
        <span style={{ ['--swatch' as string]: '#e3f3e7' }}>{t('dayKind.workday')}</span>
      </div>
      {days.isPending ? <Loading /> : days.error ? <ErrorBox error={days.error} /> : (
        <div className="admin-split" style={{ gridTemplateColumns: 'minmax(0, 5fr) minmax(0, 2fr)' }}>
          <div className="year-grid">
            {Array.from({ length: 12 }, (_, i) => i + 1).map((month) => <Month key={month} year={year} month={month} byDate={byDate} />)}
          </div>
          {/* A scrolling list is reachable by keyboard (focusable region with a name). */}
          <div className="admin-table-wrap" style={{ maxHeight: 470 }} role="region" tabIndex={0} aria-label={t('calendars.listCaption', { year })}>
            <table>
              <caption className="sr-only">{t('calendars.listCaption', { year })}</caption>
              <thead><tr><th>{t('calendars.date')}</th><th>{t('calendars.reason')}</th></tr></thead>
              <tbody>
                {special.map(([date, d]) => (
                  <tr key={date}><td>{formatDate(localInstant(date, '12:00'))}</td><td><Badge tone={d.kind === 'workday' ? 'ok' : d.kind === 'day-off' ? 'warn' : 'bad'}>{t(`dayKind.${d.kind}`)}</Badge> {d.reason}</td></tr>
                ))}
              </tbody>
            </table>
          </div>
        </div>
      )}
      {editing === 'year' && config && <YearForm scope={scope} scopeName={scopeName(scope)} year={year} config={config} onClose={() => setEditing(null)} onSaved={invalidate} />}
      {editing === 'config' && config && <CalendarConfigForm scope={scope} scopeName={scopeName(scope)} config={config} onClose={() => setEditing(null)} onSaved={invalidate} />}
      {editing === 'drop' && (
        <Confirm
          title={t('calendars.dropTitle', { scope: scopeName(scope) })}
          confirmLabel={t('calendars.drop')}
          onClose={() => setEditing(null)}
          onConfirm={async () => {
            await unwrap(api.DELETE('/api/calendars/{scope}', { params: { path: { scope }, header: idempotency() } }));
            await invalidate();
          }}
        >
          <p>{t('calendars.dropText')}</p>
        </Confirm>
      )}
    </Page>
  );
}

function Month({ year, month, byDate }: { year: number; month: number; byDate: Map<string, { kind: DayKind; reason: string }> }) {
  const { t } = useTranslation('admin');
  const weekdays = t('calendars.weekdays').split(',');
  return (
    <section className="month">
      <h2 className="month-title">{t('calendars.month', { month })}</h2>
      <table>
        <thead><tr>{weekdays.map((w) => <th key={w} scope="col">{w}</th>)}</tr></thead>
        <tbody>
          {monthWeeks(year, month).map((week, i) => (
            <tr key={i}>
              {week.map((date, j) => {
                if (!date) return <td key={j} />;
                const d = byDate.get(date);
                const dayNo = Number(date.slice(8));
                return (
                  <td key={j} className={d ? (d.kind === 'weekend' ? 'off' : d.kind) : undefined} title={d?.reason}>
                    {d ? <><span aria-hidden="true">{dayNo}</span><span className="sr-only">{`${dayNo}/${month}: ${d.reason}`}</span></> : dayNo}
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
