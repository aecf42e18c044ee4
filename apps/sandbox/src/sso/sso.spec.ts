import { createHash, randomBytes } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import { createRemoteJWKSet, decodeJwt, jwtVerify } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestBrowser, formAction, signInAtSso } from '../../../../test/support/sso-browser';
import { createSandboxApp } from '../sandbox.app';
import { loadSandboxConfig } from '../sandbox.config';
import { SSO_DEFAULTS } from './sso.config';

let app: INestApplication;
let base: string;
let sso: string;
// Registered on port 8081; the sandbox accepts any loopback port (RFC 8252 §7.3).
const CALLBACK = 'http://127.0.0.1:39999/auth/callback';
const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;

async function clientCredentials(secret: string = SSO_DEFAULTS.automationClientSecret): Promise<Response> {
  return fetch(`${sso}/token`, {
    method: 'POST',
    headers: {
      authorization: basic(SSO_DEFAULTS.automationClientId, secret),
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: 'grant_type=client_credentials',
  });
}

function authorizationUrl(params: Record<string, string> = {}): { url: string; verifier: string } {
  const verifier = randomBytes(32).toString('base64url');
  const query = new URLSearchParams({
    client_id: SSO_DEFAULTS.adminClientId,
    response_type: 'code',
    scope: 'openid profile isohub',
    redirect_uri: CALLBACK,
    code_challenge: createHash('sha256').update(verifier).digest('base64url'),
    code_challenge_method: 'S256',
    ...params,
  });
  return { url: `${sso}/auth?${query.toString()}`, verifier };
}

beforeAll(async () => {
  app = await createSandboxApp(loadSandboxConfig({ SANDBOX_PORT: '0' }), { logger: false });
  await app.listen(0, '127.0.0.1');
  base = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  sso = `${base}/sso`;
});

afterAll(async () => {
  await app.close();
});

describe('development SSO', () => {
  it('publishes its discovery document for the port it listens on, with PKCE and client credentials', async () => {
    const doc = (await (await fetch(`${sso}/.well-known/openid-configuration`)).json()) as Record<
      string,
      unknown
    >;

    expect(doc).toMatchObject({
      issuer: sso,
      authorization_endpoint: `${sso}/auth`,
      jwks_uri: `${sso}/jwks`,
      end_session_endpoint: `${sso}/session/end`,
      code_challenge_methods_supported: ['S256'],
    });
    expect(doc['grant_types_supported']).toEqual(expect.arrayContaining(['client_credentials']));
    expect(doc['claims_supported']).toEqual(expect.arrayContaining(['roles', 'agencies', 'name']));
  });

  it('gives automation a JWT access token for the admin API carrying its roles', async () => {
    const res = await clientCredentials();
    const body = (await res.json()) as { access_token: string; token_type: string };

    expect(res.status).toBe(200);
    const { payload, protectedHeader } = await jwtVerify(
      body.access_token,
      createRemoteJWKSet(new URL(`${sso}/jwks`)),
      { issuer: sso, audience: SSO_DEFAULTS.apiAudience },
    );
    expect(protectedHeader.typ).toBe('at+jwt');
    expect(payload).toMatchObject({ client_id: SSO_DEFAULTS.automationClientId, roles: ['mapper'] });
  });

  it('refuses a wrong client secret', async () => {
    const res = await clientCredentials('wrong-secret');

    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ error: 'invalid_client' });
  });

  it('refuses an authorization request without PKCE', async () => {
    const browser = new TestBrowser();
    const { url } = authorizationUrl({ code_challenge: '', code_challenge_method: '' });

    const answer = await browser.follow(await browser.request(url), (next) => next.href.startsWith(CALLBACK));

    expect(answer.headers.get('location')).toContain('error=invalid_request');
  });

  it('logs a demo user in through its form, skips consent for the admin and puts roles in the ID token', async () => {
    const browser = new TestBrowser();
    const { url, verifier } = authorizationUrl();

    const loginForm = await browser.follow(await browser.request(url));
    const wrong = await browser.submit(formAction(loginForm, '/login'), {
      username: 'mapper-h56',
      password: 'nope',
    });
    const back = await signInAtSso(
      browser,
      await browser.request(url),
      { username: 'mapper-h56', password: SSO_DEFAULTS.demoPassword },
      sso,
    );
    const code = new URL(back.headers.get('location') ?? '').searchParams.get('code') ?? '';
    const tokens = await fetch(`${sso}/token`, {
      method: 'POST',
      headers: {
        authorization: basic(SSO_DEFAULTS.adminClientId, SSO_DEFAULTS.adminClientSecret),
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        code,
        redirect_uri: CALLBACK,
        code_verifier: verifier,
      }).toString(),
    });

    expect(loginForm.body).toContain('Mật khẩu / Password');
    expect(wrong.status).toBe(401);
    expect(wrong.body).toContain('Sai tên đăng nhập hoặc mật khẩu');
    expect(back.headers.get('location')).toMatch(/^http:\/\/127\.0\.0\.1:39999\/auth\/callback\?code=/);
    expect(tokens.status).toBe(200);
    const { id_token } = (await tokens.json()) as { id_token: string };
    expect(decodeJwt(id_token)).toMatchObject({
      iss: sso,
      aud: SSO_DEFAULTS.adminClientId,
      sub: 'mapper-h56',
      name: 'Lê Văn Hùng',
      roles: ['mapper'],
      agencies: ['000.00.01.H56'],
    });
  });

  it('does not redirect to an unregistered path, even on a loopback address', async () => {
    const browser = new TestBrowser();
    const { url } = authorizationUrl({ redirect_uri: 'http://127.0.0.1:8081/elsewhere' });

    const answer = await browser.follow(await browser.request(url));

    expect(answer.status).toBe(400);
    expect(answer.body).toContain('redirect_uri');
  });
});
