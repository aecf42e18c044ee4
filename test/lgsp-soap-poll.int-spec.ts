import type { INestApplication } from '@nestjs/common';
import { Client } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLgspSoapSource, validateLgspSoapSourceConfig } from '@isohub/adapters/lgsp';
import { fromKafkaRecord, topicNames } from '@isohub/events';
import { SourceCursorStore } from '@isohub/persistence';
import {
  defaultLgspSandboxConfig,
  LGSP_SANDBOX_DEFAULTS,
} from '../apps/sandbox/src/lgsp/lgsp-sandbox.config';
import { createSandboxApp } from '../apps/sandbox/src/sandbox.app';
import { IngestService } from '../apps/sync-service/src/ingest/ingest.service';
import { SourcePoller } from '../apps/sync-service/src/polling/source-poller';
import { Upstream } from '../apps/sync-service/src/polling/upstream-limits';
import { DeadLetterService } from '../apps/sync-service/src/tee/dead-letter.service';
import { freshDatabase, type TestDatabase } from './support/database';
import { distinctRecords, eventTopicViolations, readDatabase, waitForDelivery } from './support/exactly-once';
import { startHub, type RunningHub } from './support/hub';
import { TopicRecorder, uniquePrefix } from './support/kafka';

/**
 * The LGSP SOAP dossier service polled through the hub's generic poller: sandbox (WSDL, SOAP, faults) ->
 * LgspSoapSource -> SourcePoller -> ingest (events + cursor in one transaction) -> outbox -> Kafka.
 */
const SOURCE_ID = 'lgsp-soap-sandbox';
const MIDDAY = '2025-07-01T05:00:00.000Z';
const LATE = '2025-07-25T10:00:00.000Z';

let db: TestDatabase;
let hub: RunningHub;
let sandbox: INestApplication;
let sandboxUrl: string;
let recorder: TopicRecorder;
let upstream: Upstream;
let poller: SourcePoller;
let upstreamHasMore = false;

/** Polls until the source says it has read everything (bounded). */
async function drain(): Promise<void> {
  for (let runs = 0; runs < 40; runs++) {
    upstreamHasMore = false;
    await poller.runOnce();
    if (!upstreamHasMore || poller.status().consecutiveFailures > 0) {
      return;
    }
  }
  throw new Error('the poll never caught up');
}
const topics = { prefix: uniquePrefix('lgsp-soap') };

async function control(method: 'PUT' | 'GET', path: string, body?: unknown): Promise<unknown> {
  const response = await fetch(`${sandboxUrl}/_sandbox/${path}`, {
    method,
    headers: { 'Content-Type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  expect(response.status).toBeLessThan(300);
  return response.json();
}

const truthCodes = async () =>
  ((await control('GET', 'lgsp/dossiers')) as { code: string }[]).map((d) => d.code).sort();

beforeAll(async () => {
  db = await freshDatabase();
  hub = await startHub({ databaseUrl: db.url, topicPrefix: topics.prefix });
  sandbox = await createSandboxApp(
    {
      host: '127.0.0.1',
      port: 0,
      maxBody: '1mb',
      portal: { username: 'isohub', password: 'sandbox-test-pass' },
      lgsp: defaultLgspSandboxConfig({
        dossiers: { seed: 'lgsp-poll', count: 12, date: '2025-07-01', spanDays: 4 },
        clock: { startAt: MIDDAY, speed: 0 },
      }),
    },
    { logger: false },
  );
  await sandbox.listen(0, '127.0.0.1');
  sandboxUrl = (await sandbox.getUrl()).replace('[::1]', '127.0.0.1');
  recorder = new TopicRecorder([topicNames(topics.prefix).events]);
  await recorder.start();

  const settings = validateLgspSoapSourceConfig({
    id: SOURCE_ID,
    agency: null,
    lgsp: {
      baseUrl: `${sandboxUrl}/lgsp/rest`,
      tokenUrl: `${sandboxUrl}/lgsp/token`,
      clientId: LGSP_SANDBOX_DEFAULTS.clientId,
      clientSecret: LGSP_SANDBOX_DEFAULTS.clientSecret,
      timeoutMs: 5_000,
      soap: { wsdlUrl: `${sandboxUrl}/lgsp/soap/DossierService?wsdl` },
    },
    overlapMs: 60_000,
  });
  upstream = new Upstream({
    key: new URL(sandboxUrl).origin,
    requestsPerSecond: 100,
    maxConcurrent: 4,
    breakerFailures: 5,
    halfOpenAfterMs: 1_000,
  });
  const source = createLgspSoapSource(settings, { gate: upstream.gate });
  // A poller that has not been start()ed reads one page per runOnce(); drain() repeats until caught up.
  const pull = source.pull.bind(source);
  source.pull = async (params) => {
    const page = await pull(params);
    upstreamHasMore = page.hasMore;
    return page;
  };
  poller = new SourcePoller(
    {
      id: SOURCE_ID,
      type: 'lgsp-soap',
      enabled: true,
      agency: null,
      upstream: upstream.config.key,
      intervalMs: 60_000,
      pageSize: 4,
      maxPagesPerRun: 50,
      applicantFields: [],
      retry: { maxAttempts: 3, initialDelayMs: 50, maxDelayMs: 200 },
      downAfterFailures: 3,
      settings,
    },
    source,
    {
      ingest: hub.app.get(IngestService),
      cursors: hub.app.get(SourceCursorStore),
      deadLetters: hub.app.get(DeadLetterService),
      upstream,
      sender: { id: SOURCE_ID, profile: 'opencps', agency: null, applicantFields: [] },
      protocol: 'lgsp-soap',
    },
  );
});

afterAll(async () => {
  await poller?.stop();
  await upstream?.stop();
  await recorder?.stop();
  await sandbox?.close();
  await hub?.stop();
  await db?.drop();
});

describe('polling the LGSP SOAP dossier service', () => {
  it('pulls dossiers as they move, through faults and paging churn, into Kafka once per event id', async () => {
    await drain();
    expect(poller.status()).toMatchObject({ health: 'up', lastError: null });
    const firstEvents = poller.status().eventsTotal;
    expect(firstEvents).toBeGreaterThan(0);

    // Time passes; the first listing fails with a soap:Server Fault (retried), and every listing moves
    // a dossier to the end of the list while the poller pages.
    await control('PUT', 'lgsp/clock', { at: LATE, speed: 0 });
    await control('PUT', 'faults/lgsp/soap', {
      mode: 'soapFault',
      count: 1,
      operation: 'ListChangedDossiers',
    });
    await drain();
    expect(poller.status().lastError).toBeNull();
    await control('PUT', 'faults/lgsp/soap', { mode: 'drop', count: 1, operation: 'GetDossierHistory' });
    await control('PUT', 'lgsp/clock', { at: LATE, speed: 0, advanceMs: 1 });
    await drain();
    await control('PUT', 'faults/lgsp/soap', { mode: 'changeDuringPaging' });
    await drain();
    await control('PUT', 'faults/lgsp/soap', { mode: 'none' });
    expect(poller.status()).toMatchObject({ health: 'up', lastError: null });
    const afterChanges = poller.status().eventsTotal;
    expect(afterChanges).toBeGreaterThan(firstEvents);

    // Nothing new: the overlap window is read again and yields nothing new.
    await drain();
    expect(poller.status().eventsTotal).toBe(afterChanges);

    const names = topicNames(topics.prefix);
    await waitForDelivery(recorder, names, db.url, { settleMs: 1_500 });
    const events = distinctRecords(recorder.of(names.events));
    expect(eventTopicViolations(events)).toEqual([]);
    const stored = await readDatabase(db.url);
    expect(events).toHaveLength(stored.events.length);
    expect(stored.events).toHaveLength(afterChanges);
    expect([...new Set(events.map((r) => r.key))].sort()).toEqual(await truthCodes());
    const sources = new Set(events.map((r) => fromKafkaRecord(r.headers, r.value).source));
    expect([...sources].every((s) => s.startsWith(`isohub://${SOURCE_ID}`))).toBe(true);
  });

  it('refuses an XXE answer: XML_UNSAFE, no events, the answer kept as a dead letter without file content', async () => {
    const before = poller.status();
    await control('PUT', 'faults/lgsp/soap', { mode: 'xxe', count: 5 });
    await poller.runOnce();
    await control('PUT', 'faults/lgsp/soap', { mode: 'none' });
    const after = poller.status();
    expect(after.lastError?.code).toBe('XML_UNSAFE');
    expect(after.eventsTotal).toBe(before.eventsTotal);
    expect(after.deadLettersTotal).toBe(before.deadLettersTotal + 1);
    const c = new Client({ connectionString: db.url });
    await c.connect();
    try {
      const { rows } = await c.query<{ operation: string; payload: Buffer; reason: string }>(
        `SELECT operation, payload, reason FROM dead_letter WHERE source_system = $1`,
        [SOURCE_ID],
      );
      expect(rows).toHaveLength(1);
      expect(rows[0]?.operation).toBe('pull:POST /lgsp/soap/DossierService');
      expect(rows[0]?.payload.toString('utf8')).toContain('<!ENTITY e SYSTEM "file:///etc/passwd">');
      expect(`${rows[0]?.payload.toString('utf8')} ${rows[0]?.reason}`).not.toMatch(/root:x:0/);
    } finally {
      await c.end();
    }
    await drain();
    expect(poller.status()).toMatchObject({ health: 'up', consecutiveFailures: 0 });
  });
});
