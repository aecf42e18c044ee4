import type { IsoInstant } from './iso-instant';
import { EventCodecError } from './event-codec.errors';
import { JSON_CONTENT_TYPE, type KafkaRecord } from './kafka-record';
import { STEP_TIMING_SCHEMA_ID } from './schema-ids';

/** Where a step's deadline came from: the ISO process, the sender's own deadline, or neither. */
export type DeadlineSource = 'iso_process' | 'sender' | 'none';
export type StepOutcomeValue = 'early' | 'on_time' | 'late';
export type OutcomeRuleValue = 'minute' | 'day' | 'simple';

export interface IsoStepRef {
  stepNo: number;
  code: string | null;
  name: string;
}

/** One step instance of a dossier (schema: `dossier-event.v1.json#/$defs/stepTiming`). */
export interface StepTiming {
  dossierCode: string;
  /** 1, 2, … within the dossier; a return to a previous step opens a new instance. */
  instance: number;
  /** The step as the sender named it. */
  step: string | null;
  isoStep: IsoStepRef | null;
  startedAt: IsoInstant;
  /** ISO allowance in working hours for the dossier's channel. */
  allowanceHours: number | null;
  deadline: IsoInstant | null;
  deadlineSource: DeadlineSource;
  senderDeadline: IsoInstant | null;
  calendarVersion: string | null;
  calendarStatus: 'official' | 'provisional' | null;
  /** The published mapping version (`m-<n>`) whose ISO process the dossier runs on. */
  processVersion: string | null;
  endedAt: IsoInstant | null;
  elapsedWorkingHours: number | null;
  outcome: StepOutcomeValue | null;
  outcomeRule: OutcomeRuleValue | null;
}

/** The `timing` of a handover event: the step instance it opens and the one it closes. */
export interface HandoverTiming {
  opened: StepTiming | null;
  closed: StepTiming | null;
}

export const STEP_TIMING_HEADERS = {
  contentType: 'content-type',
  dataschema: 'dataschema',
} as const;

export function stepTimingKey(dossierCode: string, instance: number): string {
  return `${dossierCode}/${instance}`;
}

/** A record of the compacted step-timing topic, keyed `<dossierCode>/<instance>`. */
export function stepTimingRecord(timing: StepTiming): KafkaRecord {
  if (!timing.dossierCode || !Number.isInteger(timing.instance) || timing.instance < 1) {
    throw new EventCodecError('INVALID_EVENT', 'A step timing needs a dossier code and an instance >= 1');
  }
  return {
    key: stepTimingKey(timing.dossierCode, timing.instance),
    value: Buffer.from(JSON.stringify(timing), 'utf8'),
    headers: {
      [STEP_TIMING_HEADERS.contentType]: JSON_CONTENT_TYPE,
      [STEP_TIMING_HEADERS.dataschema]: STEP_TIMING_SCHEMA_ID,
    },
  };
}
