import { PortalError } from './portal.errors';
import type { PortalAnswer, PortalOutcome } from './portal.port';

/** Codes that go with "đã tồn tại" when the dossier is already on the portal (DOMAIN §4.2). */
const ALREADY_EXISTS_CODES = new Set(['0', '3', '-3']);
const ALREADY_EXISTS_TEXT = 'đã tồn tại';
const SUCCESS_TEXT = 'thành công';

/**
 * "00" is the success code older OpenCPS copies acknowledged; read it as "0" so both generations of
 * the portal's answer mean the same thing.
 */
function canonicalCode(code: string): string {
  return code === '00' ? '0' : code;
}

export function classifyOutcome(errorCode: string, message: string): PortalOutcome {
  const code = canonicalCode(errorCode);
  if (ALREADY_EXISTS_CODES.has(code) && message.toLowerCase().includes(ALREADY_EXISTS_TEXT)) {
    return 'already_exists';
  }
  return code === '0' ? 'success' : 'rejected';
}

/** A scalar answer field as text: strings trimmed, numbers stringified, anything else null. */
export function readText(value: unknown): string | null {
  if (typeof value === 'string') {
    return value.trim();
  }
  if (typeof value === 'number' && Number.isFinite(value)) {
    return String(value);
  }
  return null;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Reads the portal's JSON answer. `error_code` arrives as a number or a string, and messages can be
 * NFD, so everything is NFC-normalised before matching. An answer without `error_code` is not one the
 * senders could act on either: BAD_RESPONSE.
 */
export function parsePortalAnswer(raw: unknown): PortalAnswer {
  if (!isRecord(raw)) {
    throw new PortalError('BAD_RESPONSE', 'portal answer is not a JSON object');
  }
  const errorCode = readText(raw['error_code']);
  if (errorCode === null || errorCode === '') {
    throw new PortalError('BAD_RESPONSE', 'portal answer has no error_code');
  }
  const message = (readText(raw['message']) ?? '').normalize('NFC');
  return { errorCode, message, raw, outcome: classifyOutcome(errorCode, message) };
}

/** Parses a response body that must be JSON; anything else (an HTML error page, nothing) is BAD_RESPONSE. */
export function parseJsonBody(text: string, what: string): unknown {
  if (text.trim() === '') {
    throw new PortalError('BAD_RESPONSE', `${what}: portal answered with an empty body`);
  }
  try {
    return JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text) as unknown;
  } catch (error) {
    throw new PortalError('BAD_RESPONSE', `${what}: portal answer is not JSON`, {
      cause: new Error(error instanceof Error ? error.message : String(error)),
    });
  }
}

/**
 * Reads an answer to a Thanh Hóa-style post. A JSON answer with `error_code` is read as any other.
 * Failing that, the rule Thanh Hóa applies to its progress posts: the body is plain text and success
 * means it contains "thành công" anywhere (docs/research/wire-formats.md §2.3). `errorCode` is then "".
 */
export function parseRawPostAnswer(text: string, what: string): PortalAnswer {
  let raw: unknown = text;
  try {
    raw = parseJsonBody(text, what);
    return parsePortalAnswer(raw);
  } catch (error) {
    const plain = text.normalize('NFC');
    if (plain.toLowerCase().includes(SUCCESS_TEXT)) {
      return { errorCode: '', message: plain.trim(), raw, outcome: 'success' };
    }
    throw error;
  }
}

/** The dossiers in a TraCuuHoSo answer (`result`, an array; OpenCPS treats a non-empty one as "exists"). */
export function readLookupResult(raw: unknown): unknown[] {
  if (!isRecord(raw)) {
    return [];
  }
  const result = raw['result'];
  if (Array.isArray(result)) {
    return result;
  }
  return isRecord(result) ? [result] : [];
}
