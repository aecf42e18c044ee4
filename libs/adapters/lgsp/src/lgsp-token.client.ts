import { Logger } from '@nestjs/common';
import type { AxiosInstance } from 'axios';
import { bodyText, createLgspHttp, type LgspRequestGate, toLgspError } from './lgsp-http';
import type { LgspConfig } from './lgsp.config';
import { isLgspError, LgspError, lgspErrorForStatus } from './lgsp.errors';

interface CachedToken {
  value: string;
  /** From this instant on, the next call fetches a new token first. */
  refreshAt: number;
  /** After this instant the token is never sent. */
  expiresAt: number;
}

export type LgspTokenConfig = Pick<
  LgspConfig,
  | 'tokenUrl'
  | 'clientId'
  | 'clientSecret'
  | 'clientAuth'
  | 'scope'
  | 'timeoutMs'
  | 'tokenRefreshSkewMs'
  | 'defaultTokenTtlSeconds'
  | 'maxResponseBytes'
  | 'headers'
>;

/** §2.3.1: Basic credentials are the form-urlencoded client id and secret. */
function basicAuth(id: string, secret: string): string {
  const form = (s: string) => encodeURIComponent(s).replace(/%20/g, '+');
  return `Basic ${Buffer.from(`${form(id)}:${form(secret)}`).toString('base64')}`;
}

/**
 * OAuth2 client-credentials tokens for one bus (RFC 6749 §4.4; DOMAIN.md §4.4). A token is cached and renewed
 * `tokenRefreshSkewMs` before it expires (or at half its life, whichever comes first); concurrent callers
 * that need a new one share a single request; a call the bus answers with 401 gets a fresh token and is tried
 * once more. When an early refresh fails, the still-valid token keeps being used until it really expires.
 * Tokens and secrets are never logged.
 */
export class LgspTokenClient {
  private readonly logger = new Logger(LgspTokenClient.name);
  private readonly http: AxiosInstance;
  private cached: CachedToken | null = null;
  private pending: Promise<CachedToken> | null = null;
  private readonly now: () => number;
  /** Token requests made so far (for health and tests). */
  fetches = 0;

  constructor(
    private readonly config: LgspTokenConfig,
    options: { http?: AxiosInstance; now?: () => number; gate?: LgspRequestGate } = {},
  ) {
    this.http = options.http ?? createLgspHttp(config, options.gate);
    this.now = options.now ?? Date.now;
  }

  /** A token to send now: the cached one, or a fresh one when it is due for renewal. */
  async token(): Promise<string> {
    const cached = this.cached;
    const now = this.now();
    if (cached && now < cached.refreshAt) {
      return cached.value;
    }
    if (cached && now < cached.expiresAt) {
      try {
        return (await this.refresh()).value;
      } catch (error) {
        this.logger.warn(
          `early token refresh failed (${isLgspError(error) ? error.code : String(error)}); ` +
            `the current token stays valid for ${Math.round((cached.expiresAt - now) / 1000)} s`,
        );
        return cached.value;
      }
    }
    return (await this.refresh()).value;
  }

  /** Forgets `token` (the bus refused it) unless a newer one has replaced it meanwhile. */
  invalidate(token: string): void {
    if (this.cached?.value === token) {
      this.cached = null;
    }
  }

  /** Forgets the cached token: the next call fetches a new one. */
  reset(): void {
    this.cached = null;
  }

  /**
   * Runs `call` with a token. When it fails with AUTH_FAILED on HTTP 401 (the bus no longer honours the
   * token: revoked, expired early, bus restarted), the token is dropped and the call made once more with a
   * fresh one; a second 401 is the caller's AUTH_FAILED.
   */
  async withToken<T>(call: (token: string) => Promise<T>): Promise<T> {
    const first = await this.token();
    try {
      return await call(first);
    } catch (error) {
      if (!(isLgspError(error) && error.code === 'AUTH_FAILED' && error.httpStatus === 401)) {
        throw error;
      }
      this.logger.warn('the LGSP refused the cached token (HTTP 401); fetching a new one');
      this.invalidate(first);
      return call(await this.token());
    }
  }

  /** Fetches a token now, bypassing the cache; resolves with the seconds it lives. */
  async check(): Promise<number> {
    this.cached = null;
    const fresh = await this.refresh();
    return Math.round((fresh.expiresAt - this.now()) / 1000);
  }

  private refresh(): Promise<CachedToken> {
    this.pending ??= this.fetch().finally(() => {
      this.pending = null;
    });
    return this.pending;
  }

  private async fetch(): Promise<CachedToken> {
    const what = 'token';
    const form = new URLSearchParams({ grant_type: 'client_credentials' });
    const headers: Record<string, string> = {
      'Content-Type': 'application/x-www-form-urlencoded',
      Accept: 'application/json',
    };
    if (this.config.clientAuth === 'basic') {
      headers['Authorization'] = basicAuth(this.config.clientId, this.config.clientSecret);
    } else {
      form.set('client_id', this.config.clientId);
      form.set('client_secret', this.config.clientSecret);
    }
    if (this.config.scope !== null) {
      form.set('scope', this.config.scope);
    }
    this.fetches += 1;
    const sentAt = this.now();
    let status: number;
    let text: string;
    try {
      const response = await this.http.post<string>(this.config.tokenUrl, form.toString(), { headers });
      status = response.status;
      text = bodyText(response);
    } catch (error) {
      throw toLgspError(error, what);
    }
    if (status === 400 || status === 401) {
      // RFC 6749 §5.2: invalid_client / unauthorized_client / invalid_grant are credentials problems.
      throw new LgspError(
        'AUTH_FAILED',
        `token: client credentials refused (${oauthError(text) ?? `HTTP ${status}`})`,
        {
          httpStatus: status,
        },
      );
    }
    if (status >= 300) {
      throw lgspErrorForStatus(status, what);
    }
    const cached = this.readToken(text, sentAt);
    this.cached = cached;
    this.logger.debug(
      `token obtained for ${this.config.clientId}, valid ${Math.round((cached.expiresAt - sentAt) / 1000)} s`,
    );
    return cached;
  }

  /** RFC 6749 §5.1 answer -> cache entry; the lifetime counts from when the request was sent. */
  private readToken(text: string, sentAt: number): CachedToken {
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      throw new LgspError('BAD_RESPONSE', 'token: the answer is not JSON');
    }
    const record = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
    const value = record['access_token'];
    if (typeof value !== 'string' || value === '') {
      throw new LgspError('BAD_RESPONSE', 'token: the answer has no access_token');
    }
    const type = record['token_type'];
    if (typeof type === 'string' && type.toLowerCase() !== 'bearer') {
      throw new LgspError('BAD_RESPONSE', `token: token_type "${type}" is not Bearer`, { retryable: false });
    }
    // WSO2 sends a number; some gateways send a string.
    const raw = record['expires_in'];
    const seconds = typeof raw === 'number' ? raw : typeof raw === 'string' ? Number(raw) : NaN;
    const lifetimeMs =
      (Number.isFinite(seconds) && seconds > 0 ? seconds : this.config.defaultTokenTtlSeconds) * 1000;
    const skew = Math.min(this.config.tokenRefreshSkewMs, lifetimeMs / 2);
    return { value, refreshAt: sentAt + lifetimeMs - skew, expiresAt: sentAt + lifetimeMs };
  }
}

function oauthError(text: string): string | null {
  try {
    const body = JSON.parse(text) as Record<string, unknown>;
    return typeof body['error'] === 'string' ? body['error'] : null;
  } catch {
    return null;
  }
}
