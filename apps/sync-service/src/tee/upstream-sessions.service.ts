import { createHmac } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { SYNC_CONFIG, type SenderConfig, type SyncServiceConfig } from '../config/sync-service.config';
import { DATA_SOURCE } from '../infra/infra.module';

/** Domain separation from every other use of SESSION_SECRET. */
const PURPOSE = 'isohub:upstream-session:v1';
/** A positive lookup is trusted this long before the database is asked again (staleness seen elsewhere). */
const CACHE_MS = 30_000;
const CACHE_MAX = 10_000;

export interface IssuedTo {
  sender: SenderConfig;
  account: string;
  agency: string | null;
}

interface Row {
  sender: string;
  account: string;
  agency: string | null;
}

/**
 * Which configured sender, account and agency the upstream issued each session or token to, as isohub saw
 * it on the upstream's answer to the sender's own login (docs/tee.md). Durable (`upstream_session`), so a
 * hub restart forgets nothing; only an HMAC of the session is stored, never the session itself.
 */
@Injectable()
export class UpstreamSessions {
  private readonly cache = new Map<string, { issued: IssuedTo; until: number }>();

  constructor(
    @Inject(DATA_SOURCE) private readonly ds: DataSource,
    @Inject(SYNC_CONFIG) private readonly config: SyncServiceConfig,
  ) {}

  hash(token: string): Buffer {
    return createHmac('sha256', this.config.sessionSecret).update(`${PURPOSE}\n${token}`).digest();
  }

  async record(token: string, issued: IssuedTo, expiresAt: Date): Promise<void> {
    await this.ds.query(
      `INSERT INTO upstream_session (session_hash, sender, style, account, agency, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (session_hash) DO UPDATE SET sender = $2, style = $3, account = $4, agency = $5,
              issued_at = now(), expires_at = $6, stale_at = NULL`,
      [this.hash(token), issued.sender.id, issued.sender.style, issued.account, issued.agency, expiresAt],
    );
    this.remember(token, issued);
  }

  /** The sender a live session was issued to; null when isohub did not see it issued, or it expired or went stale. */
  async find(token: string): Promise<IssuedTo | null> {
    const key = this.hash(token).toString('base64url');
    const hit = this.cache.get(key);
    if (hit && hit.until > Date.now()) {
      return hit.issued;
    }
    this.cache.delete(key);
    const rows: Row[] = await this.ds.query(
      `SELECT sender, account, agency FROM upstream_session
        WHERE session_hash = $1 AND stale_at IS NULL AND expires_at > now()`,
      [this.hash(token)],
    );
    const row = rows[0];
    const sender = row ? this.config.senders.find((s) => s.id === row.sender) : undefined;
    if (!row || !sender) {
      return null;
    }
    const issued = { sender, account: row.account, agency: row.agency };
    this.remember(token, issued);
    return issued;
  }

  /** The upstream called it stale: it identifies nobody from now on. */
  async markStale(token: string): Promise<void> {
    this.cache.delete(this.hash(token).toString('base64url'));
    await this.ds.query(`UPDATE upstream_session SET stale_at = now() WHERE session_hash = $1`, [
      this.hash(token),
    ]);
  }

  /** Housekeeping: sessions past their expiry or gone stale a day ago. */
  async purge(): Promise<number> {
    const result: [unknown[], number] = await this.ds.query(
      `DELETE FROM upstream_session WHERE expires_at < now() OR stale_at < now() - interval '1 day'`,
    );
    return result[1];
  }

  private remember(token: string, issued: IssuedTo): void {
    if (this.cache.size >= CACHE_MAX) {
      this.cache.clear();
    }
    this.cache.set(this.hash(token).toString('base64url'), { issued, until: Date.now() + CACHE_MS });
  }
}
