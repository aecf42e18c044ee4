import { describe, expect, it } from 'vitest';
import { fromKafkaRecord, MAX_SEQUENCE, padSequence, parseSequence, toKafkaRecord } from './cloudevents';
import { EventCodecError } from './event-codec.errors';
import type { KafkaHeadersIn } from './kafka-record';
import { DOSSIER_EVENT_SCHEMA_ID } from './schema-ids';
import { exampleSequencedEvent } from './testing/example-event';

const TRACEPARENT = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';

/** kafkajs hands headers back as Buffers. */
const asDelivered = (headers: Record<string, string>): KafkaHeadersIn =>
  Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, Buffer.from(v, 'utf8')]));

const codeOf = (fn: () => unknown): string | undefined => {
  try {
    fn();
  } catch (error) {
    return error instanceof EventCodecError ? error.code : `not an EventCodecError: ${String(error)}`;
  }
  return undefined;
};

describe('toKafkaRecord', () => {
  it('maps the event to CloudEvents binary mode, keyed by dossier code', () => {
    const event = exampleSequencedEvent({ sequence: 42 });
    const record = toKafkaRecord(event, { traceparent: TRACEPARENT });

    expect(record.key).toBe('000.00.01.H56-250701-0001');
    expect(record.headers).toEqual({
      ce_specversion: '1.0',
      ce_id: event.id,
      ce_source: event.source,
      ce_type: 'vn.isohub.dossier.step-handover.v1',
      ce_subject: '000.00.01.H56-250701-0001',
      ce_time: '2025-07-01T14:30:00+07:00',
      'content-type': 'application/json; charset=utf-8',
      ce_dataschema: DOSSIER_EVENT_SCHEMA_ID,
      ce_partitionkey: '000.00.01.H56-250701-0001',
      ce_sequence: '000000000042',
      traceparent: TRACEPARENT,
    });
    expect(JSON.parse(record.value.toString('utf8'))).toEqual(event.data);
  });

  it('keeps Vietnamese text as UTF-8 in the value', () => {
    const record = toKafkaRecord(exampleSequencedEvent());
    expect(record.value.toString('utf8')).toContain('"name":"Đăng ký khai sinh"');
  });

  it('drops a malformed traceparent rather than failing the publish', () => {
    const record = toKafkaRecord(exampleSequencedEvent(), { traceparent: 'not-a-trace' });
    expect(record.headers).not.toHaveProperty('traceparent');
  });

  it('refuses events that would break the per-dossier contract', () => {
    expect(codeOf(() => toKafkaRecord(exampleSequencedEvent({ subject: 'another-dossier' })))).toBe(
      'INVALID_EVENT',
    );
    expect(
      codeOf(() => toKafkaRecord(exampleSequencedEvent({ type: 'vn.isohub.dossier.received.v1' }))),
    ).toBe('INVALID_EVENT');
    expect(codeOf(() => toKafkaRecord(exampleSequencedEvent({ time: '2025-07-01T14:30:00' })))).toBe(
      'INVALID_EVENT',
    );
    expect(codeOf(() => toKafkaRecord(exampleSequencedEvent({ sequence: 0 })))).toBe('INVALID_EVENT');
    expect(codeOf(() => toKafkaRecord(exampleSequencedEvent({ sequence: 1.5 })))).toBe('INVALID_SEQUENCE');
  });

  it('validates the data against the schema when asked', () => {
    const event = exampleSequencedEvent({ data: { status: { national: 11 } } });
    expect(codeOf(() => toKafkaRecord(event))).toBeUndefined();
    expect(() => toKafkaRecord(event, { validate: true })).toThrow(
      expect.objectContaining({
        code: 'INVALID_DATA',
        schemaErrors: [expect.objectContaining({ instancePath: '/status/national' })],
      }),
    );
  });
});

describe('fromKafkaRecord', () => {
  it('round-trips an event through headers and value as kafkajs delivers them', () => {
    const event = exampleSequencedEvent({ sequence: 7, data: { applicant: { ChuHoSo: 'Phạm Minh Đức' } } });
    const record = toKafkaRecord(event, { traceparent: TRACEPARENT });

    expect(fromKafkaRecord(asDelivered(record.headers), record.value, { validate: true })).toEqual(event);
    expect(fromKafkaRecord(record.headers, record.value.toString('utf8'))).toEqual(event);
  });

  it('takes the last value of a repeated header', () => {
    const record = toKafkaRecord(exampleSequencedEvent({ sequence: 3 }));
    const headers = {
      ...asDelivered(record.headers),
      ce_sequence: [Buffer.from('000000000002'), '000000000003'],
    };
    expect(fromKafkaRecord(headers, record.value).sequence).toBe(3);
  });

  it('rejects records that are not binary-mode isohub events', () => {
    const { headers, value } = toKafkaRecord(exampleSequencedEvent());
    const without = (name: string): Record<string, string> =>
      Object.fromEntries(Object.entries(headers).filter(([k]) => k !== name));

    expect(codeOf(() => fromKafkaRecord(without('ce_id'), value))).toBe('MISSING_HEADER');
    expect(codeOf(() => fromKafkaRecord(without('ce_sequence'), value))).toBe('MISSING_HEADER');
    expect(codeOf(() => fromKafkaRecord({ ...headers, ce_specversion: '0.3' }, value))).toBe(
      'UNSUPPORTED_SPECVERSION',
    );
    expect(
      codeOf(() => fromKafkaRecord({ ...headers, 'content-type': 'application/cloudevents+json' }, value)),
    ).toBe('UNSUPPORTED_CONTENT_TYPE');
    expect(codeOf(() => fromKafkaRecord({ ...headers, ce_sequence: 'seven' }, value))).toBe(
      'INVALID_SEQUENCE',
    );
    expect(codeOf(() => fromKafkaRecord(headers, null))).toBe('INVALID_DATA');
    expect(codeOf(() => fromKafkaRecord(headers, Buffer.from('{"dossierCode":')))).toBe('INVALID_DATA');
    expect(codeOf(() => fromKafkaRecord(headers, Buffer.from('[]')))).toBe('INVALID_DATA');
  });

  it('accepts application/json without a charset, and unknown extra headers', () => {
    const { headers, value } = toKafkaRecord(exampleSequencedEvent());
    const event = fromKafkaRecord(
      { ...headers, 'content-type': 'Application/JSON', ce_vendorext: 'x' },
      value,
    );
    expect(event.subject).toBe('000.00.01.H56-250701-0001');
  });
});

describe('padSequence', () => {
  it('pads to 12 digits so that string order is numeric order', () => {
    const numbers = [1, 2, 9, 10, 11, 99, 100, 1_000, 123_456_789, MAX_SEQUENCE];
    const padded = numbers.map(padSequence);

    expect(padded[0]).toBe('000000000001');
    expect(padded.every((s) => s.length === 12)).toBe(true);
    expect([...padded].reverse().sort()).toEqual(padded);
    expect(numbers.map(String).sort()).not.toEqual(numbers.map(String));
    expect(padded.map(parseSequence)).toEqual(numbers);
  });

  it('refuses numbers that cannot keep that promise', () => {
    for (const n of [-1, 1.5, MAX_SEQUENCE + 1, Number.NaN]) {
      expect(codeOf(() => padSequence(n))).toBe('INVALID_SEQUENCE');
    }
  });
});
