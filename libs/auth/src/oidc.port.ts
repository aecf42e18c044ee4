import type { Request, Response } from 'express';

/** What a completed authorization-code login yields: the verified ID token's claims and the token. */
export interface OidcLogin {
  claims: Record<string, unknown>;
  idToken: string | null;
}

export interface IssuerKeys {
  issuer: string;
  jwksUri: string;
}

/**
 * The SSO (OpenID Provider), as the admin app needs it. Failures are AuthErrors: LOGIN_FAILED when
 * the SSO said no (cancelled, replayed code, lost state), SSO_UNAVAILABLE when it could not be used.
 */
export interface OidcPort {
  /** The issuer identifier and its signing keys' URL, from discovery. */
  issuerKeys(): Promise<IssuerKeys>;
  /** Answers with the redirect to the SSO (authorization code + PKCE; the verifier waits in the session). */
  redirectToLogin(req: Request, res: Response, callbackUrl: string): Promise<void>;
  /** Takes the SSO's callback request: redeems the code and verifies the ID token. */
  completeLogin(req: Request, res: Response, callbackUrl: string): Promise<OidcLogin>;
  /** RP-initiated logout URL at the SSO, or null when the SSO has none. */
  endSessionUrl(params: {
    idTokenHint: string | null;
    postLogoutRedirectUri: string;
  }): Promise<string | null>;
}

export const OIDC_PORT = Symbol('OIDC_PORT');
