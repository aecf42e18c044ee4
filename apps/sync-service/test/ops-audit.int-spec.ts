import { Client } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase, type TestDatabase } from '../../../test/support/database';
import { startHub, type RunningHub } from '../../../test/support/hub';
import { uniquePrefix } from '../../../test/support/kafka';
import { startSandbox, writeSandboxPullSources } from '../../../test/support/onestop-sandbox';

const SOURCE = 'opencps-api-audit';
const OPS_TOKEN = 'test-ops-token-audit-0123456789';

interface Entry {
  actor: string;
  action: string;
  entity_type: string;
  entity_id: string;
  after: Record<string, unknown>;
}

describe('operator API audit', () => {
  let db: TestDatabase;
  let hub: RunningHub;
  let sandbox: Awaited<ReturnType<typeof startSandbox>>;
  let pg: Client;

  const ops = async (method: string, path: string, body?: unknown, actor?: string) => {
    const res = await fetch(`${hub.url}/ops/adapters${path}`, {
      method,
      headers: {
        authorization: `Bearer ${OPS_TOKEN}`,
        ...(actor === undefined ? {} : { 'x-isohub-actor': actor }),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    await res.arrayBuffer();
    return res.status;
  };
  const entries = async (): Promise<Entry[]> =>
    (
      await pg.query<Entry>(
        `SELECT actor, action, entity_type, entity_id, after FROM audit_log WHERE action LIKE 'ops.%' ORDER BY id`,
      )
    ).rows;

  beforeAll(async () => {
    db = await freshDatabase();
    sandbox = await startSandbox();
    const sourcesFile = writeSandboxPullSources({ sandboxUrl: sandbox.url, source: { id: SOURCE } });
    hub = await startHub({
      databaseUrl: db.url,
      topicPrefix: uniquePrefix('ops-audit'),
      env: { PULL_SOURCES_FILE: sourcesFile, OPS_TOKEN },
    });
    pg = new Client({ connectionString: db.url });
    await pg.connect();
  });

  afterAll(async () => {
    await pg?.end();
    await hub?.stop();
    await sandbox?.stop();
    await db?.drop();
  });

  it('records pause, cursor reset and resume with their actor before answering; reads and refusals are not changes', async () => {
    expect(await ops('POST', `/${SOURCE}/pause`, undefined, 'admin-sub-1')).toBe(200);
    // The entry is there as soon as the answer is: written before the change was reported done.
    expect((await entries()).map((e) => [e.actor, e.action, e.entity_id, e.after['paused']])).toEqual([
      ['admin-sub-1', 'ops.adapter.pause', SOURCE, true],
    ]);

    expect(
      await ops('PUT', `/${SOURCE}/cursor`, { cursor: '2025-07-04T00:00:00+07:00' }, 'admin-sub-1'),
    ).toBe(200);
    expect(await ops('POST', `/${SOURCE}/resume`)).toBe(200);
    expect(await ops('PUT', `/${SOURCE}/cursor`, { cursor: '2025-07-05T00:00:00+07:00' })).toBe(409);
    expect(await ops('POST', '/no-such-source/pause')).toBe(404);
    expect(await ops('GET', `/${SOURCE}`)).toBe(200);
    expect(await ops('POST', `/${SOURCE}/test-connection`)).toBe(200);

    const all = await entries();
    expect(all.map((e) => [e.actor, e.action, e.entity_type, e.entity_id])).toEqual([
      ['admin-sub-1', 'ops.adapter.pause', 'adapter', SOURCE],
      ['admin-sub-1', 'ops.adapter.cursor_reset', 'adapter', SOURCE],
      ['ops-token', 'ops.adapter.resume', 'adapter', SOURCE],
    ]);
    expect(all[1]?.after['cursor']).toMatchObject({ value: '2025-07-04T00:00:00+07:00' });
    expect(all.every((e) => e.after['via'] === 'ops-api')).toBe(true);
  });
});
