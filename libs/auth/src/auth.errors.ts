export type AuthErrorCode =
  /** No session and no bearer token, or an expired session. */
  | 'UNAUTHENTICATED'
  /** A bearer token that failed verification (signature, issuer, audience, expiry). */
  | 'INVALID_TOKEN'
  /** Logged in, but no role the route asks for. */
  | 'FORBIDDEN'
  /** A state-changing request from a session without the session's CSRF token. */
  | 'CSRF_INVALID'
  /** The SSO refused or broke off the login (user cancelled, state lost, error= in the callback). */
  | 'LOGIN_FAILED'
  /** The SSO could not be reached or answered nonsense (discovery, token exchange, JWKS). */
  | 'SSO_UNAVAILABLE';

/** The auth lib's one error type; the HTTP status is decided in AuthErrorFilter, at the edge. */
export class AuthError extends Error {
  readonly retryable: boolean;

  constructor(
    readonly code: AuthErrorCode,
    message: string,
    options: { cause?: unknown } = {},
  ) {
    super(message, options);
    this.name = 'AuthError';
    this.retryable = code === 'SSO_UNAVAILABLE';
  }
}
