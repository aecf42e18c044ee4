/**
 * Text helpers for Vietnamese wire data (DOMAIN.md §9): NFC at ingress, accent-insensitive folding for
 * lookups, and the numbers and booleans that senders write as strings (§4.5).
 */

/**
 * Returns a copy of a JSON value with every string, object keys included, in NFC. Real payloads mix NFD
 * (macOS, some web sources) with NFC; two spellings of one name must compare equal everywhere downstream.
 * When two keys differ only by normalisation, the later one wins (JSON.parse keeps the last duplicate too).
 */
export function nfc<T>(value: T): T {
  return deepNfc(value) as T;
}

function deepNfc(value: unknown): unknown {
  if (typeof value === 'string') {
    return value.normalize('NFC');
  }
  if (Array.isArray(value)) {
    return value.map(deepNfc);
  }
  if (isPlainObject(value)) {
    const out: Record<string, unknown> = {};
    for (const [key, v] of Object.entries(value)) {
      out[key.normalize('NFC')] = deepNfc(v);
    }
    return out;
  }
  return value;
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return false;
  }
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

/** Accent-insensitive key for indexes and lookups; keep the original text for display. */
export function foldForSearch(s: string): string {
  return s
    .normalize('NFD')
    .replace(/\p{Mn}/gu, '')
    .replace(/đ/g, 'd')
    .replace(/Đ/g, 'D')
    .toLowerCase();
}

/** Folds and collapses whitespace: the form in which sender texts are compared with rule tables. */
export function foldPhrase(s: string): string {
  return foldForSearch(s).replace(/\s+/g, ' ').trim();
}

/** Result of reading an integer that may arrive as a number or a string. */
export type IntRead = { ok: true; value: number | null } | { ok: false };

/** `9`, `"9"`, `" 9 "` -> 9; null, undefined, `""`, whitespace -> null; anything else is not an integer. */
export function readInt(v: unknown): IntRead {
  if (v === null || v === undefined) {
    return { ok: true, value: null };
  }
  if (typeof v === 'number') {
    return Number.isSafeInteger(v) ? { ok: true, value: v } : { ok: false };
  }
  if (typeof v === 'string') {
    const t = v.trim();
    if (t === '') {
      return { ok: true, value: null };
    }
    return /^[+-]?\d{1,15}$/.test(t) ? { ok: true, value: Number(t) } : { ok: false };
  }
  return { ok: false };
}

/** Lenient form of `readInt`: anything that is not an integer becomes null. */
export function toIntOrNull(v: unknown): number | null {
  const r = readInt(v);
  return r.ok ? r.value : null;
}

const TRUE_WORDS = new Set(['true', '1']);
const FALSE_WORDS = new Set(['false', '0']);

/** `"True"`, `"true"`, `true`, `1`, `"1"` -> true; their opposites -> false; anything else -> null. */
export function toBool(v: unknown): boolean | null {
  if (typeof v === 'boolean') {
    return v;
  }
  if (typeof v === 'number') {
    return v === 1 ? true : v === 0 ? false : null;
  }
  if (typeof v === 'string') {
    const t = v.trim().toLowerCase();
    if (TRUE_WORDS.has(t)) {
      return true;
    }
    if (FALSE_WORDS.has(t)) {
      return false;
    }
  }
  return null;
}

/** Trimmed NFC text, or null for absent/blank. Numbers become their decimal text (codes sent as numbers). */
export function textOrNull(v: unknown): string | null {
  if (typeof v === 'number' && Number.isFinite(v)) {
    return String(v);
  }
  if (typeof v !== 'string') {
    return null;
  }
  const t = v.normalize('NFC').trim();
  return t === '' ? null : t;
}
