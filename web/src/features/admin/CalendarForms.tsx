/** Editing a calendar: one year's holidays, swapped working days and days off; and the configuration (weekend, hours). */
import { useState } from 'react';
import { useMutation } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../../api/client';
import { ErrorBox, Field, Modal } from '../../ui';
import { checkDayRows, toDayEntries, toDayRows, type DayRow } from './calendarGrid';
import { idempotency } from './data';
import { toggle } from './delegationDraft';
import { issueAt, issuesByPath } from './issues';
import { FormButtons } from './FormButtons';

type DayEntry = { date: string; name?: string };
export interface CalendarConfig {
  utcOffsetMinutes: number;
  weekend: number[];
  workingHours: { start: string; end: string }[];
  years?: Record<string, { holidays?: DayEntry[]; workdays?: DayEntry[]; daysOff?: DayEntry[]; replaceDefaults?: boolean }>;
  statutoryDefaults?: boolean;
}

const LISTS = ['holidays', 'workdays', 'daysOff'] as const;
type ListName = (typeof LISTS)[number];

export function YearForm({ scope, scopeName, year, config, onClose, onSaved }: {
  scope: string; scopeName: string; year: number; config: CalendarConfig; onClose: () => void; onSaved: () => Promise<unknown>;
}) {
  const { t } = useTranslation('admin');
  const stored = config.years?.[String(year)];
  const [lists, setLists] = useState<Record<ListName, DayRow[]>>(() => ({
    holidays: toDayRows(stored?.holidays), workdays: toDayRows(stored?.workdays), daysOff: toDayRows(stored?.daysOff),
  }));
  const [replaceDefaults, setReplaceDefaults] = useState(stored?.replaceDefaults ?? false);
  const problems = Object.fromEntries(LISTS.map((l) => [l, checkDayRows(lists[l], year)])) as Record<ListName, Map<number, string>>;
  const hasProblems = LISTS.some((l) => problems[l].size > 0);
  const save = useMutation({
    mutationFn: () => unwrap(api.PUT('/api/calendars/{scope}/years/{year}', {
      params: { path: { scope, year }, header: idempotency() },
      body: { holidays: toDayEntries(lists.holidays), workdays: toDayEntries(lists.workdays), daysOff: toDayEntries(lists.daysOff), replaceDefaults },
    })),
    onSuccess: async () => { await onSaved(); onClose(); },
  });
  const issues = issuesByPath(save.error);
  const setRow = (l: ListName, i: number, patch: Partial<DayRow>) =>
    setLists((s) => ({ ...s, [l]: s[l].map((r, n) => (n === i ? { ...r, ...patch } : r)) }));

  return (
    <Modal title={t('calendars.yearTitle', { year, scope: scopeName })} open onClose={onClose} wide>
      <form onSubmit={(e) => { e.preventDefault(); if (!hasProblems) save.mutate(); }}>
        <div className="grid three">
          {LISTS.map((l) => (
            <fieldset key={l} className="checks" style={{ display: 'block' }}>
              <legend>{t(`calendars.${l}`)}</legend>
              <p className="muted" style={{ marginTop: 0 }}>{t(`calendars.${l}Hint`)}</p>
              {lists[l].map((r, i) => (
                <div key={i} role="group" aria-label={t('calendars.rowN', { list: t(`calendars.${l}`), n: i + 1 })}>
                  <div className="day-rows">
                    <input type="date" aria-label={t('calendars.date')} value={r.date} min={`${year}-01-01`} max={`${year}-12-31`} onChange={(e) => setRow(l, i, { date: e.target.value })} aria-invalid={problems[l].has(i) || undefined} />
                    <input aria-label={t('calendars.dayName')} value={r.name} onChange={(e) => setRow(l, i, { name: e.target.value })} />
                    <button type="button" className="danger" aria-label={t('calendars.removeRow', { n: i + 1 })} onClick={() => setLists((s) => ({ ...s, [l]: s[l].filter((_, n) => n !== i) }))}>×</button>
                  </div>
                  {(problems[l].get(i) || issueAt(issues, `/${l}/${i}`)) && (
                    <small className="field-error" role="alert">{problems[l].has(i) ? t(`dayProblem.${problems[l].get(i) ?? 'format'}`, { year }) : issueAt(issues, `/${l}/${i}`)}</small>
                  )}
                </div>
              ))}
              <button type="button" onClick={() => setLists((s) => ({ ...s, [l]: [...s[l], { date: '', name: '' }] }))}>{t('calendars.addDay')}</button>
            </fieldset>
          ))}
        </div>
        <label className="check-line"><input type="checkbox" checked={replaceDefaults} onChange={(e) => setReplaceDefaults(e.target.checked)} /> {t('calendars.replaceDefaults')}</label>
        <ErrorBox error={save.error} />
        <FormButtons onCancel={onClose} disabled={save.isPending || hasProblems} />
      </form>
    </Modal>
  );
}

export function CalendarConfigForm({ scope, scopeName, config, onClose, onSaved }: {
  scope: string; scopeName: string; config: CalendarConfig; onClose: () => void; onSaved: () => Promise<unknown>;
}) {
  const { t } = useTranslation('admin');
  const [weekend, setWeekend] = useState(() => config.weekend.map(String));
  const [hours, setHours] = useState(() => config.workingHours.map((h) => ({ ...h })));
  const [offset, setOffset] = useState(config.utcOffsetMinutes);
  const [statutory, setStatutory] = useState(config.statutoryDefaults ?? true);
  const save = useMutation({
    mutationFn: () => unwrap(api.PUT('/api/calendars/{scope}', {
      params: { path: { scope }, header: idempotency() },
      // The yearly decisions are kept as they are: this form edits the rest.
      body: { ...config, utcOffsetMinutes: offset, weekend: weekend.map(Number).sort(), workingHours: hours, statutoryDefaults: statutory },
    })),
    onSuccess: async () => { await onSaved(); onClose(); },
  });
  const issues = issuesByPath(save.error);
  const dayNames = t('calendars.weekdayNames').split(',');
  return (
    <Modal title={t('calendars.configTitle', { scope: scopeName })} open onClose={onClose}>
      <form onSubmit={(e) => { e.preventDefault(); save.mutate(); }}>
        <fieldset className="checks">
          <legend>{t('calendars.weekend')}</legend>
          {dayNames.map((name, i) => (
            <label key={i}><input type="checkbox" checked={weekend.includes(String(i))} onChange={(e) => setWeekend(toggle(weekend, String(i), e.target.checked))} />{name}</label>
          ))}
        </fieldset>
        {issueAt(issues, '/weekend') && <p className="field-error" role="alert">{issueAt(issues, '/weekend')}</p>}
        <fieldset className="checks" style={{ display: 'block' }}>
          <legend>{t('calendars.workingHours')}</legend>
          {hours.map((h, i) => (
            <div key={i} className="row" role="group" aria-label={t('calendars.periodN', { n: i + 1 })} style={{ marginBottom: 6 }}>
              <label>{t('calendars.start')} <input type="time" value={h.start} onChange={(e) => setHours(hours.map((x, n) => (n === i ? { ...x, start: e.target.value } : x)))} /></label>
              <label>{t('calendars.end')} <input type="time" value={h.end} onChange={(e) => setHours(hours.map((x, n) => (n === i ? { ...x, end: e.target.value } : x)))} /></label>
              <button type="button" className="danger" aria-label={t('calendars.removePeriod', { n: i + 1 })} onClick={() => setHours(hours.filter((_, n) => n !== i))}>×</button>
              {issueAt(issues, `/workingHours/${i}`) && <small className="field-error">{issueAt(issues, `/workingHours/${i}`)}</small>}
            </div>
          ))}
          <button type="button" onClick={() => setHours([...hours, { start: '13:30', end: '17:00' }])}>{t('calendars.addPeriod')}</button>
        </fieldset>
        <Field label={t('calendars.offset')} hint={t('calendars.offsetHint')} error={issueAt(issues, '/utcOffsetMinutes')}>
          {(id) => <input id={id} type="number" value={offset} onChange={(e) => setOffset(Number(e.target.value))} style={{ width: 100 }} />}
        </Field>
        <label className="check-line"><input type="checkbox" checked={statutory} onChange={(e) => setStatutory(e.target.checked)} /> {t('calendars.statutory')}</label>
        <ErrorBox error={save.error} />
        <FormButtons onCancel={onClose} disabled={save.isPending} />
      </form>
    </Modal>
  );
}
