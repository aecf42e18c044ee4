import { describe, expect, it } from 'vitest';
import type { WorkingCalendar } from '../calendar/working-calendar';
import { stepDeadline, stepVerdict, type OutcomeRule } from './step-verdict';
import { fixedCalendar } from './testing/fixed-calendar';

/** Vietnam wall clock → instant. 2026-03-02 is a Monday. */
const vn = (local: string): Date => new Date(`${local.replace(' ', 'T')}:00+07:00`);
const calendar = fixedCalendar();

describe('stepDeadline', () => {
  it('received Friday 16:00 + 8 h is due Monday 16:00 (1 h Friday, 4.5 h + 2.5 h Monday)', () => {
    expect(stepDeadline({ allowanceHours: 8, start: vn('2026-03-06 16:00'), calendar }).deadline).toEqual(
      vn('2026-03-09 16:00'),
    );
  });

  it('skips lunch: 10:30 + 2 h is 14:30', () => {
    expect(stepDeadline({ allowanceHours: 2, start: vn('2026-03-02 10:30'), calendar }).deadline).toEqual(
      vn('2026-03-02 14:30'),
    );
  });

  it('is exact at the edge: 09:30 + 2 h is 11:30, not 13:30', () => {
    expect(stepDeadline({ allowanceHours: 2, start: vn('2026-03-02 09:30'), calendar }).deadline).toEqual(
      vn('2026-03-02 11:30'),
    );
  });

  it('starts the clock at 13:30 for a handover during lunch and on the next working day after a day off', () => {
    const lunch = stepDeadline({ allowanceHours: 1.5, start: vn('2026-03-02 12:00'), calendar });
    expect(lunch.clockStart).toEqual(vn('2026-03-02 13:30'));
    expect(lunch.deadline).toEqual(vn('2026-03-02 15:00'));
    const holiday = fixedCalendar({ daysOff: ['2026-03-09'] });
    const weekend = stepDeadline({ allowanceHours: 4.5, start: vn('2026-03-07 09:00'), calendar: holiday });
    expect(weekend.clockStart).toEqual(vn('2026-03-10 07:00'));
    expect(weekend.deadline).toEqual(vn('2026-03-10 11:30'));
  });

  it('a make-up Saturday counts as a working day', () => {
    const makeUp = fixedCalendar({ makeUpDays: ['2026-03-07'] });
    expect(
      stepDeadline({ allowanceHours: 2, start: vn('2026-03-06 16:00'), calendar: makeUp }).deadline,
    ).toEqual(vn('2026-03-07 08:00'));
  });

  it('stamps the calendar version and marks a provisional year', () => {
    const provisional: WorkingCalendar = {
      ...calendar,
      version: 'cal-9',
      statusOf: (y) => (y >= 2027 ? 'provisional' : 'official'),
    };
    const d = stepDeadline({ allowanceHours: 8, start: vn('2026-12-31 16:00'), calendar: provisional });
    expect(d).toMatchObject({
      calendarVersion: 'cal-9',
      calendarStatus: 'provisional',
      allowanceMinutes: 480,
    });
    expect(
      stepDeadline({ allowanceHours: 1, start: vn('2026-03-02 08:00'), calendar: provisional })
        .calendarStatus,
    ).toBe('official');
  });

  it('refuses a negative or non-numeric allowance', () => {
    expect(() => stepDeadline({ allowanceHours: -1, start: vn('2026-03-02 08:00'), calendar })).toThrow(
      RangeError,
    );
    expect(() =>
      stepDeadline({ allowanceHours: Number.NaN, start: vn('2026-03-02 08:00'), calendar }),
    ).toThrow(RangeError);
  });
});

describe('stepVerdict', () => {
  // Thẩm định, 1.5 ngày = 12 h, from Monday 08:00: Monday gives 7 h, Tuesday morning 4.5 h, then 30 min → Tuesday 14:00.
  const verdict = (end: string, rule: OutcomeRule) =>
    stepVerdict({ allowanceHours: 12, start: vn('2026-03-02 08:00'), end: vn(end), calendar, rule });

  it('computes the deadline and the working minutes used', () => {
    const v = verdict('2026-03-03 10:00', 'minute');
    expect(v.deadline).toEqual(vn('2026-03-03 14:00'));
    expect(v.elapsedMinutes).toBe(210 + 210 + 180);
    expect(v.outcome).toBe('early');
  });

  it.each<[string, OutcomeRule, string]>([
    ['2026-03-03 14:00', 'minute', 'on_time'],
    ['2026-03-03 14:01', 'minute', 'late'],
    ['2026-03-03 16:00', 'minute', 'late'],
    ['2026-03-03 16:00', 'day', 'on_time'],
    ['2026-03-03 07:00', 'day', 'on_time'],
    ['2026-03-02 17:00', 'day', 'early'],
    ['2026-03-04 07:30', 'day', 'late'],
    ['2026-03-02 17:00', 'simple', 'on_time'],
    ['2026-03-03 14:00', 'simple', 'on_time'],
    ['2026-03-03 14:01', 'simple', 'late'],
  ])('ending %s under the %s rule is %s', (end, rule, outcome) => {
    expect(verdict(end, rule).outcome).toBe(outcome);
  });

  it('a step finished over lunch has used only the morning', () => {
    const v = stepVerdict({
      allowanceHours: 4,
      start: vn('2026-03-02 09:00'),
      end: vn('2026-03-02 13:00'),
      calendar,
      rule: 'minute',
    });
    expect(v.elapsedMinutes).toBe(150);
    expect(v.outcome).toBe('early');
  });

  it('a zero allowance (Trả kết quả, 0 ngày) is on time only when handed on at once under the minute rule', () => {
    const at = vn('2026-03-02 09:00');
    expect(stepVerdict({ allowanceHours: 0, start: at, end: at, calendar, rule: 'minute' }).outcome).toBe(
      'on_time',
    );
    expect(
      stepVerdict({ allowanceHours: 0, start: at, end: vn('2026-03-02 09:05'), calendar, rule: 'minute' })
        .outcome,
    ).toBe('late');
  });
});
