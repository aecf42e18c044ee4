import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Request } from 'express';
import session, { type Session, type Store } from 'express-session';
import type { AuthConfig } from './auth.config';
import type { AuthUser } from './roles';

/** What the auth lib keeps in a session. */
export interface AuthSessionState {
  auth?: { user: AuthUser; idToken: string | null; loginAt: number };
  csrf?: string;
  returnTo?: string;
}

export type AuthSession = Session & AuthSessionState;

export const SESSION_STORE = Symbol('SESSION_STORE');
export const CSRF_HEADER = 'x-csrf-token';
/** Form field alternative to the header, for plain HTML forms (the logout button). */
export const CSRF_FIELD = '_csrf';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export function sessionOf(req: Request): AuthSession | undefined {
  return (req as Request & { session?: AuthSession }).session;
}

export function isSafeMethod(method: string): boolean {
  return SAFE_METHODS.has(method.toUpperCase());
}

/** The session's synchronizer token, created on first use. */
export function csrfToken(s: AuthSession): string {
  s.csrf ??= randomBytes(32).toString('base64url');
  return s.csrf;
}

/** True when the request carries its session's CSRF token (header, or `_csrf` in a form body). */
export function csrfValid(req: Request): boolean {
  const expected = sessionOf(req)?.csrf;
  const body = (req.body ?? {}) as Record<string, unknown>;
  const given = req.get(CSRF_HEADER) ?? (typeof body[CSRF_FIELD] === 'string' ? body[CSRF_FIELD] : undefined);
  if (!expected || !given) {
    return false;
  }
  const digest = (s: string) => createHash('sha256').update(s).digest();
  return timingSafeEqual(digest(expected), digest(given));
}

export function cookieName(config: AuthConfig['session']): string {
  // `__Host-` binds the cookie to this exact origin (Secure, Path=/, no Domain).
  return config.secureCookie ? '__Host-isohub.sid' : 'isohub.sid';
}

/**
 * Server-side sessions: an opaque, signed id in an httpOnly, SameSite=Lax cookie; the idle timeout is
 * the cookie's Max-Age, renewed by every answer (`rolling`); nothing is stored before a login starts.
 */
export function sessionMiddleware(config: AuthConfig['session'], store: Store) {
  return session({
    name: cookieName(config),
    secret: config.secret,
    store,
    resave: false,
    saveUninitialized: false,
    rolling: true,
    unset: 'destroy',
    cookie: {
      httpOnly: true,
      sameSite: 'lax',
      secure: config.secureCookie,
      path: '/',
      maxAge: config.idleTimeoutMs,
    },
  });
}

export function regenerateSession(req: Request): Promise<AuthSession> {
  return new Promise((resolve, reject) => {
    const current = sessionOf(req);
    if (!current) {
      reject(new Error('no session middleware'));
      return;
    }
    current.regenerate((err: unknown) => {
      const fresh = sessionOf(req);
      if (err || !fresh) {
        reject(err instanceof Error ? err : new Error('session regenerate failed'));
        return;
      }
      resolve(fresh);
    });
  });
}

export function destroySession(req: Request): Promise<void> {
  return new Promise((resolve, reject) => {
    const current = sessionOf(req);
    if (!current) {
      resolve();
      return;
    }
    current.destroy((err: unknown) =>
      err ? reject(err instanceof Error ? err : new Error('session destroy failed')) : resolve(),
    );
  });
}
