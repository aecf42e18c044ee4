import type { DossierDates, DossierState, IsoInstant, StatusRef } from '@isohub/events';
import type { MappingContext } from './mapping.contract';
import { nationalLabel } from './status-transition';
import { compareInstants, toVietnamIso } from './vn-date';

export function emptyDates(): DossierDates {
  return {
    submittedAt: null,
    receivedAt: null,
    dueAt: null,
    previousDueAt: null,
    supplementRequestedAt: null,
    supplementReceivedAt: null,
    processingEndedAt: null,
    returnedAt: null,
    rejectedAt: null,
  };
}

export function statusRef(national: number | null, source: string | null): StatusRef {
  return { national, label: nationalLabel(national), source };
}

/** The state a dossier has before isohub saw anything of it. */
export function blankState(dossierCode: string, ctx: MappingContext): DossierState {
  return {
    dossierCode,
    lastSequence: 0,
    lastEventId: null,
    status: statusRef(null, null),
    statusAt: null,
    procedure: { nationalCode: null, localCode: null, name: null, mappingStatus: 'unmapped' },
    sector: null,
    receivingUnit: null,
    processingUnit: null,
    channel: null,
    dates: emptyDates(),
    supplementRequests: 0,
    extensions: 0,
    currentStep: null,
    source: ctx.source,
    updatedAt: toVietnamIso(ctx.receivedAt),
  };
}

/**
 * Dates are sticky: an empty date in a message never erases a known one (Thanh Hóa sends NgayHenTra null;
 * OpenCPS sends only the current state). `fill` only completes unknown dates, for messages that turned
 * out to be older than what isohub already has.
 */
export function mergeDates(
  known: DossierDates,
  incoming: Partial<DossierDates>,
  mode: 'override' | 'fill',
): DossierDates {
  const out: DossierDates = { ...known };
  for (const key of Object.keys(incoming) as (keyof DossierDates)[]) {
    const v = incoming[key];
    if (v !== null && v !== undefined && (mode === 'override' || out[key] === null)) {
      out[key] = v;
    }
  }
  return out;
}

/** The latest of some instants, ignoring nulls. */
export function latest(...values: (IsoInstant | null | undefined)[]): IsoInstant | null {
  let best: IsoInstant | null = null;
  for (const v of values) {
    if (v && (best === null || compareInstants(v, best) > 0)) {
      best = v;
    }
  }
  return best;
}

export function sameInstant(a: IsoInstant | null, b: IsoInstant | null): boolean {
  return a === b || (a !== null && b !== null && compareInstants(a, b) === 0);
}

/** True when `at` is strictly before `ref` (null ref: nothing to compare with). */
export function isBefore(at: IsoInstant, ref: IsoInstant | null): boolean {
  return ref !== null && compareInstants(at, ref) < 0;
}
