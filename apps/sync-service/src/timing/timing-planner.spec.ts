import {
  eventTypeOf,
  exampleEventData,
  type CanonicalEvent,
  type DeepPartial,
  type DossierEventData,
  type StepTiming,
} from '@isohub/events';
import type { DossierTiming, IsoProcess, StepMatchRule } from '@isohub/persistence';
import { buildWorkingCalendar, DEFAULT_DOSSIER_VERDICT_OPTIONS } from '@isohub/timing';
import { describe, expect, it } from 'vitest';
import { planTiming, type PlanResult, type ProcessInForce } from './timing-planner';

const calendar = buildWorkingCalendar(
  [
    {
      scope: { level: 'national' },
      years: [{ year: 2026, status: 'official', sources: ['test'], days: [] }],
    },
  ],
  { version: 'cal-test' },
);
const CODE = 'H56.22-260302-0001';
const process: IsoProcess = {
  agencyCode: '000.00.12.H56',
  procedureCode: '1.001193',
  caseCode: '',
  isoCode: 'QT 01/TP',
  name: 'Đăng ký khai sinh',
  statutory: { inPerson: { value: 3, unit: 'working_days', hours: 24 } },
  steps: [
    ['Tiếp nhận và kiểm tra hồ sơ', 2],
    ['Thẩm định', 12],
    ['Trình Lãnh đạo Phòng', 4],
    ['Phê duyệt', 4],
    ['Trả kết quả', 0],
  ].map(([name, allowanceHours], i) => ({
    stepNo: i + 1,
    code: null,
    name: name as string,
    responsibleUnit: null,
    allowanceHours: allowanceHours as number,
    nationalStatus: null,
    formCodes: [],
  })),
};
const inForce: ProcessInForce = { key: '000.00.12.H56/1.001193/', version: 'm-2', process };
const rules: StepMatchRule[] = [
  { sourceSystem: 'onestop', procedureCode: '*', senderStep: 'trình lđ phòng', isoStepNo: 3, note: null },
];
const at = (local: string): string => `${local.replace(' ', 'T')}:00+07:00`;

function event(data: DeepPartial<DossierEventData>): CanonicalEvent {
  const d = exampleEventData({
    dossierCode: CODE,
    channel: 'in_person',
    dates: { receivedAt: at('2026-03-02 08:00'), dueAt: at('2026-03-05 08:00') },
    ...data,
  });
  if (data.handover === null) {
    d.handover = null;
  }
  return {
    id: 'x',
    type: eventTypeOf(d.milestone),
    source: 'isohub://t',
    subject: CODE,
    time: d.occurredAt,
    data: d,
  };
}
const handover = (from: string, to: string, when: string, stepDeadline: string | null = null) =>
  event({
    milestone: 'STEP_HANDOVER',
    occurredAt: at(when),
    status: { national: 4 },
    previousStatus: 4,
    handover: { stepFrom: from, stepTo: to, handedOverAt: at(when), stepStartedAt: null, stepDeadline },
  });
const status = (
  milestone: DossierEventData['milestone'],
  national: number,
  previous: number,
  when: string,
  dates = {},
) =>
  event({
    milestone,
    occurredAt: at(when),
    status: { national },
    previousStatus: previous,
    handover: null,
    dates: { receivedAt: at('2026-03-02 08:00'), dueAt: at('2026-03-05 08:00'), ...dates },
  });

/** Runs events through the planner as the ingest path does: each result's rows feed the next event. */
function run(events: CanonicalEvent[], p: ProcessInForce | null = inForce) {
  let dossier: DossierTiming = {
    dossierCode: CODE,
    sourceSystem: 'onestop',
    processKey: null,
    processVersion: null,
    channel: null,
    receivedAt: null,
    openInstance: null,
    lastInstance: 0,
    history: {},
    verdict: null,
  };
  const rows = new Map<number, StepTiming>();
  const results: PlanResult[] = [];
  for (const e of events) {
    const open = dossier.openInstance ? (rows.get(dossier.openInstance) ?? null) : null;
    const r = planTiming({
      event: e,
      dossier,
      open,
      process: p,
      rules,
      calendar,
      settings: { rule: 'minute', verdict: DEFAULT_DOSSIER_VERDICT_OPTIONS },
    });
    r.steps.forEach((s) => rows.set(s.instance, s));
    dossier = r.dossier;
    results.push(r);
  }
  return { dossier, rows: [...rows.values()], results };
}

describe('planTiming: the worked example (docs/iso-time.md)', () => {
  const { dossier, rows, results } = run([
    status('DOSSIER_RECEIVED', 2, 1, '2026-03-02 08:00'),
    handover('Tiếp nhận và kiểm tra hồ sơ', 'Thẩm định', '2026-03-02 09:00'),
    status('SUPPLEMENT_REQUESTED', 5, 4, '2026-03-02 14:00', {
      supplementRequestedAt: at('2026-03-02 14:00'),
    }),
    status('SUPPLEMENT_RECEIVED', 4, 5, '2026-03-04 09:00', { supplementReceivedAt: at('2026-03-04 09:00') }),
    handover('Thẩm định', 'Trình LĐ phòng', '2026-03-04 10:00'),
    handover('Trình LĐ phòng', 'Thẩm định', '2026-03-04 11:00'),
    status('DEADLINE_EXTENDED', 4, 4, '2026-03-04 15:00', {
      dueAt: at('2026-03-09 17:00'),
      previousDueAt: at('2026-03-05 08:00'),
    }),
    handover('Thẩm định', 'Trình LĐ phòng', '2026-03-05 09:00'),
    handover('Trình LĐ phòng', 'Phê duyệt', '2026-03-05 16:00'),
    status('RESULT_READY', 9, 4, '2026-03-09 10:00', { dueAt: at('2026-03-09 17:00') }),
  ]);

  it('records one instance per handover, a return to a previous step opening a new one', () => {
    expect(
      rows.map((r) => [
        r.instance,
        r.isoStep?.stepNo,
        r.deadline,
        r.endedAt,
        r.elapsedWorkingHours,
        r.outcome,
      ]),
    ).toEqual([
      [1, 1, at('2026-03-02 10:00'), at('2026-03-02 09:00'), 1, 'early'],
      [2, 2, at('2026-03-03 15:00'), at('2026-03-04 10:00'), 17, 'late'],
      [3, 3, at('2026-03-04 16:00'), at('2026-03-04 11:00'), 1, 'early'],
      [4, 2, at('2026-03-05 17:00'), at('2026-03-05 09:00'), 6, 'early'],
      [5, 3, at('2026-03-05 15:00'), at('2026-03-05 16:00'), 5, 'late'],
      [6, 4, at('2026-03-06 10:00'), null, null, null],
    ]);
    expect(rows.every((r) => r.deadlineSource === 'iso_process' && r.processVersion === 'm-2')).toBe(true);
    expect(rows[1]).toMatchObject({
      calendarVersion: 'cal-test',
      calendarStatus: 'official',
      outcomeRule: 'minute',
    });
  });

  it('puts the closed and opened instances on the handover event', () => {
    expect(results[4].timing?.closed).toMatchObject({ instance: 2, outcome: 'late' });
    expect(results[4].timing?.opened).toMatchObject({
      instance: 3,
      step: 'Trình LĐ phòng',
      allowanceHours: 4,
    });
    expect(results[2].timing).toBeNull();
  });

  it('gives the QĐ 766 verdict when the dossier ends: late on the original date, on time on the extended one', () => {
    expect(results[9].verdict).toMatchObject({
      endStatus: 9,
      supplementRequests: 1,
      supplementMinutes: 43 * 60,
      original: { onTime: false },
      current: { onTime: true },
      extensionCount: 1,
      outcome: 'on_time',
    });
    expect(dossier).toMatchObject({
      processVersion: 'm-2',
      processKey: inForce.key,
      openInstance: 6,
      lastInstance: 6,
    });
  });
});

describe('planTiming: a milestone row carries its handover', () => {
  const milestoneWithHandover = (
    milestone: DossierEventData['milestone'],
    national: number,
    from: string,
    to: string,
    when: string,
  ) =>
    event({
      milestone,
      occurredAt: at(when),
      status: { national },
      previousStatus: 4,
      handover: {
        stepFrom: from,
        stepTo: to,
        handedOverAt: at(when),
        stepStartedAt: null,
        stepDeadline: null,
      },
    });

  it('closes the open step at the handover and opens the next, as a plain handover does', () => {
    const { rows } = run([
      status('DOSSIER_RECEIVED', 2, 1, '2026-03-02 08:00'),
      handover('Tiếp nhận và kiểm tra hồ sơ', 'Phê duyệt', '2026-03-02 09:00'),
      milestoneWithHandover('RESULT_READY', 9, 'Phê duyệt', 'Trả kết quả', '2026-03-02 15:00'),
    ]);
    expect(rows.map((r) => [r.instance, r.isoStep?.stepNo, r.endedAt, r.outcome])).toEqual([
      [1, 1, at('2026-03-02 09:00'), 'early'],
      [2, 4, at('2026-03-02 15:00'), 'on_time'], // 4 working hours from 09:00 end at 15:00
      [3, 5, null, null],
    ]);
  });

  it('a closing milestone closes the open step and opens nothing after it', () => {
    const { rows, dossier } = run([
      status('DOSSIER_RECEIVED', 2, 1, '2026-03-02 08:00'),
      handover('Tiếp nhận và kiểm tra hồ sơ', 'Thẩm định', '2026-03-02 09:00'),
      milestoneWithHandover('RESULT_RETURNED', 10, 'Thẩm định', 'Trả kết quả', '2026-03-02 10:00'),
    ]);
    expect(rows.map((r) => [r.instance, r.endedAt])).toEqual([
      [1, at('2026-03-02 09:00')],
      [2, at('2026-03-02 10:00')],
    ]);
    expect(dossier.openInstance).toBeNull();
  });
});

describe('planTiming: deadline timers', () => {
  const { results } = run([
    status('DOSSIER_RECEIVED', 2, 1, '2026-03-02 08:00'),
    handover('Tiếp nhận và kiểm tra hồ sơ', 'Thẩm định', '2026-03-02 09:00'),
    status('SUPPLEMENT_REQUESTED', 5, 4, '2026-03-02 14:00', {
      supplementRequestedAt: at('2026-03-02 14:00'),
    }),
    status('SUPPLEMENT_RECEIVED', 4, 5, '2026-03-04 09:00', { supplementReceivedAt: at('2026-03-04 09:00') }),
    status('RESULT_READY', 9, 4, '2026-03-04 10:00'),
  ]);
  const ops = (i: number) =>
    results[i].timers.map((o) => [o.op, o.kind, o.instance, o.op === 'arm' ? o.dueAt.toISOString() : null]);

  it('arms the first step and the dossier at reception, with a warning one working day before', () => {
    expect(ops(0)).toEqual([
      ['arm', 'step', 1, new Date(at('2026-03-02 10:00')).toISOString()],
      ['arm', 'dossier', 0, new Date(at('2026-03-05 08:00')).toISOString()],
    ]);
    const dossierArm = results[0].timers[1];
    expect(dossierArm.op === 'arm' && dossierArm.warnAt).toEqual(new Date(at('2026-03-04 08:00')));
    const stepArm = results[0].timers[0];
    expect(stepArm.op === 'arm' && stepArm.warnAt).toBeNull();
  });

  it('a handover closes the step timer (in time) and arms the next; a supplement pauses the dossier', () => {
    expect(results[1].timers[0]).toMatchObject({ op: 'close', kind: 'step', instance: 1, inTime: true });
    expect(ops(1)[1]).toEqual(['arm', 'step', 2, new Date(at('2026-03-03 15:00')).toISOString()]);
    expect(ops(2)).toEqual([['pause', 'dossier', 0, null]]);
    expect(ops(3)).toEqual([['arm', 'dossier', 0, new Date(at('2026-03-05 08:00')).toISOString()]]);
  });

  it('the end of the dossier closes its timer, in time by the QĐ 766 verdict', () => {
    expect(results[4].timers).toEqual([
      { op: 'close', kind: 'dossier', instance: 0, endedAt: new Date(at('2026-03-04 10:00')), inTime: true },
    ]);
  });
});

describe('planTiming fallbacks', () => {
  it('an unmatched step falls back to the sender deadline and is reported', () => {
    const { rows, results } = run([
      handover('Tiếp nhận', 'Xác minh thực địa', '2026-03-02 09:00', at('2026-03-03 17:00')),
      handover('Xác minh thực địa', 'Thẩm định', '2026-03-04 09:00'),
    ]);
    expect(results[0].unmatchedStep).toBe('Xác minh thực địa');
    expect(rows[0]).toMatchObject({
      isoStep: null,
      deadline: at('2026-03-03 17:00'),
      deadlineSource: 'sender',
      senderDeadline: at('2026-03-03 17:00'),
      outcome: 'late',
      outcomeRule: 'simple',
      elapsedWorkingHours: 16,
    });
  });

  it('without an ISO process and a sender deadline the step has no deadline and nothing is unmatched', () => {
    const { rows, results } = run([handover('Tiếp nhận', 'Thẩm định', '2026-03-02 09:00')], null);
    expect(results[0].unmatchedStep).toBeNull();
    expect(rows[0]).toMatchObject({ deadline: null, deadlineSource: 'none', processVersion: null });
  });

  it('uses the channel allowance when the step has one', () => {
    const online: ProcessInForce = {
      ...inForce,
      process: {
        ...process,
        steps: process.steps.map((s) =>
          s.stepNo === 2 ? { ...s, channelAllowanceHours: { online: 8 } } : s,
        ),
      },
    };
    const e = handover('Tiếp nhận', 'Thẩm định', '2026-03-02 09:00');
    e.data.channel = 'online';
    const { rows } = run([e], online);
    expect(rows[0]).toMatchObject({ allowanceHours: 8, deadline: at('2026-03-03 09:00') });
  });
});
