#!/usr/bin/env node
// `npm start`: the whole system on one machine with embedded defaults.
//   Kafka (local KRaft broker via deploy/kafka, unless KAFKA_BROKERS is set)
//   PostgreSQL (embedded PGlite on 127.0.0.1:5499, unless DATABASE_URL is set)
//   sandbox (simulated national portal, one-stop system, LGSP and SSO), sync-service, admin
// Each part is started only when the one before it is ready (its port listens and it answers healthy),
// within START_TIMEOUT_SECONDS (default 180) each; a part that does not come up is named with its log
// (.data/logs/<part>.log). Ctrl-C stops everything this script started.
//   node scripts/start-all.mjs --check   starts, fetches every URL it prints, stops; exit 0 when all answer.
import { spawn, spawnSync } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { kafkaStatus, startKafka, stopKafka } from '../deploy/kafka/kafka.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const env = { ...process.env };
const checkMode = process.argv.includes('--check');
const children = [];
let kafkaStarted = false;

const ports = {
  sync: Number(env.PORT ?? 8080),
  admin: Number(env.ADMIN_PORT ?? 8081),
  sandbox: Number(env.SANDBOX_PORT ?? 8090),
  pglite: Number(env.PGLITE_PORT ?? 5499),
};
const timeoutMs = Number(env.START_TIMEOUT_SECONDS ?? 180) * 1000;
const dataDir = resolve(root, env.ISOHUB_DATA_DIR ?? '.data');
const logDir = join(dataDir, 'logs');
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function log(msg) {
  console.log(`[isohub] ${msg}`);
}

/** A JSON log line shown as `LEVEL context: message`; any other line as it is. */
function readable(line) {
  if (!line.startsWith('{')) {
    return line;
  }
  try {
    const o = JSON.parse(line);
    const level = String(o.level ?? 'log').toUpperCase();
    return `${level === 'LOG' ? 'INFO' : level} ${o.context ? `${o.context}: ` : ''}${
      typeof o.message === 'string' ? o.message : JSON.stringify(o.message)
    }`;
  } catch {
    return line;
  }
}

function logFileOf(name) {
  return relative(process.cwd(), join(logDir, `${name}.log`)) || join(logDir, `${name}.log`);
}

function run(name, args, extraEnv) {
  mkdirSync(logDir, { recursive: true });
  const file = createWriteStream(join(logDir, `${name}.log`), { flags: 'w' });
  const child = spawn(process.execPath, args, {
    cwd: root,
    env: { ...env, ...extraEnv },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  for (const stream of [child.stdout, child.stderr]) {
    let buf = '';
    stream.on('data', (d) => {
      file.write(d);
      buf += d.toString();
      const lines = buf.split('\n');
      buf = lines.pop() ?? '';
      for (const l of lines) {
        console.log(`[${name}] ${readable(l)}`);
      }
    });
  }
  const part = { name, child, exited: null, exit: null };
  part.exit = new Promise((resolveExit) =>
    child.on('exit', (code, signal) => {
      part.exited = code ?? signal;
      file.end();
      resolveExit();
      if (!shuttingDown) {
        log(`${name} exited (${part.exited}); stopping everything. Its log: ${logFileOf(name)}`);
        void shutdown(1);
      }
    }),
  );
  children.push(part);
  return part;
}

function portListening(port, host = '127.0.0.1') {
  return new Promise((resolvePort) => {
    const socket = connect({ port, host });
    socket.setTimeout(1_000);
    socket.once('connect', () => {
      socket.destroy();
      resolvePort(true);
    });
    socket.once('error', () => resolvePort(false));
    socket.once('timeout', () => {
      socket.destroy();
      resolvePort(false);
    });
  });
}

/**
 * Waits until `part`'s port listens and `healthy()` resolves (a string saying why not, or null when
 * healthy). Throws, naming the part, what was last seen and where its log is, on timeout or exit.
 */
async function waitReady(part, port, healthy) {
  const started = Date.now();
  let last = `port ${port} not listening yet`;
  while (Date.now() - started < timeoutMs) {
    if (part.exited !== null) {
      throw new Error(
        `${part.name} exited (${part.exited}) while starting. Its log: ${logFileOf(part.name)}`,
      );
    }
    if (await portListening(port)) {
      last = (await healthy().catch((e) => (e instanceof Error ? e.message : String(e)))) ?? null;
      if (last === null) {
        log(`${part.name} ready on port ${port} after ${((Date.now() - started) / 1000).toFixed(1)} s`);
        return;
      }
    }
    await sleep(250);
  }
  throw new Error(
    `${part.name} did not come up within ${timeoutMs / 1000} s (START_TIMEOUT_SECONDS); last seen: ${last}. ` +
      `Its log: ${logFileOf(part.name)}`,
  );
}

async function httpHealthy(url, headers = {}) {
  const res = await fetch(url, { headers, signal: AbortSignal.timeout(5_000) });
  return res.status === 200 ? null : `${url} answered ${res.status}`;
}

async function refuseBusyPort(name, port) {
  if (await portListening(port)) {
    throw new Error(
      `port ${port} (${name}) is already in use: is isohub already running? Stop it, or choose other ports ` +
        '(PORT, ADMIN_PORT, SANDBOX_PORT, PGLITE_PORT).',
    );
  }
}

let shuttingDown = false;
async function shutdown(code = 0) {
  if (shuttingDown) {
    return;
  }
  shuttingDown = true;
  // The apps first (they close their database and Kafka connections), the database last.
  for (const part of [...children].reverse()) {
    if (part.exited === null) {
      part.child.kill('SIGTERM');
      const done = await Promise.race([part.exit.then(() => true), sleep(10_000).then(() => false)]);
      if (!done) {
        log(`${part.name} did not stop within 10 s; killing it`);
        part.child.kill('SIGKILL');
        await part.exit;
      }
    }
  }
  if (kafkaStarted) {
    await stopKafka().catch(() => undefined);
  }
  process.exit(code);
}
process.on('SIGINT', () => void shutdown(0));
process.on('SIGTERM', () => void shutdown(0));

function mainJs(app) {
  return resolve(root, `dist/apps/${app}/apps/${app}/src/main.js`);
}

function build() {
  // SKIP_BUILD=1 reuses each app's last build, and still builds an app that has none (a test may have
  // built the sync service alone).
  const apps = ['sync-service', 'sandbox', 'admin'].filter(
    (app) => env.SKIP_BUILD !== '1' || !existsSync(mainJs(app)),
  );
  if (apps.length > 0) {
    log(`building ${apps.join(', ')} (nest build)…`);
    for (const app of apps) {
      const r = spawnSync('npx', ['nest', 'build', app], { cwd: root, stdio: 'inherit', env });
      if (r.status !== 0) {
        throw new Error(`nest build ${app} failed`);
      }
    }
  }
  if (env.SKIP_BUILD !== '1' || !existsSync(resolve(root, 'apps/admin/web/dist/index.html'))) {
    log('building the admin console (vite build apps/admin/web)…');
    const r = spawnSync('npx', ['vite', 'build', 'apps/admin/web'], { cwd: root, stdio: 'inherit', env });
    if (r.status !== 0) {
      throw new Error('vite build apps/admin/web failed');
    }
  }
}

/** The Thanh Hóa-style sender's path key in the senders file (the URL a sender would be given). */
function thanhHoaKey() {
  const file = resolve(root, env.SENDERS_FILE ?? 'config/senders.dev.json');
  try {
    const senders = JSON.parse(readFileSync(file, 'utf8')).senders ?? [];
    const th = senders.find((s) => s.style === 'thanhhoa');
    return (th?.pathKeyEnv ? env[th.pathKeyEnv] : undefined) ?? th?.pathKey ?? null;
  } catch {
    return null;
  }
}

async function main() {
  build();
  for (const [name, port] of Object.entries(ports)) {
    if (name !== 'pglite' || !env.DATABASE_URL) {
      await refuseBusyPort(name, port);
    }
  }

  const kafka = await startKafka();
  kafkaStarted = kafka.started;
  env.KAFKA_BROKERS = kafka.brokers;

  if (!env.DATABASE_URL) {
    const pglite = run('pglite', ['scripts/pglite-server.mjs'], {
      PGLITE_PORT: String(ports.pglite),
      PGLITE_DATA_DIR: env.PGLITE_DATA_DIR ?? join(dataDir, 'pglite'),
    });
    env.DATABASE_URL = `postgres://postgres@127.0.0.1:${ports.pglite}/postgres`;
    // PGlite serves one shared session: one connection per process keeps transactions apart.
    env.DATABASE_POOL_MAX = '1';
    // On a loaded machine PGlite takes 10 s and more to load its WASM and open its data.
    await waitReady(pglite, ports.pglite, async () => {
      const client = new pg.Client({ connectionString: env.DATABASE_URL, connectionTimeoutMillis: 5_000 });
      try {
        await client.connect();
        await client.query('SELECT 1');
        return null;
      } finally {
        await client.end().catch(() => undefined);
      }
    });
  }

  const sandbox = run('sandbox', [mainJs('sandbox')], { SANDBOX_PORT: String(ports.sandbox) });
  await waitReady(sandbox, ports.sandbox, () =>
    httpHealthy(`http://127.0.0.1:${ports.sandbox}/_sandbox/portal/received`),
  );
  // The sandbox's development SSO; it accepts the admin's callback on any loopback port.
  const sso = env.OIDC_ISSUER_URL ?? `http://127.0.0.1:${ports.sandbox}/sso`;

  const portal = `http://127.0.0.1:${ports.sandbox}`;
  // One operator token for both: the admin's adapter and status pages call the sync service with it.
  const opsToken = env.OPS_TOKEN ?? env.SYNC_SERVICE_OPS_TOKEN ?? 'dev-only-ops-token-change-me';
  const ops = { authorization: `Bearer ${opsToken}` };
  const syncUrl = `http://127.0.0.1:${ports.sync}`;
  const sync = run('sync-service', [mainJs('sync-service')], {
    PORT: String(ports.sync),
    PULL_SOURCES_FILE: env.PULL_SOURCES_FILE ?? 'config/pull-sources.dev.json',
    PORTAL_BASE_URL: env.PORTAL_BASE_URL ?? portal,
    PORTAL_USERNAME: env.PORTAL_USERNAME ?? 'isohub',
    PORTAL_PASSWORD: env.PORTAL_PASSWORD ?? 'sandbox-portal-password',
    // The transparent tee relays the senders' own calls to these upstreams (docs/tee.md).
    LGSP_UPSTREAM_BASE_URL: env.LGSP_UPSTREAM_BASE_URL ?? `${portal}/lgsp/rest`,
    LGSP_UPSTREAM_TOKEN_URL: env.LGSP_UPSTREAM_TOKEN_URL ?? `${portal}/lgsp/token`,
    OPS_TOKEN: opsToken,
  });
  // Ready = its database answers (Kafka being down does not make it unready: dossiers wait in the outbox).
  await waitReady(sync, ports.sync, () => httpHealthy(`${syncUrl}/health/ready`, ops));

  const adminUrl = `http://127.0.0.1:${ports.admin}`;
  const admin = run('admin', [mainJs('admin')], {
    ADMIN_PORT: String(ports.admin),
    SYNC_SERVICE_URL: syncUrl,
    SYNC_SERVICE_OPS_TOKEN: opsToken,
    OIDC_ISSUER_URL: sso,
    DATABASE_URL: env.DATABASE_URL,
    // The catalogue pull (POST /api/catalogue/refresh-from-portal) reads the same portal as the tee forwards to.
    PORTAL_BASE_URL: env.PORTAL_BASE_URL ?? portal,
    PORTAL_USERNAME: env.PORTAL_USERNAME ?? 'isohub',
    PORTAL_PASSWORD: env.PORTAL_PASSWORD ?? 'sandbox-portal-password',
    // The local sandbox takes the 5,608 LayThuTuc calls faster than the polite default of 100/s.
    PORTAL_CATALOGUE_RATE_PER_SECOND:
      env.PORTAL_CATALOGUE_RATE_PER_SECOND ?? (env.PORTAL_BASE_URL ? undefined : '1000'),
  });
  await waitReady(admin, ports.admin, () => httpHealthy(`${adminUrl}/health`));

  // Every URL printed below is fetched by `--check` (and so by test/start-all.int-spec.ts).
  const key = thanhHoaKey();
  const urls = [
    // Behind the SSO: a browser is sent on to the sign-in (checked as such below).
    { label: 'admin console', url: `${adminUrl}/`, signIn: true },
    { label: 'admin API docs', url: `${adminUrl}/api/docs` },
    { label: 'tee, OpenCPS login', url: `${syncUrl}/dvcqg/api/auth`, method: 'POST' },
    { label: 'tee, OpenCPS data', url: `${syncUrl}/dvcqg/api/integration`, method: 'POST' },
    ...(key === null
      ? []
      : [{ label: 'tee, Thanh Hóa style', url: `${syncUrl}/dvcqg/th/${key}/ThemMoi`, method: 'POST' }]),
    { label: 'liveness (public)', url: `${syncUrl}/health/live` },
    { label: 'readiness (ops token)', url: `${syncUrl}/health/ready`, headers: ops },
    { label: 'metrics (ops token)', url: `${syncUrl}/metrics`, headers: ops },
    { label: 'sandbox portal traffic', url: `${portal}/_sandbox/portal/received` },
    { label: 'SSO (development)', url: `${sso}/.well-known/openid-configuration` },
  ];

  log('everything is up:');
  log(
    `  Kafka                     ${env.KAFKA_BROKERS}${kafkaStarted ? ` (local KRaft broker, data ${relative(root, kafkaStatus().dataDir)})` : ''}`,
  );
  log(`  PostgreSQL                ${env.DATABASE_URL.replace(/:[^:@/]*@/, ':***@')}`);
  for (const u of urls) {
    log(
      `  ${u.label.padEnd(26)}${u.method === 'POST' ? 'POST ' : ''}${u.url}${u.headers ? '  (Authorization: Bearer $OPS_TOKEN)' : ''}`,
    );
  }
  log(
    `  logs                      ${relative(root, logDir)}/<part>.log (JSON lines; LOG_LEVEL=debug for more)`,
  );
  log(
    '  demo users                admin · mapper · mapper-h56 (agency 000.00.01.H56) · viewer, password isohub-demo',
  );
  log(
    '  automation client         isohub-automation / isohub-automation-dev-secret (client credentials, role mapper)',
  );
  log('Play a day of dossiers through the tee and watch Kafka: npm run demo   (Ctrl-C stops everything)');

  if (checkMode) {
    await shutdown((await checkUrls(urls)) ? 0 : 1);
  }
}

/**
 * Fetches every printed URL: a GET must answer 2xx (after redirects), a page behind the SSO must send a
 * browser on to the sign-in, a POST (sent an empty JSON body) must answer something other than 404 or
 * 5xx — the tee refuses an empty body with its own answer.
 */
async function checkUrls(urls) {
  let ok = true;
  for (const u of urls) {
    let status;
    let good = false;
    try {
      const res = await fetch(u.url, {
        method: u.method ?? 'GET',
        headers: {
          ...(u.headers ?? {}),
          ...(u.method === 'POST'
            ? { 'content-type': 'application/json' }
            : { accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8' }),
        },
        body: u.method === 'POST' ? '{}' : undefined,
        signal: AbortSignal.timeout(15_000),
      });
      const body = await res.text();
      status = String(res.status);
      if (u.method === 'POST') {
        good = res.status !== 404 && res.status < 500;
      } else if (u.signIn === true && res.status === 401) {
        // What a browser gets: a page that sends it on to the SSO's sign-in.
        good = body.includes('/auth/login');
        status += good ? ', the sign-in page' : '';
      } else {
        good = res.status >= 200 && res.status < 300;
      }
      if (!good) {
        status += ` ${body.slice(0, 300).replace(/\s+/g, ' ')}`;
      }
    } catch (error) {
      status = error instanceof Error ? error.message : String(error);
    }
    ok &&= good;
    log(`check ${good ? 'ok  ' : 'FAIL'} ${u.method ?? 'GET'} ${u.url} -> ${status}`);
  }
  log(ok ? 'check: every printed URL answers' : 'check: some printed URLs do not answer');
  return ok;
}

main().catch((error) => {
  console.error(`[isohub] ${error instanceof Error ? error.message : error}`);
  void shutdown(1);
});
