import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `dossier_state.applicant_key`: a keyed hash (HMAC-SHA256 under APPLICANT_KEY_SECRET) of the dossier's
 * applicant name, so that a later control-sheet row whose actor is the applicant can be recognised without
 * keeping the name (DOMAIN.md §10). Null until a snapshot carrying the name arrives. Never published.
 */
export class ApplicantKey1763900000600 implements MigrationInterface {
  name = 'ApplicantKey1763900000600';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE dossier_state ADD COLUMN applicant_key bytea`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE dossier_state DROP COLUMN IF EXISTS applicant_key`);
  }
}
