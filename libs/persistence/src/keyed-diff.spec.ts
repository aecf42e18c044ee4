import { describe, expect, it } from 'vitest';
import { diffHash, keyedDiff } from './keyed-diff';

interface Row {
  key: string;
  value: number;
  updatedAt?: string;
}

const map = (rows: Row[]) => new Map(rows.map((r) => [r.key, r]));
const content = (r: Row) => ({ key: r.key, value: r.value });

describe('keyedDiff', () => {
  const current = map([
    { key: 'a', value: 1, updatedAt: 'yesterday' },
    { key: 'b', value: 2 },
    { key: 'c', value: 3 },
  ]);
  const incoming = map([
    { key: 'a', value: 1, updatedAt: 'today' },
    { key: 'b', value: 20 },
    { key: 'd', value: 4 },
  ]);

  it('sorts rows into added, changed and unchanged by content only', () => {
    const d = keyedDiff(current, incoming, content);
    expect(d.added.map((r) => r.key)).toEqual(['d']);
    expect(d.changed).toEqual([{ key: 'b', before: { key: 'b', value: 2 }, after: { key: 'b', value: 20 } }]);
    expect(d.unchanged).toBe(1);
    expect(d.removed).toEqual([]);
  });

  it('counts missing rows as removed only where allowed (a replace, within scope)', () => {
    expect(keyedDiff(current, incoming, content, () => true).removed.map((r) => r.key)).toEqual(['c']);
    expect(keyedDiff(current, incoming, content, (r) => r.key !== 'c').removed).toEqual([]);
  });

  it('fingerprints the plan, not bookkeeping', () => {
    const d1 = keyedDiff(current, incoming, content);
    const d2 = keyedDiff(
      current,
      map([...incoming.values()].map((r) => ({ ...r, updatedAt: 'later' }))),
      content,
    );
    expect(diffHash(d1, content)).toBe(diffHash(d2, content));
    expect(diffHash(d1, content)).not.toBe(diffHash(keyedDiff(current, current, content), content));
  });
});
