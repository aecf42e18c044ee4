import { type CanActivate, type ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { AUTH_CONFIG, type AuthConfig } from './auth.config';
import { AuthError } from './auth.errors';
import { csrfValid, destroySession, isSafeMethod, sessionOf } from './auth-session';
import { BearerTokenVerifier } from './bearer-token.verifier';
import { type AuthUser, PUBLIC_KEY, ROLES_KEY, type Role, rolesAllow } from './roles';

/**
 * The admin's one gate, global: `@Public()` routes pass; every other route needs a caller from the
 * session or an `Authorization: Bearer` JWT (401), and one of its `@Roles(...)` when it declares them
 * (403). A state-changing request riding on the session cookie must carry the session's CSRF token;
 * bearer requests are exempt (a browser never adds that header on its own).
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    @Inject(AUTH_CONFIG) private readonly config: AuthConfig,
    @Inject(BearerTokenVerifier) private readonly bearer: Pick<BearerTokenVerifier, 'verify'>,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') {
      return true;
    }
    const req = context.switchToHttp().getRequest<Request>();
    const targets = [context.getHandler(), context.getClass()];
    const isPublic = this.reflector.getAllAndOverride<boolean | undefined>(PUBLIC_KEY, targets) === true;
    let user: AuthUser | null;
    try {
      user = await this.authenticate(req);
    } catch (error) {
      if (!isPublic) {
        throw error;
      }
      user = null;
    }
    if (user) {
      (req as Request & { user?: AuthUser }).user = user;
    }
    if (user?.via === 'session' && !isSafeMethod(req.method) && !csrfValid(req)) {
      throw new AuthError(
        'CSRF_INVALID',
        'missing or wrong CSRF token (send the X-CSRF-Token header from GET /auth/csrf)',
      );
    }
    if (isPublic) {
      return true;
    }
    if (!user) {
      throw new AuthError('UNAUTHENTICATED', 'log in, or send a bearer token');
    }
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets) ?? [];
    if (roles.length > 0 && !rolesAllow(user.roles, roles)) {
      throw new AuthError('FORBIDDEN', `this needs one of the roles: ${roles.join(', ')}`);
    }
    return true;
  }

  private async authenticate(req: Request): Promise<AuthUser | null> {
    const header = req.get('authorization');
    if (header !== undefined) {
      const token = /^Bearer +([A-Za-z0-9._~+/-]+=*) *$/i.exec(header)?.[1];
      if (!token) {
        throw new AuthError('INVALID_TOKEN', 'the Authorization header must be "Bearer <token>"');
      }
      return this.bearer.verify(token);
    }
    const auth = sessionOf(req)?.auth;
    if (!auth) {
      return null;
    }
    if (Date.now() - auth.loginAt > this.config.session.absoluteTimeoutMs) {
      await destroySession(req);
      throw new AuthError('UNAUTHENTICATED', 'the session reached its maximum length; log in again');
    }
    return auth.user;
  }
}
