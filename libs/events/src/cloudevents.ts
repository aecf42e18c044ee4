import type { DossierEventData, SequencedEvent } from './dossier-event';
import { EventCodecError } from './event-codec.errors';
import { milestoneOfType } from './event-types';
import {
  headerValue,
  isTraceparent,
  JSON_CONTENT_TYPE,
  type KafkaHeadersIn,
  type KafkaRecord,
} from './kafka-record';
import { DOSSIER_EVENT_SCHEMA_ID } from './schema-ids';
import { validateEventData } from './schema-validator';

/**
 * CloudEvents 1.0 over Kafka in binary content mode (CloudEvents Kafka protocol binding §3.2):
 * the value is the event `data` as UTF-8 JSON, every other attribute is a `ce_` header, and
 * `content-type` carries `datacontenttype`. The `partitionkey` extension is the Kafka key
 * (binding §3.1) and is also kept as a header, as the binding requires.
 */
export const CLOUDEVENTS_SPEC_VERSION = '1.0';

/** Width of `ce_sequence`; 12 digits outlast any dossier's history by orders of magnitude. */
export const SEQUENCE_DIGITS = 12;
export const MAX_SEQUENCE = 10 ** SEQUENCE_DIGITS - 1;

export const CE_HEADERS = {
  specversion: 'ce_specversion',
  id: 'ce_id',
  source: 'ce_source',
  type: 'ce_type',
  subject: 'ce_subject',
  time: 'ce_time',
  dataschema: 'ce_dataschema',
  partitionkey: 'ce_partitionkey',
  sequence: 'ce_sequence',
  contentType: 'content-type',
  traceparent: 'traceparent',
} as const;

const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?(?:Z|[+-]\d{2}:\d{2})$/;

/**
 * `ce_sequence` as a string that sorts like the number. The Sequence extension asks for a
 * lexicographically ordered string and leaves the padding to the producer; `sequencetype` was
 * dropped from the extension, so it is not sent.
 */
export function padSequence(n: number): string {
  if (!Number.isSafeInteger(n) || n < 0 || n > MAX_SEQUENCE) {
    throw new EventCodecError(
      'INVALID_SEQUENCE',
      `Sequence must be an integer in 0..${MAX_SEQUENCE}, got ${n}`,
    );
  }
  return String(n).padStart(SEQUENCE_DIGITS, '0');
}

/** Inverse of `padSequence`; tolerant of unpadded digits. */
export function parseSequence(value: string): number {
  const n = /^\d{1,15}$/.test(value) ? Number(value) : Number.NaN;
  if (!Number.isSafeInteger(n) || n > MAX_SEQUENCE) {
    throw new EventCodecError('INVALID_SEQUENCE', `ce_sequence "${value}" is not a decimal sequence number`);
  }
  return n;
}

export interface ToKafkaRecordOptions {
  /** W3C Trace Context of the change; dropped when malformed, since tracing must never block publishing. */
  traceparent?: string;
  /** Also check `data` against the JSON Schema (off by default: validate when the event is written). */
  validate?: boolean;
}

/** Encodes a sequenced event for the events topic. Throws `EventCodecError` on a producer bug. */
export function toKafkaRecord(event: SequencedEvent, opts: ToKafkaRecordOptions = {}): KafkaRecord {
  assertEncodable(event);
  if (opts.validate) {
    assertValidData(event.data);
  }
  const headers: Record<string, string> = {
    [CE_HEADERS.specversion]: CLOUDEVENTS_SPEC_VERSION,
    [CE_HEADERS.id]: event.id,
    [CE_HEADERS.source]: event.source,
    [CE_HEADERS.type]: event.type,
    [CE_HEADERS.subject]: event.subject,
    [CE_HEADERS.time]: event.time,
    [CE_HEADERS.contentType]: JSON_CONTENT_TYPE,
    [CE_HEADERS.dataschema]: DOSSIER_EVENT_SCHEMA_ID,
    [CE_HEADERS.partitionkey]: event.subject,
    [CE_HEADERS.sequence]: padSequence(event.sequence),
  };
  if (opts.traceparent !== undefined && isTraceparent(opts.traceparent)) {
    headers[CE_HEADERS.traceparent] = opts.traceparent;
  }
  return { key: event.subject, value: Buffer.from(JSON.stringify(event.data), 'utf8'), headers };
}

function assertEncodable(event: SequencedEvent): void {
  const problem = encodeProblem(event);
  if (problem !== undefined) {
    throw new EventCodecError('INVALID_EVENT', `Event ${event.id || '(no id)'}: ${problem}`);
  }
}

function encodeProblem(event: SequencedEvent): string | undefined {
  if (!event.id || !event.source || !event.subject) {
    return 'id, source and subject must not be empty';
  }
  if (event.subject !== event.data.dossierCode) {
    return `subject "${event.subject}" differs from data.dossierCode "${event.data.dossierCode}"`;
  }
  if (milestoneOfType(event.type) !== event.data.milestone) {
    return `type "${event.type}" does not match milestone ${event.data.milestone}`;
  }
  if (!INSTANT.test(event.time)) {
    return `time "${event.time}" is not an RFC 3339 instant with an offset`;
  }
  if (event.sequence < 1) {
    return `sequence starts at 1, got ${event.sequence}`;
  }
  return undefined;
}

export interface FromKafkaRecordOptions {
  /** Check `data` against the JSON Schema. Off by default: consumers should ignore unknown fields. */
  validate?: boolean;
}

/** Decodes a binary-mode record from the events topic (kafkajs `message.headers`, `message.value`). */
export function fromKafkaRecord(
  headers: KafkaHeadersIn,
  value: Buffer | string | null | undefined,
  opts: FromKafkaRecordOptions = {},
): SequencedEvent {
  const contentType = headerValue(headers, CE_HEADERS.contentType);
  if (contentType !== undefined && !isJsonMediaType(contentType)) {
    throw new EventCodecError(
      'UNSUPPORTED_CONTENT_TYPE',
      `content-type "${contentType}" is not binary-mode JSON`,
    );
  }
  const specversion = required(headers, CE_HEADERS.specversion);
  if (specversion !== CLOUDEVENTS_SPEC_VERSION) {
    throw new EventCodecError('UNSUPPORTED_SPECVERSION', `ce_specversion "${specversion}" is not supported`);
  }
  const subject = headerValue(headers, CE_HEADERS.subject) ?? required(headers, CE_HEADERS.partitionkey);
  const event: SequencedEvent = {
    id: required(headers, CE_HEADERS.id),
    source: required(headers, CE_HEADERS.source),
    type: required(headers, CE_HEADERS.type),
    subject,
    time: required(headers, CE_HEADERS.time),
    sequence: parseSequence(required(headers, CE_HEADERS.sequence)),
    data: parseData(value),
  };
  if (opts.validate) {
    assertValidData(event.data);
  }
  return event;
}

function required(headers: KafkaHeadersIn, name: string): string {
  const value = headerValue(headers, name);
  if (value === undefined || value === '') {
    throw new EventCodecError('MISSING_HEADER', `Header ${name} is missing`);
  }
  return value;
}

function isJsonMediaType(contentType: string): boolean {
  const mediaType = contentType.split(';')[0].trim().toLowerCase();
  return (
    mediaType === 'application/json' ||
    (mediaType.endsWith('+json') && !mediaType.startsWith('application/cloudevents'))
  );
}

function parseData(value: Buffer | string | null | undefined): DossierEventData {
  if (value === null || value === undefined) {
    throw new EventCodecError('INVALID_DATA', 'Record has no value');
  }
  let data: unknown;
  try {
    data = JSON.parse(typeof value === 'string' ? value : value.toString('utf8'));
  } catch (cause) {
    throw new EventCodecError('INVALID_DATA', 'Record value is not JSON', { cause });
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw new EventCodecError('INVALID_DATA', 'Record value is not a JSON object');
  }
  return data as DossierEventData;
}

function assertValidData(data: unknown): void {
  const result = validateEventData(data);
  if (!result.valid) {
    const where = result.errors.map((e) => `${e.instancePath || '/'} ${e.message}`).join('; ');
    throw new EventCodecError('INVALID_DATA', `Event data violates ${DOSSIER_EVENT_SCHEMA_ID}: ${where}`, {
      schemaErrors: result.errors,
    });
  }
}
