/** Dates and numbers as a Vietnamese office writes them (dd/MM/yyyy, 24-hour), or English. */
import { localInstant, VN_TIME_ZONE as TZ } from '@motcua/engine/local-time';
import { currentLang } from '../i18n';
const locale = () => (currentLang() === 'en' ? 'en-GB' : 'vi-VN');

export const formatDate = (iso: string | null | undefined): string =>
  iso ? new Intl.DateTimeFormat(locale(), { timeZone: TZ, day: '2-digit', month: '2-digit', year: 'numeric' }).format(new Date(iso)) : '—';

/** A local calendar day (`yyyy-mm-dd`, as report periods are given) as dd/mm/yyyy. */
export const formatDay = (day: string): string => formatDate(localInstant(day, '12:00'));

export const formatDateTime = (iso: string | null | undefined): string =>
  iso ? new Intl.DateTimeFormat(locale(), { timeZone: TZ, day: '2-digit', month: '2-digit', year: 'numeric', hour: '2-digit', minute: '2-digit', hour12: false }).format(new Date(iso)) : '—';

export const formatNumber = (n: number | null | undefined, digits = 0): string =>
  n == null ? '—' : new Intl.NumberFormat(locale(), { maximumFractionDigits: digits }).format(n);

export const formatMoney = (vnd: number): string => `${formatNumber(vnd)} ₫`;
