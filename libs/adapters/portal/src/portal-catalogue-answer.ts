import { classifyOutcome, parseJsonBody, readText } from './portal-answer';
import { PortalError } from './portal.errors';
import type { PortalAnswer, PortalProcedureSummary } from './portal.port';

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function parseObject(text: string): Record<string, unknown> | null {
  try {
    const parsed: unknown = JSON.parse(text);
    return isRecord(parsed) ? parsed : null;
  } catch {
    return null;
  }
}

export interface CatalogueAnswer {
  answer: PortalAnswer;
  /** `result` as an array (a lone object counts as one record); null when the portal sent none. */
  result: unknown[] | null;
}

/**
 * Reads an answer to a catalogue service. The portal answers `{error_code, message, result: [...]}`
 * (OpenCPS reads `result`, docs/research/wire-formats.md §3); the Thanh Hóa connector wraps that JSON
 * **as a string** in `message` and may send no `error_code` of its own (`JObject.Parse(resp.message)
 * ["result"]`). Both are accepted. An answer with neither a code nor a `result`, a `result` that is not
 * an array, or a success without a `result` is BAD_RESPONSE.
 */
export function parseCatalogueAnswer(text: string, what: string): CatalogueAnswer {
  const raw = parseJsonBody(text, what);
  if (!isRecord(raw)) {
    throw new PortalError('BAD_RESPONSE', `${what}: portal answer is not a JSON object`);
  }
  let body = raw;
  if (!('result' in raw) && typeof raw['message'] === 'string') {
    const inner = parseObject(raw['message']);
    if (inner !== null) {
      body = { ...inner, error_code: inner['error_code'] ?? raw['error_code'] };
    }
  }
  const rawResult = body['result'];
  let result: unknown[] | null = null;
  if (Array.isArray(rawResult)) {
    result = rawResult;
  } else if (isRecord(rawResult)) {
    result = [rawResult];
  } else if (rawResult !== undefined && rawResult !== null) {
    throw new PortalError('BAD_RESPONSE', `${what}: result is neither an array nor an object`);
  }
  const errorCode = readText(body['error_code']) || (result !== null ? '0' : null);
  if (errorCode === null) {
    throw new PortalError('BAD_RESPONSE', `${what}: portal answer has neither error_code nor result`);
  }
  const message = (
    body === raw ? (readText(raw['message']) ?? '') : (readText(body['message']) ?? '')
  ).normalize('NFC');
  const outcome = classifyOutcome(errorCode, message);
  if (outcome === 'success' && result === null) {
    throw new PortalError('BAD_RESPONSE', `${what}: portal answered success without a result`);
  }
  return { answer: { errorCode, message, raw, outcome }, result };
}

/**
 * The `LayDanhSachTTHC` entries (`MATTHC`, `TENTTHC`, as OpenCPS's getServiceInfoDVCQGMap reads them).
 * An entry without a code makes the whole list unusable: a caller would take the procedure it hides
 * for one the portal dropped.
 */
export function readProcedureList(result: readonly unknown[], what: string): PortalProcedureSummary[] {
  const seen = new Set<string>();
  const out: PortalProcedureSummary[] = [];
  result.forEach((entry, index) => {
    const record = isRecord(entry) ? entry : {};
    const code = (
      readText(record['MATTHC']) ??
      readText(record['MaTTHC']) ??
      readText(record['maTTHC']) ??
      ''
    )
      .normalize('NFC')
      .trim();
    if (code === '') {
      throw new PortalError('BAD_RESPONSE', `${what}: result[${index}] has no MATTHC`);
    }
    if (seen.has(code)) {
      return;
    }
    seen.add(code);
    const name = readText(record['TENTTHC'])?.normalize('NFC') ?? null;
    out.push({ code, name: name === '' ? null : name });
  });
  return out;
}

/** `result[0]` of `LayThuTuc` when it is a record; anything else there is BAD_RESPONSE. */
export function readProcedureRecord(
  result: readonly unknown[] | null,
  what: string,
): Record<string, unknown> | null {
  const first = result?.[0];
  if (first === undefined) {
    return null;
  }
  if (!isRecord(first)) {
    throw new PortalError('BAD_RESPONSE', `${what}: result[0] is not an object`);
  }
  return first;
}
