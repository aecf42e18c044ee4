import { describe, expect, it } from 'vitest';
import {
  dossierVerdict,
  DossierVerdictError,
  endingStatus,
  type DossierVerdictInput,
} from './dossier-verdict';
import { stepVerdict } from './step-verdict';
import { fixedCalendar } from './testing/fixed-calendar';

/** Vietnam wall clock → instant. 2026-03-02 is a Monday. */
const vn = (local: string): Date => new Date(`${local.replace(' ', 'T')}:00+07:00`);
const calendar = fixedCalendar();

/**
 * The worked example (also in docs/iso-time.md). Received Monday 02/03 08:00, 3 working days (24 h)
 * ⇒ promised Thursday 05/03 08:00 (Mon 7 h + Tue 8 h + Wed 8 h + Thu 1 h). Steps: Tiếp nhận 2 h,
 * Thẩm định 12 h, Trình Lãnh đạo Phòng 4 h, Phê duyệt 4 h.
 * - Tiếp nhận 08:00 → Thẩm định Mon 09:00 (1 h used: early);
 * - supplement requested Mon 14:00, completed Wed 04/03 09:00 (43 h wall clock, 780 working minutes);
 * - Thẩm định → Trình LĐ Wed 10:00: due Tue 15:00, 17 h used: late;
 * - Trình LĐ returns it to Thẩm định Wed 11:00 (a new Thẩm định instance), back to Trình LĐ Thu 09:00;
 * - extension on Wed 15:00: promised date moves to Monday 09/03 17:00;
 * - Trình LĐ → Phê duyệt Thu 16:00 (due 15:00: late), result ready (9) Mon 09/03 10:00, returned (10) Mon 09/03 15:00.
 */
const worked: DossierVerdictInput = {
  receivedAt: vn('2026-03-02 08:00'),
  dueAt: vn('2026-03-09 17:00'),
  originalDueAt: vn('2026-03-05 08:00'),
  extensionCount: 1,
  statuses: [
    { status: 2, at: vn('2026-03-02 08:00') },
    { status: 5, at: vn('2026-03-02 14:00') },
    { status: 4, at: vn('2026-03-04 09:00') },
    { status: 10, at: vn('2026-03-09 15:00') },
    { status: 9, at: vn('2026-03-09 10:00') },
  ],
  supplements: [{ requestedAt: vn('2026-03-02 14:00'), completedAt: vn('2026-03-04 09:00') }],
  asOf: vn('2026-03-31 17:00'),
  calendar,
};

describe('the worked example', () => {
  it('judges every step instance, a return to the previous step opening a new one', () => {
    const step = (hours: number, start: string, end: string) =>
      stepVerdict({ allowanceHours: hours, start: vn(start), end: vn(end), calendar, rule: 'minute' });
    const tiepNhan = step(2, '2026-03-02 08:00', '2026-03-02 09:00');
    const thamDinh1 = step(12, '2026-03-02 09:00', '2026-03-04 10:00');
    const trinh1 = step(4, '2026-03-04 10:00', '2026-03-04 11:00');
    const thamDinh2 = step(12, '2026-03-04 11:00', '2026-03-05 09:00');
    const trinh2 = step(4, '2026-03-05 09:00', '2026-03-05 16:00');
    expect(
      [tiepNhan, thamDinh1, trinh1, thamDinh2, trinh2].map((v) => [v.elapsedMinutes, v.outcome]),
    ).toEqual([
      [60, 'early'],
      [360 + 480 + 180, 'late'],
      [60, 'early'],
      [30 + 210 + 120, 'early'],
      [150 + 150, 'late'],
    ]);
    expect(thamDinh1.deadline).toEqual(vn('2026-03-03 15:00'));
    expect(trinh2.deadline).toEqual(vn('2026-03-05 15:00'));
  });

  it('subtract_elapsed (the national KPI): end by priority 9 > 10, 43 h taken off, late on the original date, on time on the extended one', () => {
    const v = dossierVerdict(worked);
    expect(v).toMatchObject({
      ended: true,
      endReason: 'status',
      endStatus: 9,
      end: vn('2026-03-09 10:00'),
      supplementRequests: 1,
      supplementMinutes: 43 * 60,
      supplementWorkingMinutes: 180 + 480 + 120,
      adjustedEnd: vn('2026-03-07 15:00'),
      dueSource: 'due_date',
      current: { dueAt: vn('2026-03-09 17:00'), effectiveDueAt: vn('2026-03-09 17:00'), onTime: true },
      original: { dueAt: vn('2026-03-05 08:00'), onTime: false },
      extensionCount: 1,
      outcome: 'on_time',
      lateReasons: [],
      calendarVersion: 'test-calendar',
      calendarStatus: 'official',
    });
  });

  it('shift_due_date (Thanh Hóa): the due dates move by 43 h, the original one rolls off Saturday to Monday', () => {
    const v = dossierVerdict({ ...worked, options: { tolling: 'shift_due_date' } });
    expect(v.adjustedEnd).toEqual(vn('2026-03-09 10:00'));
    expect(v.current).toEqual({
      dueAt: vn('2026-03-09 17:00'),
      effectiveDueAt: vn('2026-03-11 12:00'),
      onTime: true,
    });
    expect(v.original).toEqual({
      dueAt: vn('2026-03-05 08:00'),
      effectiveDueAt: vn('2026-03-09 03:00'),
      onTime: false,
    });
    expect(v.outcome).toBe('on_time');
  });

  it('subtract_working_time: 2520 working minutes used − 780 paused = 1740, against 2820 and 1440 allowed', () => {
    const v = dossierVerdict({ ...worked, options: { tolling: 'subtract_working_time' } });
    expect(v.elapsedWorkingMinutes).toBe(2520 - 780);
    expect(v.current?.onTime).toBe(true);
    expect(v.original?.onTime).toBe(false);
  });

  it('without the extension the same dossier is late', () => {
    const v = dossierVerdict({
      ...worked,
      dueAt: worked.originalDueAt,
      originalDueAt: null,
      extensionCount: 0,
    });
    expect(v).toMatchObject({
      outcome: 'late',
      lateReasons: ['after_due'],
      original: null,
      extensionCount: 0,
    });
  });
});

describe('dossierVerdict rules', () => {
  const base: DossierVerdictInput = {
    receivedAt: vn('2026-03-02 08:00'),
    dueAt: vn('2026-03-04 08:00'),
    statuses: [{ status: 2, at: vn('2026-03-02 08:00') }],
    supplements: [],
    asOf: vn('2026-03-20 17:00'),
    calendar,
  };

  it('ranks ending statuses 9 > 10 > 8/3 and takes the latest time of the winner', () => {
    const at = (status: number, local: string) => ({ status, at: vn(local) });
    expect(
      endingStatus([at(10, '2026-03-03 09:00'), at(8, '2026-03-03 10:00')], 'with_stopped')?.status,
    ).toBe(10);
    expect(endingStatus([at(3, '2026-03-02 09:00'), at(8, '2026-03-02 10:00')], 'with_stopped')).toEqual(
      at(8, '2026-03-02 10:00'),
    );
    expect(
      endingStatus(
        [at(9, '2026-03-03 09:00'), at(4, '2026-03-03 10:00'), at(9, '2026-03-04 09:00')],
        'lowest',
      ),
    ).toEqual(at(9, '2026-03-04 09:00'));
    expect(
      endingStatus(
        [at(2, '2026-03-02 09:00'), at(4, '2026-03-02 10:00'), at(5, '2026-03-02 11:00')],
        'lowest',
      ),
    ).toBeNull();
  });

  it('places withdrawal as configured', () => {
    const statuses = [
      { status: 8, at: vn('2026-03-03 09:00') },
      { status: 7, at: vn('2026-03-03 10:00') },
    ];
    expect(endingStatus(statuses, 'with_stopped')?.status).toBe(7);
    expect(endingStatus(statuses, 'lowest')?.status).toBe(8);
    expect(endingStatus([statuses[1]], 'lowest')?.status).toBe(7);
    expect(endingStatus([statuses[1]], 'not_ending')).toBeNull();
    const v = dossierVerdict({ ...base, statuses: [statuses[1]], options: { withdrawal: 'not_ending' } });
    expect(v).toMatchObject({
      ended: false,
      endReason: 'unfinished',
      end: vn('2026-03-20 17:00'),
      outcome: 'late',
    });
  });

  it('a dossier still waiting for a supplement ends at the supplement request', () => {
    const v = dossierVerdict({ ...base, supplements: [{ requestedAt: vn('2026-03-03 10:00') }] });
    expect(v).toMatchObject({
      ended: false,
      endReason: 'awaiting_supplement',
      end: vn('2026-03-03 10:00'),
      supplementMinutes: 0,
      outcome: 'on_time',
    });
  });

  it('more than one supplement request is late whatever the times', () => {
    const v = dossierVerdict({
      ...base,
      statuses: [{ status: 9, at: vn('2026-03-02 16:00') }],
      supplements: [
        { requestedAt: vn('2026-03-02 09:00'), completedAt: vn('2026-03-02 10:00') },
        { requestedAt: vn('2026-03-02 11:00'), completedAt: vn('2026-03-02 14:00') },
      ],
    });
    expect(v).toMatchObject({ supplementRequests: 2, supplementMinutes: 60 + 180, outcome: 'late' });
    expect(v.lateReasons).toEqual(['several_supplements']);
    expect(v.current?.onTime).toBe(true);
  });

  it('with no promised date compares with the statutory time from reception', () => {
    const noDue = { ...base, dueAt: null, statutoryHours: 16 };
    const onTime = dossierVerdict({ ...noDue, statuses: [{ status: 9, at: vn('2026-03-04 08:00') }] });
    expect(onTime).toMatchObject({ dueSource: 'statutory', outcome: 'on_time' });
    expect(onTime.current?.dueAt).toEqual(vn('2026-03-04 08:00'));
    const late = dossierVerdict({ ...noDue, statuses: [{ status: 9, at: vn('2026-03-04 08:01') }] });
    expect(late.outcome).toBe('late');
    const unknown = dossierVerdict({
      ...base,
      dueAt: null,
      statuses: [{ status: 9, at: vn('2026-03-04 08:01') }],
    });
    expect(unknown).toMatchObject({ dueSource: 'none', current: null, outcome: 'undetermined' });
  });

  it('an unfinished dossier ends at the end of the reporting period', () => {
    const early = dossierVerdict({ ...base, asOf: vn('2026-03-03 12:00') });
    expect(early).toMatchObject({ ended: false, endReason: 'unfinished', outcome: 'on_time' });
    expect(dossierVerdict(base).outcome).toBe('late');
  });

  it('refuses a supplement completed before it was requested', () => {
    expect(() =>
      dossierVerdict({
        ...base,
        supplements: [{ requestedAt: vn('2026-03-03 10:00'), completedAt: vn('2026-03-03 09:00') }],
      }),
    ).toThrow(DossierVerdictError);
  });
});
