import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `dossier_state.handover_trail`: the dossier's history as isohub has read it (libs/mapping
 * handover-trail.ts), one `{ at, national, holder? }` per dated change, bounded by the mapper. Each handover
 * event's "from" side (the unit, officer and step the dossier left) is the holder of the entry before it, and
 * a row that arrives after newer ones is given the national status true at its own time. Never published:
 * the state topic carries only the dossier state.
 */
export class HandoverTrail1763900002000 implements MigrationInterface {
  name = 'HandoverTrail1763900002000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE dossier_state ADD COLUMN handover_trail jsonb NOT NULL DEFAULT '[]'::jsonb`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE dossier_state DROP COLUMN IF EXISTS handover_trail`);
  }
}
