import { resolve } from 'node:path';
import { DiagnosticSeverity, fromFile, Parser, type AsyncAPIDocumentInterface } from '@asyncapi/parser';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { beforeAll, describe, expect, it } from 'vitest';
import { toKafkaRecord } from './cloudevents';
import { ALL_MILESTONES, eventTypeOf } from './event-types';
import { stateRecord } from './state-record';
import { deadLetterHeaders } from './dead-letter';
import { exampleDossierState, exampleSequencedEvent } from './testing/example-event';
import { topicNames } from './topics';

const ASYNCAPI_FILE = resolve(__dirname, '../../../docs/contract/asyncapi.yaml');

/** Compiles a schema taken from the parsed document (refs already resolved by the parser). */
function compile(schema: unknown) {
  const ajv = new Ajv2020({ strict: false, allErrors: true, addUsedSchema: false });
  addFormats(ajv);
  return ajv.compile(schema as object);
}

describe('docs/contract/asyncapi.yaml', () => {
  let document: AsyncAPIDocumentInterface;

  beforeAll(async () => {
    // `fromFile` sets the source path, so relative $refs into libs/events/schemas resolve.
    const { document: parsed, diagnostics } = await fromFile(new Parser(), ASYNCAPI_FILE).parse();
    // Spectral's severity enum is a separate copy of @stoplight/types; compare the values.
    const errors = diagnostics.filter((d) => Number(d.severity) === Number(DiagnosticSeverity.Error));
    expect(errors.map((d) => `${d.code}: ${d.message} at ${d.path.join('.')}`)).toEqual([]);
    expect(parsed).toBeDefined();
    document = parsed as AsyncAPIDocumentInterface;
  }, 60_000);

  it('is AsyncAPI 3.0', () => {
    expect(document.version()).toBe('3.0.0');
  });

  it('addresses the topics of the default prefix', () => {
    const topics = topicNames('isohub');
    const addresses = Object.fromEntries(
      document
        .channels()
        .all()
        .map((c) => [c.id(), c.address()]),
    );
    expect(addresses).toEqual({
      dossierEvents: topics.events,
      dossierState: topics.state,
      stepTiming: topics.stepTiming,
      deadLetters: topics.deadLetters,
    });
  });

  it('has one message per milestone on the events channel, named by its ce_type', () => {
    const events = document.channels().get('dossierEvents');
    const names =
      events
        ?.messages()
        .all()
        .map((m) => m.name()) ?? [];
    expect([...names].sort()).toEqual(ALL_MILESTONES.map((m) => eventTypeOf(m)).sort());
  });

  it('lets consumers receive every message of every channel', () => {
    for (const channel of document.channels().all()) {
      const received = document
        .operations()
        .all()
        .filter(
          (op) =>
            op.action() === 'receive' &&
            op
              .channels()
              .all()
              .some((c) => c.id() === channel.id()),
        )
        .flatMap((op) =>
          op
            .messages()
            .all()
            .map((m) => m.name()),
        );
      expect(received.sort()).toEqual(
        channel
          .messages()
          .all()
          .map((m) => m.name())
          .sort(),
      );
    }
  });

  it('describes, in its schemas, exactly what the code puts on the events topic', () => {
    const messages = document.channels().get('dossierEvents')?.messages().all() ?? [];
    for (const milestone of ALL_MILESTONES) {
      const message = messages.find((m) => m.name() === eventTypeOf(milestone));
      const record = toKafkaRecord(exampleSequencedEvent({ data: { milestone }, sequence: 9 }), {
        traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
      });
      const headers = compile(message?.headers()?.json());
      const payload = compile(message?.payload()?.json());

      expect(headers(record.headers), JSON.stringify(headers.errors)).toBe(true);
      expect(payload(JSON.parse(record.value.toString('utf8'))), JSON.stringify(payload.errors)).toBe(true);
      expect(message?.bindings().get('kafka')?.value<{ key: { type: string } }>().key.type).toBe('string');
    }
  }, 30_000);

  it('tells an event message apart from another milestone by ce_type and milestone', () => {
    const received = document
      .channels()
      .get('dossierEvents')
      ?.messages()
      .all()
      .find((m) => m.name() === eventTypeOf('DOSSIER_RECEIVED'));
    const record = toKafkaRecord(exampleSequencedEvent());
    expect(compile(received?.headers()?.json())(record.headers)).toBe(false);
    expect(compile(received?.payload()?.json())(JSON.parse(record.value.toString('utf8')))).toBe(false);
  });

  it('describes the state and dead-letter records the code builds', () => {
    const state = document.channels().get('dossierState')?.messages().all()[0];
    const record = stateRecord(exampleDossierState());
    expect(compile(state?.headers()?.json())(record.headers)).toBe(true);
    expect(compile(state?.payload()?.json())(JSON.parse(record.value.toString('utf8')))).toBe(true);

    const deadLetter = document.channels().get('deadLetters')?.messages().all()[0];
    const headers = deadLetterHeaders({
      reasonCode: 'INVALID_ITEM',
      reason: 'NgayHenTra is not a date',
      sourceSystem: 'thanhhoa-dvc',
      protocol: 'dvcqg-tee',
      receivedAt: new Date('2025-07-01T03:05:48Z'),
      payload: '{"MaHoSo":"000.00.01.H56-250701-0001"}',
    });
    expect(compile(deadLetter?.headers()?.json())(headers)).toBe(true);
  });
});
