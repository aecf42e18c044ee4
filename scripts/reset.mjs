#!/usr/bin/env node
// `npm run reset`: wipes the local data `npm start` keeps (.data/: the embedded database, the local
// Kafka broker's data, the logs), so the next `npm start` begins empty. Refuses while any of it is in
// use: stop `npm start` (Ctrl-C) and the local broker (`npm run kafka:stop`) first.
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { kafkaStatus } from '../deploy/kafka/kafka.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const env = process.env;
const dataDir = resolve(root, env.ISOHUB_DATA_DIR ?? '.data');
const kafkaDataDir = resolve(root, env.KAFKA_DATA_DIR ?? join(dataDir, 'kafka'));
const pglitePort = Number(env.PGLITE_PORT ?? 5499);

function listening(port) {
  return new Promise((done) => {
    const s = connect({ port, host: '127.0.0.1' });
    s.once('connect', () => {
      s.destroy();
      done(true);
    });
    s.once('error', () => done(false));
  });
}

async function main() {
  if (!existsSync(dataDir)) {
    console.log(`[reset] nothing to wipe: ${dataDir} does not exist`);
    return 0;
  }
  const kafka = kafkaStatus({ dataDir: kafkaDataDir });
  if (kafka.running) {
    console.error(
      `[reset] the local Kafka broker (pid ${kafka.pid}) runs on ${kafka.dataDir}: stop it first (npm run kafka:stop, or Ctrl-C in npm start)`,
    );
    return 1;
  }
  if (await listening(pglitePort)) {
    console.error(
      `[reset] something listens on the embedded database's port ${pglitePort}: stop npm start (Ctrl-C) first`,
    );
    return 1;
  }
  const entries = readdirSync(dataDir);
  rmSync(dataDir, { recursive: true, force: true });
  if (kafkaDataDir !== join(dataDir, 'kafka')) {
    rmSync(kafkaDataDir, { recursive: true, force: true });
  }
  console.log(`[reset] wiped ${dataDir} (${entries.join(', ') || 'empty'}); the next npm start begins empty`);
  return 0;
}

process.exitCode = await main();
