import { describe, expect, it } from 'vitest';
import type { ListedDossier } from './dossier-page.mapper';
import { advance, cursorTime, encodeCursor, parseCursor, unreadInWindow, windowOf } from './pull-cursor';

const NOW = new Date('2025-07-01T10:00:00Z');
const d = (id: string, modifiedAt: string | null): ListedDossier => ({ id, modifiedAt, raw: {} });

describe('pull cursor (keyset on the modification time, overlap at the start of a run)', () => {
  it('reads the stored form, a bare timestamp an operator types, or nothing (the configured start)', () => {
    expect(parseCursor(null, '2025-07-01T00:00:00+07:00')).toEqual({
      v: 1,
      mark: '2025-07-01T00:00:00+07:00',
    });
    expect(parseCursor('2025-07-01T08:00:00+07:00', null)).toEqual({
      v: 1,
      mark: '2025-07-01T08:00:00+07:00',
    });
    expect(parseCursor('01/07/2025 08:00:00', null)?.mark).toBe('2025-07-01T08:00:00+07:00');
    const stored = encodeCursor({
      v: 1,
      mark: '2025-07-01T08:00:00+07:00',
      after: { at: '2025-07-01T08:00:00+07:00', ids: ['7'] },
    });
    expect(parseCursor(stored, null)?.after?.ids).toEqual(['7']);
    expect(parseCursor('not a cursor', null)).toBeNull();
    expect(parseCursor('{"v":2}', null)).toBeNull();
  });

  it('starts a run overlap minutes before the mark, and continues a run exactly where it stopped', () => {
    const c = { v: 1 as const, mark: '2025-07-01T08:00:00+07:00' };
    expect(windowOf(c, 10).from).toBe('2025-07-01T07:50:00+07:00');
    const mid = { ...c, after: { at: '2025-07-01T08:30:00+07:00', ids: ['1'] } };
    expect(windowOf(mid, 10)).toEqual({ from: '2025-07-01T08:30:00+07:00', skipIds: new Set(['1']) });
  });

  it('skips what this run already read at the keyset position and what is older than the window', () => {
    const w = { from: '2025-07-01T08:00:00+07:00', skipIds: new Set(['1', '2']) };
    const page = [
      d('0', '2025-07-01T07:59:59+07:00'),
      d('1', '2025-07-01T08:00:00+07:00'),
      d('2', '2025-07-01T08:00:00+07:00'),
      d('3', '2025-07-01T08:00:00+07:00'),
      d('4', '2025-07-01T08:01:00+07:00'),
    ];
    expect(unreadInWindow(page, w).map((x) => x.id)).toEqual(['3', '4']);
  });

  it('keeps the ids read at the last time when more are to come, so a run with many equal times progresses', () => {
    const c = { v: 1 as const, mark: null };
    const w = { from: '2025-07-01T08:00:00+07:00', skipIds: new Set(['1']) };
    const read = [d('2', '2025-07-01T08:00:00+07:00'), d('3', '2025-07-01T08:00:00+07:00')];
    const next = advance(c, w, read, true, NOW);
    expect(next.more).toBe(true);
    expect(next.cursor.after).toEqual({ at: '2025-07-01T08:00:00+07:00', ids: ['1', '2', '3'] });
    expect(next.cursor.mark).toBe('2025-07-01T08:00:00+07:00');
  });

  it('ends a run with the mark at the latest time read and vouches for the time it finished', () => {
    const c = {
      v: 1 as const,
      mark: '2025-07-01T08:00:00+07:00',
      after: { at: '2025-07-01T08:00:00+07:00', ids: [] },
    };
    const next = advance(c, windowOf(c, 10), [d('5', '2025-07-01T09:00:00+07:00')], false, NOW);
    expect(next.more).toBe(false);
    expect(next.cursor).toEqual({
      v: 1,
      mark: '2025-07-01T09:00:00+07:00',
      asOf: '2025-07-01T17:00:00+07:00',
    });
    expect(cursorTime(next.cursor)).toBe('2025-07-01T17:00:00+07:00');
  });

  it('stops a run that cannot move (the upstream says more but nothing could be placed), keeping the mark', () => {
    const c = { v: 1 as const, mark: '2025-07-01T08:00:00+07:00', asOf: '2025-07-01T16:00:00+07:00' };
    const next = advance(c, windowOf(c, 10), [d('9', null)], true, NOW);
    expect(next).toEqual({ cursor: { v: 1, mark: c.mark, asOf: c.asOf }, more: false });
  });
});
