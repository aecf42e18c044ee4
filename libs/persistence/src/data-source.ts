import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { InitialSchema1763900000000 } from './migrations/1763900000000-initial-schema';
import { HeldOutbox1763900000001 } from './migrations/1763900000001-held-outbox';
import { AdminMapping1763900000100 } from './migrations/1763900000100-admin-mapping';
import { SourceCursors1763900000200 } from './migrations/1763900000200-source-cursors';
import { OutboxHeldDossierIndex1763900000300 } from './migrations/1763900000300-outbox-held-dossier-index';
import { Reconciliation1763900000400 } from './migrations/1763900000400-reconciliation';
import { UnmappedStatus1763900000500 } from './migrations/1763900000500-unmapped-status';
import { ApplicantKey1763900000600 } from './migrations/1763900000600-applicant-key';
import { AdminSessions1763900004000 } from './migrations/1763900004000-admin-sessions';
import { HandoverTrail1763900002000 } from './migrations/1763900002000-handover-trail';
import { StreamGuards1763900003000 } from './migrations/1763900003000-stream-guards';
import { DossierOwner1763900003100 } from './migrations/1763900003100-dossier-owner';
import { TeeRelay1763900001000 } from './migrations/1763900001000-tee-relay';
import { IsoTiming1763900008000 } from './migrations/1763900008000-iso-timing';
import { DeadlineTimers1763900008100 } from './migrations/1763900008100-deadline-timers';
import { DeadLetterDiscard1763900007000 } from './migrations/1763900007000-dead-letter-discard';
import { WorkingCalendar1763900005000 } from './migrations/1763900005000-working-calendar';

export interface DatabaseConfig {
  url: string;
  /** 1 for the embedded PGlite (one shared session); larger for a real PostgreSQL. */
  poolMax: number;
  applicationName?: string;
  /** Session `statement_timeout` (ms, 0 = none): no query holds a connection for ever. Default 60 s. */
  statementTimeoutMs?: number;
  /** Session `lock_timeout` (ms, 0 = none): a query waiting on a lock fails instead of queueing. Default 10 s. */
  lockTimeoutMs?: number;
}

export const DEFAULT_STATEMENT_TIMEOUT_MS = 60_000;
export const DEFAULT_LOCK_TIMEOUT_MS = 10_000;
/** `pg_advisory_lock` key held while migrations run: any int8 unique to isohub ("isohubMG" in ASCII). */
export const MIGRATION_LOCK_KEY = '7598531079498467143';

export const MIGRATIONS = [
  InitialSchema1763900000000,
  HeldOutbox1763900000001,
  AdminMapping1763900000100,
  SourceCursors1763900000200,
  OutboxHeldDossierIndex1763900000300,
  Reconciliation1763900000400,
  UnmappedStatus1763900000500,
  ApplicantKey1763900000600,
  HandoverTrail1763900002000,
  StreamGuards1763900003000,
  DossierOwner1763900003100,
  TeeRelay1763900001000,
  IsoTiming1763900008000,
  DeadlineTimers1763900008100,
  DeadLetterDiscard1763900007000,
  WorkingCalendar1763900005000,
  AdminSessions1763900004000,
];

/**
 * The pool's connection class. A connection the server ends (restart, failover, pg_terminate_backend) emits
 * `error`; the pool listens while it is idle and TypeORM while a query runner holds it, but an error that
 * lands between their listeners (a connection being handed over or released) would be an uncaught exception
 * and stop the whole service. This listener only keeps that from happening: the pool still evicts the
 * connection, TypeORM still fails the query (and logs), and the next query gets a fresh connection.
 */
export class GuardedClient extends Client {
  constructor(config?: ConstructorParameters<typeof Client>[0]) {
    super(config);
    this.on('error', () => undefined);
  }
}

/** TypeORM owns the schema through migrations; no synchronize, ever. */
export function createDataSource(config: DatabaseConfig): DataSource {
  return new DataSource({
    type: 'postgres',
    url: config.url,
    migrations: MIGRATIONS,
    migrationsTableName: 'typeorm_migrations',
    migrationsTransactionMode: 'each',
    synchronize: false,
    logging: false,
    applicationName: config.applicationName ?? 'isohub',
    extra: {
      max: config.poolMax,
      // Set per session at connect (node-postgres sends them as startup parameters).
      statement_timeout: config.statementTimeoutMs ?? DEFAULT_STATEMENT_TIMEOUT_MS,
      lock_timeout: config.lockTimeoutMs ?? DEFAULT_LOCK_TIMEOUT_MS,
      connectionTimeoutMillis: 5_000,
      idleTimeoutMillis: 30_000,
      Client: GuardedClient,
    },
  });
}

export async function openDatabase(config: DatabaseConfig): Promise<DataSource> {
  await runMigrations(config);
  const ds = createDataSource(config);
  await ds.initialize();
  return ds;
}

/**
 * Brings the schema up to date under a PostgreSQL advisory lock, so two processes starting on a fresh
 * database do not both run the same migration (the second waits, then finds nothing left to do). The lock
 * is held by a session of its own; migrations run on a short-lived pool without the statement and lock
 * timeouts (an index build on a large table may take longer than any query should).
 */
export async function runMigrations(config: DatabaseConfig): Promise<void> {
  const lock = new GuardedClient({ connectionString: config.url, application_name: 'isohub-migrations' });
  await lock.connect();
  try {
    await lock.query('SELECT pg_advisory_lock($1::bigint)', [MIGRATION_LOCK_KEY]);
    const ds = createDataSource({ ...config, poolMax: 1, statementTimeoutMs: 0, lockTimeoutMs: 0 });
    await ds.initialize();
    try {
      await ds.runMigrations();
    } finally {
      await ds.destroy();
    }
  } finally {
    // Ending the session releases the lock too; unlocking first lets a waiting process go on at once.
    await lock.query('SELECT pg_advisory_unlock($1::bigint)', [MIGRATION_LOCK_KEY]).catch(() => undefined);
    await lock.end().catch(() => undefined);
  }
}
