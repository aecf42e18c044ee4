import { Client } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase, type TestDatabase } from '../../../test/support/database';
import { startHub, type RunningHub } from '../../../test/support/hub';
import { uniquePrefix } from '../../../test/support/kafka';
import { startSandbox, writeSandboxPullSources } from '../../../test/support/onestop-sandbox';
import { PollingService } from '../src/polling/polling.service';

/**
 * Two sync-service replicas on one database (real PostgreSQL, real Kafka, the sandbox's one-stop API):
 * a pull source is polled by one of them only (its lease in relay_lease), and when that replica stops
 * the other takes the source over.
 */
const SOURCE = 'opencps-lease-test';

describe('pull sources across replicas: one poller per source', () => {
  let db: TestDatabase;
  let sandbox: Awaited<ReturnType<typeof startSandbox>>;
  let pg: Client;
  const hubs: RunningHub[] = [];
  const prefix = uniquePrefix('poll-lease');

  const status = (hub: RunningHub) =>
    hub.app
      .get(PollingService)
      .statuses()
      .find((s) => s.id === SOURCE)?.status;

  beforeAll(async () => {
    db = await freshDatabase();
    pg = new Client({ connectionString: db.url });
    await pg.connect();
    sandbox = await startSandbox();
    const sourcesFile = writeSandboxPullSources({ sandboxUrl: sandbox.url, source: { id: SOURCE } });
    for (let i = 0; i < 2; i += 1) {
      hubs.push(
        await startHub({ databaseUrl: db.url, topicPrefix: prefix, env: { PULL_SOURCES_FILE: sourcesFile } }),
      );
    }
  });

  afterAll(async () => {
    for (const hub of hubs) {
      await hub.stop().catch(() => undefined);
    }
    await sandbox?.stop();
    await pg?.end();
    await db?.drop();
  });

  it('polls on one replica; the other reads the lease and leaves the source alone', async () => {
    // Both replicas started their pollers at boot; poll again on both now, in parallel.
    await Promise.all(hubs.map((h) => h.app.get(PollingService).pollNow(SOURCE)));
    const [a, b] = hubs.map(status);
    expect([a?.leader, b?.leader].sort()).toEqual([false, true]);
    const follower = a?.leader ? b : a;
    const leader = a?.leader ? a : b;
    expect(follower?.pollsTotal).toBe(0);
    expect(follower?.lastPollAt).toBeNull();
    expect(leader?.pollsTotal).toBeGreaterThanOrEqual(1);
    expect(leader?.health).toBe('up');

    const { rows } = await pg.query<{ owner: string; live: boolean }>(
      `SELECT owner, expires_at > now() AS live FROM relay_lease WHERE name = $1`,
      [`poll:${SOURCE}/000.00.01.H56`],
    );
    expect(rows).toEqual([{ owner: expect.stringMatching(/^poller-/) as unknown, live: true }]);
  });

  it('hands the source to the other replica when the polling one stops', async () => {
    const leaderIndex = hubs.findIndex((h) => status(h)?.leader === true);
    const [stopping] = hubs.splice(leaderIndex, 1);
    const survivor = hubs[0];
    const pollsBefore = status(survivor)?.pollsTotal ?? 0;
    await stopping?.stop();

    await survivor.app.get(PollingService).pollNow(SOURCE);
    expect(status(survivor)?.leader).toBe(true);
    expect(status(survivor)?.pollsTotal).toBe(pollsBefore + 1);
    expect(status(survivor)?.health).toBe('up');
  });
});
