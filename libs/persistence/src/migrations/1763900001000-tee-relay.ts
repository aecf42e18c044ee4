import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The transparent tee's memory (issue 9).
 * - `upstream_session`: which configured sender, account and agency the upstream (portal or LGSP) issued
 *   a session or token to, seen on its answer to the sender's own login. Only a keyed hash (HMAC-SHA256) of
 *   the session is kept, never the session itself, and never a password or secret.
 * - `tee_call`: each dossier-carrying call from an identified sender, with what the upstream answered
 *   (`delivered`, `refused` with its error code and message, or `unanswered`), per sender and dossier.
 */
export class TeeRelay1763900001000 implements MigrationInterface {
  name = 'TeeRelay1763900001000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE upstream_session (
        session_hash  bytea PRIMARY KEY,
        sender        text NOT NULL,
        style         text NOT NULL,
        account       text NOT NULL,
        agency        text,
        issued_at     timestamptz NOT NULL DEFAULT now(),
        expires_at    timestamptz NOT NULL,
        stale_at      timestamptz
      )`);
    await q.query(`CREATE INDEX upstream_session_expiry_idx ON upstream_session (expires_at)`);
    await q.query(`
      CREATE TABLE tee_call (
        id            bigserial PRIMARY KEY,
        sender        text NOT NULL,
        style         text NOT NULL,
        operation     text NOT NULL,
        dossier_codes text[] NOT NULL DEFAULT '{}',
        outcome       text NOT NULL CHECK (outcome IN ('delivered', 'refused', 'unanswered')),
        http_status   integer,
        error_code    text,
        message       text,
        request_sha256 text NOT NULL,
        received_at   timestamptz NOT NULL,
        answered_at   timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX tee_call_sender_idx ON tee_call (sender, id)`);
    await q.query(`CREATE INDEX tee_call_dossier_idx ON tee_call USING gin (dossier_codes)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS tee_call`);
    await q.query(`DROP TABLE IF EXISTS upstream_session`);
  }
}
