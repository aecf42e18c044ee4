import { type SessionData, Store } from 'express-session';

interface Entry {
  json: string;
  expiresAt: number;
  signedIn: boolean;
}

const isSignedIn = (session: SessionData): boolean => 'auth' in session && session.auth !== undefined;

/**
 * Sessions in this process's memory, for one admin instance: expired sessions are dropped on read
 * and swept every minute, and the oldest go first past `maxSessions` (express-session's own
 * MemoryStore never sweeps, which is why it warns against production use). Pre-login sessions are
 * counted apart (`preLoginMax`): a flood of login starts evicts only pre-login state, never a signed-in
 * session. Sessions end on restart.
 */
export class MemorySessionStore extends Store {
  private readonly sessions = new Map<string, Entry>();
  private readonly sweeper: NodeJS.Timeout;

  constructor(
    private readonly options: {
      ttlMs: number;
      maxSessions?: number;
      preLoginMax?: number;
      now?: () => number;
    },
  ) {
    super();
    this.sweeper = setInterval(() => this.sweep(), 60_000);
    this.sweeper.unref();
  }

  get size(): number {
    return this.sessions.size;
  }

  override get(sid: string, callback: (err: unknown, session?: SessionData | null) => void): void {
    const entry = this.sessions.get(sid);
    if (!entry || entry.expiresAt <= this.now()) {
      this.sessions.delete(sid);
      callback(null, null);
      return;
    }
    callback(null, JSON.parse(entry.json) as SessionData);
  }

  override set(sid: string, session: SessionData, callback?: (err?: unknown) => void): void {
    this.sessions.delete(sid);
    const signedIn = isSignedIn(session);
    this.sessions.set(sid, { json: JSON.stringify(session), expiresAt: this.expiry(session), signedIn });
    // Only sessions of the kind just written are evicted: anonymous ones never push out signed-in ones.
    const max = signedIn ? (this.options.maxSessions ?? 10_000) : (this.options.preLoginMax ?? 10_000);
    const ofKind = [...this.sessions].filter(([, e]) => e.signedIn === signedIn);
    for (const [oldest] of ofKind.slice(0, Math.max(0, ofKind.length - max))) {
      this.sessions.delete(oldest);
    }
    callback?.();
  }

  override touch(sid: string, session: SessionData, callback?: () => void): void {
    const entry = this.sessions.get(sid);
    if (entry) {
      entry.expiresAt = this.expiry(session);
    }
    callback?.();
  }

  override destroy(sid: string, callback?: (err?: unknown) => void): void {
    this.sessions.delete(sid);
    callback?.();
  }

  close(): void {
    clearInterval(this.sweeper);
    this.sessions.clear();
  }

  private sweep(): void {
    const now = this.now();
    for (const [sid, entry] of this.sessions) {
      if (entry.expiresAt <= now) {
        this.sessions.delete(sid);
      }
    }
  }

  private expiry(session: SessionData): number {
    const expires = session.cookie?.expires;
    return expires ? new Date(expires).getTime() : this.now() + this.options.ttlMs;
  }

  private now(): number {
    return (this.options.now ?? Date.now)();
  }
}
