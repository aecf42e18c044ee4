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
import { TeeRelay1763900001000 } from './migrations/1763900001000-tee-relay';
import { IsoTiming1763900008000 } from './migrations/1763900008000-iso-timing';
import { DeadLetterDiscard1763900007000 } from './migrations/1763900007000-dead-letter-discard';
import { WorkingCalendar1763900005000 } from './migrations/1763900005000-working-calendar';

export interface DatabaseConfig {
  url: string;
  /** 1 for the embedded PGlite (one shared session); larger for a real PostgreSQL. */
  poolMax: number;
  applicationName?: string;
}

export const MIGRATIONS = [
  InitialSchema1763900000000,
  HeldOutbox1763900000001,
  AdminMapping1763900000100,
  SourceCursors1763900000200,
  OutboxHeldDossierIndex1763900000300,
  Reconciliation1763900000400,
  UnmappedStatus1763900000500,
  ApplicantKey1763900000600,
  TeeRelay1763900001000,
  IsoTiming1763900008000,
  DeadLetterDiscard1763900007000,
  WorkingCalendar1763900005000,
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
      connectionTimeoutMillis: 5_000,
      idleTimeoutMillis: 30_000,
      Client: GuardedClient,
    },
  });
}

export async function openDatabase(config: DatabaseConfig): Promise<DataSource> {
  const ds = createDataSource(config);
  await ds.initialize();
  await ds.runMigrations();
  return ds;
}
