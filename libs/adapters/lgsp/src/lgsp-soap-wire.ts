/**
 * Turns what the `soap` client made of a dossier-service answer into plain LGSP wire records: the same field
 * names and value types as the REST JSON (strings, numbers, booleans, arrays), so mapLgspDocument and
 * mapLgspTrace read a polled dossier exactly like a pushed one.
 */

/** Wrapper elements the WSDL uses for repeated items (`<DocFees><DocFee>…`). */
const LIST_ITEMS: Readonly<Record<string, string>> = {
  DocFees: 'DocFee',
  Attachments: 'Attachment',
};

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date);
}

/** One element or many: `soap` gives an object for a single repeated element, an array for several. */
export function asArray(value: unknown): unknown[] {
  if (value === undefined || value === null || value === '') {
    return [];
  }
  return Array.isArray(value) ? value : [value];
}

/** A simple value as the REST JSON would carry it. */
function scalar(value: unknown): unknown {
  if (value instanceof Date) {
    // An xsd:dateTime the client converted: back to the LGSP's own format (genuine UTC).
    return Number.isNaN(value.getTime()) ? '' : value.toISOString();
  }
  if (isRecord(value)) {
    if ('$value' in value) {
      return scalar(value['$value']);
    }
    // `<Email/>` or `<Email xsi:nil="true"/>`: present and empty, as the REST JSON sends "".
    const keys = Object.keys(value).filter((k) => k !== 'attributes');
    if (keys.length === 0) {
      return '';
    }
  }
  return value;
}

/** A dossier or trace record with its values normalised; list wrappers unwrapped. */
export function readWireRecord(value: unknown): Record<string, unknown> {
  if (!isRecord(value)) {
    return {};
  }
  const out: Record<string, unknown> = {};
  for (const [key, raw] of Object.entries(value)) {
    if (key === 'attributes') {
      continue;
    }
    const itemName = LIST_ITEMS[key];
    if (itemName !== undefined) {
      const inner = isRecord(raw) ? raw[itemName] : raw;
      out[key] = asArray(inner).map((item) => readWireRecord(item));
      continue;
    }
    out[key] = scalar(raw);
  }
  return out;
}

/** A number the answer carried as a number or numeric text; null otherwise. */
export function readCount(value: unknown): number | null {
  const v = scalar(value);
  const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
  return Number.isInteger(n) && n >= 0 ? n : null;
}

/** A boolean the answer carried as a boolean or `true`/`false`/`1`/`0` text; null otherwise. */
export function readBoolean(value: unknown): boolean | null {
  const v = scalar(value);
  if (typeof v === 'boolean') {
    return v;
  }
  if (typeof v === 'string') {
    const t = v.trim().toLowerCase();
    return t === 'true' || t === '1' ? true : t === 'false' || t === '0' ? false : null;
  }
  return null;
}

/** An instant the answer carried (ISO 8601, with `Z` or an offset) as a normalised ISO string; null otherwise. */
export function readInstant(value: unknown): string | null {
  const v = scalar(value);
  if (typeof v !== 'string' || v.trim() === '') {
    return null;
  }
  const ms = Date.parse(v.trim());
  // Year 1 and 1970 are "no date" defaults (DOMAIN.md §4.5).
  return Number.isNaN(ms) || ms <= 0 ? null : new Date(ms).toISOString();
}
