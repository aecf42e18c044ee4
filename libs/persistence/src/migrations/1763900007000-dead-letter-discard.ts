import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A dead letter an operator decided not to replay (a test message, a payload the sender will resend
 * corrected) is discarded, not deleted: `discarded_at` and `discarded_by` say when and by whom, and it
 * leaves the open list. The console records the same in the audit log.
 */
export class DeadLetterDiscard1763900007000 implements MigrationInterface {
  name = 'DeadLetterDiscard1763900007000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `ALTER TABLE dead_letter ADD COLUMN discarded_at timestamptz, ADD COLUMN discarded_by text`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(
      `ALTER TABLE dead_letter DROP COLUMN IF EXISTS discarded_by, DROP COLUMN IF EXISTS discarded_at`,
    );
  }
}
