import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Reconciliation runs against the national portal (TraCuuHoSo) and the disagreements they found.
 * Only codes, statuses and dates are kept: never applicant data (DOMAIN.md §10).
 */
export class Reconciliation1763900000400 implements MigrationInterface {
  name = 'Reconciliation1763900000400';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE reconciliation_run (
        id                 bigserial PRIMARY KEY,
        trigger            text NOT NULL,
        scope              jsonb NOT NULL,
        status             text NOT NULL DEFAULT 'running'
                           CHECK (status IN ('running', 'done', 'partial', 'failed')),
        started_at         timestamptz NOT NULL DEFAULT now(),
        finished_at        timestamptz,
        checked            integer NOT NULL DEFAULT 0,
        matched            integer NOT NULL DEFAULT 0,
        mismatched         integer NOT NULL DEFAULT 0,
        skipped            integer NOT NULL DEFAULT 0,
        skipped_by_reason  jsonb NOT NULL DEFAULT '{}'::jsonb,
        errors             integer NOT NULL DEFAULT 0,
        last_error         text
      )`);
    await q.query(`
      CREATE TABLE reconciliation_mismatch (
        id             bigserial PRIMARY KEY,
        run_id         bigint NOT NULL REFERENCES reconciliation_run (id) ON DELETE CASCADE,
        dossier_code   text NOT NULL,
        agency         text,
        sender         text,
        kind           text NOT NULL,
        field          text NOT NULL,
        onestop_value  text,
        portal_value   text,
        note           text,
        detected_at    timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(
      `CREATE INDEX reconciliation_mismatch_run_idx ON reconciliation_mismatch (run_id, kind, id)`,
    );
    // No index on dossier_state.updated_at for the default run's "changed lately" pick: updated_at moves
    // on every ingest, and an index on it would end HOT updates of the hub's hottest table, while a
    // sequential scan every RECONCILE_INTERVAL_MINUTES is cheap.
    // One instance runs at a time: the same lease table as the relay and the forwarder.
    await q.query(`INSERT INTO relay_lease (name) VALUES ('reconciliation') ON CONFLICT DO NOTHING`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DELETE FROM relay_lease WHERE name = 'reconciliation'`);
    await q.query(`DROP TABLE IF EXISTS reconciliation_mismatch`);
    await q.query(`DROP TABLE IF EXISTS reconciliation_run`);
  }
}
