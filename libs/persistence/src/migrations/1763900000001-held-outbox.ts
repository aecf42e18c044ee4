import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Outbox rows can be held: events of a dossier whose procedure code is not mapped yet wait (with every
 * later row of that dossier, to keep per-dossier order) until the code is mapped, then are released.
 * `held_key` = `<source system> <code>` names what they wait for.
 */
export class HeldOutbox1763900000001 implements MigrationInterface {
  name = 'HeldOutbox1763900000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE outbox ADD COLUMN held_key text`);
    await q.query(`CREATE INDEX outbox_held_idx ON outbox (held_key, id) WHERE held_key IS NOT NULL`);
    await q.query(`DROP INDEX outbox_unpublished_idx`);
    await q.query(
      `CREATE INDEX outbox_unpublished_idx ON outbox (id) WHERE published_at IS NULL AND held_key IS NULL`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX IF EXISTS outbox_held_idx`);
    await q.query(`DROP INDEX IF EXISTS outbox_unpublished_idx`);
    await q.query(`ALTER TABLE outbox DROP COLUMN held_key`);
    await q.query(`CREATE INDEX outbox_unpublished_idx ON outbox (id) WHERE published_at IS NULL`);
  }
}
