import { Inject, Injectable } from '@nestjs/common';
import type { Request, Response } from 'express';
import { AUTH_CONFIG, AUTH_PATHS, type AuthConfig } from './auth.config';
import { destroySession, regenerateSession, sessionOf } from './auth-session';
import { userFromClaims } from './claims.mapper';
import { OIDC_PORT, type OidcPort } from './oidc.port';
import type { AuthUser } from './roles';

/** Only same-origin paths: an open redirect after login would be a phishing helper. */
export function safeReturnTo(value: unknown): string {
  return typeof value === 'string' && /^\/(?![/\\])/.test(value) ? value : '/';
}

/**
 * The browser login: redirect to the SSO, take its callback, then a fresh session id (no fixation)
 * holding the caller and the ID token (kept for the logout hint, never sent to the browser).
 */
@Injectable()
export class LoginFlow {
  constructor(
    @Inject(AUTH_CONFIG) private readonly config: AuthConfig,
    @Inject(OIDC_PORT) private readonly oidc: OidcPort,
  ) {}

  /** Answers with the redirect to the SSO's authorization endpoint. */
  async start(req: Request, res: Response, returnTo: unknown): Promise<void> {
    const session = sessionOf(req);
    if (!session) {
      throw new Error('LoginFlow needs the session middleware');
    }
    session.returnTo = safeReturnTo(returnTo);
    await this.oidc.redirectToLogin(req, res, this.url(req, AUTH_PATHS.callback));
  }

  /** Completes the login from the SSO's callback; returns the caller and where to send the browser. */
  async finish(req: Request, res: Response): Promise<{ user: AuthUser; returnTo: string }> {
    const returnTo = safeReturnTo(sessionOf(req)?.returnTo);
    const login = await this.oidc.completeLogin(req, res, this.url(req, AUTH_PATHS.callback));
    const user = userFromClaims(login.claims, this.config.oidc, 'session');
    const session = await regenerateSession(req);
    session.auth = { user, idToken: login.idToken, loginAt: Date.now() };
    return { user, returnTo };
  }

  /** Ends the session; returns the SSO's logout URL (RP-initiated logout), or the local signed-out page. */
  async logout(req: Request): Promise<string> {
    const idToken = sessionOf(req)?.auth?.idToken ?? null;
    const loggedOut = this.url(req, AUTH_PATHS.loggedOut);
    await destroySession(req);
    try {
      return (
        (await this.oidc.endSessionUrl({ idTokenHint: idToken, postLogoutRedirectUri: loggedOut })) ??
        loggedOut
      );
    } catch {
      // The local session is gone either way; the SSO session ends at its own expiry.
      return loggedOut;
    }
  }

  private url(req: Request, path: string): string {
    return `${this.config.publicUrl ?? `${req.protocol}://${req.get('host') ?? 'localhost'}`}${path}`;
  }
}
