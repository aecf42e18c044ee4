/** What the dossier and dead-letter pages read from the admin API (apps/admin/src/console). */

export interface DossierHit {
  dossierCode: string;
  nationalStatus: number | null;
  statusLabel: string | null;
  procedureCode: string | null;
  procedureName: string | null;
  agency: string | null;
  sourceSystem: string | null;
  lastSequence: number;
  updatedAt: string | null;
  onlyDeadLetters: boolean;
}

export interface UnitRef {
  code: string | null;
  name: string | null;
}

export interface PersonRef {
  id: string | null;
  name: string | null;
  title: string | null;
  role?: 'officer' | 'applicant';
}

export interface Handover {
  stepFrom: string | null;
  stepTo: string | null;
  unitFrom: UnitRef | null;
  unitTo: UnitRef | null;
  userFrom: PersonRef | null;
  userTo: PersonRef | null;
  handedOverAt: string;
  stepStartedAt: string | null;
  stepDeadline: string | null;
  action: string | null;
  note: string | null;
}

export interface DossierDates {
  submittedAt: string | null;
  receivedAt: string | null;
  dueAt: string | null;
  previousDueAt: string | null;
  supplementRequestedAt: string | null;
  supplementReceivedAt: string | null;
  processingEndedAt: string | null;
  returnedAt: string | null;
  rejectedAt: string | null;
}

export interface EventData {
  milestone: string;
  occurredAt: string;
  status: { national: number | null; label: string | null; source: string | null };
  previousStatus: number | null;
  procedure: {
    nationalCode: string | null;
    localCode: string | null;
    name: string | null;
    mappingStatus: string;
  };
  handover: Handover | null;
  source: { system: string; agency: string | null; protocol: string; operation: string | null };
  dates: DossierDates;
}

export interface DossierEvent {
  eventId: string;
  sequence: number;
  type: string;
  occurredAt: string;
  recordedAt: string;
  data: EventData;
}

export interface DossierState {
  status: { national: number | null; label: string | null; source: string | null };
  statusAt: string | null;
  procedure: {
    nationalCode: string | null;
    localCode: string | null;
    name: string | null;
    mappingStatus: string;
  };
  receivingUnit: UnitRef | null;
  processingUnit: UnitRef | null;
  channel: string | null;
  dates: DossierDates;
  supplementRequests: number;
  extensions: number;
  currentStep: string | null;
  source: { system: string; agency: string | null; protocol: string; operation: string | null };
}

export interface DossierView {
  dossierCode: string;
  state: DossierState | null;
  lastSequence: number;
  updatedAt: string | null;
  events: DossierEvent[];
  publication: { published: number; waiting: number; held: number; heldKeys: string[] };
  forwards: {
    id: string;
    sender: string;
    style: string;
    operation: string;
    status: string;
    attempts: number;
    lastError: string | null;
    portalAnswer: unknown;
    createdAt: string;
    doneAt: string | null;
  }[];
  upstreamAnswers: {
    id: string;
    sender: string;
    style: string;
    operation: string;
    outcome: string;
    httpStatus: number | null;
    errorCode: string | null;
    message: string | null;
    receivedAt: string;
    answeredAt: string;
  }[];
  deadLetters: {
    id: string;
    sourceSystem: string;
    operation: string | null;
    reasonCode: string;
    reason: string;
    field: string | null;
    occurrences: number;
    firstSeenAt: string;
    lastSeenAt: string;
    replayedAt: string | null;
    discardedAt: string | null;
  }[];
  steps: StepTiming[];
  /** The QĐ 766 verdict once the dossier ended (its `outcome`: on_time, late, undetermined). */
  verdict: { outcome?: string } | null;
}

/** One step instance (libs/events StepTiming): the control sheet's row. */
export interface StepTiming {
  instance: number;
  step: string | null;
  isoStep: { stepNo: number; code: string | null; name: string } | null;
  startedAt: string;
  allowanceHours: number | null;
  deadline: string | null;
  deadlineSource: 'iso_process' | 'sender' | 'none';
  senderDeadline: string | null;
  calendarStatus: 'official' | 'provisional' | null;
  endedAt: string | null;
  elapsedWorkingHours: number | null;
  outcome: 'early' | 'on_time' | 'late' | null;
}

export interface DeadLetter {
  id: string;
  sourceSystem: string;
  protocol: string;
  operation: string | null;
  reasonCode: string;
  reason: string;
  field: string | null;
  dossierCode: string | null;
  itemIndex: number | null;
  occurrences: number;
  payloadBytes: number;
  firstSeenAt: string;
  lastSeenAt: string;
  replayedAt: string | null;
  discardedAt: string | null;
  discardedBy: string | null;
}

export interface DeadLetterWithPayload extends DeadLetter {
  payload: { format: 'json' | 'xml' | 'text'; text: string; masked: number };
}

export type DeadLetterState = 'open' | 'replayed' | 'discarded' | 'all';

/** A letter's state for people: open, replayed or discarded. */
export function letterState(l: { replayedAt: string | null; discardedAt: string | null }): DeadLetterState {
  return l.replayedAt ? 'replayed' : l.discardedAt ? 'discarded' : 'open';
}
