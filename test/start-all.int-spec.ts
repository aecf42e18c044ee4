import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { brokers, uniquePrefix } from './support/kafka';

const root = resolve(__dirname, '..');

function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => done(typeof address === 'object' && address !== null ? address.port : 0));
    });
  });
}

/**
 * `npm start` as a newcomer runs it: embedded PGlite (however long it takes to listen), sandbox, sync
 * service, admin, each waited for; then every URL it prints is fetched (`--check`) and everything is
 * stopped. Builds the apps first when dist/ is missing, hence the long timeout.
 */
describe('npm start (scripts/start-all.mjs --check)', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'isohub-start-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it(
    'starts every part, every printed URL answers, and it stops everything',
    { timeout: 900_000 },
    async () => {
      const [sync, admin, sandbox, pglite] = [
        await freePort(),
        await freePort(),
        await freePort(),
        await freePort(),
      ];
      const child = spawn(process.execPath, ['scripts/start-all.mjs', '--check'], {
        cwd: root,
        env: {
          ...process.env,
          DATABASE_URL: '', // the embedded database, as `npm start` on a fresh machine
          KAFKA_BROKERS: brokers().join(','),
          TOPIC_PREFIX: uniquePrefix('start'),
          PORT: String(sync),
          ADMIN_PORT: String(admin),
          SANDBOX_PORT: String(sandbox),
          PGLITE_PORT: String(pglite),
          ISOHUB_DATA_DIR: dataDir,
          SKIP_BUILD: '1',
          START_TIMEOUT_SECONDS: '300',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let output = '';
      child.stdout.on('data', (d: Buffer) => (output += d.toString()));
      child.stderr.on('data', (d: Buffer) => (output += d.toString()));
      const code = await new Promise<number | null>((done) => child.on('exit', (c) => done(c)));
      const checks = output.split('\n').filter((l) => l.startsWith('[isohub] check '));
      expect(
        checks.filter((l) => l.includes('FAIL')),
        output.slice(-4000),
      ).toEqual([]);
      expect(code, output.slice(-4000)).toBe(0);
      // Every URL the start printed was checked: the tee, health, metrics, admin, sandbox, SSO.
      for (const path of ['/dvcqg/api/auth', '/health/live', '/health/ready', '/metrics', '/api/docs']) {
        expect(checks.some((l) => l.includes(path))).toBe(true);
      }
      expect(output).toMatch(/\[isohub\] pglite ready on port \d+ after/);
      // Stopped: nothing listens on its ports any more.
      for (const port of [sync, admin, sandbox, pglite]) {
        await expect(
          fetch(`http://127.0.0.1:${port}/`, { signal: AbortSignal.timeout(2_000) }),
        ).rejects.toThrow();
      }
    },
  );
});
