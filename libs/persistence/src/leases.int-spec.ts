import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DataSource } from 'typeorm';
import { freshDatabase, type TestDatabase } from '../../../test/support/database';
import { openDatabase, runMigrations } from './data-source';
import { DeadlineTimerStore } from './deadline-timer.store';
import { ForwardStore } from './forward.store';
import { PgOutboxStore } from './outbox.store';
import { ReconciliationStore } from './reconciliation.store';

/** Every leased job runs on one replica: a second owner is refused while the first holds the lease. */
describe('leases (real PostgreSQL)', () => {
  let db: TestDatabase;
  let ds: DataSource;

  beforeAll(async () => {
    db = await freshDatabase();
    await runMigrations({ url: db.url, poolMax: 2 });
    ds = await openDatabase({ url: db.url, poolMax: 4 });
  });

  afterAll(async () => {
    await ds?.destroy();
    await db?.drop();
  });

  const stores: [string, { acquireLease(owner: string, ttlMs: number): Promise<boolean> }][] = [];
  beforeAll(() => {
    stores.push(
      ['outbox', new PgOutboxStore(ds)],
      ['forwarder', new ForwardStore(ds)],
      ['reconciliation', new ReconciliationStore(ds)],
      ['deadline scheduler', new DeadlineTimerStore(ds)],
    );
  });

  it('one owner at a time, renewable by its holder, taken over once it lapses', async () => {
    for (const [name, store] of stores) {
      expect([name, await store.acquireLease('replica-a', 60_000)]).toEqual([name, true]);
      expect([name, await store.acquireLease('replica-b', 60_000)]).toEqual([name, false]);
      expect([name, await store.acquireLease('replica-a', 60_000)]).toEqual([name, true]);
      expect([name, await store.acquireLease('replica-a', 1)]).toEqual([name, true]);
      await new Promise((r) => setTimeout(r, 20));
      expect([name, await store.acquireLease('replica-b', 60_000)]).toEqual([name, true]);
    }
  });
});
