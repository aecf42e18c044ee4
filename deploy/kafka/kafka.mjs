#!/usr/bin/env node
/**
 * Local single-node Kafka (KRaft, combined broker + controller) for development, tests and CI,
 * without Docker: the jars come from Maven Central through deploy/kafka/pom.xml.
 *
 *   node deploy/kafka/kafka.mjs start [--timeout <ms>]
 *   node deploy/kafka/kafka.mjs stop [--kill] [--timeout <ms>]
 *   node deploy/kafka/kafka.mjs status
 *   node deploy/kafka/kafka.mjs wait [--timeout <ms>]
 *
 * Environment: KAFKA_BROKERS (use that cluster, start nothing), KAFKA_PORT (9092),
 * KAFKA_CONTROLLER_PORT (KAFKA_PORT + 1), KAFKA_DATA_DIR (.data/kafka), KAFKA_HEAP_OPTS
 * (-Xms256m -Xmx512m), JAVA_HOME. Relative directories are resolved against the repository root,
 * so the script behaves the same from any working directory.
 *
 * Test code imports startKafka / stopKafka / waitForKafka to crash and restart the broker mid-test.
 * Node built-ins only; kafkajs, when it resolves, adds a client-level check on top of the raw one.
 */
import { spawn, spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  readdirSync,
  renameSync,
  rmSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { connect } from 'node:net';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const POM = join(REPO_ROOT, 'deploy/kafka/pom.xml');
const LIBS_DIR = join(REPO_ROOT, '.cache/kafka/libs');
const LIBS_STAMP = '.pom.sha256';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const defaultLog = (message) => console.log(`[kafka] ${message}`);

/** Resolved settings; every option falls back to its environment variable, then to the default. */
export function kafkaConfig(opts = {}) {
  const env = opts.env ?? process.env;
  const port = Number(opts.port ?? env.KAFKA_PORT ?? 9092);
  const controllerPort = Number(opts.controllerPort ?? env.KAFKA_CONTROLLER_PORT ?? port + 1);
  const dataDir = resolve(REPO_ROOT, opts.dataDir ?? env.KAFKA_DATA_DIR ?? '.data/kafka');
  const localBrokers = `127.0.0.1:${port}`;
  return {
    port,
    controllerPort,
    dataDir,
    logDir: join(dataDir, 'kraft-logs'),
    pidFile: join(dataDir, 'kafka.pid'),
    logFile: join(dataDir, 'kafka.log'),
    stateFile: join(dataDir, 'broker.json'),
    propertiesFile: join(dataDir, 'server.properties'),
    heapOpts: opts.heapOpts ?? env.KAFKA_HEAP_OPTS ?? '-Xms256m -Xmx512m',
    localBrokers,
    brokers: opts.brokers ?? env.KAFKA_BROKERS ?? localBrokers,
    log: opts.log ?? defaultLog,
  };
}

function isAlive(pid) {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return error.code === 'EPERM';
  }
  // A SIGKILLed child of this very process stays a zombie until Node reaps it. A zombie leader
  // with other threads left is a JVM still tearing down, its sockets still open.
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z' || readdirSync(`/proc/${pid}/task`).length > 1;
  } catch {
    return !existsSync('/proc/self');
  }
}

function portAnswers(port) {
  return new Promise((resolvePromise) => {
    const socket = connect({ host: '127.0.0.1', port });
    const done = (answers) => {
      socket.destroy();
      resolvePromise(answers);
    };
    socket.setTimeout(1000, () => done(false));
    socket.on('connect', () => done(true));
    socket.on('error', () => done(false));
  });
}

/** The pid in the pid file, if that process is alive and is a Kafka server (pids get reused). */
function runningPid(cfg) {
  if (!existsSync(cfg.pidFile)) {
    return null;
  }
  const pid = Number(readFileSync(cfg.pidFile, 'utf8').trim());
  if (!Number.isInteger(pid) || pid <= 0 || !isAlive(pid)) {
    return null;
  }
  try {
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    if (!cmdline.includes('kafka.Kafka')) {
      return null;
    }
  } catch {
    // No procfs (macOS): trust the pid file.
  }
  return pid;
}

function parseBrokers(brokers) {
  return brokers
    .split(',')
    .map((b) => b.trim())
    .filter(Boolean)
    .map((b) => {
      const i = b.lastIndexOf(':');
      return { host: b.slice(0, i).replace(/^\[|\]$/g, ''), port: Number(b.slice(i + 1)) };
    });
}

/**
 * KAFKA_BROKERS may name the broker this script manages (CI exports it after `start`); then
 * start/stop still act on it, which is what lets a test crash and restart the broker.
 */
function managesBrokers(cfg) {
  const same = (a, b) =>
    a.replace(/\blocalhost:/g, '127.0.0.1:') === b.replace(/\blocalhost:/g, '127.0.0.1:');
  if (same(cfg.brokers, cfg.localBrokers)) {
    return true;
  }
  try {
    return same(JSON.parse(readFileSync(cfg.stateFile, 'utf8')).brokers, cfg.brokers);
  } catch {
    return false;
  }
}

// --- readiness ---------------------------------------------------------------------------------

/**
 * One Metadata v4 request over a raw socket (v0-v3 are gone in Kafka 4, KIP-896). Resolves with the
 * number of brokers in the response; rejects with a short reason.
 */
function metadataProbe({ host, port }, timeoutMs = 2000) {
  return new Promise((resolvePromise, reject) => {
    const clientId = Buffer.from('isohub-kafka-probe');
    const body = Buffer.alloc(2 + 2 + 4 + 2 + clientId.length + 4 + 1);
    let o = 0;
    o = body.writeInt16BE(3, o); // api_key Metadata
    o = body.writeInt16BE(4, o); // api_version
    o = body.writeInt32BE(1, o); // correlation_id
    o = body.writeInt16BE(clientId.length, o);
    o += clientId.copy(body, o);
    o = body.writeInt32BE(0, o); // topics: none, only brokers and controller
    body.writeInt8(0, o); // allow_auto_topic_creation
    const frame = Buffer.alloc(4 + body.length);
    frame.writeInt32BE(body.length, 0);
    body.copy(frame, 4);

    let received = Buffer.alloc(0);
    const socket = connect({ host, port });
    const fail = (reason) => {
      socket.destroy();
      reject(new Error(reason));
    };
    socket.setTimeout(timeoutMs, () => fail('no answer'));
    socket.on('error', (error) => fail(error.code ?? error.message));
    socket.on('connect', () => socket.write(frame));
    socket.on('data', (chunk) => {
      received = Buffer.concat([received, chunk]);
      if (received.length < 4 || received.length < 4 + received.readInt32BE(0)) {
        return;
      }
      socket.destroy();
      // size, correlation_id, throttle_time_ms, brokers[]
      if (received.readInt32BE(4) !== 1) {
        reject(new Error('not a Kafka answer'));
        return;
      }
      resolvePromise(received.readInt32BE(12));
    });
    socket.on('close', () => reject(new Error('connection closed')));
  });
}

async function loadKafkajs() {
  try {
    const mod = await import('kafkajs');
    return mod.default ?? mod;
  } catch {
    return null;
  }
}

async function kafkajsListTopics(brokers) {
  const kafkajs = await loadKafkajs();
  if (!kafkajs) {
    return null;
  }
  const kafka = new kafkajs.Kafka({
    clientId: 'isohub-kafka-wait',
    brokers: brokers.split(',').map((b) => b.trim()),
    logLevel: kafkajs.logLevel.NOTHING,
    connectionTimeout: 2000,
    requestTimeout: 5000,
    retry: { retries: 0 },
  });
  const admin = kafka.admin();
  try {
    await admin.connect();
    const topics = await admin.listTopics();
    // On a fresh data dir the first group lookup creates __consumer_offsets, and consumers that get
    // there first spend seconds in coordinator-not-available backoff; pay that here, once.
    await admin.describeGroups(['isohub-kafka-wait']);
    return topics;
  } finally {
    await admin.disconnect().catch(() => {});
  }
}

/**
 * Resolves once a broker in `brokers` answers a metadata request (raw, then through kafkajs when
 * it is installed). Logs what it is waiting on every few seconds; rejects after `timeoutMs`.
 * `opts.pid`: give up early when that process dies.
 */
export async function waitForKafka(brokers = kafkaConfig().brokers, timeoutMs = 60_000, opts = {}) {
  const log = opts.log ?? defaultLog;
  const started = Date.now();
  const targets = parseBrokers(brokers);
  let lastReport = 0;
  let reason = 'not tried';
  while (Date.now() - started < timeoutMs) {
    if (opts.pid !== undefined && !isAlive(opts.pid)) {
      throw new Error(
        `Kafka process ${opts.pid} exited while starting${opts.logFile ? `; see ${opts.logFile}` : ''}`,
      );
    }
    for (const target of targets) {
      try {
        const count = await metadataProbe(target);
        if (count < 1) {
          reason = `${target.host}:${target.port} answers but lists no brokers yet`;
          continue;
        }
        const topics = await kafkajsListTopics(brokers);
        const client = topics ? `, kafkajs sees ${topics.length} topic(s)` : '';
        log(`ready at ${brokers} after ${((Date.now() - started) / 1000).toFixed(1)} s${client}`);
        return;
      } catch (error) {
        reason = `${target.host}:${target.port}: ${error.message}`;
      }
    }
    if (Date.now() - lastReport >= 3000) {
      lastReport = Date.now();
      log(`waiting for ${brokers} (${((Date.now() - started) / 1000).toFixed(0)} s, ${reason})`);
    }
    await sleep(250);
  }
  throw new Error(`Kafka at ${brokers} not ready after ${timeoutMs} ms (${reason})`);
}

// --- jars --------------------------------------------------------------------------------------

/** Copies the jars named by pom.xml into .cache/kafka/libs, once per pom content. */
export function ensureKafkaJars(log = defaultLog) {
  const pomHash = createHash('sha256').update(readFileSync(POM)).digest('hex');
  const stamp = join(LIBS_DIR, LIBS_STAMP);
  if (existsSync(stamp) && readFileSync(stamp, 'utf8').trim() === pomHash) {
    return LIBS_DIR;
  }
  log(`resolving Kafka jars with Maven into ${LIBS_DIR} (one-off, cached)`);
  const started = Date.now();
  const staging = `${LIBS_DIR}.tmp-${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  const mvn = spawnSync(
    'mvn',
    [
      '-B',
      '-q',
      '-Dstyle.color=never',
      '-f',
      POM,
      'dependency:copy-dependencies',
      `-DoutputDirectory=${staging}`,
    ],
    { encoding: 'utf8', cwd: REPO_ROOT },
  );
  if (mvn.error || mvn.status !== 0) {
    rmSync(staging, { recursive: true, force: true });
    const output = `${mvn.stdout ?? ''}${mvn.stderr ?? ''}`.trim();
    throw new Error(`mvn dependency:copy-dependencies failed: ${mvn.error?.message ?? output}`);
  }
  writeFileSync(join(staging, LIBS_STAMP), `${pomHash}\n`);
  rmSync(LIBS_DIR, { recursive: true, force: true });
  renameSync(staging, LIBS_DIR);
  const jars = readdirSync(LIBS_DIR).filter((f) => f.endsWith('.jar')).length;
  log(`${jars} jars resolved in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return LIBS_DIR;
}

// --- start / stop ------------------------------------------------------------------------------

function serverProperties(cfg) {
  return `# Written by deploy/kafka/kafka.mjs on every start; edit the script, not this file.
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:${cfg.controllerPort}
listeners=PLAINTEXT://127.0.0.1:${cfg.port},CONTROLLER://127.0.0.1:${cfg.controllerPort}
advertised.listeners=PLAINTEXT://127.0.0.1:${cfg.port}
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
log.dirs=${cfg.logDir}
num.partitions=1
default.replication.factor=1
min.insync.replicas=1
offsets.topic.replication.factor=1
offsets.topic.num.partitions=10
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
transaction.state.log.num.partitions=10
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
# Topics are created explicitly by the messaging lib's topic setup; a typo must fail, not create.
auto.create.topics.enable=false
# After a crash (stop --kill) the controller refuses the restarted broker's registration until the
# old session expires: 9 s by default, 4 s here, so crash-and-restart tests stay quick.
broker.session.timeout.ms=4000
broker.heartbeat.interval.ms=1000
# A single test consumer should not wait the default 3 s for company before getting partitions.
group.initial.rebalance.delay.ms=0
`;
}

// Kafka 4 reads Log4j 2 config; 3.x reads Log4j 1 (reload4j). Both go to stdout, i.e. kafka.log.
const LOG4J2 = `status = warn
appender.stdout.type = Console
appender.stdout.name = STDOUT
appender.stdout.layout.type = PatternLayout
appender.stdout.layout.pattern = [%d] %p %m (%c)%n
rootLogger.level = INFO
rootLogger.appenderRef.stdout.ref = STDOUT
logger.kafka.name = kafka
logger.kafka.level = INFO
logger.apache.name = org.apache.kafka
logger.apache.level = INFO
logger.request.name = kafka.request.logger
logger.request.level = WARN
logger.state.name = state.change.logger
logger.state.level = WARN
`;
const LOG4J1 = `log4j.rootLogger=INFO, stdout
log4j.appender.stdout=org.apache.log4j.ConsoleAppender
log4j.appender.stdout.layout=org.apache.log4j.PatternLayout
log4j.appender.stdout.layout.ConversionPattern=[%d] %p %m (%c)%n
log4j.logger.kafka.request.logger=WARN
log4j.logger.state.change.logger=WARN
`;

function javaBin() {
  return process.env.JAVA_HOME ? join(process.env.JAVA_HOME, 'bin/java') : 'java';
}

function formatStorage(cfg, libs) {
  if (existsSync(join(cfg.logDir, 'meta.properties'))) {
    return;
  }
  // A Kafka Uuid in its base64url form; Kafka's own generator avoids a leading '-' for CLI parsing.
  let clusterId;
  do {
    clusterId = randomBytes(16).toString('base64url');
  } while (clusterId.startsWith('-'));
  cfg.log(`formatting storage in ${cfg.logDir} (cluster ${clusterId})`);
  const result = spawnSync(
    javaBin(),
    [
      '-cp',
      join(libs, '*'),
      `-Dlog4j2.configurationFile=${join(cfg.dataDir, 'log4j2.properties')}`,
      `-Dlog4j.configuration=file:${join(cfg.dataDir, 'log4j.properties')}`,
      'kafka.tools.StorageTool',
      'format',
      '--ignore-formatted',
      '-t',
      clusterId,
      '-c',
      cfg.propertiesFile,
    ],
    { encoding: 'utf8', cwd: cfg.dataDir },
  );
  if (result.error || result.status !== 0) {
    throw new Error(
      `kafka.tools.StorageTool format failed: ${result.error?.message ?? `${result.stdout}${result.stderr}`}`,
    );
  }
}

async function assertPortFree(port) {
  if (await portAnswers(port)) {
    throw new Error(`127.0.0.1:${port} is already in use by another process`);
  }
}

/** Serialises concurrent starts on one data dir (e.g. two terminals, or CI and a test). */
async function withStartLock(cfg, fn) {
  const lockFile = join(cfg.dataDir, 'start.lock');
  const deadline = Date.now() + 180_000;
  for (;;) {
    try {
      const fd = openSync(lockFile, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      break;
    } catch (error) {
      if (error.code !== 'EEXIST') {
        throw error;
      }
      let content;
      try {
        content = readFileSync(lockFile, 'utf8');
      } catch {
        continue;
      }
      const holder = Number(content);
      // Empty: the holder has created the file and not yet written its pid.
      if (content !== '' && (!holder || !isAlive(holder))) {
        rmSync(lockFile, { force: true });
        continue;
      }
      if (Date.now() > deadline) {
        throw new Error(`another start (pid ${holder}) holds ${lockFile}`, { cause: error });
      }
      await sleep(200);
    }
  }
  try {
    return await fn();
  } finally {
    rmSync(lockFile, { force: true });
  }
}

/**
 * Starts the local broker if it is not running and waits until it serves metadata.
 * With KAFKA_BROKERS naming some other cluster it only waits for that cluster.
 * Resolves `{ brokers, pid, started }`; `started` is true only when this call launched the process.
 */
export async function startKafka(opts = {}) {
  const cfg = kafkaConfig(opts);
  const timeoutMs = opts.timeoutMs ?? 60_000;
  if (!managesBrokers(cfg)) {
    cfg.log(`KAFKA_BROKERS=${cfg.brokers}: using that cluster, starting nothing`);
    await waitForKafka(cfg.brokers, timeoutMs, { log: cfg.log });
    return { brokers: cfg.brokers, pid: null, started: false };
  }
  mkdirSync(cfg.dataDir, { recursive: true });
  return withStartLock(cfg, async () => {
    const existing = runningPid(cfg);
    if (existing) {
      cfg.log(`already running (pid ${existing}) at ${cfg.localBrokers}`);
      await waitForKafka(cfg.localBrokers, timeoutMs, { log: cfg.log, pid: existing, logFile: cfg.logFile });
      return { brokers: cfg.localBrokers, pid: existing, started: false };
    }
    await assertPortFree(cfg.port);
    await assertPortFree(cfg.controllerPort);

    const libs = ensureKafkaJars(cfg.log);
    writeFileSync(cfg.propertiesFile, serverProperties(cfg));
    writeFileSync(join(cfg.dataDir, 'log4j2.properties'), LOG4J2);
    writeFileSync(join(cfg.dataDir, 'log4j.properties'), LOG4J1);
    formatStorage(cfg, libs);

    const out = openSync(cfg.logFile, 'a');
    writeSync(out, `\n===== kafka.mjs start ${new Date().toISOString()} =====\n`);
    const child = spawn(
      javaBin(),
      [
        ...cfg.heapOpts.split(/\s+/).filter(Boolean),
        '-XX:+UseG1GC',
        '-XX:MaxGCPauseMillis=20',
        '-Djava.awt.headless=true',
        `-Dlog4j2.configurationFile=${join(cfg.dataDir, 'log4j2.properties')}`,
        `-Dlog4j.configuration=file:${join(cfg.dataDir, 'log4j.properties')}`,
        '-cp',
        join(libs, '*'),
        'kafka.Kafka',
        cfg.propertiesFile,
      ],
      { cwd: cfg.dataDir, detached: true, stdio: ['ignore', out, out] },
    );
    closeSync(out);
    child.unref();
    const spawnError = await new Promise((r) => {
      child.once('error', r);
      child.once('spawn', () => r(null));
    });
    if (spawnError) {
      throw new Error(`cannot run ${javaBin()}: ${spawnError.message}`);
    }
    writeFileSync(cfg.pidFile, `${child.pid}\n`);
    writeFileSync(cfg.stateFile, `${JSON.stringify({ brokers: cfg.localBrokers, pid: child.pid })}\n`);
    cfg.log(`started pid ${child.pid}, log ${cfg.logFile}`);
    try {
      await waitForKafka(cfg.localBrokers, timeoutMs, { log: cfg.log, pid: child.pid, logFile: cfg.logFile });
    } catch (error) {
      cfg.log(`last lines of ${cfg.logFile}:\n${tail(cfg.logFile, 30)}`);
      throw error;
    }
    return { brokers: cfg.localBrokers, pid: child.pid, started: true };
  });
}

function tail(file, lines) {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

/**
 * Stops the broker named by the pid file: SIGTERM (controlled shutdown), SIGKILL after `timeoutMs`.
 * `kill: true` sends SIGKILL at once, which is how tests simulate a broker crash.
 * Resolves true when a process was stopped.
 */
export async function stopKafka(opts = {}) {
  const cfg = kafkaConfig(opts);
  const timeoutMs = opts.timeoutMs ?? 30_000;
  const pid = runningPid(cfg);
  if (!pid) {
    cfg.log('not running');
    rmSync(cfg.pidFile, { force: true });
    return false;
  }
  const signal = opts.kill ? 'SIGKILL' : 'SIGTERM';
  cfg.log(`stopping pid ${pid} (${signal})`);
  const started = Date.now();
  process.kill(pid, signal);
  let killed = opts.kill === true;
  while (isAlive(pid)) {
    if (!killed && Date.now() - started > timeoutMs) {
      cfg.log(`still running after ${timeoutMs} ms, sending SIGKILL`);
      process.kill(pid, 'SIGKILL');
      killed = true;
    }
    await sleep(100);
  }
  // The listener must be gone before a restart can bind it again.
  while ((await portAnswers(cfg.port)) && Date.now() - started < timeoutMs + 10_000) {
    await sleep(100);
  }
  rmSync(cfg.pidFile, { force: true });
  cfg.log(`stopped in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return true;
}

/** `{ running, pid, brokers }` for the broker this script manages. */
export function kafkaStatus(opts = {}) {
  const cfg = kafkaConfig(opts);
  const pid = runningPid(cfg);
  return { running: pid !== null, pid, brokers: cfg.localBrokers, dataDir: cfg.dataDir };
}

// --- CLI ---------------------------------------------------------------------------------------

async function main(argv) {
  const [command, ...rest] = argv;
  const flag = (name) => rest.includes(name);
  const timeoutArg = rest.indexOf('--timeout');
  const timeoutMs = timeoutArg >= 0 ? Number(rest[timeoutArg + 1]) : undefined;
  switch (command) {
    case 'start':
      await startKafka({ timeoutMs });
      return 0;
    case 'stop':
      await stopKafka({ kill: flag('--kill'), timeoutMs });
      return 0;
    case 'status': {
      const status = kafkaStatus();
      console.log(
        status.running
          ? `running (pid ${status.pid}) at ${status.brokers}, data ${status.dataDir}`
          : `not running (data ${status.dataDir})`,
      );
      return status.running ? 0 : 3;
    }
    case 'wait':
      await waitForKafka(kafkaConfig().brokers, timeoutMs ?? 60_000);
      return 0;
    default:
      console.error('usage: kafka.mjs start|stop [--kill]|status|wait [--timeout <ms>]');
      return 2;
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error) => {
      console.error(`[kafka] ${error.message}`);
      process.exit(1);
    },
  );
}
