/**
 * Property-based tests of the working calendar (fast-check), and cross-checks against small, independent
 * re-implementations of the two real senders' algorithms as the DOMAIN brief (§7.1) describes them:
 * - Thanh Hóa: start normalisation (before 07:00 → 07:00, lunch → 13:30, after 17:00 or a day off → next
 *   working day 07:00), then 8 working hours per day; its holiday table lists days off only.
 * - OpenCPS: working hours configured per weekday, holiday rows with holidayType 0 (day off) or
 *   1 (make-up working day).
 */
import fc from 'fast-check';
import { DateTime } from 'luxon';
import { describe, expect, it, vi } from 'vitest';
import { buildWorkingCalendar } from './build-working-calendar';
import type { CalendarLayer } from './calendar-model';
import { SHIPPED_LUNAR_DATES, SHIPPED_NATIONAL_LAYER, shippedWorkingCalendar } from './testing/shipped';

// Hundreds of runs per property: room for a loaded machine.
vi.setConfig({ testTimeout: 60_000 });

const ZONE = 'Asia/Ho_Chi_Minh';
const MIN = 60_000;
const cal = shippedWorkingCalendar();
const runs = { numRuns: 200 };
/** The minute-by-minute reference implementation is slow: fewer runs. */
const slowRuns = { numRuns: 100 };

const FROM = DateTime.fromISO('2025-12-01T00:00', { zone: ZONE }).toMillis();
const TO = DateTime.fromISO('2028-01-31T00:00', { zone: ZONE }).toMillis();
/** Minute-aligned instants from December 2025 to January 2028 (2026 official, 2027 provisional, 2028 skeleton). */
const instant = fc.integer({ min: FROM / MIN, max: TO / MIN }).map((m) => new Date(m * MIN));
const minutes = fc.integer({ min: 0, max: 6 * 480 });

const local = (d: Date) => DateTime.fromJSDate(d, { zone: ZONE });
const minuteOfDay = (d: Date) => local(d).hour * 60 + local(d).minute;
/** Window bounds of the shipped calendar's day of `d`, in minutes. */
const windowsOf = (d: Date) =>
  cal.dayInfo(local(d).toISODate() as string).windows.map((w) => {
    const [fh, fm] = w.from.split(':').map(Number);
    const [th, tm] = w.to.split(':').map(Number);
    return [fh * 60 + fm, th * 60 + tm] as const;
  });

describe('working-calendar properties', () => {
  it('adding then measuring gives the minutes back', () => {
    fc.assert(
      fc.property(
        instant,
        minutes,
        (s, m) => cal.workingMinutesBetween(s, cal.addWorkingMinutes(s, m)) === m,
      ),
      runs,
    );
  });

  it('subtracting walks back exactly as far, measured forwards', () => {
    fc.assert(
      fc.property(
        instant,
        minutes,
        (s, m) => cal.workingMinutesBetween(cal.addWorkingMinutes(s, -m), s) <= m,
      ),
      runs,
    );
    fc.assert(
      fc.property(instant, minutes, (s, m) => {
        const due = cal.addWorkingMinutes(s, m);
        return cal.workingMinutesBetween(cal.addWorkingMinutes(due, -m), due) === m;
      }),
      runs,
    );
  });

  it('is monotonic in the minutes and in the start', () => {
    fc.assert(
      fc.property(instant, minutes, minutes, (s, a, b) => {
        const [lo, hi] = a <= b ? [a, b] : [b, a];
        return cal.addWorkingMinutes(s, lo) <= cal.addWorkingMinutes(s, hi);
      }),
      runs,
    );
    fc.assert(
      fc.property(instant, instant, minutes, (x, y, m) => {
        const [s1, s2] = x <= y ? [x, y] : [y, x];
        return cal.addWorkingMinutes(s1, m) <= cal.addWorkingMinutes(s2, m);
      }),
      runs,
    );
  });

  it('is additive: a then b equals a + b', () => {
    fc.assert(
      fc.property(instant, minutes, minutes, (s, a, b) => {
        fc.pre(a > 0 && b > 0);
        return (
          cal.addWorkingMinutes(cal.addWorkingMinutes(s, a), b).getTime() ===
          cal.addWorkingMinutes(s, a + b).getTime()
        );
      }),
      runs,
    );
  });

  it('a due instant is inside a window or exactly at its end, never in lunch or closed hours', () => {
    fc.assert(
      fc.property(instant, minutes, (s, m) => {
        fc.pre(m > 0);
        const due = cal.addWorkingMinutes(s, m);
        const t = minuteOfDay(due);
        return windowsOf(due).some(([from, to]) => t > from && t <= to);
      }),
      runs,
    );
  });

  it('normaliseStart lands inside a window, is idempotent, and changes no due instant', () => {
    fc.assert(
      fc.property(instant, minutes, (s, m) => {
        const n = cal.normaliseStart(s);
        const t = minuteOfDay(n);
        const inside = windowsOf(n).some(([from, to]) => t >= from && t < to);
        const sameDue =
          m === 0 || cal.addWorkingMinutes(n, m).getTime() === cal.addWorkingMinutes(s, m).getTime();
        return inside && n >= s && cal.normaliseStart(n).getTime() === n.getTime() && sameDue;
      }),
      runs,
    );
  });

  it('measuring is additive over a split point and antisymmetric', () => {
    fc.assert(
      fc.property(instant, instant, instant, (a, b, c) => {
        const ab = cal.workingMinutesBetween(a, b);
        return (
          ab + cal.workingMinutesBetween(b, c) === cal.workingMinutesBetween(a, c) &&
          ab === -cal.workingMinutesBetween(b, a)
        );
      }),
      runs,
    );
  });

  it('calendar-day and month results never fall on a day off', () => {
    fc.assert(
      fc.property(instant, fc.integer({ min: 0, max: 60 }), fc.boolean(), (s, n, skip) => {
        const due = cal.addCalendarDays(s, n, { skipDaysOff: skip });
        return cal.isWorkingDay(local(due).toISODate() as string) && due >= s;
      }),
      runs,
    );
    fc.assert(
      fc.property(instant, fc.integer({ min: 0, max: 24 }), (s, n) =>
        cal.isWorkingDay(local(cal.addMonths(s, n)).toISODate() as string),
      ),
      runs,
    );
  });
});

// ----- Thanh Hóa, re-implemented from its description: normalise, then whole days of 8 h and the rest ------

const OPEN = 7 * 60;
const LUNCH_FROM = 11 * 60 + 30;
const LUNCH_TO = 13 * 60 + 30;
const CLOSE = 17 * 60;

function thanhHoaDue(received: Date, hours: number, daysOff: ReadonlySet<string>): Date {
  const isWorking = (d: DateTime) => d.weekday <= 5 && !daysOff.has(d.toISODate() as string);
  const nextWorkingOpening = (d: DateTime) => {
    let n = d.plus({ days: 1 }).startOf('day');
    while (!isWorking(n)) {
      n = n.plus({ days: 1 });
    }
    return n.set({ hour: 7, minute: 0 });
  };
  let t: DateTime = DateTime.fromJSDate(received, { zone: ZONE });
  const mod = t.hour * 60 + t.minute;
  if (!isWorking(t) || mod >= CLOSE) {
    t = nextWorkingOpening(t);
  } else if (mod < OPEN) {
    t = t.set({ hour: 7, minute: 0 });
  } else if (mod >= LUNCH_FROM && mod < LUNCH_TO) {
    t = t.set({ hour: 13, minute: 30 });
  }
  let left = Math.round(hours * 60);
  // Whole days: the same clock time on the next working day.
  while (left >= 480) {
    let n = t.plus({ days: 1 });
    while (!isWorking(n)) {
      n = n.plus({ days: 1 });
    }
    t = n;
    left -= 480;
  }
  // The rest, minute by minute through the windows.
  while (left > 0) {
    const m = t.hour * 60 + t.minute;
    if ((m >= OPEN && m < LUNCH_FROM) || (m >= LUNCH_TO && m < CLOSE)) {
      left -= 1;
      t = t.plus({ minutes: 1 });
    } else if (m >= LUNCH_FROM && m < LUNCH_TO) {
      t = t.set({ hour: 13, minute: 30 });
    } else {
      t = nextWorkingOpening(t);
    }
  }
  return t.toJSDate();
}

/** Two instants at one working-time position: equal, or a window end and the next window's start. */
function samePosition(a: Date, b: Date): boolean {
  if (a.getTime() === b.getTime()) {
    return true;
  }
  const [early, late] = a < b ? [a, b] : [b, a];
  return (
    cal.workingMinutesBetween(early, late) === 0 && cal.normaliseStart(early).getTime() === late.getTime()
  );
}

describe('cross-check: Thanh Hóa (days off only, 8 h a day)', () => {
  // Thanh Hóa's table has no make-up days: compare on a calendar without them.
  const daysOffOnly: CalendarLayer = {
    ...SHIPPED_NATIONAL_LAYER,
    years: SHIPPED_NATIONAL_LAYER.years.map((y) => ({
      ...y,
      days: y.days.filter((d) => d.kind === 'day_off'),
    })),
  };
  const plain = buildWorkingCalendar([daysOffOnly], { lunar: SHIPPED_LUNAR_DATES });
  const daysOff = new Set(
    daysOffOnly.years
      .flatMap((y) => y.days.map((d) => d.date))
      .concat(
        // 2028 is the skeleton in both.
        [...Array(366).keys()]
          .map((i) => DateTime.fromISO('2028-01-01', { zone: ZONE }).plus({ days: i }).toISODate() as string)
          .filter((d) => plain.dayInfo(d).kind === 'day_off'),
      ),
  );

  it('normalises the start the same way', () => {
    fc.assert(
      fc.property(instant, (s) => plain.normaliseStart(s).getTime() === thanhHoaDue(s, 0, daysOff).getTime()),
      runs,
    );
  });

  it('gives the same due instant for allowances in quarter days (up to the edge convention)', () => {
    fc.assert(
      fc.property(instant, fc.integer({ min: 1, max: 40 }), (s, quarters) => {
        const hours = quarters * 2;
        return samePosition(plain.addWorkingMinutes(s, hours * 60), thanhHoaDue(s, hours, daysOff));
      }),
      slowRuns,
    );
  });
});

// ----- OpenCPS, re-implemented: per-weekday hours and holidayType 0/1 rows -------------------------------

interface OpenCpsHoliday {
  holidayDate: string;
  holidayType: 0 | 1;
}

/** OpenCPS-style working time: `workTime[weekday]` lists "HH:mm-HH:mm" ranges (1 = Monday … 7 = Sunday). */
function openCpsDue(
  start: Date,
  minutesToAdd: number,
  workTime: Record<number, string[]>,
  holidays: OpenCpsHoliday[],
) {
  const byDate = new Map(holidays.map((h) => [h.holidayDate, h.holidayType]));
  const rangesOf = (d: DateTime): [number, number][] => {
    const type = byDate.get(d.toISODate() as string);
    const spec = type === 0 ? [] : type === 1 ? workTime[1] : (workTime[d.weekday] ?? []);
    return spec.map((r) => {
      const [a, b] = r.split('-').map((x) => x.split(':').map(Number));
      return [a[0] * 60 + a[1], b[0] * 60 + b[1]];
    });
  };
  let day = DateTime.fromJSDate(start, { zone: ZONE }).startOf('day');
  let cursor = DateTime.fromJSDate(start, { zone: ZONE }).diff(day, 'minutes').minutes;
  let left = minutesToAdd;
  for (;;) {
    for (const [from, to] of rangesOf(day)) {
      const s = Math.max(from, cursor);
      if (s >= to) {
        continue;
      }
      if (to - s >= left) {
        return day.plus({ minutes: s + left }).toJSDate();
      }
      left -= to - s;
      cursor = to;
    }
    day = day.plus({ days: 1 });
    cursor = 0;
  }
}

describe('cross-check: OpenCPS (per-weekday windows, holidayType 0/1)', () => {
  const workTime: Record<number, string[]> = {
    1: ['07:00-11:30', '13:30-17:00'],
    2: ['07:00-11:30', '13:30-17:00'],
    3: ['07:00-11:30', '13:30-17:00'],
    4: ['07:00-11:30', '13:30-17:00'],
    5: ['07:00-11:30', '13:30-16:30'],
    6: ['07:30-11:00'],
  };
  const national = SHIPPED_NATIONAL_LAYER.years.filter((y) => y.year === 2026);
  const holidays: OpenCpsHoliday[] = national.flatMap((y) =>
    y.days.map((d) => ({
      holidayDate: d.date,
      holidayType: d.kind === 'day_off' ? (0 as const) : (1 as const),
    })),
  );
  const ours = buildWorkingCalendar([
    {
      scope: { level: 'national' },
      weekly: {
        fri: [
          { from: '07:00', to: '11:30' },
          { from: '13:30', to: '16:30' },
        ],
        sat: [{ from: '07:30', to: '11:00' }],
      },
      years: national,
    },
  ]);
  const in2026 = fc
    .integer({
      min: DateTime.fromISO('2026-01-01', { zone: ZONE }).toMillis() / MIN,
      max: DateTime.fromISO('2026-11-30', { zone: ZONE }).toMillis() / MIN,
    })
    .map((m) => new Date(m * MIN));

  it('gives the same due instant on random starts and allowances', () => {
    fc.assert(
      fc.property(in2026, fc.integer({ min: 1, max: 3_000 }), (s, m) => {
        return ours.addWorkingMinutes(s, m).getTime() === openCpsDue(s, m, workTime, holidays).getTime();
      }),
      runs,
    );
  });

  it('agrees on the make-up Saturday 10/01/2026 (holidayType 1) and the Tết week (holidayType 0)', () => {
    const s = DateTime.fromISO('2026-01-09T16:00', { zone: ZONE }).toJSDate();
    expect(ours.addWorkingMinutes(s, 120).getTime()).toBe(openCpsDue(s, 120, workTime, holidays).getTime());
    const t = DateTime.fromISO('2026-02-13T16:00', { zone: ZONE }).toJSDate();
    expect(ours.addWorkingMinutes(t, 120).getTime()).toBe(openCpsDue(t, 120, workTime, holidays).getTime());
  });
});
