export { createCalendar } from './calendar';
export { CalendarRangeError, LAST_STATUTORY_YEAR, statutoryHolidays } from './statutory';
export { VN_DEFAULT_CALENDAR } from './defaults';
export type {
  AddWorkingTimeOptions,
  Calendar,
  CalendarConfig,
  DayEntry,
  Instant,
  IsoDate,
  WorkingPeriod,
  YearCalendar,
} from './types';
