import type { IsoInstant, PersonRef, UnitRef } from '@isohub/events';
import { compareInstants } from './vn-date';

/** Who held a dossier after a handover: the unit, officer and step it went to. */
export interface Holder {
  unit: UnitRef | null;
  user: PersonRef | null;
  step: string | null;
}

/**
 * One point of a dossier's history as isohub has read it, kept beside the dossier state (never published):
 * the national status true from `at` on and, for a handover row, who held the dossier from then. A handover
 * event's "from" side is the holder of the latest entry before it, and a row arriving after newer ones is
 * given the status that was true at its own time.
 */
export interface TrailEntry {
  at: IsoInstant;
  national: number | null;
  holder?: Holder;
}

/** Entries kept per dossier: enough for any late chunk of a real control sheet, bounded for a runaway sender. */
export const MAX_TRAIL_ENTRIES = 200;

/** A stored trail read defensively: anything that is not a well-formed entry is dropped, never trusted. */
export function readTrail(stored: unknown): TrailEntry[] {
  if (!Array.isArray(stored)) {
    return [];
  }
  return stored.filter(
    (e): e is TrailEntry =>
      e !== null &&
      typeof e === 'object' &&
      typeof (e as TrailEntry).at === 'string' &&
      ((e as TrailEntry).national === null || typeof (e as TrailEntry).national === 'number'),
  );
}

/** The holder before `at`: the latest entry strictly before it that names one. */
export function holderBefore(trail: readonly TrailEntry[], at: IsoInstant): Holder | null {
  let best: TrailEntry | null = null;
  for (const e of trail) {
    if (e.holder && compareInstants(e.at, at) < 0 && (best === null || compareInstants(e.at, best.at) >= 0)) {
      best = e;
    }
  }
  return best?.holder ?? null;
}

/** The national status true just before `at`, as far as the trail knows (null: nothing known). */
export function statusBefore(trail: readonly TrailEntry[], at: IsoInstant): number | null {
  let best: TrailEntry | null = null;
  for (const e of trail) {
    if (
      e.national !== null &&
      compareInstants(e.at, at) < 0 &&
      (best === null || compareInstants(e.at, best.at) >= 0)
    ) {
      best = e;
    }
  }
  return best?.national ?? null;
}

/**
 * The trail with `entry` added in time order. The same action seen again (a re-send, or the other channel:
 * same instant, same officer) keeps the entry first recorded, so a re-send or an LGSP trace of a portal row
 * never changes who held the dossier; the oldest entries go first when the trail is full.
 */
export function addToTrail(trail: readonly TrailEntry[], entry: TrailEntry): TrailEntry[] {
  const sameAction = (e: TrailEntry): boolean =>
    compareInstants(e.at, entry.at) === 0 &&
    (e.holder === undefined) === (entry.holder === undefined) &&
    (entry.holder === undefined
      ? e.national === entry.national
      : userKey(e.holder) === userKey(entry.holder));
  const known = trail.find(sameAction);
  if (known) {
    if (known.national !== null || entry.national === null) {
      return [...trail];
    }
    return trail.map((e) => (e === known ? { ...e, national: entry.national } : e));
  }
  const out = [...trail, entry];
  out.sort((a, b) => compareInstants(a.at, b.at));
  return out.slice(-MAX_TRAIL_ENTRIES);
}

function userKey(h: Holder | undefined): string | null {
  const name = h?.user?.name ?? null;
  return name === null ? null : name.normalize('NFC').replace(/\s+/g, ' ').trim().toLocaleLowerCase('vi');
}
