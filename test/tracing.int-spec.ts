import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { topicNames } from '@isohub/events';
import { flushTracing } from '../apps/sync-service/src/observability/tracing';
import { freshDatabase, type TestDatabase } from './support/database';
import { DEV_SENDERS, OpenCpsClient, opsHeaders, postJson, startHub, type RunningHub } from './support/hub';
import { TopicRecorder, uniquePrefix } from './support/kafka';
import { snapshot } from './support/traffic';

interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  attributes: { key: string; value: Record<string, unknown> }[];
}

/** A stand-in OpenTelemetry collector: OTLP/HTTP JSON on /v1/traces, every span kept. */
function collector(): Promise<{ server: Server; url: string; spans: OtlpSpan[] }> {
  const spans: OtlpSpan[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
        resourceSpans: { scopeSpans: { spans: OtlpSpan[] }[] }[];
      };
      body.resourceSpans.forEach((r) => r.scopeSpans.forEach((s) => spans.push(...s.spans)));
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  return new Promise((done) =>
    server.listen(0, '127.0.0.1', () =>
      done({ server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, spans }),
    ),
  );
}

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const SENDER_SPAN = '00f067aa0ba902b7';

/**
 * With OTEL_EXPORTER_OTLP_ENDPOINT set, one trace runs from the sender's request through PostgreSQL to
 * the publish on Kafka, and the event's `traceparent` carries it to consumers.
 */
describe('OpenTelemetry traces (OTLP)', () => {
  let otel: Awaited<ReturnType<typeof collector>>;
  let db: TestDatabase;
  let hub: RunningHub;
  let recorder: TopicRecorder;
  const prefix = uniquePrefix('trace');

  beforeAll(async () => {
    otel = await collector();
    db = await freshDatabase();
    hub = await startHub({
      databaseUrl: db.url,
      topicPrefix: prefix,
      env: { OTEL_EXPORTER_OTLP_ENDPOINT: otel.url, OTEL_SERVICE_NAME: 'isohub-test' },
    });
    recorder = new TopicRecorder([topicNames(prefix).events]);
    await recorder.start();
  });

  afterAll(async () => {
    await recorder?.stop();
    await hub?.stop();
    await db?.drop();
    otel?.server.close();
  });

  it("continues the sender's trace: HTTP ingest, its SQL statements, the Kafka publish", async () => {
    const code = `${prefix}-0001`;
    const session = await new OpenCpsClient(hub.url).login();
    const answer = await postJson(
      `${hub.url}/dvcqg/api/integration`,
      {
        session,
        madonvi: DEV_SENDERS.opencps.agency,
        service: 'DongBoHoSoMC',
        isUpdating: 'False',
        data: [snapshot(code)],
      },
      { traceparent: `00-${TRACE_ID}-${SENDER_SPAN}-01` },
    );
    expect(answer.status).toBe(200);
    await recorder.waitFor((rs) => rs.some((r) => r.key === code));
    const record = recorder.records.find((r) => r.key === code);
    // The event carries the same trace, parented by isohub's ingest span (not the sender's own span).
    expect(record?.headers['traceparent']).toMatch(new RegExp(`^00-${TRACE_ID}-[0-9a-f]{16}-01$`));
    expect(record?.headers['traceparent']).not.toContain(SENDER_SPAN);

    let spans: OtlpSpan[] = [];
    for (let i = 0; i < 50 && !spans.some((s) => s.name.startsWith('publish ')); i++) {
      await flushTracing();
      spans = otel.spans.filter((s) => s.traceId === TRACE_ID);
      await new Promise((r) => setTimeout(r, 200));
    }
    const server = spans.find((s) => s.name === 'POST /dvcqg/api/integration');
    expect(server, JSON.stringify(spans.map((s) => s.name))).toBeDefined();
    expect(server?.parentSpanId).toBe(SENDER_SPAN);
    const sql = spans.filter((s) => s.name.startsWith('db ') && s.parentSpanId === server?.spanId);
    expect(sql.map((s) => s.name)).toEqual(expect.arrayContaining(['db INSERT']));
    const publish = spans.find((s) => s.name === `publish ${topicNames(prefix).events}`);
    expect(publish?.parentSpanId).toBe(record?.headers['traceparent']?.split('-')[2]);
    // The route pattern only; no statement text, no key, no body.
    expect(JSON.stringify(spans)).not.toContain(code);

    // The same request timed on /metrics under its route pattern.
    const metrics = await (await fetch(`${hub.url}/metrics`, { headers: opsHeaders(hub) })).text();
    expect(metrics).toMatch(
      /isohub_http_request_duration_seconds_count\{method="POST",route="\/dvcqg\/api\/integration",status="200"\} [1-9]/,
    );
    expect(metrics).toMatch(/isohub_event_end_to_end_seconds_count [1-9]/);
  });
});
