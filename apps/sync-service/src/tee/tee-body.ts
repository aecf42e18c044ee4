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
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (error) {
    return {
      ok: false,
      error: { field: '/', code: 'format', message: `body is not valid JSON (${(error as Error).message})` },
    };
  }
}

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
