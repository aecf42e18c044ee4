// The built sync-service as a child process, and the OpenCPS-style client that talks to its tee.
import { spawn, spawnSync } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { OPENCPS, AGENCY } from './workload.mjs';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

export function buildSyncService(root, log) {
  const started = Date.now();
  const r = spawnSync('npx', ['nest', 'build', 'sync-service'], { cwd: root, encoding: 'utf8' });
  if (r.error || r.status !== 0) {
    throw new Error(`npx nest build sync-service failed: ${r.error?.message ?? `${r.stdout}${r.stderr}`}`);
  }
  log(`built sync-service in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/**
 * Starts `node dist/.../main.js` with a clean environment (nothing inherited but PATH and HOME, so no
 * stray PORTAL_BASE_URL turns forwarding on) and waits until the relay holds its lease.
 */
export async function startHub({ root, env, logFile, log, timeoutMs = 90_000 }) {
  const port = await freePort();
  const main = join(root, 'dist/apps/sync-service/apps/sync-service/src/main.js');
  const out = createWriteStream(logFile);
  const tail = [];
  // e.g. BENCH_HUB_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" profiles the hub under the load
  const nodeArgs = (process.env.BENCH_HUB_NODE_ARGS ?? '').split(/\s+/).filter(Boolean);
  // /metrics and /health/ready answer the operator token only.
  const opsToken = env.OPS_TOKEN ?? 'bench-ops-token-0123456789';
  const ops = { authorization: `Bearer ${opsToken}` };
  const child = spawn(process.execPath, [...nodeArgs, main], {
    cwd: root,
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      HOST: '127.0.0.1',
      PORT: String(port),
      OPS_TOKEN: opsToken,
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  for (const stream of [child.stdout, child.stderr]) {
    stream.on('data', (chunk) => {
      out.write(chunk);
      tail.push(...chunk.toString().split('\n').filter(Boolean));
      tail.splice(0, Math.max(0, tail.length - 40));
    });
  }
  let exited = null;
  const exit = new Promise((resolve) => {
    child.on('exit', (code, signal) => {
      exited = code ?? signal;
      resolve();
    });
  });
  const url = `http://127.0.0.1:${port}`;
  const hub = {
    pid: child.pid,
    url,
    logFile,
    tail: () => tail.join('\n'),
    exited: () => exited,
    async metrics() {
      const text = await (await fetch(`${url}/metrics`, { headers: ops })).text();
      return Object.fromEntries(
        text
          .trim()
          .split('\n')
          .filter((l) => l !== '' && !l.startsWith('#'))
          .map((l) => l.split(' '))
          .map(([k, v]) => [k, Number(v)]),
      );
    },
    async stop() {
      if (exited !== null) {
        return;
      }
      child.kill('SIGTERM');
      const killed = await Promise.race([exit.then(() => false), sleep(15_000).then(() => true)]);
      if (killed) {
        log('sync-service did not stop within 15 s after SIGTERM; sending SIGKILL');
        child.kill('SIGKILL');
        await exit;
      }
      out.end();
    },
  };
  const started = Date.now();
  let last = 'no answer';
  while (Date.now() - started < timeoutMs) {
    if (exited !== null) {
      throw new Error(`sync-service exited (${exited}) while starting:\n${hub.tail()}`);
    }
    try {
      const res = await fetch(`${url}/health/ready`, { headers: ops });
      const body = await res.json();
      last = JSON.stringify(body.checks?.relay ?? body);
      if (res.status === 200 && body.checks?.relay?.leader && body.checks?.kafka?.ok) {
        log(
          `sync-service pid ${child.pid} ready at ${url} after ${((Date.now() - started) / 1000).toFixed(1)} s`,
        );
        return hub;
      }
    } catch (error) {
      last = error.message;
    }
    await sleep(250);
  }
  await hub.stop();
  throw new Error(`sync-service not ready within ${timeoutMs} ms (${last}):\n${hub.tail()}`);
}

/** OpenCPS-style sender: one login, then envelopes carrying the session. */
export class TeeClient {
  constructor(url) {
    this.url = url;
    this.session = null;
  }

  async login() {
    const res = await fetch(`${this.url}/dvcqg/api/auth`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(OPENCPS),
    });
    const body = await res.json();
    if (res.status !== 200 || !body.session) {
      throw new Error(`login refused: ${res.status} ${JSON.stringify(body)}`);
    }
    this.session = body.session;
  }

  /** Posts one planned request; resolves with { ok, status, detail } (never rejects). */
  async send(request, traceparent) {
    try {
      const res = await fetch(`${this.url}/dvcqg/api/integration`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', traceparent },
        body: JSON.stringify({
          session: this.session,
          madonvi: AGENCY,
          service: request.service,
          isUpdating: request.isUpdating,
          data: request.data,
        }),
        signal: AbortSignal.timeout(30_000),
      });
      const text = await res.text();
      const ok = res.status === 200 && /"error_code":"0"/.test(text);
      return { ok, status: res.status, detail: ok ? null : text.slice(0, 300) };
    } catch (error) {
      return { ok: false, status: null, detail: error instanceof Error ? error.message : String(error) };
    }
  }
}
