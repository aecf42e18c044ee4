import { describe, expect, it } from 'vitest';
import { STEP_TIMING_SCHEMA_ID } from './schema-ids';
import { validateEventData, validateStepTiming } from './schema-validator';
import { stepTimingRecord, type StepTiming } from './step-timing';
import { exampleSequencedEvent } from './testing/example-event';

const closed: StepTiming = {
  dossierCode: 'H56.22-260302-0001',
  instance: 2,
  step: 'Thẩm định',
  isoStep: { stepNo: 2, code: null, name: 'Thẩm định' },
  startedAt: '2026-03-02T09:00:00+07:00',
  allowanceHours: 12,
  deadline: '2026-03-03T15:00:00+07:00',
  deadlineSource: 'iso_process',
  senderDeadline: '2026-03-03T17:00:00+07:00',
  calendarVersion: 'cal-1 (VN)',
  calendarStatus: 'official',
  processVersion: 'm-3',
  endedAt: '2026-03-04T10:00:00+07:00',
  elapsedWorkingHours: 17,
  outcome: 'late',
  outcomeRule: 'minute',
};

describe('step timing', () => {
  it('a closed step instance is a valid step-timing record keyed dossier/instance', () => {
    expect(validateStepTiming(closed)).toEqual({ valid: true, errors: [] });
    const record = stepTimingRecord(closed);
    expect(record.key).toBe('H56.22-260302-0001/2');
    expect(record.headers.dataschema).toBe(STEP_TIMING_SCHEMA_ID);
    expect(JSON.parse(record.value.toString('utf8'))).toEqual(closed);
  });

  it('refuses an unknown deadline source or outcome', () => {
    expect(validateStepTiming({ ...closed, deadlineSource: 'guess' }).valid).toBe(false);
    expect(validateStepTiming({ ...closed, outcome: 'ontime' }).valid).toBe(false);
    expect(() => stepTimingRecord({ ...closed, instance: 0 })).toThrow();
  });

  it('an event may carry timing within v1, and an event without it stays valid', () => {
    const data = exampleSequencedEvent().data;
    expect(validateEventData(data).valid).toBe(true);
    const opened: StepTiming = {
      ...closed,
      instance: 3,
      step: 'Trình Lãnh đạo Phòng',
      startedAt: closed.endedAt ?? '',
      endedAt: null,
      elapsedWorkingHours: null,
      outcome: null,
    };
    expect(validateEventData({ ...data, timing: { opened, closed } })).toEqual({ valid: true, errors: [] });
    expect(validateEventData({ ...data, timing: { opened: null } }).valid).toBe(false);
  });
});
