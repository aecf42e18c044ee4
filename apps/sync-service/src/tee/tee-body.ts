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
