import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { resolve } from 'node:path';
import { brokers } from './kafka';

/** The sync service as it runs in production: the built JavaScript in its own process. */

const ROOT = resolve(__dirname, '../..');
export const SYNC_SERVICE_ENTRY = resolve(ROOT, 'dist/apps/sync-service/apps/sync-service/src/main.js');

/**
 * `nest build sync-service`, so the process runs the code under test, not a stale build. tsc emits
 * even when some file does not typecheck; such a build is used (with a warning) when it wrote a fresh
 * entry point: type errors are `npm run typecheck`'s business, this test is about runtime behaviour.
 */
export function buildSyncService(): void {
  const startedAt = Date.now();
  const result = spawnSync('npx', ['nest', 'build', 'sync-service'], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 120_000,
  });
  const fresh = existsSync(SYNC_SERVICE_ENTRY) && statSync(SYNC_SERVICE_ENTRY).mtimeMs >= startedAt - 1_000;
  if (!fresh) {
    throw new Error(`nest build sync-service failed (${result.status}):\n${result.stdout}${result.stderr}`);
  }
  if (result.status !== 0) {
    console.warn(`nest build sync-service reported errors but emitted a fresh build:\n${result.stdout}`);
  }
}

export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolvePort(port));
    });
  });
}

export interface ChildHub {
  url: string;
  child: ChildProcess;
  /** Everything the process wrote (for diagnostics). */
  output(): string;
  exited: Promise<number | string | null>;
  /** SIGKILL: no shutdown hook, no lease release, connections dropped mid-flight. */
  kill(): Promise<void>;
  /** SIGTERM and wait (cleanup). */
  stop(): Promise<void>;
}

export async function spawnHub(opts: {
  databaseUrl: string;
  topicPrefix: string;
  port: number;
  env?: Record<string, string>;
}): Promise<ChildHub> {
  let out = '';
  const child = spawn(process.execPath, [SYNC_SERVICE_ENTRY], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? '',
      NODE_ENV: 'test',
      DATABASE_URL: opts.databaseUrl,
      KAFKA_BROKERS: brokers().join(','),
      TOPIC_PREFIX: opts.topicPrefix,
      TOPIC_PARTITIONS: '3',
      HOST: '127.0.0.1',
      PORT: String(opts.port),
      SENDERS_FILE: resolve(ROOT, 'config/senders.dev.json'),
      // As in hub.ts: the test dossiers are dated in the past, so a running scheduler would add overdue events.
      DEADLINE_SCHEDULER: 'off',
      ...opts.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | string | null>((r) =>
    child.once('exit', (code, signal) => r(code ?? signal)),
  );
  const url = `http://127.0.0.1:${opts.port}`;
  const end = Date.now() + 60_000;
  let up = false;
  while (!up) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`sync service exited while starting:\n${out.slice(-3000)}`);
    }
    if (Date.now() > end) {
      child.kill('SIGKILL');
      throw new Error(`sync service not up after 60 s:\n${out.slice(-3000)}`);
    }
    up = await fetch(`${url}/health/live`, { signal: AbortSignal.timeout(1_000) })
      .then((r) => r.status === 200)
      .catch(() => false);
    if (!up) {
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  return {
    url,
    child,
    output: () => out,
    exited,
    async kill() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGKILL');
      }
      await exited;
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
        await exited;
        clearTimeout(timer);
      }
    },
  };
}
