import type { DossierDates, DossierState, ProcedureRef, StatusRef, UnitRef } from '@isohub/events';
import { pickApplicant } from './applicant';
import { buildEvents, chainAnchor, type PendingEvent } from './dossier-event.builder';
import { deriveEventId, milestoneEventId } from './event-id';
import { addToTrail, type TrailEntry } from './handover-trail';
import { blankState, isBefore, latest, mergeDates, sameInstant, statusRef } from './dossier-state';
import { readDossierSync, snapshotAsOf, type DossierSnapshot } from './dossier-sync.wire';
import type { MapOptions, MapResult, MappingContext } from './mapping.contract';
import { PROFILE_BEHAVIOUR } from './profile-rules';
import { DEFINING_DATE, isPastReception, milestoneForTransition, receptionSeen } from './status-transition';
import { isPlainObject, nfc } from './text';
import { toVietnamIso } from './vn-date';
import { pointer } from './wire-fields';

/**
 * Maps one DongBoHoSoMC item (a full dossier snapshot, DOMAIN.md §4.2-4.3) against the state isohub already
 * holds for the dossier, into the canonical events it implies and the new state. Every upsert is a full
 * snapshot and re-sends are normal, so milestones come from the transition between the previous and the
 * new national status, never from the new status alone. `lastSequence` is left to the caller.
 */
export function mapDossierSync(
  item: unknown,
  prev: DossierState | null,
  ctx: MappingContext,
  mapOptions: MapOptions = {},
): MapResult {
  if (!isPlainObject(item)) {
    return {
      ok: false,
      dossierCode: null,
      errors: [{ field: '', code: 'type', message: 'A DongBoHoSoMC item must be a JSON object' }],
    };
  }
  const wire = nfc(item);
  const read = readDossierSync(wire, ctx);
  if (!read.ok) {
    return read;
  }
  return mapSnapshot(read.snapshot, prev, ctx, {
    codeField: 'MaHoSo',
    applicant: pickApplicant(wire, ctx.applicantFields),
    trail: mapOptions.trail,
  });
}

export interface SnapshotOptions {
  /** Wire name of the dossier code, for the error when the item belongs to another dossier. */
  codeField: string;
  /** Applicant fields configuration allows into events (see `pickApplicant`). */
  applicant?: Record<string, unknown>;
  /** The dossier's trail (see handover-trail.ts); a dated status change is added to it. */
  trail?: readonly TrailEntry[];
}

/**
 * The wire-independent half of a dossier sync: a validated snapshot (from DongBoHoSoMC or another sender's
 * full-state message, e.g. LGSP SyncDocument) against the held state, so every protocol yields the same
 * milestones and event ids for the same change.
 */
export function mapSnapshot(
  snap: DossierSnapshot,
  prev: DossierState | null,
  ctx: MappingContext,
  options: SnapshotOptions,
): MapResult {
  if (prev !== null && prev.dossierCode !== snap.dossierCode) {
    const message = `${options.codeField} ${snap.dossierCode} does not match the state given (${prev.dossierCode})`;
    return {
      ok: false,
      dossierCode: snap.dossierCode,
      errors: [{ field: pointer(options.codeField), code: 'format', message }],
    };
  }

  const base = prev ?? blankState(snap.dossierCode, ctx);
  const arrival = toVietnamIso(ctx.receivedAt);
  const change = planStatusChange(snap, base, prev, ctx, arrival);
  const stale = change.stale;

  const { dueAt: incomingDue, ...otherDates } = snap.dates;
  const dates: DossierDates = mergeDates(base.dates, otherDates, stale ? 'fill' : 'override');
  const pending = [...change.pending];
  const due = dueDateChange(incomingDue, base.dates, stale, pending.length > 0);
  if (incomingDue !== null && due !== 'none') {
    dates.dueAt = incomingDue;
  }
  if (incomingDue !== null && due === 'extended') {
    dates.previousDueAt = base.dates.dueAt;
    pending.push({
      milestone: 'DEADLINE_EXTENDED',
      // The wire dates the new NgayHenTra, never the extension itself.
      occurredAt: arrival,
      timeSource: 'arrival',
      id: deriveEventId([
        'arrival',
        snap.dossierCode,
        'DEADLINE_EXTENDED',
        chainAnchor(prev),
        change.status.national,
        incomingDue,
      ]),
      status: change.status,
      previousStatus: change.status.national,
      handover: null,
    });
  }

  const keep = <T>(known: T | null, incoming: T | null): T | null =>
    stale ? (known ?? incoming) : (incoming ?? known);
  const state: DossierState = {
    ...base,
    status: change.status,
    statusAt: change.statusAt,
    procedure: stale && prev !== null ? base.procedure : resolveProcedure(snap, base, prev, ctx),
    sector: keep(base.sector, unit(snap.sectorCode, snap.sectorName)),
    processingUnit: keep(base.processingUnit, unit(snap.processingUnitCode ?? null, snap.processingUnitName)),
    channel: keep(base.channel, snap.channel),
    dates,
    supplementRequests: base.supplementRequests + change.supplementRequests,
    extensions: base.extensions + (due === 'extended' ? 1 : 0),
    source: ctx.source,
    updatedAt: arrival,
  };
  const events = buildEvents(pending, state, ctx, options.applicant);
  return {
    ok: true,
    dossierCode: snap.dossierCode,
    events,
    state: { ...state, lastEventId: events.at(-1)?.id ?? base.lastEventId },
    ...(change.dated ? { trail: datedTrail(options.trail ?? [], change.pending) } : {}),
  };
}

/**
 * NgayHenTra at an unchanged status is an extension (DOMAIN.md §3.3, §7.3); a first NgayHenTra or one that
 * moves with a status change (Thanh Hóa shifts it after a supplement) is just set.
 */
function dueDateChange(
  incoming: string | null,
  known: DossierDates,
  stale: boolean,
  statusChanged: boolean,
): 'none' | 'set' | 'extended' {
  if (incoming === null || sameInstant(incoming, known.dueAt)) {
    return 'none';
  }
  if (known.dueAt === null) {
    return 'set';
  }
  // An older copy of the dossier: it may still carry the due date from before the last extension.
  if (stale || sameInstant(incoming, known.previousDueAt)) {
    return 'none';
  }
  return statusChanged ? 'set' : 'extended';
}

interface StatusChange {
  pending: PendingEvent[];
  status: StatusRef;
  statusAt: string | null;
  /** The item describes a moment before the state isohub holds: it may fill gaps but not move anything. */
  stale: boolean;
  supplementRequests: number;
  /** The change's time is a date the wire states for it (not the arrival time). */
  dated: boolean;
}

function planStatusChange(
  snap: DossierSnapshot,
  base: DossierState,
  prev: DossierState | null,
  ctx: MappingContext,
  arrival: string,
): StatusChange {
  const prevNational = base.status.national;
  const paused =
    PROFILE_BEHAVIOUR[ctx.profile].nineWithoutEndIsPause &&
    snap.status.national === 9 &&
    snap.dates.processingEndedAt === null;
  // A pause sent as "9" is a supplement request when the snapshot shows an unanswered one; else unknown.
  const next = paused ? (openSupplement(snap) ? 5 : null) : snap.status.national;
  const unchanged: StatusChange = {
    pending: [],
    status: base.status,
    statusAt: base.statusAt,
    stale: false,
    supplementRequests: 0,
    dated: false,
  };

  if (next === null || next === prevNational) {
    // Same status, a Thanh Hóa pause ("9" kept as the source status) or no usable status (OpenCPS "").
    return snap.status.raw === null
      ? unchanged
      : { ...unchanged, status: statusRef(prevNational, snap.status.raw) };
  }
  const direct = milestoneForTransition(prevNational, next) ?? 'STATUS_CHANGED';
  const definingKey = DEFINING_DATE[direct];
  const defining = definingKey ? ((snap.dates as Partial<DossierDates>)[definingKey] ?? null) : null;
  if (defining !== null && isBefore(defining, base.statusAt)) {
    return { ...unchanged, stale: true };
  }

  const code = snap.dossierCode;
  const pending: PendingEvent[] = [];
  let from = prevNational;
  const receivedAt = snap.dates.receivedAt;
  if (isPastReception(next) && !receptionSeen(prevNational) && receivedAt !== null) {
    // First sight of a dossier already past reception: replay the reception so consumers always see it.
    pending.push({
      milestone: 'DOSSIER_RECEIVED',
      occurredAt: receivedAt,
      timeSource: 'wire',
      id: milestoneEventId(code, 'DOSSIER_RECEIVED', receivedAt),
      status: statusRef(2, snap.status.raw),
      previousStatus: from,
      handover: null,
    });
    from = 2;
  }
  const milestone = milestoneForTransition(from, next) ?? 'STATUS_CHANGED';
  const status = statusRef(next, snap.status.raw);
  pending.push({
    milestone,
    occurredAt: defining ?? arrival,
    timeSource: defining === null ? 'arrival' : 'wire',
    id:
      defining === null
        ? deriveEventId(['arrival', code, milestone, chainAnchor(prev), next])
        : milestoneEventId(code, milestone, defining),
    status,
    previousStatus: from,
    handover: null,
  });
  return {
    pending,
    status,
    // Always on the sender's clock: with no defining date, the latest date the item vouches for.
    statusAt: defining ?? latest(base.statusAt, snapshotAsOf(snap)),
    stale: false,
    supplementRequests: milestone === 'SUPPLEMENT_REQUESTED' ? 1 : 0,
    dated: defining !== null,
  };
}

/** The trail with the status each dated milestone of the snapshot set, at its own date. */
function datedTrail(trail: readonly TrailEntry[], pending: readonly PendingEvent[]): TrailEntry[] {
  return pending
    .filter((p) => p.timeSource === 'wire')
    .reduce<TrailEntry[]>(
      (t, p) => addToTrail(t, { at: p.occurredAt, national: p.status.national }),
      [...trail],
    );
}

/** The snapshot's latest supplement request has no answer yet. */
function openSupplement(snap: DossierSnapshot): boolean {
  const { supplementRequestedAt: asked, supplementReceivedAt: answered } = snap.dates;
  return asked !== null && (answered === null || isBefore(answered, asked));
}

function resolveProcedure(
  snap: DossierSnapshot,
  base: DossierState,
  prev: DossierState | null,
  ctx: MappingContext,
): ProcedureRef {
  if (snap.procedureCode === null && prev !== null) {
    return base.procedure;
  }
  const resolved = ctx.resolveProcedure(snap.procedureCode, ctx.source);
  return {
    nationalCode: resolved.nationalCode,
    localCode: snap.procedureCode,
    name: resolved.name ?? snap.procedureName,
    mappingStatus: resolved.mappingStatus,
  };
}

function unit(code: string | null, name: string | null): UnitRef | null {
  return code === null && name === null ? null : { code, name };
}
