import { createHash } from 'node:crypto';
import { type SessionData, Store } from 'express-session';
import type { AuthSessionState } from './auth-session';

/** What the store needs of a database: a parameterised query (a TypeORM DataSource or a pg Pool). */
export interface SqlRunner {
  query<T = unknown>(sql: string, params?: unknown[]): Promise<T>;
}

export interface PostgresSessionStoreOptions {
  /** Lifetime of a session without a cookie expiry (the idle timeout). */
  ttlMs: number;
  /** Pre-login state (OIDC state, PKCE verifier) lives this long at most. Default 10 minutes. */
  preLoginTtlMs?: number;
  /** At most this many pre-login sessions; the oldest go first. Logged-in sessions are never counted. */
  preLoginMax?: number;
  /** Expired sessions are deleted this often. Default one minute. */
  sweepMs?: number;
}

const key = (sid: string): string => createHash('sha256').update(sid, 'utf8').digest('hex');

const signedIn = (session: SessionData): boolean =>
  (session as SessionData & AuthSessionState).auth !== undefined;

type Callback = (err?: unknown) => void;

/**
 * express-session store in PostgreSQL (table `admin_session`), so several admin replicas share sessions
 * and a restart keeps them. Rows are keyed by sha256 of the session id. Pre-login sessions are capped
 * and short-lived on their own: a flood of anonymous login starts evicts only other pre-login state,
 * never a signed-in session.
 */
export class PostgresSessionStore extends Store {
  private readonly sweeper: NodeJS.Timeout;

  constructor(
    private readonly db: SqlRunner,
    private readonly options: PostgresSessionStoreOptions,
  ) {
    super();
    this.sweeper = setInterval(() => {
      this.sweep().catch(() => undefined);
    }, options.sweepMs ?? 60_000);
    this.sweeper.unref();
  }

  override get(sid: string, callback: (err: unknown, session?: SessionData | null) => void): void {
    this.db
      .query<{ data: SessionData }[]>(
        `SELECT data FROM admin_session WHERE sid_hash = $1 AND expires_at > now()`,
        [key(sid)],
      )
      .then((rows) => callback(null, rows[0]?.data ?? null))
      .catch((error: unknown) => callback(error));
  }

  override set(sid: string, session: SessionData, callback?: Callback): void {
    this.save(sid, session)
      .then(() => callback?.())
      .catch((error: unknown) => callback?.(error));
  }

  override touch(sid: string, session: SessionData, callback?: () => void): void {
    const done = (): void => callback?.();
    this.db
      .query(`UPDATE admin_session SET expires_at = $2, updated_at = now() WHERE sid_hash = $1`, [
        key(sid),
        this.expiry(session),
      ])
      .then(done, done);
  }

  override destroy(sid: string, callback?: Callback): void {
    this.db
      .query(`DELETE FROM admin_session WHERE sid_hash = $1`, [key(sid)])
      .then(() => callback?.())
      .catch((error: unknown) => callback?.(error));
  }

  close(): void {
    clearInterval(this.sweeper);
  }

  /** Deletes expired sessions; returns how many. */
  async sweep(): Promise<number> {
    const rows = await this.db.query<{ n: number }[]>(
      `WITH gone AS (DELETE FROM admin_session WHERE expires_at <= now() RETURNING 1)
       SELECT count(*)::int AS n FROM gone`,
    );
    return rows[0]?.n ?? 0;
  }

  private async save(sid: string, session: SessionData): Promise<void> {
    const isSignedIn = signedIn(session);
    await this.db.query(
      `INSERT INTO admin_session (sid_hash, data, signed_in, expires_at, updated_at)
       VALUES ($1, $2::jsonb, $3, $4, now())
       ON CONFLICT (sid_hash) DO UPDATE
         SET data = EXCLUDED.data, signed_in = EXCLUDED.signed_in,
             expires_at = EXCLUDED.expires_at, updated_at = now()`,
      [key(sid), JSON.stringify(session), isSignedIn, this.expiry(session)],
    );
    if (!isSignedIn) {
      await this.db.query(
        `DELETE FROM admin_session WHERE sid_hash IN (
           SELECT sid_hash FROM admin_session WHERE NOT signed_in
            ORDER BY updated_at DESC OFFSET $1)`,
        [this.options.preLoginMax ?? 10_000],
      );
    }
  }

  private expiry(session: SessionData): Date {
    const now = Date.now();
    const expires = session.cookie?.expires;
    const at = expires ? new Date(expires).getTime() : now + this.options.ttlMs;
    return new Date(signedIn(session) ? at : Math.min(at, now + (this.options.preLoginTtlMs ?? 600_000)));
  }
}
