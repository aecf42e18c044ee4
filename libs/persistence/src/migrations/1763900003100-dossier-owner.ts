import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `dossier_state.owner_sender`: the sender that wrote the dossier first (rule `first-writer` of
 * DOSSIER_OWNERSHIP, docs/security.md). Null until a write claims it; rows written before stay unclaimed
 * until their next write.
 */
export class DossierOwner1763900003100 implements MigrationInterface {
  name = 'DossierOwner1763900003100';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE dossier_state ADD COLUMN owner_sender text`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE dossier_state DROP COLUMN IF EXISTS owner_sender`);
  }
}
