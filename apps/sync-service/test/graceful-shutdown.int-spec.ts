import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildSyncService, freePort, spawnHub, type ChildHub } from '../../../test/support/child-hub';
import { freshDatabase, type TestDatabase } from '../../../test/support/database';
import { uniquePrefix } from '../../../test/support/kafka';

/**
 * SIGTERM (the process as deployed): stop accepting, finish the requests in flight, then close Kafka and
 * PostgreSQL. A request whose body is still arriving when the signal comes gets its answer.
 */
describe('shutdown on SIGTERM', () => {
  let db: TestDatabase;
  let hub: ChildHub;

  beforeAll(async () => {
    buildSyncService();
    db = await freshDatabase();
    hub = await spawnHub({
      databaseUrl: db.url,
      topicPrefix: uniquePrefix('shutdown'),
      port: await freePort(),
      env: { SHUTDOWN_GRACE_MS: '10000' },
    });
  }, 240_000);

  afterAll(async () => {
    await hub?.kill();
    await db?.drop();
  });

  it('finishes the request in flight, refuses new connections, then exits cleanly', async () => {
    const { port } = new URL(hub.url);
    const body = JSON.stringify({ username: 'opencps-demo', password: 'demo-password-change-me' });
    const answer = new Promise<{ status: number; text: string }>((resolve, reject) => {
      const req = request(
        {
          host: '127.0.0.1',
          port,
          path: '/dvcqg/api/auth',
          method: 'POST',
          headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
        },
        (res) => {
          let text = '';
          res.on('data', (d: Buffer) => (text += d.toString()));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
        },
      );
      req.on('error', reject);
      // Half the body now, the rest after the signal: the request is in flight when SIGTERM comes.
      req.write(body.slice(0, 10));
      setTimeout(() => {
        hub.child.kill('SIGTERM');
        setTimeout(() => req.end(body.slice(10)), 1_000);
      }, 300);
    });

    await new Promise((r) => setTimeout(r, 800)); // SIGTERM sent, body not complete yet
    const refused = await fetch(`${hub.url}/health/live`, { signal: AbortSignal.timeout(2_000) }).then(
      () => 'answered',
      () => 'refused',
    );
    expect(refused).toBe('refused');

    const done = await answer;
    expect(done.status).toBeGreaterThanOrEqual(200);
    expect(done.status).toBeLessThan(600);
    expect(await hub.exited).toBe(0);
    expect(hub.output()).toContain('finishing 1 request(s) in flight');
  }, 60_000);
});
