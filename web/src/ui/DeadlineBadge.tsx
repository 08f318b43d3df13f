/**
 * A dossier's deadline in working time, as the law counts it (the engine's calendar: working
 * hours, weekends and public holidays): "còn 1 ngày 2 giờ làm việc", "quá hạn 3 ngày làm việc".
 * Its own module, loaded with the officers' screens: the calendar stays out of the login page.
 */
import { useTranslation } from 'react-i18next';
import { createCalendar, VN_DEFAULT_CALENDAR } from '@motcua/engine';
import { Badge, useNow } from './index';

const calendar = createCalendar(VN_DEFAULT_CALENDAR);

/** Whole working days and hours between now and `iso`, on the default Vietnamese calendar. Pure. */
export function workingRemaining(iso: string, now: number): { overdue: boolean; days: number; hours: number } {
  const minutes = calendar.workingMinutesBetween(now, Date.parse(iso));
  const abs = Math.abs(minutes);
  return { overdue: minutes < 0, days: Math.floor(abs / calendar.minutesPerDay), hours: Math.floor((abs % calendar.minutesPerDay) / 60) };
}

/** Deadline colour: red overdue, amber due soon (`dueSoon` flag from the server), green otherwise, grey paused. */
export function DeadlineBadge({ dueAt, dueSoon, paused, closed }: { dueAt: string | null | undefined; dueSoon?: boolean; paused?: boolean; closed?: boolean }) {
  const { t } = useTranslation();
  const now = useNow();
  if (closed) return null;
  if (!dueAt) return <Badge>{t('deadline.none')}</Badge>;
  if (paused) return <Badge tone="info">{t('deadline.paused')}</Badge>;
  const r = workingRemaining(dueAt, now.getTime());
  const span = r.days > 0
    ? (r.hours > 0 ? t('deadline.daysHours', { days: r.days, hours: r.hours }) : t('deadline.days', { count: r.days }))
    : t('deadline.hours', { count: r.hours });
  const when = new Date(dueAt).toLocaleString(t('deadline.locale'), { timeZone: 'Asia/Ho_Chi_Minh' });
  if (r.overdue) return <Badge tone="bad" title={when}>{t('deadline.overdueBy', { span })}</Badge>;
  if (dueSoon) return <Badge tone="warn" title={when}>{t('deadline.dueSoon')} · {t('deadline.left', { span })}</Badge>;
  return <Badge tone="ok" title={when}>{t('deadline.onTrack')} · {t('deadline.left', { span })}</Badge>;
}
