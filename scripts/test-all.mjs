#!/usr/bin/env node
/**
 * `npm test`: every check CI runs, in order, stopping at the first failure.
 *
 *   typecheck -> lint -> boundaries -> unit tests -> integration tests
 *
 * Integration tests need Kafka and PostgreSQL. Without KAFKA_BROKERS a local broker is started
 * (deploy/kafka/kafka.mjs, alongside the static checks) and stopped afterwards if this run started
 * it. Without DATABASE_URL a throwaway database is created on 127.0.0.1:5432 and dropped afterwards.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import { constants } from 'node:os';
import { fileURLToPath } from 'node:url';
import { startKafka, stopKafka } from '../deploy/kafka/kafka.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const require = createRequire(import.meta.url);

const STEPS = [
  // Over the files git tracks: a stray untracked file never fails the run (scripts/tracked-checks.mjs).
  { name: 'typecheck', cmd: ['node', 'scripts/tracked-checks.mjs', 'typecheck'] },
  { name: 'lint', cmd: ['node', 'scripts/tracked-checks.mjs', 'lint'] },
  { name: 'boundaries', cmd: ['npm', 'run', '--silent', 'boundaries'] },
  // --passWithNoTests: a project with no spec yet is not a failure; vitest's summary shows the count.
  { name: 'unit tests', cmd: ['npx', 'vitest', 'run', '--project', 'unit', '--passWithNoTests'] },
  {
    name: 'integration tests',
    cmd: ['npx', 'vitest', 'run', '--project', 'int', '--passWithNoTests'],
    needsServices: true,
  },
];

const log = (message) => console.log(`[test] ${message}`);
const header = (title) => console.log(`\n==== ${title} ${'='.repeat(Math.max(0, 70 - title.length))}`);

let current = null;
let interrupted = false;

function run(cmd, env) {
  return new Promise((resolvePromise) => {
    const child = spawn(cmd[0], cmd.slice(1), { cwd: ROOT, env, stdio: 'inherit' });
    current = child;
    child.on('error', (error) => {
      console.error(`[test] cannot run ${cmd[0]}: ${error.message}`);
      resolvePromise(127);
    });
    child.on('exit', (code, signal) => {
      current = null;
      resolvePromise(code ?? 128 + (constants.signals[signal] ?? 0));
    });
  });
}

/** A throwaway database on the local PostgreSQL, or null when none answers there. */
async function createScratchDatabase() {
  const { Client } = require('pg');
  const admin = new Client({
    connectionString: 'postgres://postgres@127.0.0.1:5432/postgres',
    connectionTimeoutMillis: 3000,
  });
  try {
    await admin.connect();
  } catch (error) {
    log(`no PostgreSQL on 127.0.0.1:5432 (${error.message}); DATABASE_URL stays unset`);
    return null;
  }
  try {
    const name = `isohub_test_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
    await admin.query(`CREATE DATABASE ${name}`);
    log(`created database ${name}`);
    return { name, url: `postgres://postgres@127.0.0.1:5432/${name}` };
  } finally {
    await admin.end();
  }
}

async function dropScratchDatabase(name) {
  const { Client } = require('pg');
  const admin = new Client({ connectionString: 'postgres://postgres@127.0.0.1:5432/postgres' });
  try {
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    log(`dropped database ${name}`);
  } catch (error) {
    log(`could not drop database ${name}: ${error.message}`);
  } finally {
    await admin.end().catch(() => {});
  }
}

async function main() {
  const started = Date.now();
  const env = { ...process.env };
  const cleanups = [];

  for (const signal of ['SIGINT', 'SIGTERM']) {
    process.on(signal, () => {
      interrupted = true;
      // Ctrl-C already reaches the child through the process group; a bare SIGTERM may not.
      current?.kill(signal);
    });
  }

  let kafka = Promise.resolve();
  if (env.KAFKA_BROKERS) {
    log(`Kafka: using KAFKA_BROKERS=${env.KAFKA_BROKERS}`);
  } else {
    // Started alongside the static checks; awaited before the integration tests need it.
    kafka = startKafka({ log: (m) => console.log(`[kafka] ${m}`) }).then((result) => {
      env.KAFKA_BROKERS = result.brokers;
      if (result.started) {
        cleanups.push(() => stopKafka({ log: (m) => console.log(`[kafka] ${m}`) }));
      }
    });
    kafka.catch(() => {});
  }

  let failed = null;
  try {
    for (const step of STEPS) {
      if (step.needsServices) {
        header('services');
        try {
          await kafka;
        } catch (error) {
          failed = { name: 'start Kafka', code: 1 };
          console.error(`[kafka] ${error.message}`);
          break;
        }
        if (!env.DATABASE_URL) {
          const db = await createScratchDatabase();
          if (db) {
            env.DATABASE_URL = db.url;
            cleanups.push(() => dropScratchDatabase(db.name));
          }
        } else {
          log('PostgreSQL: using DATABASE_URL from the environment');
        }
      }
      header(step.name);
      const stepStarted = Date.now();
      const code = await run(step.cmd, env);
      if (code !== 0 || interrupted) {
        failed = { name: step.name, code: code || 130 };
        break;
      }
      log(`${step.name} passed in ${((Date.now() - stepStarted) / 1000).toFixed(1)} s`);
    }
  } finally {
    // Let a broker that is still starting finish before it is stopped.
    await kafka.catch(() => {});
    for (const cleanup of cleanups.reverse()) {
      await cleanup();
    }
  }

  const took = `${((Date.now() - started) / 1000).toFixed(1)} s`;
  if (failed) {
    header('FAILED');
    console.error(`[test] step "${failed.name}" failed (exit ${failed.code}) after ${took}`);
    return failed.code;
  }
  header('OK');
  log(`all steps passed in ${took}`);
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(`[test] ${error.stack ?? error.message}`);
    process.exit(1);
  },
);
