/**
 * A dossier's deadline in working time, as the law counts it (the engine's calendar: working
 * hours, weekends and public holidays): "còn 1 ngày 2 giờ làm việc", "quá hạn 3 ngày làm việc".
 * Its own module, loaded with the officers' screens: the calendar stays out of the login page.
 */
import { useTranslation } from 'react-i18next';
import { createCalendar, VN_DEFAULT_CALENDAR } from '@motcua/engine';
import { Badge, useNow } from './index';
import { formatDateTime } from './format';

const calendar = createCalendar(VN_DEFAULT_CALENDAR);

export interface Remaining { overdue: boolean; days: number; hours: number; minutes: number }

/** Whole working days, hours and minutes between now and `iso`, on the default Vietnamese calendar. Pure. */
export function workingRemaining(iso: string, now: number): Remaining {
  const due = Date.parse(iso);
  const r = splitMinutes(calendar.workingMinutesBetween(now, due));
  // Past the deadline outside working hours (a weekend after a Friday 17:00 deadline) no working
  // minute has passed yet, but the appointment is missed all the same.
  return now > due ? { ...r, overdue: true } : r;
}

/** A number of working minutes (a paused dossier's remaining time) as days, hours and minutes. */
export function splitMinutes(total: number): Remaining {
  const abs = Math.abs(total);
  return { overdue: total < 0, days: Math.floor(abs / calendar.minutesPerDay), hours: Math.floor((abs % calendar.minutesPerDay) / 60), minutes: Math.floor(abs % 60) };
}

/** "1 ngày 2 giờ" of a number of working minutes, in the interface's language. */
export function WorkingSpan({ minutes }: { minutes: number }) {
  const { t } = useTranslation();
  return <>{spanText(splitMinutes(minutes), (key, values) => t(`deadline.${key}`, values))}</>;
}

export type SpanWords = (key: 'daysHours' | 'days' | 'hours' | 'minutes', values: { [k: string]: number }) => string;

/**
 * The span as an officer reads it: days and hours, whole days, hours, and minutes under an
 * hour ("còn 40 phút làm việc", never "còn 0 giờ"). Pure: the words come in.
 */
export function spanText(r: Remaining, words: SpanWords): string {
  if (r.days > 0) return r.hours > 0 ? words('daysHours', { days: r.days, hours: r.hours }) : words('days', { count: r.days });
  if (r.hours > 0) return words('hours', { count: r.hours });
  return words('minutes', { count: r.minutes });
}

/** Deadline colour: red overdue, amber due soon (`dueSoon` flag from the server), green otherwise, grey paused. */
export function DeadlineBadge({ dueAt, dueSoon, paused, closed }: { dueAt: string | null | undefined; dueSoon?: boolean; paused?: boolean; closed?: boolean }) {
  const { t } = useTranslation();
  const now = useNow();
  if (closed) return null;
  if (!dueAt) return <Badge>{t('deadline.none')}</Badge>;
  if (paused) return <Badge tone="info">{t('deadline.paused')}</Badge>;
  const r = workingRemaining(dueAt, now.getTime());
  const span = spanText(r, (key, values) => t(`deadline.${key}`, values));
  const when = formatDateTime(dueAt);
  if (r.overdue) {
    const late = r.days + r.hours + r.minutes > 0 ? t('deadline.overdueBy', { span }) : t('deadline.overdue');
    return <Badge tone="bad" title={when}>{late}</Badge>;
  }
  if (dueSoon) return <Badge tone="warn" title={when}>{t('deadline.dueSoon')} · {t('deadline.left', { span })}</Badge>;
  return <Badge tone="ok" title={when}>{t('deadline.onTrack')} · {t('deadline.left', { span })}</Badge>;
}
