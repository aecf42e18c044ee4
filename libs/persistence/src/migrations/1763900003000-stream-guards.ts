import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Nothing stops the stream (security.md):
 * - `outbox.failed_at` / `failure_reason`: a row the broker refuses for good (too large, invalid record) is set
 *   aside instead of being retried forever; the relay skips it and announces it on the dead-letter topic.
 * - `dead_letter.payload_truncated` / `received_bytes`: a dead letter keeps at most a bounded prefix of what was
 *   received (the digest is always of the whole body); `redacted_at`: the payload was removed after the
 *   retention period (personal data), the row itself (reason, digest, counts) stays for the record.
 */
export class StreamGuards1763900003000 implements MigrationInterface {
  name = 'StreamGuards1763900003000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE outbox ADD COLUMN failed_at timestamptz, ADD COLUMN failure_reason text`);
    await q.query(`CREATE INDEX outbox_failed_idx ON outbox (failed_at) WHERE failed_at IS NOT NULL`);
    await q.query(
      `ALTER TABLE dead_letter ADD COLUMN payload_truncated boolean NOT NULL DEFAULT false,
                              ADD COLUMN received_bytes bigint,
                              ADD COLUMN redacted_at timestamptz`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX IF EXISTS outbox_failed_idx`);
    await q.query(`ALTER TABLE outbox DROP COLUMN IF EXISTS failed_at, DROP COLUMN IF EXISTS failure_reason`);
    await q.query(
      `ALTER TABLE dead_letter DROP COLUMN IF EXISTS payload_truncated, DROP COLUMN IF EXISTS received_bytes,
                               DROP COLUMN IF EXISTS redacted_at`,
    );
  }
}
