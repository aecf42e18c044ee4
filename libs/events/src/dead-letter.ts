import { createHash } from 'node:crypto';
import { isTraceparent } from './kafka-record';

/**
 * Dead-letter headers (schema `dead-letter.v1.json`). The record value is the original payload,
 * byte for byte; headers say why it failed without repeating its contents. DOMAIN.md §10 keeps
 * secrets and personal data out of dead-letter headers, so every text value is sanitised here and
 * the payload is identified by its hash only.
 */
export const DEAD_LETTER_HEADERS = {
  reasonCode: 'dlq_reason_code',
  reason: 'dlq_reason',
  field: 'dlq_field',
  sourceSystem: 'dlq_source_system',
  protocol: 'dlq_protocol',
  operation: 'dlq_operation',
  receivedAt: 'dlq_received_at',
  itemIndex: 'dlq_item_index',
  dossierCode: 'dlq_dossier_code',
  payloadSha256: 'dlq_payload_sha256',
  contentType: 'content-type',
  traceparent: 'traceparent',
} as const;

interface DeadLetterFields {
  /** Upper snake case, e.g. `INVALID_ITEM`; other characters are replaced by `_`. */
  reasonCode: string;
  /** A generic explanation ("NgayHenTra is not a date"), never the offending value itself. */
  reason: string;
  /** JSON pointer into the item (`/NgayHenTra`); a bare field name is turned into one. */
  field?: string | null;
  sourceSystem: string;
  protocol: string;
  operation?: string | null;
  /** A Date, or an RFC 3339 string; written with the Vietnam offset. */
  receivedAt: Date | string;
  /** Index of the failing item inside a batch body. */
  itemIndex?: number | null;
  dossierCode?: string | null;
  /** Media type of the payload as received; `application/octet-stream` when unknown. */
  contentType?: string | null;
  traceparent?: string | null;
}

/**
 * The payload itself (hashed here), or its hash when the caller already computed it, e.g. to
 * de-duplicate dead letters. When both are given the hash is taken from the payload.
 */
export type DeadLetterPayloadRef =
  | { payload: Buffer | string; payloadSha256?: string | null }
  | { payload?: undefined; payloadSha256: string };

export type DeadLetterInput = DeadLetterFields & DeadLetterPayloadRef;

export interface DeadLetterRecord {
  /** The dossier code when known, so a dossier's dead letters stay in order; else null. */
  key: string | null;
  value: Buffer;
  headers: Record<string, string>;
}

const MAX_REASON = 500;
const MAX_TEXT = 255;
const VIETNAM_OFFSET_MS = 7 * 60 * 60 * 1000;

/** Builds the headers. Never throws on odd input: a dead letter must always be writable. */
export function deadLetterHeaders(input: DeadLetterInput): Record<string, string> {
  const h = DEAD_LETTER_HEADERS;
  const reasonCode = toReasonCode(input.reasonCode);
  const headers: Record<string, string> = {
    [h.reasonCode]: reasonCode,
    [h.reason]: redact(clean(input.reason, MAX_REASON)) || reasonCode,
    [h.sourceSystem]: clean(input.sourceSystem, MAX_TEXT) || 'unknown',
    [h.protocol]: clean(input.protocol, MAX_TEXT) || 'unknown',
    [h.receivedAt]: vietnamInstant(input.receivedAt),
    [h.payloadSha256]: payloadHash(input),
    [h.contentType]: clean(input.contentType, MAX_TEXT) || 'application/octet-stream',
  };
  const optional: Array<[string, string]> = [
    [h.field, toPointer(input.field)],
    [h.operation, clean(input.operation, MAX_TEXT)],
    [h.dossierCode, clean(input.dossierCode, MAX_TEXT)],
    [
      h.itemIndex,
      Number.isSafeInteger(input.itemIndex) && (input.itemIndex ?? -1) >= 0 ? String(input.itemIndex) : '',
    ],
    [h.traceparent, input.traceparent && isTraceparent(input.traceparent) ? input.traceparent : ''],
  ];
  for (const [name, value] of optional) {
    if (value) {
      headers[name] = value;
    }
  }
  return headers;
}

/** Headers plus the untouched payload as value, keyed by dossier code when known. */
export function deadLetterRecord(input: DeadLetterFields & { payload: Buffer | string }): DeadLetterRecord {
  const headers = deadLetterHeaders(input);
  return {
    key: headers[DEAD_LETTER_HEADERS.dossierCode] ?? null,
    value: payloadBytes(input.payload),
    headers,
  };
}

const payloadBytes = (payload: Buffer | string): Buffer =>
  typeof payload === 'string' ? Buffer.from(payload, 'utf8') : payload;

function payloadHash(input: DeadLetterPayloadRef): string {
  if (input.payload !== undefined) {
    return createHash('sha256').update(payloadBytes(input.payload)).digest('hex');
  }
  const given = (input.payloadSha256 ?? '').trim().toLowerCase();
  // A malformed hash is a caller bug; all zeros marks it without blocking the dead letter.
  return /^[0-9a-f]{64}$/.test(given) ? given : '0'.repeat(64);
}

/** NFC (DOMAIN.md §9), one line, no control characters, bounded length. */
function clean(value: string | null | undefined, max: number): string {
  if (!value) {
    return '';
  }
  const line = value
    .normalize('NFC')
    .replace(/[\p{Cc}\p{Zl}\p{Zp}]+/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

/**
 * A safety net, not a guarantee: e-mail addresses, 9-12 digit runs (CCCD, CMND, phone numbers) and
 * spaced Vietnamese phone numbers. Longer runs such as `yyyyMMddHHmmss` stamps are left alone.
 */
function redact(text: string): string {
  return text
    .replace(/[^\s@"'<>]+@[^\s@"'<>]+\.[^\s@"'<>]+/g, '[email]')
    .replace(/(?<!\d)\+?\d{9,12}(?!\d)/g, '[number]')
    .replace(/(?<![\d+])(?:\+84|0)\d{2,3}[ .]\d{3}[ .]\d{3,4}(?!\d)/g, '[number]');
}

function toReasonCode(code: string): string {
  const normalised = clean(code, 64)
    .toUpperCase()
    .replace(/[^A-Z0-9_]+/g, '_')
    .replace(/^[^A-Z]+/, '');
  return normalised || 'UNKNOWN';
}

function toPointer(field: string | null | undefined): string {
  const text = clean(field, MAX_TEXT);
  if (!text) {
    return '';
  }
  if (/^(?:\/(?:[^~/]|~[01])*)+$/.test(text)) {
    return text;
  }
  return `/${text.replace(/~/g, '~0').replace(/\//g, '~1')}`;
}

/** Instants in isohub carry the Vietnam offset (`+07:00`), whatever the host's time zone. */
function vietnamInstant(date: Date | string): string {
  const time = typeof date === 'string' ? Date.parse(date) : date.getTime();
  const at = Number.isFinite(time) ? time : Date.now();
  return new Date(at + VIETNAM_OFFSET_MS).toISOString().replace('Z', '+07:00');
}
