/** Dates and numbers as a Vietnamese office writes them (dd/MM/yyyy, 24-hour), or English. */
import { VN_TIME_ZONE as TZ } from '@motcua/engine/local-time';
import { currentLang } from '../i18n';
const locale = () => (currentLang() === 'en' ? 'en-GB' : 'vi-VN');

export const formatDate = (iso: string | null | undefined): string =>
  iso ? new Intl.DateTimeFormat(locale(), { timeZone: TZ, day: '2-digit', month: '2-digit', year: 'numeric' }).format(new Date(iso)) : '—';

export const formatDateTime = (iso: string | null | undefined): string =>
  iso ? new Intl.DateTimeFormat(locale(), { timeZone: TZ, day: '2-digit', month: '2-digit', year: 'numeric', hour: '2-digit', minute: '2-digit', hour12: false }).format(new Date(iso)) : '—';

export const formatNumber = (n: number | null | undefined, digits = 0): string =>
  n == null ? '—' : new Intl.NumberFormat(locale(), { maximumFractionDigits: digits }).format(n);

export const formatMoney = (vnd: number): string => `${formatNumber(vnd)} ₫`;

/** Whole hours and days between now and `iso`, for countdowns: "còn 2 ngày 3 giờ" / "quá 5 giờ". */
export function remaining(iso: string, now: Date): { overdue: boolean; days: number; hours: number } {
  const ms = new Date(iso).getTime() - now.getTime();
  const abs = Math.abs(ms);
  return { overdue: ms < 0, days: Math.floor(abs / 86_400_000), hours: Math.floor((abs % 86_400_000) / 3_600_000) };
}
