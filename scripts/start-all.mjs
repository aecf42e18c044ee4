#!/usr/bin/env node
// `npm start`: the whole system on one machine with embedded defaults.
//   Kafka (local KRaft broker via deploy/kafka, unless KAFKA_BROKERS is set)
//   PostgreSQL (embedded PGlite on 127.0.0.1:5499, unless DATABASE_URL is set)
//   sandbox (simulated national portal), sync-service (the tee, forwarding to the sandbox), admin
// Ctrl-C stops everything this script started.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startKafka, stopKafka } from '../deploy/kafka/kafka.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const env = { ...process.env };
const children = [];
let kafkaStarted = false;

const ports = {
  sync: Number(env.PORT ?? 8080),
  admin: Number(env.ADMIN_PORT ?? 8081),
  sandbox: Number(env.SANDBOX_PORT ?? 8090),
  pglite: Number(env.PGLITE_PORT ?? 5499),
};

function log(msg) {
  console.log(`[isohub] ${msg}`);
}

function run(name, args, extraEnv) {
  const child = spawn(process.execPath, args, {
    cwd: root,
    env: { ...env, ...extraEnv },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const prefix = (line) => `[${name}] ${line}`;
  for (const stream of [child.stdout, child.stderr]) {
    let buf = '';
    stream.on('data', (d) => {
      buf += d.toString();
      const lines = buf.split('\n');
      buf = lines.pop() ?? '';
      for (const l of lines) {
        console.log(prefix(l));
      }
    });
  }
  child.on('exit', (code, signal) => {
    if (!shuttingDown) {
      log(`${name} exited (${code ?? signal}); stopping everything`);
      void shutdown(1);
    }
  });
  children.push({ name, child });
  return child;
}

async function waitHttp(url, timeoutMs = 60_000) {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    try {
      const res = await fetch(url);
      if (res.status < 500) {
        return;
      }
    } catch {
      // not yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${url} did not answer within ${timeoutMs} ms`);
}

let shuttingDown = false;
async function shutdown(code = 0) {
  if (shuttingDown) {
    return;
  }
  shuttingDown = true;
  for (const { child } of [...children].reverse()) {
    child.kill('SIGTERM');
  }
  await new Promise((r) => setTimeout(r, 1500));
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

async function main() {
  if (env.SKIP_BUILD !== '1' || !existsSync(mainJs('sync-service'))) {
    log('building apps (nest build)…');
    for (const app of ['sync-service', 'sandbox', 'admin']) {
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

  const kafka = await startKafka();
  kafkaStarted = kafka.started;
  env.KAFKA_BROKERS = kafka.brokers;

  if (!env.DATABASE_URL) {
    run('pglite', ['scripts/pglite-server.mjs'], { PGLITE_PORT: String(ports.pglite) });
    env.DATABASE_URL = `postgres://postgres@127.0.0.1:${ports.pglite}/postgres`;
    // PGlite serves one shared session: one connection per process keeps transactions apart.
    env.DATABASE_POOL_MAX = '1';
    await new Promise((r) => setTimeout(r, 2500));
  }

  run('sandbox', [mainJs('sandbox')], { SANDBOX_PORT: String(ports.sandbox) });
  await waitHttp(`http://127.0.0.1:${ports.sandbox}/_sandbox/portal/received`);
  // The sandbox's development SSO; it accepts the admin's callback on any loopback port.
  const sso = env.OIDC_ISSUER_URL ?? `http://127.0.0.1:${ports.sandbox}/sso`;

  const portal = `http://127.0.0.1:${ports.sandbox}`;
  // One operator token for both: the admin's adapter page calls the sync service's /ops API with it.
  const opsToken = env.OPS_TOKEN ?? env.SYNC_SERVICE_OPS_TOKEN ?? 'dev-only-ops-token-change-me';
  run('sync-service', [mainJs('sync-service')], {
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
  await waitHttp(`http://127.0.0.1:${ports.sync}/health/live`, 120_000);

  run('admin', [mainJs('admin')], {
    ADMIN_PORT: String(ports.admin),
    SYNC_SERVICE_URL: `http://127.0.0.1:${ports.sync}`,
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
  await waitHttp(`http://127.0.0.1:${ports.admin}/health`);

  log('everything is up:');
  log(
    `  Kafka                 ${env.KAFKA_BROKERS}${kafkaStarted ? ' (local KRaft broker, data .data/kafka)' : ''}`,
  );
  log(`  PostgreSQL            ${env.DATABASE_URL.replace(/:[^:@/]*@/, ':***@')}`);
  log(
    `  sync-service (tee)    http://127.0.0.1:${ports.sync}/dvcqg/api/auth · /dvcqg/api/integration · /dvcqg/th/<key>/ThemMoi|CapNhat|DongBoTienTrinh`,
  );
  log(
    `  health / metrics      http://127.0.0.1:${ports.sync}/health/ready · http://127.0.0.1:${ports.sync}/metrics`,
  );
  log(`  sandbox portal        ${portal}  (recorded traffic: ${portal}/_sandbox/portal/received)`);
  log(`  admin                 http://127.0.0.1:${ports.admin}/  (API docs: /api/docs)`);
  log(`  SSO (development)     ${sso}  (OpenID Connect; discovery: /.well-known/openid-configuration)`);
  log(
    '  demo users            admin · mapper · mapper-h56 (agency 000.00.01.H56) · viewer, password isohub-demo',
  );
  log(
    '  automation client     isohub-automation / isohub-automation-dev-secret (client credentials, role mapper)',
  );
  log('Play a day of dossiers through the tee and watch Kafka: npm run demo   (Ctrl-C stops everything)');
}

main().catch((error) => {
  console.error(`[isohub] ${error instanceof Error ? error.message : error}`);
  void shutdown(1);
});
