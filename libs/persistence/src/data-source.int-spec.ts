import { afterEach, describe, expect, it } from 'vitest';
import { freshDatabase } from '../../../test/support/database';
import { MIGRATIONS, openDatabase, runMigrations } from './data-source';

describe('data source (real PostgreSQL)', () => {
  const cleanup: (() => Promise<unknown>)[] = [];

  afterEach(async () => {
    for (const fn of cleanup.splice(0).reverse()) {
      await fn().catch((e: unknown) => console.warn(`cleanup: ${String(e)}`));
    }
  });

  it('two processes migrating a fresh database at once both come up, each migration ran once', async () => {
    const db = await freshDatabase();
    cleanup.push(() => db.drop());
    const config = { url: db.url, poolMax: 2 };
    await Promise.all([runMigrations(config), runMigrations(config), runMigrations(config)]);
    const ds = await openDatabase(config);
    cleanup.push(() => ds.destroy());
    const rows: { name: string; n: number }[] = await ds.query(
      `SELECT name, count(*)::int AS n FROM typeorm_migrations GROUP BY name`,
    );
    expect(rows).toHaveLength(MIGRATIONS.length);
    expect(rows.every((r) => r.n === 1)).toBe(true);
  });

  it('sessions carry the statement and lock timeouts', async () => {
    const db = await freshDatabase();
    cleanup.push(() => db.drop());
    const ds = await openDatabase({ url: db.url, poolMax: 2, statementTimeoutMs: 300, lockTimeoutMs: 200 });
    cleanup.push(() => ds.destroy());
    await expect(ds.query('SELECT pg_sleep(2)')).rejects.toThrow(/statement timeout/);

    const holder = ds.createQueryRunner();
    cleanup.push(() => holder.release());
    await holder.startTransaction();
    await holder.query(`SELECT * FROM relay_lease WHERE name = 'outbox' FOR UPDATE`);
    const started = Date.now();
    await expect(ds.query(`UPDATE relay_lease SET owner = 'x' WHERE name = 'outbox'`)).rejects.toThrow(
      /lock timeout/,
    );
    expect(Date.now() - started).toBeLessThan(2_000);
    await holder.rollbackTransaction();
  });
});
