import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AdminStack, startAdminStack } from '../../../test/support/admin-stack';
import { type TestDatabase, freshDatabase } from '../../../test/support/database';
import { TestBrowser, formAction, hiddenFields, signInAtSso } from '../../../test/support/sso-browser';

const JSON_ONLY = { accept: 'application/json' };

let db: TestDatabase;
let stack: AdminStack;

async function me(browser: TestBrowser): Promise<{ status: number; body: Record<string, unknown> }> {
  const page = await browser.request(`${stack.adminUrl}/api/me`, { headers: JSON_ONLY });
  return { status: page.status, body: JSON.parse(page.body) as Record<string, unknown> };
}

async function csrf(browser: TestBrowser): Promise<string> {
  const page = await browser.request(`${stack.adminUrl}/auth/csrf`, { headers: JSON_ONLY });
  return (JSON.parse(page.body) as { csrfToken: string }).csrfToken;
}

beforeAll(async () => {
  db = await freshDatabase();
  stack = await startAdminStack({ databaseUrl: db.url });
});

afterAll(async () => {
  await stack?.stop();
  await db?.drop();
});

describe('admin login through the SSO (authorization code + PKCE)', () => {
  it.each([
    ['admin', { sub: 'admin', roles: ['admin'], agencies: [] }],
    ['mapper', { sub: 'mapper', roles: ['mapper'], agencies: ['*'] }],
    [
      'mapper-h56',
      { sub: 'mapper-h56', name: 'Lê Văn Hùng', roles: ['mapper'], agencies: ['000.00.01.H56'] },
    ],
    ['viewer', { sub: 'viewer', roles: ['viewer'], agencies: [] }],
  ])('logs %s in with the roles and agencies of the SSO token', async (username, expected) => {
    const browser = await stack.signIn(username);

    expect(await me(browser)).toEqual({
      status: 200,
      body: expect.objectContaining({ ...expected, via: 'session' }) as unknown,
    });
  });

  it('sends PKCE S256 to the SSO and sets an httpOnly, SameSite=Lax session cookie under a new id at login', async () => {
    const browser = new TestBrowser();
    const start = await browser.request(`${stack.adminUrl}/auth/login?returnTo=/api/me`);
    const authorize = new URL(start.headers.get('location') ?? '');
    const before = browser.cookie('isohub.sid');
    const back = await signInAtSso(
      browser,
      start,
      { username: 'viewer', password: 'isohub-demo' },
      stack.sso,
    );
    const callback = await browser.request(new URL(back.headers.get('location') ?? '').href);

    expect(start.status).toBe(302);
    expect(authorize.origin + authorize.pathname).toBe(`${stack.sso}/auth`);
    expect(authorize.searchParams.get('code_challenge_method')).toBe('S256');
    expect(authorize.searchParams.get('scope')).toBe('openid profile isohub');
    expect(callback.status).toBe(302);
    expect(callback.headers.get('location')).toBe('/api/me');
    const cookie = callback.headers.getSetCookie().find((c) => c.startsWith('isohub.sid='));
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
    expect(cookie).toMatch(/Path=\//);
    expect(before).toBeDefined();
    expect(browser.cookie('isohub.sid')).not.toBe(before);
  });

  it('refuses an open redirect after login', async () => {
    const browser = new TestBrowser();
    const start = await browser.request(`${stack.adminUrl}/auth/login?returnTo=//evil.example/x`);
    const back = await signInAtSso(
      browser,
      start,
      { username: 'viewer', password: 'isohub-demo' },
      stack.sso,
    );

    const callback = await browser.request(new URL(back.headers.get('location') ?? '').href);

    expect(callback.headers.get('location')).toBe('/');
  });

  it('answers a cancelled login with 401 and a way to try again', async () => {
    const browser = new TestBrowser();
    const loginForm = await browser.follow(await browser.request(`${stack.adminUrl}/auth/login`));
    const abort = new URL(/href="([^"]+\/abort)"/.exec(loginForm.body)?.[1] ?? '', loginForm.url).href;

    const back = await browser.follow(
      await browser.request(abort),
      (next) => !next.href.startsWith(stack.sso),
    );
    const callback = await browser.request(new URL(back.headers.get('location') ?? '').href);

    expect(callback.url).toContain('error=access_denied');
    expect(callback.status).toBe(401);
    expect(callback.body).toContain('Đăng nhập không thành công');
    expect(callback.body).toContain('/auth/login');
    expect((await me(browser)).status).toBe(401);
  });

  it('replaying the callback does not log anyone in', async () => {
    const browser = new TestBrowser();
    const start = await browser.request(`${stack.adminUrl}/auth/login`);
    const back = await signInAtSso(browser, start, { username: 'admin', password: 'isohub-demo' }, stack.sso);
    const callbackUrl = new URL(back.headers.get('location') ?? '').href;
    await browser.request(callbackUrl);

    const replay = await new TestBrowser().request(callbackUrl, { headers: JSON_ONLY });

    expect(replay.status).toBe(401);
    expect(JSON.parse(replay.body)).toMatchObject({ code: 'LOGIN_FAILED' });
  });
});

describe('without a login', () => {
  it('answers API clients 401 problem+json and sends browsers on to the login', async () => {
    const api = await fetch(`${stack.adminUrl}/api/me`, { headers: JSON_ONLY });
    const browser = await fetch(`${stack.adminUrl}/`, { headers: { accept: 'text/html' } });

    expect(api.status).toBe(401);
    expect(api.headers.get('content-type')).toContain('application/problem+json');
    expect(api.headers.get('www-authenticate')).toContain('Bearer');
    expect(await api.json()).toMatchObject({ status: 401, code: 'UNAUTHENTICATED' });
    expect(browser.status).toBe(401);
    expect(await browser.text()).toContain('url=/auth/login?returnTo=%2F');
  });

  it('keeps /health and the OpenAPI document public', async () => {
    expect((await fetch(`${stack.adminUrl}/health`)).status).toBe(200);
    expect((await fetch(`${stack.adminUrl}/api/openapi.json`)).status).toBe(200);
  });
});

describe('the status page', () => {
  it('shows the signed-in user and a logout button carrying the CSRF token', async () => {
    const browser = await stack.signIn('viewer');

    const page = await browser.request(`${stack.adminUrl}/status`);

    expect(page.status).toBe(200);
    expect(page.body).toContain('Tình trạng hệ thống');
    expect(page.body).toContain('Phạm Thu Hà');
    expect(hiddenFields(page)['_csrf']).toBe(await csrf(browser));
  });
});

describe('CSRF protection and logout', () => {
  it('refuses a state-changing request on the session without its CSRF token', async () => {
    const browser = await stack.signIn('admin');

    const missing = await browser.request(`${stack.adminUrl}/auth/logout`, {
      method: 'POST',
      headers: JSON_ONLY,
    });
    const wrong = await browser.request(`${stack.adminUrl}/auth/logout`, {
      method: 'POST',
      headers: { ...JSON_ONLY, 'x-csrf-token': 'forged' },
    });

    expect(missing.status).toBe(403);
    expect(JSON.parse(missing.body)).toMatchObject({ code: 'CSRF_INVALID' });
    expect(wrong.status).toBe(403);
    expect((await me(browser)).status).toBe(200);
  });

  it('logs out of the admin and of the SSO, so the next login asks for the password again', async () => {
    const browser = await stack.signIn('mapper');
    const token = await csrf(browser);

    const logout = await browser.submit(`${stack.adminUrl}/auth/logout`, { _csrf: token });
    const afterwards = await me(browser);
    const ssoLogout = await browser.request(logout.headers.get('location') ?? '');
    const confirmed = await browser.submit(formAction(ssoLogout, '/session/end'), {
      ...hiddenFields(ssoLogout),
      logout: 'yes',
    });
    const landed = await browser.follow(confirmed);
    const again = await browser.follow(await browser.request(`${stack.adminUrl}/auth/login`));

    expect(logout.status).toBe(303);
    expect(logout.headers.get('location')).toMatch(new RegExp(`^${stack.sso}/session/end\\?`));
    expect(new URL(logout.headers.get('location') ?? '').searchParams.get('id_token_hint')).toBeTruthy();
    expect(afterwards.status).toBe(401);
    expect(ssoLogout.body).toContain('Đăng xuất');
    expect(landed.url).toBe(`${stack.adminUrl}/auth/logged-out`);
    expect(landed.body).toContain('Đã đăng xuất');
    expect(again.body).toContain('Tên đăng nhập / Username');
  });
});

describe('bearer tokens (client credentials) for automation', () => {
  it('authenticate /api/me with the roles the SSO gives the automation client', async () => {
    const token = await stack.automationToken();

    const res = await fetch(`${stack.adminUrl}/api/me`, { headers: { authorization: `Bearer ${token}` } });

    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      sub: 'isohub-automation',
      name: 'isohub-automation',
      roles: ['mapper'],
      agencies: ['*'],
      via: 'bearer',
    });
  });

  it('refuse a tampered token, a token for another audience and a malformed header with 401', async () => {
    const token = await stack.automationToken();
    const [header, payload, signature = ''] = token.split('.');
    const tampered = `${header}.${payload}.${signature.slice(0, -4)}AAAA`;
    const wrongAudience = `${header}.${Buffer.from(
      JSON.stringify({ ...decodeJwt(token), aud: 'someone-else' }),
    ).toString('base64url')}.${signature}`;

    for (const authorization of [`Bearer ${tampered}`, `Bearer ${wrongAudience}`, 'Basic abc']) {
      const res = await fetch(`${stack.adminUrl}/api/me`, { headers: { authorization } });
      expect(res.status, authorization.slice(0, 20)).toBe(401);
      expect(res.headers.get('www-authenticate')).toContain('invalid_token');
    }
  });

  it('need no CSRF token: they are not cookie-authenticated', async () => {
    const token = await stack.automationToken();

    const res = await fetch(`${stack.adminUrl}/auth/logout`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, ...JSON_ONLY },
      redirect: 'manual',
    });

    expect(res.status).toBe(303);
  });
});

describe('session expiry', () => {
  it('ends a session left idle longer than the idle timeout', async () => {
    const shortDb = await freshDatabase();
    const short = await startAdminStack({
      databaseUrl: shortDb.url,
      tweak: (config) => {
        config.auth.session.idleTimeoutMs = 1_500;
      },
    });
    try {
      const browser = await short.signIn('viewer');
      const fresh = await browser.request(`${short.adminUrl}/api/me`, { headers: JSON_ONLY });
      // The browser would drop the cookie itself (Max-Age); the server must not accept it either.
      const sid = browser.cookie('isohub.sid') ?? '';
      await new Promise((r) => setTimeout(r, 2_000));

      const idle = await fetch(`${short.adminUrl}/api/me`, {
        headers: { ...JSON_ONLY, cookie: `isohub.sid=${sid}` },
      });

      expect(fresh.status).toBe(200);
      expect(idle.status).toBe(401);
    } finally {
      await short.stop();
      await shortDb.drop();
    }
  });
});

describe('while the SSO is down', () => {
  it('keeps /health up and answers logins and bearer calls 503 with an errorId', async () => {
    const downDb = await freshDatabase();
    const down = await startAdminStack({
      databaseUrl: downDb.url,
      adminEnv: { OIDC_ISSUER_URL: 'http://127.0.0.1:9/sso' },
    });
    try {
      const health = await fetch(`${down.adminUrl}/health`);
      const login = await fetch(`${down.adminUrl}/auth/login`, { headers: JSON_ONLY, redirect: 'manual' });
      const bearer = await fetch(`${down.adminUrl}/api/me`, {
        headers: { ...JSON_ONLY, authorization: 'Bearer a.b.c' },
      });

      expect(health.status).toBe(200);
      expect(login.status).toBe(503);
      expect(await login.json()).toMatchObject({
        code: 'SSO_UNAVAILABLE',
        errorId: expect.any(String) as string,
      });
      expect(bearer.status).toBe(503);
    } finally {
      await down.stop();
      await downDb.drop();
    }
  });
});
