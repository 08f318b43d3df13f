import type { CalendarConfig } from './types';
import { VN_UTC_OFFSET_MINUTES } from './local';

/**
 * Civil-service calendar for Vietnam (Sat/Sun off, 07:30–11:30 and 13:30–17:00) with the
 * yearly decisions known so far; data, no side effects.
 *
 * Years not listed here use the computed statutory defaults (Labour Code 2019 Art. 112):
 * the real Tết span, the second National Day holiday and any swapped days are decided
 * each year and must be added here when published. Entries marked "(check)" come from
 * press reports of the decision, not from the decision text itself.
 */
export const VN_DEFAULT_CALENDAR: CalendarConfig = {
  utcOffsetMinutes: VN_UTC_OFFSET_MINUTES,
  weekend: [0, 6],
  workingHours: [
    { start: '07:30', end: '11:30' },
    { start: '13:30', end: '17:00' },
  ],
  statutoryDefaults: true,
  years: {
    // Thông báo 6150/TB-BLĐTBXH (2024): Tết 25/1–2/2/2025 and National Day 30/8–2/9/2025.
    // The computed default would put Tết on 28/1–1/2 with a compensating Monday 3/2, so the
    // whole year is spelt out instead.
    '2025': {
      replaceDefaults: true,
      holidays: [
        { date: '2025-01-01', name: 'Tết Dương lịch' },
        { date: '2025-01-27', name: 'Tết Nguyên đán (28 tháng Chạp)' },
        { date: '2025-01-28', name: 'Tết Nguyên đán (29 tháng Chạp)' },
        { date: '2025-01-29', name: 'Tết Nguyên đán (mùng 1 tháng Giêng)' },
        { date: '2025-01-30', name: 'Tết Nguyên đán (mùng 2 tháng Giêng)' },
        { date: '2025-01-31', name: 'Tết Nguyên đán (mùng 3 tháng Giêng)' },
        { date: '2025-04-07', name: 'Giỗ Tổ Hùng Vương' },
        { date: '2025-04-30', name: 'Ngày Giải phóng miền Nam, thống nhất đất nước' },
        { date: '2025-05-01', name: 'Quốc tế Lao động' },
        { date: '2025-09-01', name: 'Quốc khánh (ngày liền kề)' },
        { date: '2025-09-02', name: 'Quốc khánh' },
      ],
      // Friday 2/5 swapped with Saturday 26/4 (check).
      daysOff: [{ date: '2025-05-02', name: 'Nghỉ hoán đổi dịp 30/4–1/5 (làm bù thứ Bảy 26/4)' }],
      workdays: [{ date: '2025-04-26', name: 'Làm bù cho thứ Sáu 2/5' }],
    },
    // Tết 14–22/2/2026 (27 tháng Chạp Ất Tỵ – mùng 6 Bính Ngọ): the five statutory days
    // Mon 16–Fri 20 plus two weekends, no swapped day. Hùng Kings (Sun 26/4) gives the
    // computed compensating Monday 27/4; 30/4 and 1/5 are Thu/Fri.
    // National Day 2026 (Wed 2/9): the adjacent day was not known when this was written;
    // the computed default (Tue 1/9) applies (check).
    '2026': {
      holidays: [
        { date: '2026-02-16', name: 'Tết Nguyên đán (29 tháng Chạp)' },
        { date: '2026-02-17', name: 'Tết Nguyên đán (mùng 1 tháng Giêng)' },
        { date: '2026-02-18', name: 'Tết Nguyên đán (mùng 2 tháng Giêng)' },
        { date: '2026-02-19', name: 'Tết Nguyên đán (mùng 3 tháng Giêng)' },
        { date: '2026-02-20', name: 'Tết Nguyên đán (mùng 4 tháng Giêng)' },
      ],
      // New Year 1–4/1/2026: Friday 2/1 swapped with Saturday 10/1, văn bản 12729/VPCP-KGVX
      // of 25/12/2025 (check).
      daysOff: [{ date: '2026-01-02', name: 'Nghỉ hoán đổi dịp Tết Dương lịch (làm bù thứ Bảy 10/1)' }],
      workdays: [{ date: '2026-01-10', name: 'Làm bù cho thứ Sáu 2/1' }],
    },
  },
};
