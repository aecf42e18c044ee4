import { LgspError } from './lgsp.errors';

/**
 * Where a poll of the dossier service resumes: dossiers changed at or after `since`, page `page` of that list.
 *
 * The bus pages by offset, and offsets shift when a dossier changes while we page (it leaves its place and
 * reappears at the end), so reading pages 1, 2, 3 of one `since` can skip a dossier for good. Instead each
 * full page moves `since` up to the newest change on it (keyset style: the list is ordered by change time,
 * so anything not read yet changed at or after it, including a dossier that moved) and reads page 1 again.
 * Only a page whose dossiers all changed at exactly `since` (more ties than a page holds) goes on to page 2.
 * Once caught up, `since` steps back `overlapMs` from the newest change seen, so a change the bus commits
 * late with an earlier time is still read; re-read dossiers map to the same event ids and are stored once.
 */
export interface LgspCursor {
  since: string;
  page: number;
  /** When the last poll that caught up finished (the poller's clock): the time the cursor vouches for. */
  asOf?: string | null;
}

interface StoredCursor {
  v: 1;
  since: string;
  page: number;
  asOf?: string;
}

export function encodeCursor(cursor: LgspCursor): string {
  const stored: StoredCursor = {
    v: 1,
    since: cursor.since,
    page: cursor.page,
    ...(cursor.asOf ? { asOf: cursor.asOf } : {}),
  };
  return JSON.stringify(stored);
}

function instant(value: unknown): string | null {
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}T/.test(value.trim())) {
    return null;
  }
  const ms = Date.parse(value.trim());
  return Number.isNaN(ms) ? null : new Date(ms).toISOString();
}

/**
 * Reads a stored cursor, or one an operator sets: the JSON form, or a bare ISO 8601 instant to restart
 * from (`2025-07-01T08:00:00+07:00`). Null text = the configured start; null result = not a cursor of ours.
 */
export function readCursor(text: string | null, startFrom: string): LgspCursor | null {
  if (text === null || text.trim() === '') {
    return { since: startFrom, page: 1 };
  }
  const trimmed = text.trim();
  if (!trimmed.startsWith('{')) {
    const since = instant(trimmed);
    return since === null ? null : { since, page: 1 };
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(trimmed);
  } catch {
    return null;
  }
  const c = typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : {};
  const since = instant(c['since']);
  const page = c['page'];
  const asOf = c['asOf'] === undefined ? null : instant(c['asOf']);
  if (c['v'] !== 1 || since === null || typeof page !== 'number' || !Number.isInteger(page) || page < 1) {
    return null;
  }
  if (asOf === null && c['asOf'] !== undefined) {
    return null;
  }
  return { since, page, asOf };
}

/** The stored cursor, or the configured start on the first pull ever; REJECTED when it is not ours. */
export function decodeCursor(text: string | null, startFrom: string): LgspCursor {
  const cursor = readCursor(text, startFrom);
  if (cursor === null) {
    // Restarting from startFrom could re-read years of dossiers: an operator decides.
    throw new LgspError(
      'REJECTED',
      `stored cursor is not an LGSP dossier cursor: ${String(text).slice(0, 80)}`,
    );
  }
  return cursor;
}

export interface PageOutcome {
  /** `modifiedAt` of each dossier on the page (null when the bus sent none readable). */
  modifiedAt: (string | null)[];
  hasMore: boolean;
}

/** The cursor after reading `page` at `current`, and whether to pull again at once. */
export function nextCursor(
  current: LgspCursor,
  page: PageOutcome,
  overlapMs: number,
  now: Date = new Date(),
): { cursor: LgspCursor; hasMore: boolean } {
  const sinceMs = Date.parse(current.since);
  const times = page.modifiedAt.filter((t): t is string => t !== null).map((t) => Date.parse(t));
  const newest = times.length > 0 ? Math.max(...times) : null;
  const asOf = current.asOf ?? null;
  if (page.hasMore) {
    if (newest !== null && newest > sinceMs) {
      return { cursor: { since: new Date(newest).toISOString(), page: 1, asOf }, hasMore: true };
    }
    return { cursor: { since: current.since, page: current.page + 1, asOf }, hasMore: true };
  }
  const caughtUp = now.toISOString();
  if (newest === null) {
    return { cursor: { since: current.since, page: 1, asOf: caughtUp }, hasMore: false };
  }
  return {
    cursor: { since: new Date(newest - overlapMs).toISOString(), page: 1, asOf: caughtUp },
    hasMore: false,
  };
}
