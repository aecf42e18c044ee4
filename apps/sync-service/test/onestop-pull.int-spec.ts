import { Client } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fromKafkaRecord, topicNames, validateEventData, type SequencedEvent } from '@isohub/events';
import { milestoneForTransition } from '@isohub/mapping';
import { freshDatabase, type TestDatabase } from '../../../test/support/database';
import { opsHeaders, startHub, type RunningHub } from '../../../test/support/hub';
import { TopicRecorder, uniquePrefix } from '../../../test/support/kafka';
import { startSandbox, writeSandboxPullSources } from '../../../test/support/onestop-sandbox';
import { PollingService, type AdapterView } from '../src/polling/polling.service';

/** Every shape the operator API answers with (a view, the list, the cursor, a problem, a connection test). */
type OpsBody = AdapterView &
  AdapterView['cursor'] & {
    adapters: AdapterView[];
    title: string;
    ok: boolean;
    lastError: { code: string };
  };

/**
 * sandbox one-stop API (OpenCPS-shaped, real HTTP) -> pull source -> ingest (events + cursor in one
 * transaction) -> outbox -> Kafka. Each test plays its own calendar day, so dossier codes never collide.
 */
const SOURCE = 'opencps-api-test';
const OPS_TOKEN = 'test-ops-token-0123456789';
const COUNT = 6;

interface TruthDossier {
  dossierId: number;
  code: string;
  statuses: number[];
  kinds: string[];
  complete: boolean;
}

describe('one-stop API pull (OpenCPS REST profile)', () => {
  let db: TestDatabase;
  let hub: RunningHub;
  let sandbox: Awaited<ReturnType<typeof startSandbox>>;
  let recorder: TopicRecorder;
  let polling: PollingService;
  let pg: Client;
  const prefix = uniquePrefix('pull');
  const topics = topicNames(prefix);

  const site = async (path: string, init: { method?: string; body?: unknown } = {}): Promise<unknown> => {
    const res = await fetch(`${sandbox.url}/_sandbox/onestop-api${path}`, {
      method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
      headers: { 'content-type': 'application/json' },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    });
    expect(res.status, `${path}: ${res.status}`).toBeLessThan(300);
    return res.status === 204 ? null : await res.json();
  };
  const fault = (endpoint: 'list' | 'actions', body: Record<string, unknown>) =>
    site(`/faults/${endpoint}`, { method: 'PUT', body });
  const truth = async (): Promise<TruthDossier[]> =>
    ((await site('/truth')) as { dossiers: TruthDossier[] }).dossiers;
  const ops = async (method: string, path: string, body?: unknown, token: string | null = OPS_TOKEN) => {
    const res = await fetch(`${hub.url}/ops/adapters${path}`, {
      method,
      headers: {
        ...(token === null ? {} : { authorization: `Bearer ${token}` }),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return {
      status: res.status,
      type: res.headers.get('content-type') ?? '',
      body: (await res.json()) as OpsBody,
    };
  };

  /** Every event of the given dossiers on Kafka, once the outbox has published all the stored ones. */
  const settled = async (codes: string[]): Promise<Map<string, SequencedEvent[]>> => {
    const { rows } = await pg.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM dossier_event WHERE dossier_code = ANY($1)`,
      [codes],
    );
    const stored = rows[0]?.n ?? 0;
    const mine = () => recorder.of(topics.events).filter((r) => r.key !== null && codes.includes(r.key));
    await recorder.waitFor(() => mine().length >= stored, 90_000);
    await new Promise((r) => setTimeout(r, 500));
    const out = new Map<string, SequencedEvent[]>(codes.map((c) => [c, []]));
    for (const r of mine()) {
      out.get(r.key as string)?.push(fromKafkaRecord(r.headers, r.value));
    }
    expect(mine()).toHaveLength(stored);
    return out;
  };

  /** What the real mappers must make of a whole lifecycle: one event per action, its milestone or its handover. */
  const expectedMilestones = (d: TruthDossier): string[] => {
    const out: string[] = [];
    let prev: number | null = null;
    d.statuses.forEach((s) => {
      const m = s === prev ? 'STEP_HANDOVER' : (milestoneForTransition(prev, s) ?? 'STATUS_CHANGED');
      out.push(m === 'STATUS_CHANGED' && s === 4 ? 'STEP_HANDOVER' : m);
      prev = s;
    });
    return out;
  };

  /** No lost change, one event per id, contiguous order per dossier. */
  const expectFaithful = (dossiers: TruthDossier[], events: Map<string, SequencedEvent[]>) => {
    const ids = new Set<string>();
    for (const d of dossiers) {
      const evs = events.get(d.code) ?? [];
      expect(
        evs.map((e) => e.sequence),
        d.code,
      ).toEqual(evs.map((_, i) => i + 1));
      for (const e of evs) {
        expect(ids.has(e.id), `duplicate id ${e.id}`).toBe(false);
        ids.add(e.id);
        expect(validateEventData(e.data).valid).toBe(true);
        expect(e.data.source.system).toBe(SOURCE);
        expect(e.source).toBe(`isohub://${SOURCE}/000.00.01.H56`);
      }
      // a due date moved between two polls reads as an extension (documented); everything else is exact
      const milestones = evs.map((e) => e.data.milestone).filter((m) => m !== 'DEADLINE_EXTENDED');
      expect(milestones, d.code).toEqual(expectedMilestones(d));
      expect(milestones, d.code).toHaveLength(d.kinds.length);
      expect(evs.at(-1)?.data.status.national, d.code).toBe(d.statuses.at(-1));
    }
  };

  const loadDay = async (date: string, clockAt: 'start' | 'end') =>
    (await site('/scenario', { body: { seed: `pull-${date}`, count: COUNT, date, clockAt, speed: 0 } })) as {
      firstStepAt: string;
      lastStepAt: string;
    };

  beforeAll(async () => {
    db = await freshDatabase();
    pg = new Client({ connectionString: db.url });
    sandbox = await startSandbox();
    await loadDay('2025-07-01', 'end');
    const sourcesFile = writeSandboxPullSources({
      sandboxUrl: sandbox.url,
      upstream: { breakerFailures: 100, halfOpenAfterMs: 1000 },
      source: {
        id: SOURCE,
        pageSize: 3,
        overlapMinutes: 10,
        timeoutMs: 1500,
        retry: { maxAttempts: 3, initialDelayMs: 50, maxDelayMs: 200 },
        downAfterFailures: 2,
        statusTable: [
          { status: 'new', national: 1 },
          { status: 'processing', subStatus: 'tiep_nhan', national: 2 },
          { status: 'processing', subStatus: 'cho_thanh_toan', national: 6 },
          { status: 'processing', national: 4 },
          { status: 'waiting', national: 5 },
          { status: 'denied', national: 3 },
          { status: 'cancelled', national: 7 },
          { status: 'unresolved', national: 8 },
          { status: 'releasing', national: 9 },
          { status: 'done', national: 10 },
        ],
      },
    });
    recorder = new TopicRecorder([topics.events]);
    hub = await startHub({
      databaseUrl: db.url,
      topicPrefix: prefix,
      env: { PULL_SOURCES_FILE: sourcesFile, OPS_TOKEN },
    });
    await recorder.start();
    await pg.connect();
    polling = hub.app.get(PollingService);
  });

  afterAll(async () => {
    await recorder?.stop();
    await hub?.stop();
    await sandbox?.stop();
    await pg?.end();
    await db?.drop();
  });

  it('pulls a whole day: every action once, per-dossier order, the cursor stored with the events', async () => {
    await polling.pollNow(SOURCE);
    const dossiers = await truth();
    expect(dossiers).toHaveLength(COUNT);
    const events = await settled(dossiers.map((d) => d.code));
    expectFaithful(dossiers, events);
    // first sight of a whole lifecycle: no extension can be inferred, the reception carries the due date
    const all = [...events.values()].flat();
    expect(all.filter((e) => e.data.milestone === 'DEADLINE_EXTENDED')).toHaveLength(0);
    const received = all.filter((e) => e.data.milestone === 'DOSSIER_RECEIVED');
    expect(received.length).toBeGreaterThan(0);
    expect(received.every((e) => e.data.procedure.nationalCode !== null)).toBe(true);

    const view = await ops('GET', `/${SOURCE}`);
    expect(view.status).toBe(200);
    expect(view.body['health']).toBe('up');
    expect(view.body['cursor']['value']).toContain('"mark"');
    expect(view.body['cursor']['version']).toBeGreaterThanOrEqual(2);
    const { rows } = await pg.query<{ cursor: string }>(
      `SELECT cursor FROM source_cursor WHERE source_id = $1`,
      [SOURCE],
    );
    expect((JSON.parse(rows[0]?.cursor ?? '{}') as { mark: string }).mark).toMatch(/^2025-07-01T/);

    // a re-poll (overlap window) adds nothing
    const before = recorder.of(topics.events).length;
    await polling.pollNow(SOURCE);
    await new Promise((r) => setTimeout(r, 1000));
    expect(recorder.of(topics.events).length).toBe(before);
  });

  it('follows dossiers through the day under faults: 5xx, timeouts, drops, bad pages, duplicates, reordering, changes while paging', async () => {
    const day = await loadDay('2025-07-02', 'start');
    const end = Date.parse(day.lastStepAt) + 1000;
    const faults: ['list' | 'actions', Record<string, unknown>][] = [
      ['list', { mode: 'http500', count: 2 }],
      ['actions', { mode: 'timeout', count: 1 }],
      ['list', { mode: 'malformed', count: 1 }],
      ['list', { mode: 'duplicate', count: 2 }],
      ['actions', { mode: 'out-of-order', count: 4 }],
      ['list', { mode: 'empty-page', count: 1 }],
      ['list', { mode: 'change-during-paging', count: 1, advanceMs: 40 * 60_000 }],
      ['actions', { mode: 'drop', count: 1 }],
      ['actions', { mode: 'duplicate', count: 3 }],
      ['list', { mode: 'out-of-order', count: 2 }],
    ];
    for (let step = 0; ; step += 1) {
      const clock = (await site('/clock', { body: { advanceMs: 75 * 60_000 } })) as { now: string };
      const f = faults[step % faults.length];
      if (f) {
        await fault(f[0], f[1]);
      }
      await polling.pollNow(SOURCE);
      if (f) {
        const state = (await site('/faults')) as Record<string, { injected: number }>;
        expect(state[f[0]]?.injected, `${f[0]} ${String(f[1]['mode'])} was not exercised`).toBeGreaterThan(0);
      }
      if (Date.parse(clock.now) > end) {
        break;
      }
    }
    await site('/faults', { method: 'DELETE' });
    await polling.pollNow(SOURCE);
    const dossiers = await truth();
    expect(dossiers.every((d) => d.complete)).toBe(true);
    const events = await settled(dossiers.map((d) => d.code));
    expectFaithful(dossiers, events);
    const status = polling.statuses().find((s) => s.id === SOURCE)?.status;
    expect(status?.health).toBe('up');
    expect(status?.deadLettersTotal).toBe(0);
  });

  it('retries a page that stays unreadable, dead-letters its bytes, reports the source down, then catches up', async () => {
    await loadDay('2025-07-03', 'end');
    await fault('list', { mode: 'malformed', count: 50 });
    const versionBefore = (await ops('GET', `/${SOURCE}/cursor`)).body['version'];
    await polling.pollNow(SOURCE);
    await polling.pollNow(SOURCE);
    const down = await ops('GET', `/${SOURCE}`);
    expect(down.body['health']).toBe('down');
    expect(down.body['lastError']['code']).toBe('BAD_RESPONSE');
    expect(down.body['cursor']['version']).toBe(versionBefore);
    const ready = (await (await fetch(`${hub.url}/health/ready`, { headers: opsHeaders(hub) })).json()) as {
      status: string;
      checks: { adapters: Record<string, { status: string }> };
    };
    expect(ready.status).toBe('up');
    expect(ready.checks.adapters[SOURCE]?.status).toBe('down');
    const metrics = await (await fetch(`${hub.url}/metrics`, { headers: opsHeaders(hub) })).text();
    expect(metrics).toMatch(
      new RegExp(`isohub_adapter_poll_failures_total\\{adapter="${SOURCE}",agency="000.00.01.H56"\\} [2-9]`),
    );
    expect(metrics).toMatch(new RegExp(`isohub_adapter_up\\{adapter="${SOURCE}"[^}]*\\} 0`));

    const { rows } = await pg.query<{ payload: Buffer; occurrences: number; operation: string }>(
      `SELECT payload, occurrences, operation FROM dead_letter WHERE source_system = $1`,
      [SOURCE],
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]?.operation).toBe('pull:list');
    expect(rows[0]?.payload.toString('utf8')).toMatch(/^\{"total":\d+,"data":\[/);
    expect(() => JSON.parse(rows[0]?.payload.toString('utf8') ?? '') as unknown).toThrow();

    await site('/faults', { method: 'DELETE' });
    await polling.pollNow(SOURCE);
    const up = await ops('GET', `/${SOURCE}`);
    expect(up.body['health']).toBe('up');
    expect(up.body['consecutiveFailures']).toBe(0);
    expect(up.body['lagSeconds']).toBeLessThan(60);
    const metricsAfter = await (await fetch(`${hub.url}/metrics`, { headers: opsHeaders(hub) })).text();
    expect(metricsAfter).toMatch(new RegExp(`isohub_adapter_lag_seconds\\{adapter="${SOURCE}"[^}]*\\} \\d+`));
    expect(metricsAfter).toMatch(
      new RegExp(`isohub_adapter_last_poll_timestamp_seconds\\{adapter="${SOURCE}"[^}]*\\} \\d+`),
    );
    const dossiers = await truth();
    expectFaithful(dossiers, await settled(dossiers.map((d) => d.code)));
  });

  it('pause, resume and cursor reset over the operator API', async () => {
    expect((await ops('GET', '', undefined, null)).status).toBe(401);
    const wrong = await ops('GET', '', undefined, 'not-the-token-at-all');
    expect(wrong.status).toBe(401);
    expect(wrong.type).toContain('application/problem+json');
    const list = await ops('GET', '');
    expect(list.status).toBe(200);
    expect(list.body.adapters.map((a) => a.id)).toEqual([SOURCE]);
    expect((await ops('GET', '/nope')).status).toBe(404);

    const conflict = await ops('PUT', `/${SOURCE}/cursor`, { cursor: '2025-07-01T00:00:00+07:00' });
    expect(conflict.status).toBe(409);
    expect(conflict.type).toContain('application/problem+json');
    expect(conflict.body['title']).toBe('Adapter not paused');

    const paused = await ops('POST', `/${SOURCE}/pause`);
    expect(paused.status).toBe(200);
    expect(paused.body['paused']).toBe(true);
    expect((await ops('PUT', `/${SOURCE}/cursor`, { cursor: 'yesterday-ish' })).status).toBe(400);
    expect((await ops('PUT', `/${SOURCE}/cursor`, { cursor: 42 })).status).toBe(400);

    // while paused nothing is pulled, even when the site changes
    await loadDay('2025-07-04', 'end');
    const lastPoll = paused.body['lastPollAt'];
    await polling.pollNow(SOURCE);
    expect((await ops('GET', `/${SOURCE}`)).body['lastPollAt']).toBe(lastPoll);

    const resumed = await ops('POST', `/${SOURCE}/resume`);
    expect(resumed.status).toBe(200);
    expect(resumed.body['paused']).toBe(false);
    await polling.pollNow(SOURCE);
    const dossiers = await truth();
    expectFaithful(dossiers, await settled(dossiers.map((d) => d.code)));

    // rewind to the start of the day: everything is read again, nothing is emitted twice
    await ops('POST', `/${SOURCE}/pause`);
    const reset = await ops('PUT', `/${SOURCE}/cursor`, { cursor: '2025-07-04T00:00:00+07:00' });
    expect(reset.status).toBe(200);
    expect(reset.body['cursor']['value']).toBe('2025-07-04T00:00:00+07:00');
    expect(reset.body['cursor']['updatedBy']).toBe('operator');
    expect(reset.body['lagSeconds']).toBeGreaterThan(3600);
    const count = async () =>
      (
        await pg.query<{ n: number; d: number }>(
          `SELECT count(*)::int AS n, count(DISTINCT event_id)::int AS d FROM dossier_event`,
        )
      ).rows[0];
    const before = await count();
    expect((await ops('POST', `/${SOURCE}/resume`)).status).toBe(200);
    await polling.pollNow(SOURCE);
    await polling.pollNow(SOURCE);
    const after = await count();
    expect(after).toEqual(before);
    expect(after?.n).toBe(after?.d);
    const cursor = await ops('GET', `/${SOURCE}/cursor`);
    expect(cursor.body['value']).toContain('"mark":"2025-07-04T');
    expect(cursor.body['paused']).toBe(false);

    const test = await ops('POST', `/${SOURCE}/test-connection`);
    expect(test.status).toBe(200);
    expect(test.body['ok']).toBe(true);
  });
});
