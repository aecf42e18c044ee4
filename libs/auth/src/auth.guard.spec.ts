import type { ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { describe, expect, it, vi } from 'vitest';
import type { AuthConfig } from './auth.config';
import { AuthError } from './auth.errors';
import type { AuthSession } from './auth-session';
import { AuthGuard } from './auth.guard';
import { type AuthUser, Public, type Role, Roles } from './roles';

class Routes {
  @Public() open(): void {}
  anyUser(): void {}
  @Roles('viewer') read(): void {}
  @Roles('mapper') write(): void {}
  @Roles('admin') adminOnly(): void {}
}

@Roles('mapper')
class MapperRoutes {
  list(): void {}
  @Roles('viewer') read(): void {}
  @Public() health(): void {}
}

const CONFIG = {
  session: {
    absoluteTimeoutMs: 8 * 3_600_000,
    idleTimeoutMs: 1_800_000,
    secret: 's'.repeat(16),
    secureCookie: false,
  },
  oidc: { rolesClaim: 'roles', agenciesClaim: 'agencies' },
} as AuthConfig;

const user = (roles: Role[], via: AuthUser['via'] = 'session'): AuthUser => ({
  sub: roles.join('+') || 'nobody',
  name: null,
  roles,
  agencies: [],
  via,
});

interface FakeRequest {
  method: string;
  headers: Record<string, string>;
  body?: unknown;
  session?: Partial<AuthSession>;
  user?: AuthUser;
}

function request(opts: {
  method?: string;
  sessionUser?: AuthUser;
  loginAt?: number;
  csrf?: string;
  headers?: Record<string, string>;
  body?: unknown;
}): FakeRequest & { get(name: string): string | undefined; destroyed: boolean } {
  const req = {
    method: opts.method ?? 'GET',
    headers: opts.headers ?? {},
    body: opts.body,
    destroyed: false,
    session: {
      csrf: opts.csrf,
      auth: opts.sessionUser
        ? { user: opts.sessionUser, idToken: null, loginAt: opts.loginAt ?? Date.now() }
        : undefined,
      destroy(cb: (err?: unknown) => void) {
        req.destroyed = true;
        cb();
        return this as AuthSession;
      },
    } as Partial<AuthSession>,
    get(name: string) {
      return req.headers[name.toLowerCase()];
    },
  };
  return req;
}

function context(target: object, method: string, req: FakeRequest): ExecutionContext {
  const cls = target.constructor;
  return {
    getType: () => 'http',
    getClass: () => cls,
    getHandler: () => (target as Record<string, unknown>)[method],
    switchToHttp: () => ({ getRequest: () => req as unknown as Request }),
  } as unknown as ExecutionContext;
}

const bearerUser = user(['viewer'], 'bearer');
const verify = vi.fn(async (token: string): Promise<AuthUser> => {
  if (token !== 'good.jwt.token') {
    throw new AuthError('INVALID_TOKEN', 'bad');
  }
  return bearerUser;
});
const guard = new AuthGuard(new Reflector(), CONFIG, { verify });
const routes = new Routes();
const mapperRoutes = new MapperRoutes();

async function outcome(target: object, method: string, req: FakeRequest): Promise<string> {
  try {
    return String(await guard.canActivate(context(target, method, req)));
  } catch (error) {
    return error instanceof AuthError ? error.code : `unexpected ${String(error)}`;
  }
}

describe('AuthGuard', () => {
  it('lets anyone through a public route and everyone else only with a login', async () => {
    expect(await outcome(routes, 'open', request({}))).toBe('true');
    expect(await outcome(routes, 'anyUser', request({}))).toBe('UNAUTHENTICATED');
    expect(await outcome(routes, 'anyUser', request({ sessionUser: user([]) }))).toBe('true');
  });

  it.each([
    ['viewer', 'read', 'true'],
    ['viewer', 'write', 'FORBIDDEN'],
    ['viewer', 'adminOnly', 'FORBIDDEN'],
    ['mapper', 'read', 'true'],
    ['mapper', 'write', 'true'],
    ['mapper', 'adminOnly', 'FORBIDDEN'],
    ['admin', 'read', 'true'],
    ['admin', 'write', 'true'],
    ['admin', 'adminOnly', 'true'],
  ] as const)('%s on %s: %s', async (role, method, expected) => {
    expect(await outcome(routes, method, request({ sessionUser: user([role]) }))).toBe(expected);
  });

  it('applies class-level roles, overridden by the method', async () => {
    const viewer = user(['viewer']);

    expect(await outcome(mapperRoutes, 'list', request({ sessionUser: viewer }))).toBe('FORBIDDEN');
    expect(await outcome(mapperRoutes, 'read', request({ sessionUser: viewer }))).toBe('true');
    expect(await outcome(mapperRoutes, 'health', request({}))).toBe('true');
  });

  it('puts the caller on the request', async () => {
    const req = request({ sessionUser: user(['mapper']) });

    await guard.canActivate(context(routes, 'write', req));

    expect(req.user).toMatchObject({ roles: ['mapper'], via: 'session' });
  });

  it('needs the CSRF token on state-changing session requests, in the header or a form field', async () => {
    const mapper = user(['mapper']);

    expect(
      await outcome(routes, 'write', request({ method: 'POST', sessionUser: mapper, csrf: 't0k' })),
    ).toBe('CSRF_INVALID');
    expect(
      await outcome(
        routes,
        'write',
        request({ method: 'DELETE', sessionUser: mapper, csrf: 't0k', headers: { 'x-csrf-token': 'other' } }),
      ),
    ).toBe('CSRF_INVALID');
    expect(
      await outcome(
        routes,
        'write',
        request({ method: 'PUT', sessionUser: mapper, csrf: 't0k', headers: { 'x-csrf-token': 't0k' } }),
      ),
    ).toBe('true');
    expect(
      await outcome(
        routes,
        'open',
        request({ method: 'POST', sessionUser: mapper, csrf: 't0k', body: { _csrf: 't0k' } }),
      ),
    ).toBe('true');
    expect(await outcome(routes, 'open', request({ method: 'POST', sessionUser: mapper, csrf: 't0k' }))).toBe(
      'CSRF_INVALID',
    );
  });

  it('authenticates bearer tokens, which need no CSRF token', async () => {
    const headers = { authorization: 'Bearer good.jwt.token' };

    expect(await outcome(routes, 'read', request({ method: 'POST', headers }))).toBe('true');
    expect(await outcome(routes, 'write', request({ method: 'POST', headers }))).toBe('FORBIDDEN');
    expect(verify).toHaveBeenCalledWith('good.jwt.token');
  });

  it('refuses a bad or malformed bearer token, except on public routes', async () => {
    expect(
      await outcome(routes, 'read', request({ headers: { authorization: 'Bearer bad.jwt.token' } })),
    ).toBe('INVALID_TOKEN');
    expect(await outcome(routes, 'read', request({ headers: { authorization: 'Basic dXNlcjpwdw==' } }))).toBe(
      'INVALID_TOKEN',
    );
    expect(
      await outcome(routes, 'open', request({ headers: { authorization: 'Bearer bad.jwt.token' } })),
    ).toBe('true');
  });

  it('ends a session past its absolute maximum, however recently used', async () => {
    const req = request({
      sessionUser: user(['admin']),
      loginAt: Date.now() - CONFIG.session.absoluteTimeoutMs - 1,
    });

    expect(await outcome(routes, 'read', req)).toBe('UNAUTHENTICATED');
    expect(req.destroyed).toBe(true);
  });
});
