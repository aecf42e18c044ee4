import type {
  CanonicalEvent,
  DossierState,
  Handover,
  IsoInstant,
  Milestone,
  StatusRef,
  TimeSource,
} from '@isohub/events';
import { eventTypeOf } from '@isohub/events';
import { ceSource } from './event-id';
import type { MappingContext } from './mapping.contract';

/** One event a mapper decided to emit, before the dossier's final state is known. */
export interface PendingEvent {
  milestone: Milestone;
  occurredAt: IsoInstant;
  /** `wire` when the sender stated `occurredAt`; `arrival` when isohub's arrival time stands in. */
  timeSource: TimeSource;
  /** Derived from the meaning of the change only (see event-id.ts). */
  id: string;
  /** Status right after this event. */
  status: StatusRef;
  /** Status right before this event (null when unknown, e.g. a row that arrived after newer ones). */
  previousStatus: number | null;
  handover: Handover | null;
}

/**
 * Builds the canonical events of one inbound item. Descriptive fields (procedure, units, dates) come from
 * the state after the whole item, so every event of one item tells the same story.
 */
export function buildEvents(
  pending: readonly PendingEvent[],
  state: DossierState,
  ctx: MappingContext,
  applicant?: Record<string, unknown>,
): CanonicalEvent[] {
  const source = ceSource(ctx.source.system, ctx.source.agency);
  return pending.map((p) => ({
    id: p.id,
    type: eventTypeOf(p.milestone),
    source,
    subject: state.dossierCode,
    time: p.occurredAt,
    data: {
      dossierCode: state.dossierCode,
      milestone: p.milestone,
      occurredAt: p.occurredAt,
      procedure: state.procedure,
      sector: state.sector,
      receivingUnit: state.receivingUnit,
      processingUnit: state.processingUnit,
      channel: state.channel,
      status: p.status,
      previousStatus: p.previousStatus,
      dates: state.dates,
      handover: p.handover,
      ...(applicant ? { applicant } : {}),
      source: ctx.source,
      mappingVersion: ctx.mappingVersion,
      timeSource: p.timeSource,
    },
  }));
}

/**
 * Anchor for the id of a change that carries no time of its own (its `occurredAt` is only the arrival time,
 * which differs on every re-send): the last event isohub had for the dossier. A re-send mapped against the
 * same state gets the same id; the next cycle of the same transition (a second 4 -> 5) gets a new one.
 */
export function chainAnchor(prev: DossierState | null): string {
  return `after:${prev?.lastEventId ?? '-'}`;
}
