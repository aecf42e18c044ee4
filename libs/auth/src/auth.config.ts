import type { InjectionToken } from '@nestjs/common';
import type { Store } from 'express-session';

/** What the admin app tells the auth lib (read and validated in the app's config file). */
export interface AuthConfig {
  /** Origin users reach the app at (callback and post-logout URLs); null: the request's own host, dev only. */
  publicUrl: string | null;
  oidc: {
    issuerUrl: string;
    clientId: string;
    /** null: a public client (PKCE only); else client_secret_basic. */
    clientSecret: string | null;
    scopes: string;
    /** `aud` bearer tokens must carry: the admin API's resource indicator at the SSO. */
    apiAudience: string;
    /** Claim (dot path, e.g. `realm_access.roles`) holding the roles, and the one holding agency codes. */
    rolesClaim: string;
    agenciesClaim: string;
    /** Accept an http:// issuer (the sandbox SSO); never in production. */
    allowInsecureIssuer: boolean;
  };
  session: {
    secret: string;
    /** Cookie `Secure` flag; on, the cookie also gets the `__Host-` prefix. */
    secureCookie: boolean;
    /** A session unused this long ends. */
    idleTimeoutMs: number;
    /** A session ends this long after login, however busy. */
    absoluteTimeoutMs: number;
    /** Pre-login state (OIDC state, PKCE verifier) lives this long at most. */
    preLoginTtlMs?: number;
    /** At most this many pre-login sessions are kept (the oldest go); logged-in ones never count. */
    preLoginMax?: number;
  };
}

export interface AuthModuleOptions {
  /**
   * Where sessions live. Default: in this process's memory, which is right for one admin instance
   * (sessions end on restart); several instances need a shared store (express-session `Store`).
   */
  sessionStore?: Store | SessionStoreFactory;
}

/** A store built from providers of the app (e.g. PostgresSessionStore over the app's DataSource). */
export interface SessionStoreFactory {
  inject: InjectionToken[];
  useFactory: (...deps: never[]) => Store;
}

export const AUTH_CONFIG = Symbol('AUTH_CONFIG');

export const AUTH_PATHS = {
  login: '/auth/login',
  callback: '/auth/callback',
  loggedOut: '/auth/logged-out',
} as const;
