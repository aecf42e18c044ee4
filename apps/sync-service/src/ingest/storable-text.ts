/**
 * Text PostgreSQL cannot store: NUL (`\u0000`, refused in `text` and `jsonb`) and lone UTF-16 surrogates
 * (a `jsonb` escape like `\ud800` without its pair is refused). Both are replaced by U+FFFD before an item
 * reaches the mappers, so such an item is stored (and counted) instead of failing its whole request with a 5xx.
 */
// eslint-disable-next-line no-control-regex -- NUL is exactly what must be found
const UNSTORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

export const REPLACEMENT_CHARACTER = '\uFFFD';

export interface StorableItems {
  items: unknown[];
  /** How many characters were replaced (0: the items are returned as they were). */
  replaced: number;
}

export function storableItems(items: readonly unknown[]): StorableItems {
  let replaced = 0;
  const text = (s: string): string =>
    s.replace(UNSTORABLE, () => {
      replaced += 1;
      return REPLACEMENT_CHARACTER;
    });
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') {
      return text(v);
    }
    if (Array.isArray(v)) {
      return v.map(walk);
    }
    if (v !== null && typeof v === 'object') {
      return Object.fromEntries(Object.entries(v).map(([k, x]) => [text(k), walk(x)]));
    }
    return v;
  };
  const cleaned = items.map(walk);
  return { items: replaced === 0 ? [...items] : cleaned, replaced };
}
