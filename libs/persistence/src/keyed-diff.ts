import { canonicalJson, sha256Hex } from './canonical-json';

export interface Change<T> {
  key: string;
  before: T;
  after: T;
}

export interface KeyedDiff<T> {
  added: T[];
  changed: Change<T>[];
  removed: T[];
  unchanged: number;
}

/**
 * Compares two keyed sets by content (canonical JSON of `content(row)`, so bookkeeping such as
 * updated_at never counts). `removable` limits which missing rows count as removed: none in a merge,
 * the import's scope in a replace.
 */
export function keyedDiff<T>(
  current: ReadonlyMap<string, T>,
  incoming: ReadonlyMap<string, T>,
  content: (row: T) => unknown,
  removable: (row: T) => boolean = () => false,
): KeyedDiff<T> {
  const diff: KeyedDiff<T> = { added: [], changed: [], removed: [], unchanged: 0 };
  for (const [key, after] of incoming) {
    const before = current.get(key);
    if (before === undefined) {
      diff.added.push(after);
    } else if (canonicalJson(content(before)) === canonicalJson(content(after))) {
      diff.unchanged += 1;
    } else {
      diff.changed.push({ key, before, after });
    }
  }
  for (const [key, row] of current) {
    if (!incoming.has(key) && removable(row)) {
      diff.removed.push(row);
    }
  }
  return diff;
}

/** Fingerprint of a plan: a commit applies only what its dry run showed. */
export function diffHash<T>(diff: KeyedDiff<T>, content: (row: T) => unknown): string {
  return sha256Hex(
    canonicalJson({
      added: diff.added.map(content),
      changed: diff.changed.map((c) => ({ key: c.key, before: content(c.before), after: content(c.after) })),
      removed: diff.removed.map(content),
    }),
  );
}
