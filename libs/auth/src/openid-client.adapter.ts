import type { Request, Response } from 'express';
import * as client from 'openid-client';
import { type AuthenticateOptions, Strategy as OidcStrategy } from 'openid-client/passport';
import passport from 'passport';
import type { AuthConfig } from './auth.config';
import { AuthError } from './auth.errors';
import type { IssuerKeys, OidcLogin, OidcPort } from './oidc.port';

const STRATEGY = 'isohub-oidc';

/**
 * The SSO through openid-client and its passport strategy (authorization code + PKCE S256). Discovery
 * happens at first use and again after a failure, so the admin starts, and keeps answering `/health`,
 * while the SSO is down.
 */
export class OpenIdClientAdapter implements OidcPort {
  private readonly passport = new passport.Passport();
  private discovered: Promise<client.Configuration> | null = null;
  private strategyReady: Promise<void> | null = null;

  constructor(private readonly config: AuthConfig['oidc']) {}

  async issuerKeys(): Promise<IssuerKeys> {
    const metadata = (await this.configuration()).serverMetadata();
    if (!metadata.jwks_uri) {
      throw new AuthError('SSO_UNAVAILABLE', 'the SSO publishes no jwks_uri');
    }
    return { issuer: metadata.issuer, jwksUri: metadata.jwks_uri };
  }

  async redirectToLogin(req: Request, res: Response, callbackUrl: string): Promise<void> {
    await this.ensureStrategy();
    await new Promise<void>((resolve, reject) => {
      res.once('finish', () => resolve());
      this.authenticate({ callbackURL: callbackUrl }, undefined)(req, res, (error?: unknown) =>
        reject(this.loginError(error)),
      );
    });
  }

  async completeLogin(req: Request, res: Response, callbackUrl: string): Promise<OidcLogin> {
    await this.ensureStrategy();
    return new Promise<OidcLogin>((resolve, reject) => {
      const done = (error: unknown, login?: OidcLogin | false, info?: { message?: string }): void => {
        if (error) {
          reject(this.loginError(error));
        } else if (login) {
          resolve(login);
        } else {
          reject(new AuthError('LOGIN_FAILED', info?.message ?? 'the SSO did not complete the login'));
        }
      };
      this.authenticate({ callbackURL: callbackUrl, session: false }, done)(req, res, (error?: unknown) =>
        reject(this.loginError(error)),
      );
    });
  }

  async endSessionUrl(params: {
    idTokenHint: string | null;
    postLogoutRedirectUri: string;
  }): Promise<string | null> {
    const config = await this.configuration();
    if (!config.serverMetadata().end_session_endpoint) {
      return null;
    }
    const query: Record<string, string> = {
      client_id: this.config.clientId,
      post_logout_redirect_uri: params.postLogoutRedirectUri,
    };
    if (params.idTokenHint) {
      query['id_token_hint'] = params.idTokenHint;
    }
    return client.buildEndSessionUrl(config, query).href;
  }

  private authenticate(
    options: AuthenticateOptions,
    done: ((error: unknown, login?: OidcLogin | false, info?: { message?: string }) => void) | undefined,
  ) {
    // openid-client's options extend passport's with `callbackURL`, which passport's types do not know.
    return this.passport.authenticate(STRATEGY, options as passport.AuthenticateOptions, done) as (
      req: Request,
      res: Response,
      next: (error?: unknown) => void,
    ) => void;
  }

  private ensureStrategy(): Promise<void> {
    this.strategyReady ??= this.configuration().then(
      (config) => {
        const strategy = new OidcStrategy(
          { config, scope: this.config.scopes, name: STRATEGY, sessionKey: 'oidc:request' },
          (tokens, verified) => {
            const login: OidcLogin = {
              claims: { ...(tokens.claims() ?? {}) },
              idToken: tokens.id_token ?? null,
            };
            verified(null, login);
          },
        );
        // Structurally a passport strategy; its `this`-typed methods differ from @types/passport's.
        this.passport.use(STRATEGY, strategy as unknown as passport.Strategy);
      },
      (error: unknown) => {
        this.strategyReady = null;
        throw error;
      },
    );
    return this.strategyReady;
  }

  private loginError(error: unknown): AuthError {
    if (error instanceof AuthError) {
      return error;
    }
    // An OAuth error answer: invalid_grant for a replayed or expired code, error= in the callback.
    if (error instanceof client.ResponseBodyError || error instanceof client.AuthorizationResponseError) {
      return new AuthError('LOGIN_FAILED', `the SSO refused the login: ${error.error}`, { cause: error });
    }
    const message = error instanceof Error ? error.message : String(error);
    return new AuthError('SSO_UNAVAILABLE', `login at the SSO failed: ${message}`, { cause: error });
  }

  private configuration(): Promise<client.Configuration> {
    const { issuerUrl, clientId, clientSecret, allowInsecureIssuer } = this.config;
    this.discovered ??= client
      .discovery(
        new URL(issuerUrl),
        clientId,
        undefined,
        clientSecret === null ? client.None() : client.ClientSecretBasic(clientSecret),
        { execute: allowInsecureIssuer ? [client.allowInsecureRequests] : [], timeout: 5 },
      )
      .catch((error: unknown) => {
        this.discovered = null;
        throw new AuthError('SSO_UNAVAILABLE', `OIDC discovery at ${issuerUrl} failed`, { cause: error });
      });
    return this.discovered;
  }
}
