/**
 * The data a working calendar is built from (DOMAIN.md §7.1, §7.4): weekly working windows per weekday,
 * and per year the dated exceptions the government announces (days off, make-up working days, half days),
 * each with its legal source and whether it is official or provisional. A national layer carries the
 * country's calendar; province and agency layers override it (the most specific wins, per weekday and
 * per date). Pure data and validation; `buildWorkingCalendar` turns layers into a `WorkingCalendar`.
 */
import { DateTime } from 'luxon';
import type { CalendarStatus, LocalDate } from './working-calendar';

export const VN_ZONE = 'Asia/Ho_Chi_Minh';

/** A local time of day, `HH:mm` (24 h); `24:00` allowed as a window end. */
export type TimeOfDay = string;

export interface TimeWindow {
  from: TimeOfDay;
  to: TimeOfDay;
}

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** Windows per weekday; a weekday with `[]` (or absent from every layer) is a rest day. */
export type WeeklyWindows = Partial<Record<Weekday, TimeWindow[]>>;

/** Mon–Fri 07:00–11:30 and 13:30–17:00: 8 working hours a day (DOMAIN.md §7.1, Thanh Hóa's defaults). */
export const DEFAULT_DAY_WINDOWS: readonly TimeWindow[] = Object.freeze([
  { from: '07:00', to: '11:30' },
  { from: '13:30', to: '17:00' },
]);

export const DEFAULT_WEEKLY: WeeklyWindows = Object.freeze({
  mon: [...DEFAULT_DAY_WINDOWS],
  tue: [...DEFAULT_DAY_WINDOWS],
  wed: [...DEFAULT_DAY_WINDOWS],
  thu: [...DEFAULT_DAY_WINDOWS],
  fri: [...DEFAULT_DAY_WINDOWS],
  sat: [],
  sun: [],
});

/**
 * `day_off`: no work (holiday, compensatory or swapped day); `make_up`: a normally free day worked (its
 * windows default to a standard working day's, Monday's); `half_day`: a working day with reduced windows.
 */
export const DAY_KINDS = ['day_off', 'make_up', 'half_day'] as const;
export type DayKind = (typeof DAY_KINDS)[number];

export interface CalendarDay {
  date: LocalDate;
  kind: DayKind;
  /** What the day is, in Vietnamese ("Tết Dương lịch", "Làm bù cho ngày 02/01"). */
  name: string;
  /** The legal source: article, notice or official letter, with its number and date. */
  source: string;
  status: CalendarStatus;
  note?: string;
  /** Working windows for `make_up` (optional) and `half_day` (required). */
  windows?: TimeWindow[];
  /** For a make-up or swapped day: the date it is exchanged with. */
  replaces?: LocalDate;
}

export interface CalendarYear {
  year: number;
  status: CalendarStatus;
  /** The notices the year rests on. */
  sources: string[];
  note?: string;
  days: CalendarDay[];
}

export type LayerScope =
  { level: 'national' } | { level: 'province'; province: string } | { level: 'agency'; agency: string };

export interface CalendarLayer {
  scope: LayerScope;
  /** Weekdays this layer redefines; the others come from less specific layers, then `DEFAULT_WEEKLY`. */
  weekly?: WeeklyWindows;
  years: CalendarYear[];
}

export const LEVEL_RANK: Record<LayerScope['level'], number> = { national: 0, province: 1, agency: 2 };

export const scopeLabel = (scope: LayerScope): string =>
  scope.level === 'national' ? 'VN' : scope.level === 'province' ? scope.province : scope.agency;

/** One problem in calendar data: where (a JSON-pointer-like path) and what. */
export interface CalendarProblem {
  path: string;
  message: string;
}

export class CalendarDataError extends Error {
  constructor(readonly problems: CalendarProblem[]) {
    super(`invalid calendar data: ${problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`);
    this.name = 'CalendarDataError';
  }
}

const TIME = /^([01]\d|2[0-3]):([0-5]\d)$|^24:00$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Minutes after local midnight of an `HH:mm`. */
export function minuteOfDay(time: TimeOfDay): number {
  if (!TIME.test(time)) {
    throw new CalendarDataError([{ path: '', message: `"${time}" is not a time HH:mm` }]);
  }
  const [h, m] = time.split(':').map(Number);
  return h * 60 + m;
}

export function isLocalDate(value: unknown): value is LocalDate {
  return typeof value === 'string' && DATE.test(value) && DateTime.fromISO(value, { zone: VN_ZONE }).isValid;
}

export function weekdayOf(date: LocalDate): Weekday {
  return WEEKDAYS[DateTime.fromISO(date, { zone: VN_ZONE }).weekday - 1];
}

function windowProblems(windows: unknown, path: string): CalendarProblem[] {
  if (!Array.isArray(windows)) {
    return [{ path, message: 'must be a list of {from, to} windows' }];
  }
  const problems: CalendarProblem[] = [];
  let previousEnd = -1;
  windows.forEach((w: unknown, i) => {
    const at = `${path}/${i}`;
    const win = w as Partial<TimeWindow> | null;
    if (!win || typeof win.from !== 'string' || typeof win.to !== 'string') {
      problems.push({ path: at, message: 'a window needs from and to (HH:mm)' });
      return;
    }
    if (!TIME.test(win.from) || !TIME.test(win.to)) {
      problems.push({ path: at, message: `"${win.from}–${win.to}" is not HH:mm–HH:mm` });
      return;
    }
    const from = minuteOfDay(win.from);
    const to = minuteOfDay(win.to);
    if (from >= to) {
      problems.push({ path: at, message: `${win.from} is not before ${win.to}` });
    } else if (from < previousEnd) {
      problems.push({ path: at, message: 'windows must be in order and must not overlap' });
    }
    previousEnd = Math.max(previousEnd, to);
  });
  return problems;
}

/** Problems of one year's data (empty when valid). */
export function calendarYearProblems(value: unknown, path = ''): CalendarProblem[] {
  const y = value as Partial<CalendarYear> | null;
  if (!y || typeof y !== 'object') {
    return [{ path, message: 'a calendar year must be an object' }];
  }
  const problems: CalendarProblem[] = [];
  if (!Number.isInteger(y.year) || (y.year as number) < 1900 || (y.year as number) > 2200) {
    problems.push({ path: `${path}/year`, message: 'year must be an integer 1900–2200' });
  }
  if (y.status !== 'official' && y.status !== 'provisional') {
    problems.push({ path: `${path}/status`, message: 'status must be official or provisional' });
  }
  if (!Array.isArray(y.sources) || y.sources.some((s) => typeof s !== 'string')) {
    problems.push({ path: `${path}/sources`, message: 'sources must be a list of texts' });
  }
  if (!Array.isArray(y.days)) {
    problems.push({ path: `${path}/days`, message: 'days must be a list' });
    return problems;
  }
  const seen = new Set<string>();
  y.days.forEach((d: unknown, i) => {
    problems.push(...calendarDayProblems(d, `${path}/days/${i}`, y.year));
    const date = (d as CalendarDay | null)?.date;
    if (typeof date === 'string') {
      if (seen.has(date)) {
        problems.push({ path: `${path}/days/${i}/date`, message: `${date} is listed twice` });
      }
      seen.add(date);
    }
  });
  return problems;
}

export function calendarDayProblems(value: unknown, path: string, year?: number): CalendarProblem[] {
  const d = value as Partial<CalendarDay> | null;
  if (!d || typeof d !== 'object') {
    return [{ path, message: 'a day must be an object' }];
  }
  const problems: CalendarProblem[] = [];
  if (!isLocalDate(d.date)) {
    problems.push({ path: `${path}/date`, message: `"${String(d.date)}" is not a date yyyy-mm-dd` });
  } else if (year !== undefined && Number(d.date.slice(0, 4)) !== year) {
    problems.push({ path: `${path}/date`, message: `${d.date} is not in ${year}` });
  }
  if (!DAY_KINDS.includes(d.kind as DayKind)) {
    problems.push({ path: `${path}/kind`, message: `kind must be one of ${DAY_KINDS.join(', ')}` });
  }
  if (typeof d.name !== 'string' || d.name.trim() === '') {
    problems.push({ path: `${path}/name`, message: 'name is required' });
  }
  if (typeof d.source !== 'string' || d.source.trim() === '') {
    problems.push({ path: `${path}/source`, message: 'the legal source is required' });
  }
  if (d.status !== 'official' && d.status !== 'provisional') {
    problems.push({ path: `${path}/status`, message: 'status must be official or provisional' });
  }
  if (d.replaces !== undefined && !isLocalDate(d.replaces)) {
    problems.push({ path: `${path}/replaces`, message: `"${String(d.replaces)}" is not a date yyyy-mm-dd` });
  }
  if (d.kind === 'half_day' && (d.windows === undefined || d.windows.length === 0)) {
    problems.push({ path: `${path}/windows`, message: 'a half day needs its working windows' });
  }
  if (d.kind === 'day_off' && d.windows !== undefined && d.windows.length > 0) {
    problems.push({ path: `${path}/windows`, message: 'a day off has no working windows' });
  }
  if (d.windows !== undefined) {
    problems.push(...windowProblems(d.windows, `${path}/windows`));
  }
  return problems;
}

export function weeklyProblems(value: unknown, path = '/weekly'): CalendarProblem[] {
  if (value === undefined) {
    return [];
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) {
    return [{ path, message: 'weekly must map mon..sun to window lists' }];
  }
  const problems: CalendarProblem[] = [];
  for (const [day, windows] of Object.entries(value)) {
    if (!WEEKDAYS.includes(day as Weekday)) {
      problems.push({ path: `${path}/${day}`, message: `unknown weekday (use ${WEEKDAYS.join(', ')})` });
    } else {
      problems.push(...windowProblems(windows, `${path}/${day}`));
    }
  }
  return problems;
}

/** Validates a calendar year (e.g. a parsed `config/calendars/*.json` file); throws `CalendarDataError`. */
export function parseCalendarYear(value: unknown): CalendarYear {
  const problems = calendarYearProblems(value);
  if (problems.length > 0) {
    throw new CalendarDataError(problems);
  }
  const y = value as CalendarYear;
  return {
    year: y.year,
    status: y.status,
    sources: [...y.sources],
    ...(y.note ? { note: y.note } : {}),
    days: [...y.days].sort((a, b) => a.date.localeCompare(b.date)),
  };
}

export function parseWeekly(value: unknown): WeeklyWindows {
  const problems = weeklyProblems(value);
  if (problems.length > 0) {
    throw new CalendarDataError(problems);
  }
  return value as WeeklyWindows;
}
