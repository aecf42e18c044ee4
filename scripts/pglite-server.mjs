#!/usr/bin/env node
// Embedded PostgreSQL for `npm start` when no DATABASE_URL is given: PGlite (PostgreSQL compiled to
// WASM) with its data in a local folder, served over the PostgreSQL wire protocol on loopback.
// PGlite runs one query at a time in one shared session; the hub is written for that (pool of 1,
// no transaction held open across awaits, no session state).
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';

const dataDir = resolve(process.env.PGLITE_DATA_DIR ?? '.data/pglite');
const port = Number(process.env.PGLITE_PORT ?? 5499);
mkdirSync(dataDir, { recursive: true });

const db = await PGlite.create(dataDir);
const server = new PGLiteSocketServer({ db, port, host: '127.0.0.1', maxConnections: 16 });
await server.start();
console.log(
  `[pglite] embedded PostgreSQL on postgres://postgres@127.0.0.1:${port}/postgres (data ${dataDir})`,
);

const shutdown = async () => {
  await server.stop();
  await db.close();
  process.exit(0);
};
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);
