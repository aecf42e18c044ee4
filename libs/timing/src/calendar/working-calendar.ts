/**
 * The working-time contract every deadline and verdict in isohub is computed against (DOMAIN.md §7).
 * Instants are JS `Date`s (UTC underneath); every rule is applied on the Vietnam wall clock
 * (Asia/Ho_Chi_Minh, UTC+07:00, no DST) at minute precision.
 */

/** A local calendar date, `yyyy-mm-dd`. */
export type LocalDate = string;

/** Whether a figure rests on a published calendar year or on the statutory skeleton only. */
export type CalendarStatus = 'official' | 'provisional';

export interface WorkingCalendar {
  /** Identifies the data computed against, e.g. `cal-3 (VN + H56)`; stamped on every timing record. */
  readonly version: string;
  /** `provisional` when `year` has no published data (the statutory skeleton stands in) or is marked provisional. */
  statusOf(year: number): CalendarStatus;
  /** A day with at least one working window (a make-up Saturday is one; a day off is not). */
  isWorkingDay(date: LocalDate): boolean;
  /**
   * When the clock starts for something received at `at`: before opening → opening; lunch → the
   * afternoon window; after closing or on a day off → the next working day's opening. Unchanged inside a window.
   */
  normaliseStart(at: Date): Date;
  /** `start` plus `minutes` of working time. Exact at the edges: ending at 11:30 is 11:30, never 13:30. */
  addWorkingMinutes(start: Date, minutes: number): Date;
  /** Working minutes in [from, to); negative when `to` is before `from`. */
  workingMinutesBetween(from: Date, to: Date): number;
  /**
   * Calendar days (DOMAIN.md §7.2): `days` later at the same wall-clock time; holidays skipped only when
   * `skipDaysOff`; a result on a day off rolls forward to the next working day's closing time.
   */
  addCalendarDays(start: Date, days: number, options?: { skipDaysOff?: boolean }): Date;
  /** Calendar months (years = 12 × months), rolled forward off a day off like calendar days. */
  addMonths(start: Date, months: number): Date;
  /**
   * Same-day procedures: due at the closing time of the day received, or of the next working day when
   * received after `cutOff` (`HH:mm`, e.g. `15:00`) or on a day off.
   */
  sameDay(at: Date, cutOff: string): Date;
}
