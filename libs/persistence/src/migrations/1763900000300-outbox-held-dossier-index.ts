import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Every ingest asks whether its dossiers have held rows: answer it from a partial index (bench finding). */
export class OutboxHeldDossierIndex1763900000300 implements MigrationInterface {
  name = 'OutboxHeldDossierIndex1763900000300';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX outbox_held_dossier_idx ON outbox (aggregateid) WHERE held_key IS NOT NULL`);
    await q.query(`CREATE INDEX forward_job_done_idx ON forward_job (done_at) WHERE status = 'done'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX IF EXISTS outbox_held_dossier_idx`);
    await q.query(`DROP INDEX IF EXISTS forward_job_done_idx`);
  }
}
