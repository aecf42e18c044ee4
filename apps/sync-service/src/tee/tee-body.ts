import type { FieldError } from '@isohub/mapping';

export type ParsedBody = { ok: true; value: unknown } | { ok: false; error: FieldError };

/**
 * Bodies are UTF-8 whatever the Content-Type says (Thanh Hóa sends `application/json` without a
 * charset; DOMAIN.md §4.7). A UTF-8 BOM is tolerated. Text is NFC-normalised later, per field.
 */
export function parseJsonBody(raw: Buffer | undefined): ParsedBody {
  if (!raw || raw.length === 0) {
    return { ok: false, error: { field: '/', code: 'required', message: 'request body is empty' } };
  }
  let text = raw.toString('utf8');
  if (text.charCodeAt(0) === 0xfeff) {
    text = text.slice(1);
  }
  if (jsonDepth(text) > MAX_JSON_DEPTH) {
    // A 400 like any unreadable body (never a 5xx that invites the sender to retry the same poison).
    return {
      ok: false,
      error: { field: '/', code: 'range', message: `body nests deeper than ${MAX_JSON_DEPTH} levels` },
    };
  }
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (error) {
    // Only the position: V8's message quotes the body, and problem bodies and logs never echo content.
    const at = /position (\d+)/.exec((error as Error).message)?.[1];
    const where = at === undefined ? '' : ` (at character ${at})`;
    return { ok: false, error: { field: '/', code: 'format', message: `body is not valid JSON${where}` } };
  }
}

/** Deepest nesting of arrays and objects a body may have; real payloads stay under 10 levels. */
export const MAX_JSON_DEPTH = 32;

export function isRecord(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/**
 * The items of a body that is one object or an array of them (Thanh Hóa arrays, LGSP single objects).
 * `shape` names what the sender should have sent, for the error.
 */
export function parseItemsBody(
  raw: Buffer | undefined,
  shape: string,
): { ok: true; items: unknown[] } | { ok: false; error: FieldError } {
  const body = parseJsonBody(raw);
  if (!body.ok) {
    return body;
  }
  if (Array.isArray(body.value)) {
    return { ok: true, items: body.value };
  }
  if (isRecord(body.value)) {
    return { ok: true, items: [body.value] };
  }
  return { ok: false, error: { field: '/', code: 'type', message: `body must be ${shape}` } };
}

/**
 * The deepest nesting of arrays and objects in a JSON text, counted without parsing (strings skipped), so a
 * deeply nested body is refused before JSON.parse walks it.
 */
export function jsonDepth(text: string): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i += 1) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) {
        i += 1;
      } else if (c === 0x22) {
        inString = false;
      }
    } else if (c === 0x22) {
      inString = true;
    } else if (c === 0x7b || c === 0x5b) {
      depth += 1;
      max = Math.max(max, depth);
    } else if (c === 0x7d || c === 0x5d) {
      depth -= 1;
    }
  }
  return max;
}
