import type { CalendarStatus, LocalDate, WorkingCalendar } from '../../calendar/working-calendar';

/**
 * A small, obviously-correct WorkingCalendar for unit tests of the verdict rules: Monday–Friday
 * 07:00–11:30 and 13:30–17:00 Vietnam time, plus the days off and make-up days a test names.
 * Not the product calendar (that one reads the published years from PostgreSQL).
 */
const OFFSET_MS = 7 * 60 * 60_000;
const DAY_MS = 24 * 60 * 60_000;
const WINDOWS: readonly (readonly [number, number])[] = [
  [7 * 60, 11 * 60 + 30],
  [13 * 60 + 30, 17 * 60],
];

const localDateOf = (at: number): LocalDate => new Date(at + OFFSET_MS).toISOString().slice(0, 10);
const midnightOf = (date: LocalDate): number => Date.parse(`${date}T00:00:00Z`) - OFFSET_MS;
const nextDate = (date: LocalDate): LocalDate => localDateOf(midnightOf(date) + DAY_MS + 60_000);

export interface FixedCalendarOptions {
  daysOff?: LocalDate[];
  makeUpDays?: LocalDate[];
  version?: string;
}

export function fixedCalendar(options: FixedCalendarOptions = {}): WorkingCalendar {
  const daysOff = new Set(options.daysOff ?? []);
  const makeUp = new Set(options.makeUpDays ?? []);
  const isWorkingDay = (date: LocalDate): boolean => {
    if (makeUp.has(date)) {
      return true;
    }
    const weekday = new Date(`${date}T00:00:00Z`).getUTCDay();
    return weekday >= 1 && weekday <= 5 && !daysOff.has(date);
  };
  const nextWorkingDay = (date: LocalDate): LocalDate => {
    let d = nextDate(date);
    while (!isWorkingDay(d)) {
      d = nextDate(d);
    }
    return d;
  };
  const windowsOf = (date: LocalDate): [number, number][] =>
    isWorkingDay(date)
      ? WINDOWS.map(([s, e]) => [midnightOf(date) + s * 60_000, midnightOf(date) + e * 60_000])
      : [];

  const normaliseStart = (at: Date): Date => {
    let date = localDateOf(at.getTime());
    for (const [s, e] of windowsOf(date)) {
      if (at.getTime() < s) {
        return new Date(s);
      }
      if (at.getTime() < e) {
        return at;
      }
    }
    date = nextWorkingDay(date);
    return new Date(windowsOf(date)[0][0]);
  };

  const addWorkingMinutes = (start: Date, minutes: number): Date => {
    let remaining = minutes * 60_000;
    let cursor = start.getTime();
    if (remaining <= 0) {
      return start;
    }
    let date = localDateOf(cursor);
    for (;;) {
      for (const [s, e] of windowsOf(date)) {
        if (e <= cursor) {
          continue;
        }
        const from = Math.max(s, cursor);
        if (remaining <= e - from) {
          return new Date(from + remaining);
        }
        remaining -= e - from;
        cursor = e;
      }
      date = nextDate(date);
    }
  };

  const workingMinutesBetween = (from: Date, to: Date): number => {
    if (to < from) {
      return -workingMinutesBetween(to, from);
    }
    let total = 0;
    for (let date = localDateOf(from.getTime()); midnightOf(date) < to.getTime(); date = nextDate(date)) {
      for (const [s, e] of windowsOf(date)) {
        total += Math.max(0, Math.min(e, to.getTime()) - Math.max(s, from.getTime()));
      }
    }
    return Math.floor(total / 60_000);
  };

  const rollForward = (at: number): Date => {
    const date = localDateOf(at);
    return isWorkingDay(date) ? new Date(at) : new Date(windowsOf(nextWorkingDay(date))[1][1]);
  };

  return {
    version: options.version ?? 'test-calendar',
    statusOf: (): CalendarStatus => 'official',
    isWorkingDay,
    normaliseStart,
    addWorkingMinutes,
    workingMinutesBetween,
    addCalendarDays: (start, days, opts) => {
      if (!opts?.skipDaysOff) {
        return rollForward(start.getTime() + days * DAY_MS);
      }
      let at = start.getTime();
      for (let left = days; left > 0;) {
        at += DAY_MS;
        if (isWorkingDay(localDateOf(at)) || new Date(at + OFFSET_MS).getUTCDay() % 6 === 0) {
          left -= 1;
        }
      }
      return rollForward(at);
    },
    addMonths: (start, months) => {
      const wall = new Date(start.getTime() + OFFSET_MS);
      wall.setUTCMonth(wall.getUTCMonth() + months);
      return rollForward(wall.getTime() - OFFSET_MS);
    },
    sameDay: (at, cutOff) => {
      const date = localDateOf(at.getTime());
      const [h, m] = cutOff.split(':').map(Number);
      const late = at.getTime() >= midnightOf(date) + (h * 60 + m) * 60_000;
      const day = isWorkingDay(date) && !late ? date : nextWorkingDay(date);
      return new Date(windowsOf(day)[1][1]);
    },
  };
}
