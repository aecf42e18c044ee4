/**
 * `buildWorkingCalendar(layers)`: the `WorkingCalendar` over national, province and agency layers (the
 * most specific wins per weekday and per date). A year the national layer does not publish falls back to
 * the statutory skeleton and is provisional. Every instant is read on the Vietnam wall clock at minute
 * precision (seconds are dropped); window ends are exact (a step ending at 11:30 is due 11:30).
 */
import { DateTime } from 'luxon';
import {
  type CalendarDay,
  CalendarDataError,
  type CalendarLayer,
  DEFAULT_DAY_WINDOWS,
  DEFAULT_WEEKLY,
  type DayKind,
  isLocalDate,
  LEVEL_RANK,
  minuteOfDay,
  scopeLabel,
  type TimeWindow,
  VN_ZONE,
  type Weekday,
  WEEKDAYS,
} from './calendar-model';
import { type LunarDates, statutorySkeleton } from './statutory-skeleton';
import type { CalendarStatus, LocalDate, WorkingCalendar } from './working-calendar';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
/** No working minute in ten years means the data is wrong; stop instead of looping. */
const MAX_SCAN_DAYS = 3_700;
const HH_MM = /^([01]\d|2[0-3]):([0-5]\d)$/;

export interface BuildOptions {
  /** Stamped on every timing record; defaults to the layers' scopes, e.g. `VN + H56`. */
  version?: string;
  /** Lunar holiday dates for skeleton years (`config/calendars/lunar-dates.json`). */
  lunar?: ReadonlyMap<number, LunarDates>;
}

/** What one local date is under the calendar, for explanations and the console's year view. */
export interface DayInfo {
  date: LocalDate;
  weekday: Weekday;
  /** `regular`: the weekly windows apply; otherwise the dated entry's kind. */
  kind: DayKind | 'regular';
  working: boolean;
  windows: TimeWindow[];
  name?: string;
  source?: string;
  note?: string;
  replaces?: LocalDate;
  /** Provisional when the day's entry or its year is. */
  status: CalendarStatus;
  /** Which layer decided the day: `VN`, a province or agency code, or `skeleton`. */
  decidedBy: string;
}

/** The year-level status and where the year's days come from. */
export interface YearInfo {
  year: number;
  status: CalendarStatus;
  /** `published`: the national layer has the year; `skeleton`: Labour Code days only. */
  basis: 'published' | 'skeleton';
  /** Holidays the skeleton could not place (no lunar dates). */
  missing: string[];
}

/** Working-calendar operations beyond the contract, for the console and explanations. */
export interface ExplainedWorkingCalendar extends WorkingCalendar {
  dayInfo(date: LocalDate): DayInfo;
  yearInfo(year: number): YearInfo;
  /** `provisional` when any year or dated day touched by [from, to] is. */
  statusBetween(from: Date, to: Date): CalendarStatus;
  /** The local date of an instant. */
  localDateOf(at: Date): LocalDate;
  addYears(start: Date, years: number): Date;
}

interface DayPlan {
  info: DayInfo;
  midnight: number;
  /** Absolute [start, end) ms of each window, in order. */
  spans: [number, number][];
  next?: DayPlan;
  prev?: DayPlan;
}

interface ResolvedLayer {
  label: string;
  rank: number;
  weekly: CalendarLayer['weekly'];
  years: Map<number, { status: CalendarStatus; days: Map<LocalDate, CalendarDay> }>;
}

const toWindows = (windows: readonly TimeWindow[]): TimeWindow[] => windows.map((w) => ({ ...w }));

export function buildWorkingCalendar(
  layers: readonly CalendarLayer[],
  options: BuildOptions = {},
): ExplainedWorkingCalendar {
  const resolved: ResolvedLayer[] = layers
    .map((layer) => ({
      label: scopeLabel(layer.scope),
      rank: LEVEL_RANK[layer.scope.level],
      weekly: layer.weekly,
      years: new Map(
        layer.years.map((y) => [y.year, { status: y.status, days: new Map(y.days.map((d) => [d.date, d])) }]),
      ),
    }))
    .sort((a, b) => b.rank - a.rank);
  const ranks = resolved.map((l) => l.rank);
  if (new Set(ranks).size !== ranks.length) {
    throw new CalendarDataError([
      { path: '/layers', message: 'at most one layer per level (national, province, agency)' },
    ]);
  }
  const national = resolved.find((l) => l.rank === 0);
  const version =
    options.version ??
    [...resolved]
      .reverse()
      .map((l) => l.label)
      .join(' + ');
  const skeletons = new Map<number, ReturnType<typeof statutorySkeleton>>();
  const skeletonOf = (year: number) => {
    let s = skeletons.get(year);
    if (!s) {
      s = statutorySkeleton(year, options.lunar?.get(year));
      skeletons.set(year, s);
    }
    return s;
  };
  const skeletonDays = new Map<number, Map<LocalDate, CalendarDay>>();
  const skeletonDay = (year: number, date: LocalDate) => {
    let days = skeletonDays.get(year);
    if (!days) {
      days = new Map(skeletonOf(year).days.map((d) => [d.date, d]));
      skeletonDays.set(year, days);
    }
    return days.get(date);
  };

  const yearInfo = (year: number): YearInfo => {
    const published = national?.years.get(year);
    const declared = resolved.map((l) => l.years.get(year)).filter((y) => y !== undefined);
    const status: CalendarStatus =
      published && declared.every((y) => y.status === 'official') ? 'official' : 'provisional';
    return {
      year,
      status,
      basis: published ? 'published' : 'skeleton',
      missing: published ? [] : skeletonOf(year).missing,
    };
  };

  const weeklyFor = (weekday: Weekday): { windows: TimeWindow[]; label: string } => {
    for (const layer of resolved) {
      const w = layer.weekly?.[weekday];
      if (w !== undefined) {
        return { windows: toWindows(w), label: layer.label };
      }
    }
    return { windows: toWindows(DEFAULT_WEEKLY[weekday] ?? []), label: 'VN' };
  };

  const describe = (date: LocalDate): DayInfo => {
    const dt = DateTime.fromISO(date, { zone: VN_ZONE });
    const weekday = WEEKDAYS[dt.weekday - 1];
    const year = dt.year;
    const yearStatus = yearInfo(year).status;
    let entry: CalendarDay | undefined;
    let decidedBy = '';
    for (const layer of resolved) {
      const found = layer.years.get(year)?.days.get(date);
      if (found) {
        entry = found;
        decidedBy = layer.label;
        break;
      }
    }
    if (!entry && !national?.years.has(year)) {
      entry = skeletonDay(year, date);
      decidedBy = 'skeleton';
    }
    if (!entry) {
      const weekly = weeklyFor(weekday);
      return {
        date,
        weekday,
        kind: 'regular',
        working: weekly.windows.length > 0,
        windows: weekly.windows,
        status: yearStatus,
        decidedBy: weekly.label,
      };
    }
    let windows: TimeWindow[];
    if (entry.kind === 'day_off') {
      windows = [];
    } else if (entry.windows && entry.windows.length > 0) {
      windows = toWindows(entry.windows);
    } else {
      // A make-up day works a standard working day (Monday's windows), as OpenCPS's holidayType 1 does.
      windows = weeklyFor('mon').windows;
      if (windows.length === 0) {
        windows = toWindows(DEFAULT_DAY_WINDOWS);
      }
    }
    return {
      date,
      weekday,
      kind: entry.kind,
      working: windows.length > 0,
      windows,
      name: entry.name,
      source: entry.source,
      ...(entry.note ? { note: entry.note } : {}),
      ...(entry.replaces ? { replaces: entry.replaces } : {}),
      status: entry.status === 'provisional' || yearStatus === 'provisional' ? 'provisional' : 'official',
      decidedBy,
    };
  };

  const plans = new Map<LocalDate, DayPlan>();
  const planOf = (date: LocalDate): DayPlan => {
    let plan = plans.get(date);
    if (!plan) {
      const info = describe(date);
      const midnight = DateTime.fromISO(date, { zone: VN_ZONE }).toMillis();
      plan = {
        info,
        midnight,
        spans: info.windows.map((w) => [
          midnight + minuteOfDay(w.from) * MINUTE,
          midnight + minuteOfDay(w.to) * MINUTE,
        ]),
      };
      plans.set(date, plan);
    }
    return plan;
  };
  const nextOf = (plan: DayPlan): DayPlan => {
    plan.next ??= planOf(shiftDate(plan.info.date, 1));
    return plan.next;
  };
  const prevOf = (plan: DayPlan): DayPlan => {
    plan.prev ??= planOf(shiftDate(plan.info.date, -1));
    return plan.prev;
  };
  // Vietnam's offset is whole hours: the local date is constant within a UTC hour, so luxon answers once per hour.
  const hourDates = new Map<number, LocalDate>();
  const localDateOfMs = (ms: number): LocalDate => {
    const hour = Math.floor(ms / HOUR);
    let date = hourDates.get(hour);
    if (date === undefined) {
      if (hourDates.size >= 100_000) {
        hourDates.clear();
      }
      date = DateTime.fromMillis(ms, { zone: VN_ZONE }).toISODate() as string;
      hourDates.set(hour, date);
    }
    return date;
  };
  const planAt = (ms: number) => planOf(localDateOfMs(ms));
  const noWorkingTime = (from: LocalDate): never => {
    throw new CalendarDataError([
      {
        path: '/days',
        message: `no working window within ${MAX_SCAN_DAYS} days of ${from}: check the calendar data`,
      },
    ]);
  };
  /** The first working day on or after `plan` (its plan). */
  const workingFrom = (plan: DayPlan): DayPlan => {
    let p = plan;
    for (let i = 0; i < MAX_SCAN_DAYS; i += 1) {
      if (p.spans.length > 0) {
        return p;
      }
      p = nextOf(p);
    }
    return noWorkingTime(plan.info.date);
  };
  const closing = (plan: DayPlan) => plan.spans[plan.spans.length - 1][1];
  /** A calendar-day result on a day off moves to the next working day's closing time. */
  const rollForward = (local: DateTime): Date => {
    const plan = planOf(local.toISODate() as string);
    return plan.spans.length > 0 ? new Date(local.toMillis()) : new Date(closing(workingFrom(plan)));
  };

  const normaliseStart = (at: Date): Date => {
    const t = floorMinute(at);
    let plan = planAt(t);
    for (let i = 0; i < MAX_SCAN_DAYS; i += 1) {
      for (const [start, end] of plan.spans) {
        if (t < end) {
          return new Date(Math.max(start, t));
        }
      }
      plan = nextOf(plan);
    }
    return noWorkingTime(plan.info.date);
  };

  const addWorkingMinutes = (start: Date, minutes: number): Date => {
    if (!Number.isFinite(minutes)) {
      throw new RangeError(`working minutes must be a finite number, got ${minutes}`);
    }
    const whole = Math.round(minutes);
    let t = floorMinute(start);
    if (whole === 0) {
      return new Date(t);
    }
    let remaining = Math.abs(whole) * MINUTE;
    let plan = planAt(t);
    for (let i = 0; i < MAX_SCAN_DAYS * 2; i += 1) {
      if (whole > 0) {
        for (const [ws, we] of plan.spans) {
          if (we <= t) {
            continue;
          }
          const s = Math.max(ws, t);
          if (remaining <= we - s) {
            return new Date(s + remaining);
          }
          remaining -= we - s;
          t = we;
        }
        plan = nextOf(plan);
      } else {
        for (let k = plan.spans.length - 1; k >= 0; k -= 1) {
          const [ws, we] = plan.spans[k];
          if (ws >= t) {
            continue;
          }
          const e = Math.min(we, t);
          if (remaining <= e - ws) {
            return new Date(e - remaining);
          }
          remaining -= e - ws;
          t = ws;
        }
        plan = prevOf(plan);
      }
    }
    return noWorkingTime(localDateOfMs(t));
  };

  const workingMinutesBetween = (from: Date, to: Date): number => {
    const a = floorMinute(from);
    const b = floorMinute(to);
    if (b < a) {
      return -workingMinutesBetween(to, from);
    }
    let total = 0;
    let plan = planAt(a);
    while (plan.midnight <= b) {
      for (const [ws, we] of plan.spans) {
        const s = Math.max(ws, a);
        const e = Math.min(we, b);
        if (e > s) {
          total += e - s;
        }
      }
      plan = nextOf(plan);
    }
    return total / MINUTE;
  };

  const isDatedDayOff = (date: LocalDate) => planOf(date).info.kind === 'day_off';

  const addCalendarDays = (start: Date, days: number, options: { skipDaysOff?: boolean } = {}): Date => {
    if (!Number.isInteger(days)) {
      throw new RangeError(`calendar days must be a whole number, got ${days}`);
    }
    let local = DateTime.fromMillis(floorMinute(start), { zone: VN_ZONE });
    if (!options.skipDaysOff) {
      return rollForward(local.plus({ days }));
    }
    const step = days >= 0 ? 1 : -1;
    for (let left = Math.abs(days), guard = 0; left > 0; guard += 1) {
      if (guard > MAX_SCAN_DAYS + Math.abs(days)) {
        noWorkingTime(local.toISODate() as string);
      }
      local = local.plus({ days: step });
      if (!isDatedDayOff(local.toISODate() as string)) {
        left -= 1;
      }
    }
    return rollForward(local);
  };

  const addMonths = (start: Date, months: number): Date => {
    if (!Number.isInteger(months)) {
      throw new RangeError(`months must be a whole number, got ${months}`);
    }
    return rollForward(DateTime.fromMillis(floorMinute(start), { zone: VN_ZONE }).plus({ months }));
  };

  const sameDay = (at: Date, cutOff: string): Date => {
    if (!HH_MM.test(cutOff)) {
      throw new RangeError(`cut-off must be HH:mm, got "${cutOff}"`);
    }
    const t = floorMinute(at);
    const plan = planAt(t);
    const minute = (t - plan.midnight) / MINUTE;
    if (plan.spans.length > 0 && minute <= minuteOfDay(cutOff) && t < closing(plan)) {
      return new Date(closing(plan));
    }
    return new Date(closing(workingFrom(nextOf(plan))));
  };

  const statusBetween = (from: Date, to: Date): CalendarStatus => {
    const [a, b] = from <= to ? [floorMinute(from), floorMinute(to)] : [floorMinute(to), floorMinute(from)];
    let plan = planAt(a);
    while (plan.midnight <= b) {
      if (plan.info.status === 'provisional') {
        return 'provisional';
      }
      plan = nextOf(plan);
    }
    return 'official';
  };

  return {
    version,
    statusOf: (year) => yearInfo(year).status,
    isWorkingDay: (date) => planOf(checkedDate(date)).spans.length > 0,
    normaliseStart,
    addWorkingMinutes,
    workingMinutesBetween,
    addCalendarDays,
    addMonths,
    addYears: (start, years) => addMonths(start, years * 12),
    sameDay,
    dayInfo: (date) => planOf(checkedDate(date)).info,
    yearInfo,
    statusBetween,
    localDateOf: (at) => localDateOfMs(at.getTime()),
  };
}

function floorMinute(at: Date): number {
  const ms = at.getTime();
  if (Number.isNaN(ms)) {
    throw new RangeError('invalid date');
  }
  return Math.floor(ms / MINUTE) * MINUTE;
}

function checkedDate(date: unknown): LocalDate {
  if (!isLocalDate(date)) {
    throw new RangeError(`"${String(date)}" is not a date yyyy-mm-dd`);
  }
  return date;
}

function shiftDate(date: LocalDate, days: number): LocalDate {
  return DateTime.fromISO(date, { zone: VN_ZONE }).plus({ days }).toISODate() as string;
}
