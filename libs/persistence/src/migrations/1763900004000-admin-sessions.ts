import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `admin_session`: the admin console's server-side sessions, shared by every admin replica. The key is
 * sha256 of the session id (a database reader cannot take a session over); `signed_in` separates the
 * logged-in sessions from pre-login state (OIDC state and PKCE verifier), which is capped and short-lived
 * on its own and never evicts a logged-in session.
 */
export class AdminSessions1763900004000 implements MigrationInterface {
  name = 'AdminSessions1763900004000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE admin_session (
        sid_hash    text PRIMARY KEY,
        data        jsonb NOT NULL,
        signed_in   boolean NOT NULL,
        expires_at  timestamptz NOT NULL,
        updated_at  timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX admin_session_expires_idx ON admin_session (expires_at)`);
    await q.query(
      `CREATE INDEX admin_session_pre_login_idx ON admin_session (updated_at) WHERE NOT signed_in`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS admin_session`);
  }
}
