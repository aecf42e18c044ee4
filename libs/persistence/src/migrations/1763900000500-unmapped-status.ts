import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Vendor statuses a pull source could not map (DOMAIN.md §3.4: held and flagged, never dropped), written in
 * the transaction of the page that saw them:
 * - `unmapped_status`, the queue admins work from, one row per (source system, status, sub-status) (`''` =
 *   none sent), with occurrences, first/last seen, the latest change time and up to ten sample dossiers;
 *   publishing a version that maps a row deletes it;
 * - `unmapped_status_dossier`, the dossiers to read again once the status maps (up to 1,000 per status),
 *   per pull source (the one that reads them again); the re-read deletes its rows with the events it writes.
 * Codes and times only: no applicant data.
 */
export class UnmappedStatus1763900000500 implements MigrationInterface {
  name = 'UnmappedStatus1763900000500';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE unmapped_status (
        source_system   text NOT NULL,
        status          text NOT NULL,
        sub_status      text NOT NULL DEFAULT '',
        occurrences     integer NOT NULL DEFAULT 0,
        first_seen_at   timestamptz NOT NULL DEFAULT now(),
        last_seen_at    timestamptz NOT NULL DEFAULT now(),
        last_change_at  timestamptz,
        sample_dossiers jsonb NOT NULL DEFAULT '[]'::jsonb,
        PRIMARY KEY (source_system, status, sub_status)
      )`);
    await q.query(`
      CREATE TABLE unmapped_status_dossier (
        source_id       text NOT NULL,
        source_system   text NOT NULL,
        status          text NOT NULL,
        sub_status      text NOT NULL DEFAULT '',
        dossier_code    text NOT NULL,
        last_change_at  timestamptz,
        first_seen_at   timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (source_id, source_system, status, sub_status, dossier_code)
      )`);
    await q.query(`
      CREATE INDEX unmapped_status_dossier_status_idx
        ON unmapped_status_dossier (source_system, status, sub_status)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS unmapped_status_dossier`);
    await q.query(`DROP TABLE IF EXISTS unmapped_status`);
  }
}
