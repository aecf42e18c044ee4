import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AdminStack, startAdminStack } from '../../../test/support/admin-stack';
import { type TestDatabase, freshDatabase } from '../../../test/support/database';
import { type RunningHub, startHub } from '../../../test/support/hub';
import { uniquePrefix } from '../../../test/support/kafka';
import { startSandbox, writeSandboxPullSources } from '../../../test/support/onestop-sandbox';
import { pullSources } from '../../../test/support/pull-sources';
import type { TestBrowser } from '../../../test/support/sso-browser';

/**
 * The admin's adapter routes against a real sync service whose pull source polls the sandbox's
 * OpenCPS-shaped one-stop API: the admin calls the sync service's operator API with its token.
 */
const SOURCE = 'opencps-api-admin';
const OPS_TOKEN = 'admin-test-ops-token-0123456789';

interface Answer {
  status: number;
  type: string;
  body: Record<string, unknown> & {
    adapters?: Record<string, unknown>[];
    errors?: { field: string; code: string; message: string }[];
  };
}

let db: TestDatabase;
let sandbox: Awaited<ReturnType<typeof startSandbox>>;
let hub: RunningHub;
let stack: AdminStack;
let polling: ReturnType<typeof pullSources>;
let scratch: string;
const sessions = new Map<string, { browser: TestBrowser; csrf: string }>();

async function as(username: string, method: 'GET' | 'POST', path: string): Promise<Answer> {
  let session = sessions.get(username);
  if (!session) {
    const browser = await stack.signIn(username);
    const { csrfToken } = JSON.parse((await browser.request(`${stack.adminUrl}/auth/csrf`)).body) as {
      csrfToken: string;
    };
    session = { browser, csrf: csrfToken };
    sessions.set(username, session);
  }
  const res = await session.browser.request(`${stack.adminUrl}${path}`, {
    method,
    headers: { accept: 'application/json', ...(method === 'POST' ? { 'x-csrf-token': session.csrf } : {}) },
  });
  return {
    status: res.status,
    type: res.headers.get('content-type') ?? '',
    body: JSON.parse(res.body) as Answer['body'],
  };
}

const site = async (path: string, method: string, body?: unknown): Promise<void> => {
  const res = await fetch(`${sandbox.url}/_sandbox/onestop-api${path}`, {
    method,
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  expect(res.status, path).toBeLessThan(300);
};

const mine = (a: Answer) => a.body.adapters?.find((x) => x['id'] === SOURCE);

beforeAll(async () => {
  db = await freshDatabase();
  sandbox = await startSandbox();
  await site('/scenario', 'POST', {
    seed: 'admin-adapters',
    count: 3,
    date: '2025-07-01',
    clockAt: 'end',
    speed: 0,
  });
  // Every list page unreadable until the test clears it: the source goes down and dead-letters the bytes.
  await site('/faults/list', 'PUT', { mode: 'malformed', count: 100 });
  scratch = mkdtempSync(join(tmpdir(), 'isohub-admin-adapters-'));
  const sourcesFile = writeSandboxPullSources({
    sandboxUrl: sandbox.url,
    dir: scratch,
    upstream: { breakerFailures: 100, halfOpenAfterMs: 1000 },
    source: {
      id: SOURCE,
      pageSize: 10,
      overlapMinutes: 10,
      timeoutMs: 1500,
      retry: { maxAttempts: 2, initialDelayMs: 20, maxDelayMs: 50 },
      downAfterFailures: 1,
      statusTable: [
        { status: 'new', national: 1 },
        { status: 'processing', national: 4 },
        { status: 'done', national: 10 },
      ],
    },
  });
  hub = await startHub({
    databaseUrl: db.url,
    topicPrefix: uniquePrefix('admin-adapters'),
    env: { PULL_SOURCES_FILE: sourcesFile, OPS_TOKEN },
  });
  polling = pullSources(hub.app);
  stack = await startAdminStack({
    databaseUrl: db.url,
    adminEnv: { SYNC_SERVICE_URL: hub.url, SYNC_SERVICE_OPS_TOKEN: OPS_TOKEN },
  });
}, 180_000);

afterAll(async () => {
  await stack?.stop();
  await hub?.stop();
  await sandbox?.stop();
  await db?.drop();
  if (scratch) {
    rmSync(scratch, { recursive: true, force: true });
  }
});

describe('admin adapter routes over the sync service’s operator API', () => {
  it('shows a viewer each source’s health, last error and open dead letters, and the recovery', async () => {
    await polling.pollNow(SOURCE);
    const down = await as('viewer', 'GET', '/api/adapters');
    expect(down.status).toBe(200);
    expect(mine(down)).toMatchObject({
      type: 'opencps-rest',
      agency: '000.00.01.H56',
      health: 'down',
      paused: false,
      circuit: 'closed',
      lastError: { code: 'BAD_RESPONSE' },
      openDeadLetters: 1,
      openDeadLettersCapped: false,
    });
    // The admin never hands out its operator token.
    expect(JSON.stringify(down.body)).not.toContain(OPS_TOKEN);

    await site('/faults', 'DELETE');
    await polling.pollNow(SOURCE);
    const up = mine(await as('viewer', 'GET', '/api/adapters'));
    expect(up).toMatchObject({ health: 'up', consecutiveFailures: 0, openDeadLetters: 1 });
    expect(up?.['lagSeconds']).toEqual(expect.any(Number));
    expect(Date.parse(String(up?.['lastPollAt']))).toBeGreaterThan(Date.now() - 60_000);
    expect(Date.parse(String((up?.['cursor'] as { time: string | null }).time))).not.toBeNaN();
  });

  it('lets an admin test the connection, and refuses it to viewers and mappers', async () => {
    const test = await as('admin', 'POST', `/api/adapters/${SOURCE}/test-connection`);
    expect(test.status).toBe(200);
    expect(test.body).toMatchObject({ ok: true });
    expect(test.body['latencyMs']).toEqual(expect.any(Number));

    // An upstream answering 5xx makes the same check fail, with the reason.
    await site('/faults/list', 'PUT', { mode: 'http500', count: 10 });
    const failing = await as('admin', 'POST', `/api/adapters/${SOURCE}/test-connection`);
    expect(failing.status).toBe(200);
    expect(failing.body['ok']).toBe(false);
    expect(String(failing.body['detail'])).toMatch(/^UNAVAILABLE: .*HTTP 5\d\d/);
    await site('/faults', 'DELETE');

    for (const user of ['viewer', 'mapper']) {
      const refused = await as(user, 'POST', `/api/adapters/${SOURCE}/test-connection`);
      expect(refused.status, user).toBe(403);
    }
  });

  it('pauses and resumes a source for an admin, in the audit log, and 404s an unknown one', async () => {
    expect((await as('mapper', 'POST', `/api/adapters/${SOURCE}/pause`)).status).toBe(403);

    const paused = await as('admin', 'POST', `/api/adapters/${SOURCE}/pause`);
    expect(paused.status).toBe(200);
    expect(paused.body).toMatchObject({ id: SOURCE, paused: true });
    expect(mine(await as('viewer', 'GET', '/api/adapters'))?.['paused']).toBe(true);
    expect(polling.paused(SOURCE)).toBe(true);

    const resumed = await as('admin', 'POST', `/api/adapters/${SOURCE}/resume`);
    expect(resumed.body).toMatchObject({ id: SOURCE, paused: false });

    const pg = new Client({ connectionString: db.url });
    await pg.connect();
    try {
      const { rows } = await pg.query<{ action: string; actor: string; after: { paused: boolean } }>(
        `SELECT action, actor, after FROM audit_log WHERE entity_type = 'adapter' AND entity_id = $1 ORDER BY id`,
        [SOURCE],
      );
      // The sync service records the change first (naming the admin's user), then the admin its own.
      expect(rows.map((r) => [r.action, r.after.paused])).toEqual([
        ['ops.adapter.pause', true],
        ['adapter.pause', true],
        ['ops.adapter.resume', false],
        ['adapter.resume', false],
      ]);
      expect(rows[1]?.actor).not.toBe('');
      expect(new Set(rows.map((r) => r.actor))).toEqual(new Set([rows[1]?.actor]));
    } finally {
      await pg.end();
    }

    const unknown = await as('admin', 'POST', '/api/adapters/no-such-source/pause');
    expect(unknown.status).toBe(404);
    expect(unknown.type).toContain('application/problem+json');
    expect(String(unknown.body['detail'])).toContain('no-such-source');
  });

  it('answers 502 problem+json when the sync service refuses the token', async () => {
    // As if an operator rotated OPS_TOKEN on the sync service only: the admin reads its config per call.
    const configured = stack.adminConfig.syncServiceOpsToken;
    stack.adminConfig.syncServiceOpsToken = 'not-the-sync-service-token';
    try {
      const refused = await as('viewer', 'GET', '/api/adapters');
      expect(refused.status).toBe(502);
      expect(refused.type).toContain('application/problem+json');
      expect(refused.body.errors?.[0]?.code).toBe('refused_token');
      expect(JSON.stringify(refused.body)).not.toContain('not-the-sync-service-token');
    } finally {
      stack.adminConfig.syncServiceOpsToken = configured;
    }
  });

  it('answers 503 problem+json when the sync service is down, and keeps serving', async () => {
    await hub.stop();
    const gone = await as('viewer', 'GET', '/api/adapters');
    expect(gone.status).toBe(503);
    expect(gone.type).toContain('application/problem+json');
    expect(gone.body['title']).toBe('Service unavailable');
    expect(gone.body.errors?.[0]?.code).toBe('unreachable');
    const test = await as('admin', 'POST', `/api/adapters/${SOURCE}/test-connection`);
    expect(test.status).toBe(503);
    expect((await fetch(`${stack.adminUrl}/health`)).status).toBe(200);
  });
});
