/** A record ready for a Kafka producer (the topic is chosen by the caller, see `topicNames`). */
export interface KafkaRecord {
  key: string;
  value: Buffer;
  headers: Record<string, string>;
}

/** A record with no value: on a compacted topic it deletes the key. */
export interface KafkaTombstone {
  key: string;
  value: null;
  headers: Record<string, string>;
}

/** Header values as kafkajs delivers them: bytes, or an array when a key repeats. */
export type KafkaHeaderValue = Buffer | string | ReadonlyArray<Buffer | string> | null | undefined;

export type KafkaHeadersIn = Readonly<Record<string, KafkaHeaderValue>>;

export const JSON_CONTENT_TYPE = 'application/json; charset=utf-8';

/**
 * One header as a UTF-8 string. Kafka allows a key to repeat; the last value wins, as with
 * Kafka's own `Headers.lastHeader`.
 */
export function headerValue(headers: KafkaHeadersIn, name: string): string | undefined {
  const raw = headers[name];
  const last: Buffer | string | null | undefined = isList(raw) ? raw[raw.length - 1] : raw;
  if (last === null || last === undefined) {
    return undefined;
  }
  return typeof last === 'string' ? last : last.toString('utf8');
}

function isList(value: KafkaHeaderValue): value is ReadonlyArray<Buffer | string> {
  return Array.isArray(value);
}

/** W3C Trace Context `traceparent` (version-traceid-parentid-flags), all lower-case hex. */
export function isTraceparent(value: string): boolean {
  const match = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-[0-9a-f]{2}$/.exec(value);
  return match !== null && match[1] !== 'ff' && !/^0+$/.test(match[2]) && !/^0+$/.test(match[3]);
}
