import { parsePortalDate, toVietnamIso } from '@isohub/mapping';
import type { ListedDossier } from './dossier-page.mapper';
import { laterOf, millis, minusMinutes } from './vendor-dates';

/**
 * Where a modified-since poll stands (stored as JSON text, opaque to the poller):
 * - `mark`: the latest modification time read so far; the next run starts `overlap` minutes before it,
 *   because an upstream can commit a change stamped earlier than one already read.
 * - `after`: set while a run is paging: the keyset position (time, and the ids at exactly that time
 *   already read). Pages are asked for "modified >= at", so a dossier that changes while the list is
 *   paged moves to the end and is read later in the same run instead of shifting an offset.
 * - `asOf`: when the last complete run finished (the poller's clock): the time the cursor vouches for.
 */
export interface PullCursor {
  v: 1;
  mark: string | null;
  after?: { at: string; ids: string[] };
  asOf?: string | null;
}

export interface PullWindow {
  /** Inclusive start of the query, null = everything. */
  from: string | null;
  /** Ids at exactly `from` already read in this run. */
  skipIds: ReadonlySet<string>;
}

function iso(v: unknown): string | null {
  if (typeof v !== 'string') {
    return null;
  }
  const p = parsePortalDate(v);
  return p.ok ? p.value : null;
}

/**
 * Reads a stored or operator-given cursor: the JSON form, or a bare timestamp (`2025-07-01T08:00:00+07:00`,
 * `01/07/2025 08:00:00`, …) to restart from; null text = the configured start. Null result = not a cursor.
 */
export function parseCursor(textValue: string | null, startFrom: string | null): PullCursor | null {
  if (textValue === null || textValue.trim() === '') {
    return { v: 1, mark: startFrom };
  }
  const t = textValue.trim();
  if (!t.startsWith('{')) {
    const mark = iso(t);
    return mark === null ? null : { v: 1, mark };
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(t);
  } catch {
    return null;
  }
  if (parsed === null || typeof parsed !== 'object' || (parsed as { v?: unknown }).v !== 1) {
    return null;
  }
  const p = parsed as Record<string, unknown>;
  const mark = p['mark'] === null || p['mark'] === undefined ? null : iso(p['mark']);
  if (mark === null && p['mark'] !== null && p['mark'] !== undefined) {
    return null;
  }
  const cursor: PullCursor = { v: 1, mark };
  const asOf = p['asOf'] === undefined || p['asOf'] === null ? null : iso(p['asOf']);
  if (asOf !== null) {
    cursor.asOf = asOf;
  }
  const after = p['after'];
  if (after !== undefined && after !== null) {
    const a = after as Record<string, unknown>;
    const at = iso(a['at']);
    const ids = a['ids'];
    if (at === null || !Array.isArray(ids) || !ids.every((x) => typeof x === 'string')) {
      return null;
    }
    cursor.after = { at, ids: ids };
  }
  return cursor;
}

export function encodeCursor(c: PullCursor): string {
  return JSON.stringify({
    v: 1,
    mark: c.mark,
    ...(c.after ? { after: { at: c.after.at, ids: c.after.ids } } : {}),
    ...(c.asOf ? { asOf: c.asOf } : {}),
  });
}

/** The time the cursor vouches for (lag = now - this). */
export function cursorTime(c: PullCursor): string | null {
  return c.asOf ?? c.mark;
}

export function windowOf(c: PullCursor, overlapMinutes: number): PullWindow {
  if (c.after) {
    return { from: c.after.at, skipIds: new Set(c.after.ids) };
  }
  return { from: c.mark === null ? null : minusMinutes(c.mark, overlapMinutes), skipIds: new Set() };
}

/** The page's dossiers not yet read in this run (keyset: after the window's position). */
export function unreadInWindow(ordered: readonly ListedDossier[], w: PullWindow): ListedDossier[] {
  const fromMs = w.from === null ? null : millis(w.from);
  return ordered.filter((d) => {
    if (d.modifiedAt === null || fromMs === null) {
      return true;
    }
    const m = millis(d.modifiedAt);
    if (m < fromMs) {
      // Older than the window: a coarse server-side filter (day precision) or an out-of-order answer.
      return false;
    }
    return !(m === fromMs && d.id !== null && w.skipIds.has(d.id));
  });
}

/**
 * The cursor after a page. `read` are the dossiers processed (keyset order). While the upstream has more,
 * the cursor keeps the keyset position; when the run is complete it drops it and records `asOf`. Returns
 * `more: false` when a page moved nothing forward, so a misbehaving API cannot loop a run forever.
 */
export function advance(
  c: PullCursor,
  w: PullWindow,
  read: readonly ListedDossier[],
  upstreamHasMore: boolean,
  now: Date,
): { cursor: PullCursor; more: boolean } {
  const placed = read.filter((d): d is ListedDossier & { modifiedAt: string } => d.modifiedAt !== null);
  const lastAt = placed.reduce<string | null>((acc, d) => laterOf(acc, d.modifiedAt), null);
  const mark = laterOf(c.mark, lastAt);
  if (upstreamHasMore && lastAt !== null) {
    const atLast = placed.filter((d) => millis(d.modifiedAt) === millis(lastAt) && d.id !== null);
    const ids = new Set(atLast.map((d) => d.id as string));
    if (w.from !== null && millis(w.from) === millis(lastAt)) {
      w.skipIds.forEach((id) => ids.add(id));
    }
    return {
      cursor: { v: 1, mark, after: { at: lastAt, ids: [...ids].sort() }, asOf: c.asOf ?? null },
      more: true,
    };
  }
  // The upstream says there is more but nothing on this page could be placed: end the run without
  // claiming to be up to date, so the next run asks again from the same mark.
  const asOf = upstreamHasMore ? (c.asOf ?? null) : toVietnamIso(now);
  return { cursor: { v: 1, mark, asOf }, more: false };
}
