import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { buildWorkingCalendar } from './build-working-calendar';
import { CalendarDataError, type CalendarLayer, parseCalendarYear } from './calendar-model';
import {
  SHIPPED_LUNAR_DATES,
  SHIPPED_NATIONAL_LAYER,
  SHIPPED_NATIONAL_YEARS,
  shippedWorkingCalendar,
} from './testing/shipped';
import { statutorySkeleton } from './statutory-skeleton';

/** `yyyy-mm-dd HH:mm` on the Vietnam wall clock. */
const vn = (text: string): Date =>
  DateTime.fromFormat(text, 'yyyy-MM-dd HH:mm', { zone: 'Asia/Ho_Chi_Minh' }).toJSDate();
const show = (d: Date): string =>
  DateTime.fromJSDate(d, { zone: 'Asia/Ho_Chi_Minh' }).toFormat('yyyy-MM-dd HH:mm ccc');

const cal = shippedWorkingCalendar();
const H = 60;

describe('worked examples (DOMAIN brief §7.1)', () => {
  it('Friday 16:00 + 8 h is Monday 16:00 (1 h Friday, 4.5 h Monday morning, 2.5 h afternoon)', () => {
    expect(show(cal.addWorkingMinutes(vn('2026-03-06 16:00'), 8 * H))).toBe('2026-03-09 16:00 Mon');
    expect(cal.workingMinutesBetween(vn('2026-03-06 16:00'), vn('2026-03-09 16:00'))).toBe(8 * H);
  });

  it('10:30 + 2 h is 14:30 (lunch skipped)', () => {
    expect(show(cal.addWorkingMinutes(vn('2026-03-10 10:30'), 2 * H))).toBe('2026-03-10 14:30 Tue');
  });

  it('the 2025 provincial example: 2 + 12 + 4 + 4 working hours from Monday 07:00', () => {
    let t = vn('2026-03-09 07:00');
    const dues = [2, 12, 4, 4].map((h) => (t = cal.addWorkingMinutes(t, h * H))).map(show);
    expect(dues).toEqual([
      '2026-03-09 09:00 Mon',
      '2026-03-10 15:00 Tue',
      '2026-03-11 09:00 Wed',
      '2026-03-11 15:00 Wed',
    ]);
  });
});

describe('exact at the edges', () => {
  it('a step ending at 11:30 is due 11:30, never 13:30; one ending at 17:00 is due 17:00', () => {
    expect(show(cal.addWorkingMinutes(vn('2026-03-10 07:00'), 270))).toBe('2026-03-10 11:30 Tue');
    expect(show(cal.addWorkingMinutes(vn('2026-03-10 13:30'), 210))).toBe('2026-03-10 17:00 Tue');
    expect(show(cal.addWorkingMinutes(vn('2026-03-10 11:30'), 1))).toBe('2026-03-10 13:31 Tue');
    expect(show(cal.addWorkingMinutes(vn('2026-03-10 17:00'), 1))).toBe('2026-03-11 07:01 Wed');
  });

  it('adding nothing leaves the instant alone; subtracting walks back to a window start exactly', () => {
    expect(show(cal.addWorkingMinutes(vn('2026-03-10 12:15'), 0))).toBe('2026-03-10 12:15 Tue');
    expect(show(cal.addWorkingMinutes(vn('2026-03-10 14:30'), -60))).toBe('2026-03-10 13:30 Tue');
    expect(show(cal.addWorkingMinutes(vn('2026-03-10 14:30'), -61))).toBe('2026-03-10 11:29 Tue');
    expect(show(cal.addWorkingMinutes(vn('2026-03-09 16:00'), -8 * H))).toBe('2026-03-06 16:00 Fri');
  });

  it('measures nothing during lunch, nights and weekends, and negative backwards', () => {
    expect(cal.workingMinutesBetween(vn('2026-03-10 11:30'), vn('2026-03-10 13:30'))).toBe(0);
    expect(cal.workingMinutesBetween(vn('2026-03-06 17:00'), vn('2026-03-09 07:00'))).toBe(0);
    expect(cal.workingMinutesBetween(vn('2026-03-10 11:00'), vn('2026-03-10 14:00'))).toBe(60);
    expect(cal.workingMinutesBetween(vn('2026-03-10 14:00'), vn('2026-03-10 11:00'))).toBe(-60);
  });
});

describe('start normalisation (Thanh Hóa)', () => {
  it.each([
    ['2026-03-10 06:10', '2026-03-10 07:00 Tue', 'before opening'],
    ['2026-03-10 09:45', '2026-03-10 09:45 Tue', 'inside a window'],
    ['2026-03-10 11:30', '2026-03-10 13:30 Tue', 'at the start of lunch'],
    ['2026-03-10 12:00', '2026-03-10 13:30 Tue', 'during lunch'],
    ['2026-03-10 17:00', '2026-03-11 07:00 Wed', 'at closing'],
    ['2026-03-06 18:20', '2026-03-09 07:00 Mon', 'Friday evening'],
    ['2026-03-08 10:00', '2026-03-09 07:00 Mon', 'on a Sunday'],
    ['2026-02-13 17:30', '2026-02-23 07:00 Mon', 'before the Tết break'],
    ['2026-04-29 17:01', '2026-05-04 07:00 Mon', 'before 30/4 – 1/5'],
  ])('%s → %s (%s)', (at, expected) => {
    expect(show(cal.normaliseStart(vn(at)))).toBe(expected);
  });
});

describe('the 2026 national calendar', () => {
  it('Saturday 10/01 is a make-up working day for Friday 02/01 with the weekday windows', () => {
    expect(cal.isWorkingDay('2026-01-02')).toBe(false);
    expect(cal.isWorkingDay('2026-01-10')).toBe(true);
    expect(cal.dayInfo('2026-01-10')).toMatchObject({
      kind: 'make_up',
      windows: [
        { from: '07:00', to: '11:30' },
        { from: '13:30', to: '17:00' },
      ],
      source: 'Công văn 12729/VPCP-KGVX ngày 25/12/2025',
      status: 'official',
    });
    expect(show(cal.addWorkingMinutes(vn('2026-01-09 16:00'), 8 * H))).toBe('2026-01-10 16:00 Sat');
    expect(show(cal.normaliseStart(vn('2026-12-31 17:30')))).toBe('2027-01-04 07:00 Mon');
    expect(show(cal.normaliseStart(vn('2025-12-31 17:30')))).toBe('2026-01-05 07:00 Mon');
  });

  it('the Tết week has no working time: Friday 13/02 16:00 + 2 h is Monday 23/02 08:00', () => {
    for (const d of ['2026-02-16', '2026-02-17', '2026-02-18', '2026-02-19', '2026-02-20']) {
      expect(cal.isWorkingDay(d)).toBe(false);
    }
    expect(show(cal.addWorkingMinutes(vn('2026-02-13 16:00'), 2 * H))).toBe('2026-02-23 08:00 Mon');
    expect(cal.workingMinutesBetween(vn('2026-02-13 07:00'), vn('2026-02-23 17:00'))).toBe(16 * H);
  });

  it('Giỗ Tổ is on Monday 27/04 (Sunday moved); 30/04 and 01/05 are off', () => {
    expect(['2026-04-27', '2026-04-30', '2026-05-01'].map((d) => cal.isWorkingDay(d))).toEqual([
      false,
      false,
      false,
    ]);
    expect(cal.isWorkingDay('2026-04-28')).toBe(true);
  });

  it('2026 is official, its early-September days are provisional, 2027 is provisional, 2031 is the skeleton', () => {
    expect(cal.statusOf(2026)).toBe('official');
    expect(cal.dayInfo('2026-09-02').status).toBe('provisional');
    expect(cal.statusBetween(vn('2026-03-02 07:00'), vn('2026-03-20 17:00'))).toBe('official');
    expect(cal.statusBetween(vn('2026-08-28 07:00'), vn('2026-09-04 17:00'))).toBe('provisional');
    expect(cal.statusOf(2027)).toBe('provisional');
    expect(cal.yearInfo(2031)).toEqual({
      year: 2031,
      status: 'provisional',
      basis: 'skeleton',
      missing: ['Tết Nguyên đán', 'Giỗ Tổ Hùng Vương'],
    });
    expect(cal.dayInfo('2031-01-01')).toMatchObject({
      kind: 'day_off',
      decidedBy: 'skeleton',
      status: 'provisional',
    });
  });
});

describe('calendar days, months, same day', () => {
  it('calendar days keep the wall clock; a day off rolls forward to the next working day closing', () => {
    expect(show(cal.addCalendarDays(vn('2026-03-02 09:15'), 3))).toBe('2026-03-05 09:15 Thu');
    expect(show(cal.addCalendarDays(vn('2026-03-02 09:15'), 5))).toBe('2026-03-09 17:00 Mon');
    expect(show(cal.addCalendarDays(vn('2026-02-10 09:15'), 7))).toBe('2026-02-23 17:00 Mon');
  });

  it('skipping days off does not count the holidays (weekends still count)', () => {
    // 28/04 + 3: 29, (30/04 and 01/05 off, not counted), 02 Sat, 03 Sun → Sunday rolls to Monday's closing.
    expect(show(cal.addCalendarDays(vn('2026-04-28 10:00'), 3, { skipDaysOff: true }))).toBe(
      '2026-05-04 17:00 Mon',
    );
    expect(show(cal.addCalendarDays(vn('2026-04-28 10:00'), 3))).toBe('2026-05-04 17:00 Mon');
    expect(show(cal.addCalendarDays(vn('2026-04-28 10:00'), 6, { skipDaysOff: true }))).toBe(
      '2026-05-06 10:00 Wed',
    );
    expect(show(cal.addCalendarDays(vn('2026-04-28 10:00'), 6))).toBe('2026-05-04 10:00 Mon');
  });

  it('months clamp to the month end and roll forward; years are twelve months', () => {
    expect(show(cal.addMonths(vn('2026-01-30 10:00'), 1))).toBe('2026-03-02 17:00 Mon');
    expect(show(cal.addMonths(vn('2026-03-31 10:00'), 1))).toBe('2026-05-04 17:00 Mon');
    expect(show(cal.addYears(vn('2026-03-10 10:00'), 1))).toBe('2027-03-10 10:00 Wed');
  });

  it('same day with a 15:00 cut-off', () => {
    expect(show(cal.sameDay(vn('2026-03-10 14:59'), '15:00'))).toBe('2026-03-10 17:00 Tue');
    expect(show(cal.sameDay(vn('2026-03-10 15:00'), '15:00'))).toBe('2026-03-10 17:00 Tue');
    expect(show(cal.sameDay(vn('2026-03-10 15:01'), '15:00'))).toBe('2026-03-11 17:00 Wed');
    expect(show(cal.sameDay(vn('2026-03-13 15:30'), '15:00'))).toBe('2026-03-16 17:00 Mon');
    expect(show(cal.sameDay(vn('2026-02-15 09:00'), '15:00'))).toBe('2026-02-23 17:00 Mon');
    expect(() => cal.sameDay(vn('2026-03-10 09:00'), '3pm')).toThrow(RangeError);
  });
});

describe('layers: the most specific wins', () => {
  const province: CalendarLayer = {
    scope: { level: 'province', province: 'H56' },
    weekly: { sat: [{ from: '07:30', to: '11:30' }] },
    years: [
      {
        year: 2026,
        status: 'official',
        sources: ['QĐ tỉnh'],
        days: [
          {
            date: '2026-03-10',
            kind: 'day_off',
            name: 'Ngày giải phóng tỉnh',
            source: 'QĐ tỉnh',
            status: 'official',
          },
          {
            date: '2026-01-02',
            kind: 'half_day',
            name: 'Làm buổi sáng',
            source: 'QĐ tỉnh',
            status: 'official',
            windows: [{ from: '07:00', to: '11:30' }],
          },
        ],
      },
    ],
  };
  const agency: CalendarLayer = {
    scope: { level: 'agency', agency: 'H56.01' },
    years: [
      {
        year: 2026,
        status: 'official',
        sources: ['QĐ sở'],
        days: [{ date: '2026-03-10', kind: 'make_up', name: 'Trực', source: 'QĐ sở', status: 'official' }],
      },
    ],
  };
  const layered = buildWorkingCalendar([agency, SHIPPED_NATIONAL_LAYER, province], {
    lunar: SHIPPED_LUNAR_DATES,
  });

  it('names its version from the scopes, national first', () => {
    expect(layered.version).toBe('VN + H56 + H56.01');
  });

  it('a province weekday, a province day off, an agency make-up day over it, a half day over a national day off', () => {
    expect(layered.dayInfo('2026-03-07')).toMatchObject({
      working: true,
      decidedBy: 'H56',
      windows: [{ from: '07:30', to: '11:30' }],
    });
    expect(layered.dayInfo('2026-03-10')).toMatchObject({ kind: 'make_up', decidedBy: 'H56.01' });
    expect(layered.dayInfo('2026-01-02')).toMatchObject({
      kind: 'half_day',
      windows: [{ from: '07:00', to: '11:30' }],
    });
    expect(show(layered.addWorkingMinutes(vn('2026-03-06 16:00'), 5 * H))).toBe('2026-03-07 11:30 Sat');
    const provinceOnly = buildWorkingCalendar([SHIPPED_NATIONAL_LAYER, province]);
    expect(provinceOnly.isWorkingDay('2026-03-10')).toBe(false);
  });

  it('refuses two layers of one level', () => {
    expect(() =>
      buildWorkingCalendar([province, { ...province, scope: { level: 'province', province: 'H26' } }]),
    ).toThrow(CalendarDataError);
  });
});

describe('the statutory skeleton', () => {
  it('reproduces the shipped provisional 2027 file day for day', () => {
    const shipped = SHIPPED_NATIONAL_YEARS.find((y) => y.year === 2027);
    const skeleton = statutorySkeleton(2027, SHIPPED_LUNAR_DATES.get(2027));
    expect(skeleton.days.map((d) => `${d.date} ${d.kind}`)).toEqual(
      shipped?.days.map((d) => `${d.date} ${d.kind}`),
    );
  });

  it('matches 2026 where the government followed the law (Tết week, Giỗ Tổ moved to Monday, 30/4, 1/5)', () => {
    const skeleton = new Set(statutorySkeleton(2026, SHIPPED_LUNAR_DATES.get(2026)).days.map((d) => d.date));
    for (const d of [
      '2026-02-16',
      '2026-02-17',
      '2026-02-18',
      '2026-02-19',
      '2026-02-20',
      '2026-04-27',
      '2026-04-30',
      '2026-05-01',
    ]) {
      expect(skeleton.has(d)).toBe(true);
    }
  });
});

describe('data validation', () => {
  it('lists every problem with its path', () => {
    let error: unknown;
    try {
      parseCalendarYear({
        year: 2028,
        status: 'final',
        sources: [],
        days: [
          { date: '2028-02-30', kind: 'day_off', name: 'x', source: 's', status: 'official' },
          { date: '2027-05-01', kind: 'holiday', name: '', source: 's', status: 'official' },
          { date: '2028-06-01', kind: 'half_day', name: 'x', source: 's', status: 'official' },
          {
            date: '2028-06-02',
            kind: 'make_up',
            name: 'x',
            source: 's',
            status: 'official',
            windows: [{ from: '13:00', to: '12:00' }],
          },
        ],
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(CalendarDataError);
    expect((error as CalendarDataError).problems.map((p) => p.path)).toEqual([
      '/status',
      '/days/0/date',
      '/days/1/date',
      '/days/1/kind',
      '/days/1/name',
      '/days/2/windows',
      '/days/3/windows/0',
    ]);
  });
});
