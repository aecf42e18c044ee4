#!/usr/bin/env node
/**
 * `npm run bench`: raw Kafka versus isohub, side by side, in one run on this machine.
 *
 *   1. raw kafkajs producer (idempotent, acks=-1, maxInFlightRequests 1) sending records shaped like
 *      isohub's events (captured from the hub's own topic) to a fresh 6-partition topic: msgs/s, MB/s;
 *      the same transactionally (500 records + a checkpoint offset per transaction, like the relay);
 *      and an open-loop latency run (ack and send -> consumed).
 *   2. isohub end to end: the built sync-service as a child process, OpenCPS-style dossier lifecycles
 *      posted to its tee with bounded concurrency, timed until a plain read_committed consumer has
 *      seen every event on <prefix>.dossier.events.v1.
 *   3. isohub latency at a fixed request rate (open loop): HTTP answer and request -> event consumed.
 *   4. peak RSS of the sync-service and of the Kafka broker JVM; CPU per component.
 *
 * Options:
 *   --quick               about a minute, for CI smoke runs (writes docs/performance.md only with --write-doc)
 *   --dossiers N, --concurrency N    throughput run; --rate N (req/s), --seconds N    latency run
 *   --no-build            run the existing dist/ build
 *   --no-doc, --write-doc whether to replace the generated block of docs/performance.md (default: full runs do)
 *   --no-analyze          skip the ANALYZE after warm-up (to see a fresh database without planner statistics)
 *   --wait-quiet[=S]      first wait, at most S seconds (default 120), until the machine is idle: other
 *                         processes on the same cores skew every figure
 * Environment:
 *   KAFKA_BROKERS         an already running broker on 127.0.0.1; otherwise the local one (deploy/kafka,
 *                         KAFKA_PORT / KAFKA_DATA_DIR honoured) is started, and stopped afterwards if this
 *                         run started it
 *   RELAY_BATCH_SIZE, RELAY_IDLE_MS, DATABASE_POOL_MAX    passed on to the sync-service
 *   BENCH_HUB_DIR         build and run the sync-service of another checkout (e.g. `git archive <rev> |
 *                         tar -x -C /tmp/rev` with node_modules linked) to compare revisions
 *   BENCH_HUB_LABEL       how the report names that sync-service (default: its git revision)
 *   BENCH_HUB_NODE_ARGS   node options for the sync-service, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof"
 * PostgreSQL: a throwaway database on 127.0.0.1:5432 (user postgres), dropped at the end.
 * Traffic goes to 127.0.0.1 only; topics are left behind (prefix bench-<hex>).
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { kafkaStatus, startKafka, stopKafka, waitForKafka } from '../deploy/kafka/kafka.mjs';
import { BenchConsumer } from './bench/consumer.mjs';
import { closedLoop, openLoop } from './bench/hub-load.mjs';
import { buildSyncService, startHub, TeeClient } from './bench/hub-process.mjs';
import { cpuShare, cpuSnapshot, machineBusy, RssPoller, statusBytes, waitQuiet } from './bench/probes.mjs';
import { kafkaClient, createTopics, rawLatency, rawThroughput, recordSupply } from './bench/raw-kafka.mjs';
import { percentile, renderReport, writeDoc } from './bench/report.mjs';
import { traceIds as makeTraceIds } from './bench/workload.mjs';

const ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));
const HUB_DIR = resolve(process.env.BENCH_HUB_DIR ?? ROOT);
const require = createRequire(import.meta.url);
const { Client } = require('pg');
const PG_ADMIN_URL = 'postgres://postgres@127.0.0.1:5432/postgres';
const PARTITIONS = 6;
const ANSI = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, 'g');

const PRESETS = {
  full: {
    warmupDossiers: 60,
    rawSeconds: 8,
    rawWarmSeconds: 2,
    rawMaxMessages: 400_000,
    rawBatch: 500,
    rawLatencySeconds: 10,
    dossiers: 1500,
    concurrency: 12,
    rate: 50,
    seconds: 20,
    gapMs: 2000,
    throughputCapSeconds: 90,
    drainSeconds: 60,
    watchdogSeconds: 480,
  },
  quick: {
    warmupDossiers: 20,
    rawSeconds: 3,
    rawWarmSeconds: 1,
    rawMaxMessages: 100_000,
    rawBatch: 500,
    rawLatencySeconds: 4,
    dossiers: 200,
    concurrency: 8,
    rate: 25,
    seconds: 6,
    gapMs: 1000,
    throughputCapSeconds: 30,
    drainSeconds: 30,
    watchdogSeconds: 180,
  },
};

const log = (message) => console.log(`[bench] ${message}`);
const wall = () => performance.timeOrigin + performance.now();
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function parseArgs(argv) {
  const flags = new Set(argv.filter((a) => a.startsWith('--')));
  if (flags.has('--help') || flags.has('-h')) {
    console.log(readFileSync(fileURLToPath(import.meta.url), 'utf8').split('*/')[0]);
    process.exit(0);
  }
  const preset = flags.has('--quick') ? 'quick' : 'full';
  const opts = { ...PRESETS[preset], preset };
  const numeric = {
    '--dossiers': 'dossiers',
    '--concurrency': 'concurrency',
    '--rate': 'rate',
    '--seconds': 'seconds',
  };
  for (const [flag, key] of Object.entries(numeric)) {
    const i = argv.indexOf(flag);
    if (i >= 0) {
      const v = Number(argv[i + 1]);
      if (!Number.isFinite(v) || v <= 0) {
        throw new Error(`${flag} needs a positive number`);
      }
      opts[key] = v;
    }
  }
  opts.build = !flags.has('--no-build');
  opts.analyze = !flags.has('--no-analyze');
  const quiet = argv.find((a) => a.startsWith('--wait-quiet'));
  opts.waitQuiet = quiet ? Number(quiet.split('=')[1] ?? 120) : 0;
  opts.writeDoc = flags.has('--write-doc') || (preset === 'full' && !flags.has('--no-doc'));
  const envShown = [
    'KAFKA_BROKERS',
    'KAFKA_PORT',
    'KAFKA_DATA_DIR',
    'BENCH_HUB_DIR',
    'RELAY_BATCH_SIZE',
    'RELAY_IDLE_MS',
    'DATABASE_POOL_MAX',
  ]
    .filter((k) => process.env[k])
    .map((k) => `${k}=${process.env[k]}`);
  opts.command = [...envShown, 'npm run bench', ...(argv.length ? ['--', ...argv] : [])].join(' ');
  return opts;
}

function assertLocal(brokers) {
  for (const b of brokers) {
    const host = b.slice(0, b.lastIndexOf(':')).replace(/^\[|\]$/g, '');
    if (!['127.0.0.1', 'localhost', '::1'].includes(host)) {
      throw new Error(`KAFKA_BROKERS=${brokers.join(',')}: the benchmark only talks to 127.0.0.1`);
    }
  }
}

function machineInfo(pgVersion, kafkaPid, before) {
  const pom = readFileSync(join(ROOT, 'deploy/kafka/pom.xml'), 'utf8');
  let heap = 'heap n/a';
  try {
    const cmd = readFileSync(`/proc/${kafkaPid}/cmdline`, 'utf8').split('\0');
    heap = `heap ${cmd.filter((a) => /^-Xm[sx]/.test(a)).join(' ') || 'JVM default'}`;
  } catch {
    // not local or no procfs
  }
  return {
    cpu: os.cpus()[0]?.model.replace(/\s+/g, ' ').trim() ?? 'unknown',
    nproc: os.availableParallelism(),
    memoryGiB: os.totalmem() / 2 ** 30,
    os: `${os.type()} ${os.release()}`,
    node: process.version,
    kafka: /<kafka\.version>([^<]+)</.exec(pom)?.[1] ?? 'unknown',
    kafkaHeap: heap,
    kafkaNote: '',
    kafkajs: JSON.parse(readFileSync(require.resolve('kafkajs/package.json'), 'utf8')).version,
    postgres: `${pgVersion}, 127.0.0.1:5432, server defaults of this machine`,
    loadBefore: before.load.map((x) => x.toFixed(2)).join(' / '),
    busyBefore:
      before.busy === null
        ? 'CPU use n/a'
        : `${Math.round(before.busy * 100)} % of all cores busy just before`,
  };
}

/** Which sync-service was measured: the commit, and whether the working tree had changes. */
function hubRevision() {
  if (process.env.BENCH_HUB_LABEL) {
    return process.env.BENCH_HUB_LABEL;
  }
  const git = (...args) => spawnSync('git', ['-C', HUB_DIR, ...args], { encoding: 'utf8' });
  const head = git('rev-parse', '--short', 'HEAD');
  if (head.status !== 0) {
    return `built from ${HUB_DIR}`;
  }
  const dirty = git('status', '--porcelain', '--untracked-files=no', '--', 'apps', 'libs').stdout.trim();
  return `${head.stdout.trim()}${dirty ? ' + uncommitted changes in apps/ or libs/' : ''}${HUB_DIR === ROOT ? '' : ` (${HUB_DIR})`}`;
}

function eventShape(samples) {
  const rec = samples.map((s) => {
    const value = Buffer.from(s.value, 'base64').length;
    const key = Buffer.byteLength(s.key ?? '');
    const names = Object.keys(s.headers);
    const headerBytes = Object.entries(s.headers).reduce(
      (n, [k, v]) => n + Buffer.byteLength(k) + Buffer.byteLength(v),
      0,
    );
    return { value, key, headerBytes, names };
  });
  const avg = (f) => rec.reduce((n, r) => n + f(r), 0) / rec.length;
  return {
    samples: rec.length,
    value: avg((r) => r.value),
    valueMin: Math.min(...rec.map((r) => r.value)),
    valueMax: Math.max(...rec.map((r) => r.value)),
    key: avg((r) => r.key),
    headers: Math.round(avg((r) => r.names.length)),
    headerNames: rec[0].names.map((n) => `\`${n}\``).join(', '),
    headerBytes: avg((r) => r.headerBytes),
    record: avg((r) => r.value + r.key + r.headerBytes),
  };
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  const began = wall();
  const runTag = randomBytes(4).toString('hex');
  const prefix = `bench-${runTag}`;
  const warnings = [];
  const cleanup = [];
  let cleaning = null;
  const runCleanup = () => {
    cleaning ??= (async () => {
      for (const step of cleanup.reverse()) {
        await step().catch((error) => log(`cleanup: ${error.message}`));
      }
    })();
    return cleaning;
  };
  const abort = (why, code) => {
    log(why);
    void runCleanup().finally(() => process.exit(code));
  };
  process.on('SIGINT', () => abort('interrupted; cleaning up', 130));
  process.on('SIGTERM', () => abort('terminated; cleaning up', 143));
  const watchdog = setTimeout(
    () => abort(`watchdog: still running after ${opts.watchdogSeconds} s; giving up`, 1),
    (opts.watchdogSeconds + opts.waitQuiet) * 1000,
  );
  watchdog.unref();

  try {
    log(`run ${prefix}, ${opts.preset} preset, nproc ${os.availableParallelism()}`);
    const before0 = {
      load: os.loadavg(),
      busy: opts.waitQuiet ? await waitQuiet({ maxSeconds: opts.waitQuiet, log }) : await machineBusy(1000),
    };
    if (opts.build) {
      buildSyncService(HUB_DIR, log);
    }
    const revision = hubRevision();

    // --- Kafka ----------------------------------------------------------------------------------
    let brokers;
    let kafkaPid = null;
    let kafkaStarted = false;
    if (process.env.KAFKA_BROKERS) {
      brokers = process.env.KAFKA_BROKERS.split(',')
        .map((b) => b.trim())
        .filter(Boolean);
      assertLocal(brokers);
      await waitForKafka(brokers.join(','), 60_000, { log });
      const local = kafkaStatus();
      kafkaPid = local.running && brokers.includes(local.brokers) ? local.pid : null;
    } else {
      const k = await startKafka({ log });
      brokers = [k.brokers];
      kafkaPid = k.pid ?? kafkaStatus().pid;
      kafkaStarted = k.started;
      if (k.started) {
        cleanup.push(() => stopKafka({ log }));
      }
    }
    assertLocal(brokers);

    // --- PostgreSQL -----------------------------------------------------------------------------
    const dbName = `isohub_bench_${runTag}`;
    const admin = new Client({ connectionString: PG_ADMIN_URL, connectionTimeoutMillis: 5000 });
    await admin.connect();
    const pgVersion = (await admin.query(`SELECT current_setting('server_version') AS v`)).rows[0].v;
    await admin.query(`CREATE DATABASE ${dbName}`);
    await admin.end();
    log(`created database ${dbName}`);
    cleanup.push(async () => {
      const c = new Client({ connectionString: PG_ADMIN_URL });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
      await c.end();
      log(`dropped database ${dbName}`);
    });
    const dbUrl = `postgres://postgres@127.0.0.1:5432/${dbName}`;

    // --- sync-service ---------------------------------------------------------------------------
    const hubEnv = {
      DATABASE_URL: dbUrl,
      KAFKA_BROKERS: brokers.join(','),
      TOPIC_PREFIX: prefix,
      // Takeover senders without an upstream: the hub answers at commit (the benchmark measures the hub).
      SENDERS_FILE: 'config/senders.bench.json',
      // One load generator is one source: the per-source limits (429 past 50 req/s by default) would
      // measure themselves, not the hub's capacity.
      TEE_RATE_PER_SECOND: '100000',
      TEE_RATE_BURST: '100000',
      TEE_CONCURRENCY: '1000',
      CATALOGUE_CSV:
        HUB_DIR === ROOT ? '../shared/data/procedures.csv' : resolve(ROOT, '../shared/data/procedures.csv'),
    };
    for (const k of ['RELAY_BATCH_SIZE', 'RELAY_IDLE_MS', 'DATABASE_POOL_MAX']) {
      if (process.env[k]) {
        hubEnv[k] = process.env[k];
      }
    }
    const hub = await startHub({
      root: HUB_DIR,
      env: hubEnv,
      logFile: join(os.tmpdir(), `isohub-${prefix}-sync-service.log`),
      log,
    });
    cleanup.push(() => hub.stop());
    const rss = new RssPoller({ hub: hub.pid, kafka: kafkaPid });
    cleanup.push(async () => rss.stop());
    const db = new Client({ connectionString: dbUrl });
    await db.connect();
    cleanup.push(() => db.end());
    /** Backends of other databases on the same server (other sessions' work, not this benchmark's). */
    const foreignPg = async () =>
      new Set(
        (
          await db.query(
            `SELECT pid FROM pg_stat_activity WHERE backend_type = 'client backend' AND datname IS DISTINCT FROM current_database()`,
          )
        ).rows.map((r) => r.pid),
      );
    const eventCount = async () => (await db.query('SELECT count(*)::int AS n FROM dossier_event')).rows[0].n;

    const eventsTopic = `${prefix}.dossier.events.v1`;
    const consumer = new BenchConsumer({ brokers, topics: [eventsTopic], keepSamples: 400 });
    cleanup.push(() => consumer.stop());
    await consumer.ready();
    const client = new TeeClient(hub.url);
    await client.login();
    const traceIds = makeTraceIds(runTag);
    const base = Date.now() - 3 * 3600_000;
    const cpuPids = { hubPid: hub.pid, kafkaPid };

    /** Waits until every event in the database has been consumed; returns the consume time of the last. */
    const drain = async (what) => {
      const expected = await eventCount();
      try {
        return { expected, lastAt: await consumer.waitForCount(expected, opts.drainSeconds * 1000) };
      } catch (error) {
        throw new Error(`${what}: ${error.message}`, { cause: error });
      }
    };
    const checkAnswers = (what, results) => {
      const failed = results.filter((x) => !x.ok);
      if (failed.length > 0) {
        warnings.push(
          `${what}: ${failed.length} request(s) not answered with error_code "0", e.g. ${failed[0].status} ${failed[0].detail}`,
        );
        log(warnings.at(-1));
      }
      return failed.length;
    };

    // --- warm-up (JIT, pools, connections) and a sample of real event records --------------------
    let nextDossier = 1;
    log(`warm-up: ${opts.warmupDossiers} dossiers`);
    const warm = await closedLoop({
      client,
      first: nextDossier,
      dossiers: opts.warmupDossiers,
      concurrency: Math.min(4, opts.concurrency),
      base,
      traceIds,
      phase: 1,
      capMs: 60_000,
    });
    nextDossier += warm.dossiers;
    checkAnswers('warm-up', warm.results);
    await drain('warm-up');
    if (opts.analyze) {
      // A hub that has been running has planner statistics (autovacuum's ANALYZE); a fresh database has
      // none, and the planner may then choose sequential scans that a running system would not.
      await db.query('ANALYZE');
    }
    const { samples } = await consumer.dump();
    const event = eventShape(samples);
    event.stateValue = (
      await db.query(`SELECT avg(octet_length(payload))::float AS n FROM outbox WHERE topic = $1`, [
        `${prefix}.dossier.state.v1`,
      ])
    ).rows[0].n;
    log(
      `event records: value avg ${event.value.toFixed(0)} B, ${event.headers} headers, ${event.record.toFixed(0)} B in all`,
    );

    // --- raw Kafka ------------------------------------------------------------------------------
    const kafka = kafkaClient(brokers, 'isohub-bench-raw');
    const rawTopics = {
      idem: `${prefix}.raw.idempotent`,
      txn: `${prefix}.raw.transactional`,
      lat: `${prefix}.raw.latency`,
      ckpt: `${prefix}.raw.checkpoint`,
    };
    await createTopics(kafka, [
      [rawTopics.idem, PARTITIONS],
      [rawTopics.txn, PARTITIONS],
      [rawTopics.lat, PARTITIONS],
      [rawTopics.ckpt, 1],
    ]);
    const next = recordSupply(samples);
    log(`raw Kafka, idempotent: batches of ${opts.rawBatch} for ${opts.rawSeconds} s`);
    let c0 = cpuSnapshot(cpuPids);
    const idem = await rawThroughput({
      kafka,
      topic: rawTopics.idem,
      next,
      batch: opts.rawBatch,
      seconds: opts.rawSeconds,
      maxMessages: opts.rawMaxMessages,
      warmSeconds: opts.rawWarmSeconds,
    });
    idem.cpu = cpuShare(c0, cpuSnapshot(cpuPids), await foreignPg());
    log(`  ${idem.msgsPerSec.toFixed(0)} msg/s, ${(idem.bytesPerSec / 1e6).toFixed(2)} MB/s`);
    log(
      `raw Kafka, transactional: ${opts.rawBatch} records + checkpoint per transaction for ${opts.rawSeconds} s`,
    );
    c0 = cpuSnapshot(cpuPids);
    const txn = await rawThroughput({
      kafka,
      topic: rawTopics.txn,
      next,
      batch: opts.rawBatch,
      seconds: opts.rawSeconds,
      maxMessages: opts.rawMaxMessages,
      warmSeconds: opts.rawWarmSeconds,
      transactional: {
        transactionalId: `${prefix}-raw-txn`,
        checkpointTopic: rawTopics.ckpt,
        checkpointGroup: `${prefix}-raw-checkpoint`,
      },
    });
    txn.cpu = cpuShare(c0, cpuSnapshot(cpuPids), await foreignPg());
    log(`  ${txn.msgsPerSec.toFixed(0)} msg/s, ${(txn.bytesPerSec / 1e6).toFixed(2)} MB/s`);
    log(`raw Kafka, latency: ${opts.rate} msg/s for ${opts.rawLatencySeconds} s, open loop`);
    const rawLat = await rawLatency({
      kafka,
      brokers,
      topic: rawTopics.lat,
      next,
      rate: opts.rate,
      seconds: opts.rawLatencySeconds,
      traceIds,
    });
    const rawLatErrors = rawLat.filter((x) => x.ack === null).length;
    if (rawLatErrors > 0) {
      warnings.push(`raw latency: ${rawLatErrors} send(s) failed`);
    }
    const latency = {
      n: rawLat.length,
      ackP50: percentile(
        rawLat.map((x) => x.ack),
        50,
      ),
      ackP99: percentile(
        rawLat.map((x) => x.ack),
        99,
      ),
      e2eP50: percentile(
        rawLat.map((x) => x.e2e),
        50,
      ),
      e2eP99: percentile(
        rawLat.map((x) => x.e2e),
        99,
      ),
    };
    log(
      `  ack p50 ${latency.ackP50?.toFixed(1)} ms p99 ${latency.ackP99?.toFixed(1)} ms; e2e p50 ${latency.e2eP50?.toFixed(1)} ms p99 ${latency.e2eP99?.toFixed(1)} ms`,
    );

    // --- isohub throughput ----------------------------------------------------------------------
    log(`isohub throughput: ${opts.dossiers} dossiers × 3 requests, ${opts.concurrency} in flight`);
    const before = { events: await eventCount(), bytes: consumer.bytes, metrics: await hub.metrics() };
    c0 = cpuSnapshot(cpuPids);
    const tp = await closedLoop({
      client,
      first: nextDossier,
      dossiers: opts.dossiers,
      concurrency: opts.concurrency,
      base,
      traceIds,
      phase: 2,
      capMs: opts.throughputCapSeconds * 1000,
    });
    nextDossier += tp.dossiers;
    if (tp.dossiers < opts.dossiers) {
      warnings.push(
        `throughput: stopped after ${tp.dossiers} of ${opts.dossiers} dossiers (cap ${opts.throughputCapSeconds} s)`,
      );
    }
    const tpFailures = checkAnswers('throughput', tp.results);
    const tpDrain = await drain('throughput');
    const c1 = cpuSnapshot(cpuPids);
    await sleep(500); // the relay counts a batch after marking it in the database
    const after = { metrics: await hub.metrics() };
    const t0 = Math.min(...tp.results.map((x) => x.at));
    const lastAnswer = Math.max(...tp.results.map((x) => x.at + x.answer));
    const e2eSeconds = (tpDrain.lastAt - t0) / 1000;
    const tpEvents = tpDrain.expected - before.events;
    let { traces } = await consumer.dump();
    let seen = new Map(traces);
    const published =
      after.metrics.isohub_relay_published_total - before.metrics.isohub_relay_published_total;
    const batches = after.metrics.isohub_relay_batches_total - before.metrics.isohub_relay_batches_total;
    const throughput = {
      dossiers: tp.dossiers,
      requests: tp.results.length,
      events: tpEvents,
      failures: tpFailures,
      requestsPerSec: tp.results.length / ((lastAnswer - t0) / 1000),
      eventsPerSec: tpEvents / e2eSeconds,
      eventBytesPerSec: (consumer.bytes - before.bytes) / e2eSeconds,
      relayMsgsPerSec: published / e2eSeconds,
      relayBatches: batches,
      avgBatch: published / batches,
      e2eSeconds,
      answerP50: percentile(
        tp.results.map((x) => x.answer),
        50,
      ),
      answerP99: percentile(
        tp.results.map((x) => x.answer),
        99,
      ),
      e2eP50: percentile(
        tp.results.map((x) => (seen.has(x.traceId) ? seen.get(x.traceId)[1] - x.at : null)),
        50,
      ),
      e2eP99: percentile(
        tp.results.map((x) => (seen.has(x.traceId) ? seen.get(x.traceId)[1] - x.at : null)),
        99,
      ),
      cpu: cpuShare(c0, c1, await foreignPg()),
    };
    log(
      `  ${throughput.requestsPerSec.toFixed(0)} req/s answered, ${throughput.eventsPerSec.toFixed(0)} events/s consumed ` +
        `(${tpEvents} events in ${e2eSeconds.toFixed(1)} s), relay ${throughput.avgBatch.toFixed(1)} records/txn`,
    );

    // --- isohub latency at a fixed rate ---------------------------------------------------------
    log(`isohub latency: ${opts.rate} req/s for ${opts.seconds} s, open loop`);
    const beforeLat = await eventCount();
    const cLat = cpuSnapshot(cpuPids);
    const metricsLat = await hub.metrics();
    const lat = await openLoop({
      client,
      first: nextDossier,
      rate: opts.rate,
      seconds: opts.seconds,
      gapMs: opts.gapMs,
      base,
      traceIds,
      phase: 3,
    });
    const latFailures = checkAnswers('latency', lat.results);
    const latDrain = await drain('latency');
    const latCpu = cpuShare(cLat, cpuSnapshot(cpuPids), await foreignPg());
    await sleep(500);
    const metricsLatAfter = await hub.metrics();
    const latPublished =
      metricsLatAfter.isohub_relay_published_total - metricsLat.isohub_relay_published_total;
    const latBatches = metricsLatAfter.isohub_relay_batches_total - metricsLat.isohub_relay_batches_total;
    ({ traces } = await consumer.dump());
    seen = new Map(traces);
    const e2e = lat.results
      .filter((x) => x.ok)
      .map((x) => (seen.has(x.traceId) ? seen.get(x.traceId)[1] - x.at : null));
    const hubLatency = {
      requests: lat.results.length,
      events: latDrain.expected - beforeLat,
      failures: latFailures,
      missing: e2e.filter((x) => x === null).length,
      answerP50: percentile(
        lat.results.map((x) => x.answer),
        50,
      ),
      answerP99: percentile(
        lat.results.map((x) => x.answer),
        99,
      ),
      e2eP50: percentile(e2e, 50),
      e2eP99: percentile(e2e, 99),
      late: lat.late,
      cpu: latCpu,
      relayBatches: latBatches,
      avgBatch: latPublished / latBatches,
      relayTxnPerSec: latBatches / latCpu.seconds,
    };
    if (lat.late > 20) {
      warnings.push(
        `latency: the request timer slipped up to ${lat.late.toFixed(0)} ms (a busy client); latencies are measured from the schedule`,
      );
    }
    log(
      `  answer p50 ${hubLatency.answerP50?.toFixed(1)} ms p99 ${hubLatency.answerP99?.toFixed(1)} ms; ` +
        `e2e p50 ${hubLatency.e2eP50?.toFixed(1)} ms p99 ${hubLatency.e2eP99?.toFixed(1)} ms`,
    );

    // --- raw Kafka again, transactions of the size the relay actually made ---------------------------
    const smallBatch = Math.max(1, Math.round(throughput.avgBatch));
    log(
      `raw Kafka, transactional: ${smallBatch} records + checkpoint per transaction for ${opts.rawSeconds} s`,
    );
    const cSmall = cpuSnapshot(cpuPids);
    const txnSmall = await rawThroughput({
      kafka,
      topic: rawTopics.txn,
      next,
      batch: smallBatch,
      seconds: opts.rawSeconds,
      maxMessages: opts.rawMaxMessages,
      warmSeconds: opts.rawWarmSeconds,
      transactional: {
        transactionalId: `${prefix}-raw-txn`,
        checkpointTopic: rawTopics.ckpt,
        checkpointGroup: `${prefix}-raw-checkpoint`,
      },
    });
    txnSmall.batch = smallBatch;
    txnSmall.cpu = cpuShare(cSmall, cpuSnapshot(cpuPids), await foreignPg());
    log(
      `  ${txnSmall.msgsPerSec.toFixed(0)} msg/s, ${(txnSmall.rounds / txnSmall.seconds).toFixed(0)} txn/s`,
    );

    // --- memory, then the report ----------------------------------------------------------------
    rss.stop();
    const memory = {
      hubHwm: statusBytes(hub.pid, 'VmHWM'),
      hubMax: rss.max.hub ?? null,
      kafkaHwm: statusBytes(kafkaPid, 'VmHWM'),
      kafkaMax: rss.max.kafka ?? null,
    };
    const hubLog = readFileSync(hub.logFile, 'utf8');
    const relayWarnings = hubLog.split('\n').filter((l) => /WARN|ERROR/.test(l) && !/dead letter/.test(l));
    if (relayWarnings.length > 0) {
      warnings.push(
        `sync-service logged ${relayWarnings.length} warning(s)/error(s), e.g. ${relayWarnings[0].replace(ANSI, '').trim()}`,
      );
    }
    const others = Math.max(throughput.cpu.other ?? 0, idem.cpu.other ?? 0, latCpu.other ?? 0);
    if ((before0.busy ?? 0) > 0.2 || others > 0.25) {
      warnings.push(
        `other processes were using the CPU (${Math.round((before0.busy ?? 0) * 100)} % busy before the run, up to ` +
          `${others.toFixed(2)} cores during a phase): the figures are lower than on a quiet machine`,
      );
    }

    const machine = machineInfo(pgVersion, kafkaPid, before0);
    if (!kafkaPid) {
      machine.kafkaNote = ' (not managed by this script: no RSS/CPU)';
    } else if (!kafkaStarted) {
      machine.kafkaNote = ' (already running before this run: its VmHWM covers its whole life)';
    }
    const hubConfig =
      `RELAY_BATCH_SIZE ${hubEnv.RELAY_BATCH_SIZE ?? '500 (default)'}, RELAY_IDLE_MS ${hubEnv.RELAY_IDLE_MS ?? '250 (default)'}, ` +
      `DATABASE_POOL_MAX ${hubEnv.DATABASE_POOL_MAX ?? '10 (default)'}, ${PARTITIONS} partitions, forwarding off (no PORTAL_BASE_URL)`;
    const report = renderReport({
      date: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
      command: opts.command,
      preset: opts.preset,
      totalSeconds: (wall() - began) / 1000,
      machine,
      params: { ...opts, partitions: PARTITIONS, hubConfig, revision },
      event,
      raw: { idem, txn, txnSmall, latency },
      hub: { throughput, latency: hubLatency, rss: memory },
      warnings,
    });
    console.log(`\n${report}`);
    if (opts.writeDoc) {
      writeDoc(join(ROOT, 'docs/performance.md'), report);
      log('wrote docs/performance.md');
    }
    log(`sync-service log: ${hub.logFile}`);
  } finally {
    clearTimeout(watchdog);
    await runCleanup();
  }
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(`[bench] failed: ${error instanceof Error ? error.stack : error}`);
    process.exit(1);
  },
);
