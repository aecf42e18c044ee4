import type { Milestone } from './event-types';
import type { IsoInstant } from './iso-instant';
import type { HandoverTiming } from './step-timing';

export type { IsoInstant } from './iso-instant';

export type Channel = 'in_person' | 'online' | 'postal';

export interface UnitRef {
  code: string | null;
  name: string | null;
}

/**
 * Who acted on a handover row: `applicant` when isohub recognised the applicant (citizen or business)
 * as the actor; `officer` when a producer knows the person is an officer. Absent: not classified.
 */
export type PersonRole = 'officer' | 'applicant';

export interface PersonRef {
  id: string | null;
  /** Null for an applicant unless configuration allows applicant names (DOMAIN.md §10). */
  name: string | null;
  title: string | null;
  /** Optional within v1: older events and unclassified rows carry none. */
  role?: PersonRole;
}

export interface ProcedureRef {
  /** National code from the CSDL TTHC (e.g. `1.001193`), null when it could not be resolved. */
  nationalCode: string | null;
  /** The code as the source sent it (may carry a local suffix, e.g. `1.001193.000.00.00.H56`). */
  localCode: string | null;
  name: string | null;
  /** `mapped`: resolved through a mapping or the catalogue; `unmapped`: held in the unmapped queue. */
  mappingStatus: 'mapped' | 'unmapped';
}

export interface DossierDates {
  submittedAt: IsoInstant | null; // NgayNopHoSo
  receivedAt: IsoInstant | null; // NgayTiepNhan
  dueAt: IsoInstant | null; // NgayHenTra
  previousDueAt: IsoInstant | null; // NgayHenTra before the last extension
  supplementRequestedAt: IsoInstant | null;
  supplementReceivedAt: IsoInstant | null;
  processingEndedAt: IsoInstant | null; // NgayKetThucXuLy
  returnedAt: IsoInstant | null; // NgayTra
  rejectedAt: IsoInstant | null; // NgayTuChoi
}

export interface StatusRef {
  /** TrangThaiHoSo 1..10, null when the source sent none or an unusable one. */
  national: number | null;
  label: string | null;
  /** The source's own status, verbatim (e.g. OpenCPS `processing`, or `"9"`). */
  source: string | null;
}

export interface Handover {
  stepFrom: string | null;
  stepTo: string | null;
  unitFrom: UnitRef | null;
  unitTo: UnitRef | null;
  userFrom: PersonRef | null;
  userTo: PersonRef | null;
  handedOverAt: IsoInstant;
  stepStartedAt: IsoInstant | null;
  stepDeadline: IsoInstant | null;
  action: string | null;
  note: string | null;
}

export interface EventSource {
  /** Source system id from configuration, e.g. `opencps-tinh-x`. */
  system: string;
  /** Agency code (QCVN 102) of the sender when known (`madonvi`). */
  agency: string | null;
  /** Wire protocol the change came through, e.g. `dvcqg-tee`. */
  protocol: string;
  /** Upstream operation, e.g. `DongBoHoSoMC`. */
  operation: string | null;
}

/** The `data` of every canonical dossier event (schema: `dossier-event.v1.json`). */
export interface DossierEventData {
  dossierCode: string;
  milestone: Milestone;
  occurredAt: IsoInstant;
  procedure: ProcedureRef;
  sector: UnitRef | null;
  receivingUnit: UnitRef | null;
  processingUnit: UnitRef | null;
  channel: Channel | null;
  status: StatusRef;
  previousStatus: number | null;
  dates: DossierDates;
  handover: Handover | null;
  /** Only the applicant fields that configuration names; absent otherwise. */
  applicant?: Record<string, unknown>;
  source: EventSource;
  /** Version of the mapping configuration that produced this event. */
  mappingVersion: string;
  /**
   * `wire`: `occurredAt` is a time the sender stated for this change; `arrival`: it stated none and the
   * arrival time stands in. Optional within v1 (older events carry none).
   */
  timeSource?: TimeSource;
  /** ISO time of a handover (the step it opens and the one it closes); optional within v1. */
  timing?: HandoverTiming;
  /** On the timer milestones (STEP_OVERDUE, DOSSIER_OVERDUE, DEADLINE_APPROACHING, OVERDUE_RETRACTED) only. */
  overdue?: OverdueInfo;
}

export interface OverdueInfo {
  kind: 'step' | 'dossier';
  /** The step instance (kind `step`); null for the dossier. */
  instance: number | null;
  deadline: IsoInstant;
  /** When isohub noticed; `occurredAt` is the deadline (or the warning instant). */
  detectedAt: IsoInstant;
  /** On OVERDUE_RETRACTED: the overdue event withdrawn. */
  retractsEventId: string | null;
}

export type TimeSource = 'wire' | 'arrival';

/** A canonical event before it is given its per-dossier sequence. */
export interface CanonicalEvent {
  id: string;
  type: string;
  source: string;
  subject: string;
  time: IsoInstant;
  data: DossierEventData;
}

/** A sequenced event, as stored and published. */
export interface SequencedEvent extends CanonicalEvent {
  sequence: number;
}

/** The latest snapshot per dossier, published to the compacted state topic. */
export interface DossierState {
  dossierCode: string;
  lastSequence: number;
  lastEventId: string | null;
  status: StatusRef;
  /** Time of the change that set `status`; older changes never move the status back. */
  statusAt: IsoInstant | null;
  procedure: ProcedureRef;
  sector: UnitRef | null;
  receivingUnit: UnitRef | null;
  processingUnit: UnitRef | null;
  channel: Channel | null;
  dates: DossierDates;
  supplementRequests: number;
  extensions: number;
  currentStep: string | null;
  source: EventSource;
  updatedAt: IsoInstant;
}
