import { Inject, Injectable } from '@nestjs/common';
import { type JWTVerifyGetKey, createRemoteJWKSet, errors, jwtVerify } from 'jose';
import { AUTH_CONFIG, type AuthConfig } from './auth.config';
import { AuthError } from './auth.errors';
import { userFromClaims } from './claims.mapper';
import { OIDC_PORT, type OidcPort } from './oidc.port';
import type { AuthUser } from './roles';

const ASYMMETRIC = ['RS256', 'PS256', 'ES256', 'ES384', 'RS384', 'RS512', 'PS384', 'PS512', 'EdDSA'];

/**
 * Verifies `Authorization: Bearer` JWT access tokens (RFC 9068: `typ: at+jwt`) against the issuer's
 * JWKS: signature, issuer, audience (the admin API's resource indicator) and expiry. Keys are
 * cached and refetched when a token names an unknown `kid` (jose's remote JWK set).
 */
@Injectable()
export class BearerTokenVerifier {
  private keys: { uri: string; get: JWTVerifyGetKey } | null = null;

  constructor(
    @Inject(AUTH_CONFIG) private readonly config: AuthConfig,
    @Inject(OIDC_PORT) private readonly oidc: OidcPort,
  ) {}

  async verify(token: string): Promise<AuthUser> {
    const { issuer, jwksUri } = await this.oidc.issuerKeys();
    if (this.keys?.uri !== jwksUri) {
      this.keys = {
        uri: jwksUri,
        get: createRemoteJWKSet(new URL(jwksUri), { timeoutDuration: 5_000, cooldownDuration: 30_000 }),
      };
    }
    try {
      const { payload } = await jwtVerify(token, this.keys.get, {
        issuer,
        audience: this.config.oidc.apiAudience,
        typ: 'at+jwt',
        algorithms: ASYMMETRIC,
        requiredClaims: ['exp'],
        clockTolerance: 5,
      });
      return userFromClaims(payload, this.config.oidc, 'bearer');
    } catch (error) {
      if (error instanceof AuthError) {
        throw error;
      }
      if (
        error instanceof errors.JOSEError &&
        !(error instanceof errors.JWKSTimeout || error instanceof errors.JWKSInvalid)
      ) {
        throw new AuthError('INVALID_TOKEN', `bearer token refused: ${error.code}`, { cause: error });
      }
      throw new AuthError('SSO_UNAVAILABLE', 'the SSO signing keys could not be fetched', { cause: error });
    }
  }
}
