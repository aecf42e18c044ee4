import { describe, expect, it } from 'vitest';
import { decodeCursor, encodeCursor, type LgspCursor, nextCursor, readCursor } from './lgsp-cursor';
import { LgspError } from './lgsp.errors';

const T0 = Date.parse('2025-07-01T00:00:00.000Z');
const at = (s: number) => new Date(T0 + s * 1000).toISOString();

describe('cursor encoding', () => {
  it('starts from the configured start point and round-trips', () => {
    expect(decodeCursor(null, at(0))).toEqual({ since: at(0), page: 1 });
    const c: LgspCursor = { since: at(5), page: 3, asOf: at(9) };
    expect(decodeCursor(encodeCursor(c), at(0))).toEqual(c);
  });

  it('takes a bare instant an operator sets, in any offset', () => {
    expect(readCursor('2025-07-01T08:00:00+07:00', at(0))).toEqual({ since: at(3600), page: 1 });
    expect(readCursor('01/07/2025 08:00:00', at(0))).toBeNull();
  });

  it('refuses a cursor it did not write rather than starting over', () => {
    for (const bad of [
      'garbage',
      '{"v":2,"since":"x","page":1}',
      '{"v":1,"since":"not a date","page":1}',
      '{"v":1,"since":"2025-07-01T00:00:00Z","page":0}',
    ]) {
      expect(() => decodeCursor(bad, at(0))).toThrow(LgspError);
    }
  });
});

describe('nextCursor', () => {
  const start: LgspCursor = { since: at(0), page: 1 };
  const now = new Date(T0 + 86_400_000);

  it('moves since to the newest change of a full page and reads page 1 again (keyset style)', () => {
    expect(nextCursor(start, { modifiedAt: [at(1), at(3), at(2)], hasMore: true }, 60_000, now)).toEqual({
      cursor: { since: at(3), page: 1, asOf: null },
      hasMore: true,
    });
  });

  it('goes to the next page only when a whole page shares the time it started from', () => {
    const ties = { since: at(3), page: 1, asOf: at(1) };
    expect(nextCursor(ties, { modifiedAt: [at(3), at(3)], hasMore: true }, 60_000, now)).toEqual({
      cursor: { since: at(3), page: 2, asOf: at(1) },
      hasMore: true,
    });
  });

  it('once caught up, steps back the overlap window from the newest change and vouches for now', () => {
    expect(nextCursor(start, { modifiedAt: [at(100), at(400)], hasMore: false }, 60_000, now)).toEqual({
      cursor: { since: at(340), page: 1, asOf: now.toISOString() },
      hasMore: false,
    });
  });

  it('keeps since on an empty page (and leaves a page beyond the end)', () => {
    expect(nextCursor({ since: at(9), page: 4 }, { modifiedAt: [], hasMore: false }, 60_000, now)).toEqual({
      cursor: { since: at(9), page: 1, asOf: now.toISOString() },
      hasMore: false,
    });
  });
});

/**
 * A bus that pages by offset over "changed at or after since", where every list call first changes the
 * oldest listed dossier (the sandbox's changeDuringPaging fault): the dossier moves to the end and every
 * later one moves a place up.
 */
function churningBus(count: number) {
  const modified = new Map<string, number>();
  for (let i = 0; i < count; i++) {
    modified.set(`D-${String(i).padStart(3, '0')}`, T0 + i * 1000);
  }
  let clock = T0 + count * 1000;
  const list = (sinceMs: number, page: number, size: number) => {
    const sorted = () =>
      [...modified.entries()]
        .filter(([, t]) => t >= sinceMs)
        .sort((a, b) => a[1] - b[1] || a[0].localeCompare(b[0]));
    const oldest = sorted()[0];
    if (oldest) {
      modified.set(oldest[0], (clock += 1000));
    }
    const all = sorted();
    return { items: all.slice((page - 1) * size, page * size), hasMore: page * size < all.length };
  };
  return { list, codes: [...modified.keys()] };
}

describe('paging while dossiers change', () => {
  it('plain offset paging of one since loses dossiers; the cursor reads every one', () => {
    const naive = churningBus(25);
    const seenNaive = new Set<string>();
    for (let page = 1; ; page++) {
      const { items, hasMore } = naive.list(T0, page, 5);
      items.forEach(([code]) => seenNaive.add(code));
      if (!hasMore) {
        break;
      }
    }
    expect(seenNaive.size).toBeLessThan(25);

    const bus = churningBus(25);
    const seen = new Set<string>();
    let cursor: LgspCursor = { since: at(0), page: 1 };
    let caughtUp = false;
    for (let pulls = 0; pulls < 100 && !caughtUp; pulls++) {
      const { items, hasMore } = bus.list(Date.parse(cursor.since), cursor.page, 5);
      items.forEach(([code]) => seen.add(code));
      const next = nextCursor(
        cursor,
        { modifiedAt: items.map(([, t]) => new Date(t).toISOString()), hasMore },
        0,
      );
      cursor = next.cursor;
      caughtUp = !next.hasMore;
    }
    expect(caughtUp).toBe(true);
    expect([...seen].sort()).toEqual(bus.codes);
  });
});
