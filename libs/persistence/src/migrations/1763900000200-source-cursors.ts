import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * One row per pulled source and agency: the cursor (opaque to the hub, the adapter's own text), the time
 * it vouches for (lag), and whether an operator paused the source. `version` is bumped on every write:
 * a page's events and its cursor commit together only if nobody (an operator reset, another instance)
 * moved the cursor since the page was read.
 */
export class SourceCursors1763900000200 implements MigrationInterface {
  name = 'SourceCursors1763900000200';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE source_cursor (
        source_id    text NOT NULL,
        agency       text NOT NULL DEFAULT '',
        cursor       text,
        cursor_time  timestamptz,
        version      bigint NOT NULL DEFAULT 0,
        paused       boolean NOT NULL DEFAULT false,
        paused_at    timestamptz,
        updated_by   text NOT NULL DEFAULT 'poller',
        updated_at   timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (source_id, agency)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS source_cursor`);
  }
}
