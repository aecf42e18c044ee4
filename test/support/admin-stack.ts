import type { INestApplication } from '@nestjs/common';
import { type AdminConfig, loadAdminConfig } from '../../apps/admin/src/admin.config';
import { createAdminApp } from '../../apps/admin/src/main';
import { createSandboxApp } from '../../apps/sandbox/src/sandbox.app';
import { loadSandboxConfig } from '../../apps/sandbox/src/sandbox.config';
import { SSO_DEFAULTS } from '../../apps/sandbox/src/sso/sso.config';
import { type TestBrowser as Browser, TestBrowser, signInAtSso } from './sso-browser';

export interface AdminStack {
  sandboxUrl: string;
  /** The sandbox SSO's issuer. */
  sso: string;
  adminUrl: string;
  adminConfig: AdminConfig;
  /** A browser logged in to the admin as the demo user, through the SSO's login form. */
  signIn(username: string): Promise<Browser>;
  /** A client-credentials access token of the automation client. */
  automationToken(): Promise<string>;
  stop(): Promise<void>;
}

/**
 * The sandbox (with its SSO) and the admin app, both on free ports, the admin pointed at the SSO and
 * at `databaseUrl`. `sandboxEnv` / `adminEnv` override their environment; `tweak` edits the admin
 * config after validation (e.g. a session timeout shorter than the environment allows).
 */
export async function startAdminStack(opts: {
  databaseUrl: string;
  sandboxEnv?: Record<string, string>;
  adminEnv?: Record<string, string>;
  tweak?: (config: AdminConfig) => void;
}): Promise<AdminStack> {
  const sandbox = await createSandboxApp(loadSandboxConfig({ SANDBOX_PORT: '0', ...opts.sandboxEnv }), {
    logger: false,
  });
  await sandbox.listen(0, '127.0.0.1');
  const sandboxUrl = (await sandbox.getUrl()).replace('[::1]', '127.0.0.1');
  const sso = `${sandboxUrl}/sso`;
  const adminConfig = loadAdminConfig({
    DATABASE_URL: opts.databaseUrl,
    DATABASE_POOL_MAX: '2',
    OIDC_ISSUER_URL: sso,
    ADMIN_PORT: '0',
    // Nothing listens there: the status page reports the sync service unreachable, quickly.
    SYNC_SERVICE_URL: 'http://127.0.0.1:9',
    ...opts.adminEnv,
  });
  opts.tweak?.(adminConfig);
  let admin: INestApplication;
  try {
    admin = await createAdminApp(adminConfig, { logger: false });
    await admin.listen(0, '127.0.0.1');
  } catch (error) {
    await sandbox.close();
    throw error;
  }
  const adminUrl = (await admin.getUrl()).replace('[::1]', '127.0.0.1');

  return {
    sandboxUrl,
    sso,
    adminUrl,
    adminConfig,
    async signIn(username) {
      const browser = new TestBrowser();
      const start = await browser.request(`${adminUrl}/auth/login?returnTo=/api/me`);
      const back = await signInAtSso(browser, start, { username, password: SSO_DEFAULTS.demoPassword }, sso);
      const callback = await browser.request(new URL(back.headers.get('location') ?? '', back.url).href);
      if (callback.status !== 302 || callback.headers.get('location') !== '/api/me') {
        throw new Error(`login of ${username} failed: ${callback.status} ${callback.body.slice(0, 300)}`);
      }
      return browser;
    },
    async automationToken() {
      const res = await fetch(`${sso}/token`, {
        method: 'POST',
        headers: {
          authorization: `Basic ${Buffer.from(`${SSO_DEFAULTS.automationClientId}:${SSO_DEFAULTS.automationClientSecret}`).toString('base64')}`,
          'content-type': 'application/x-www-form-urlencoded',
        },
        body: 'grant_type=client_credentials',
      });
      const body = (await res.json()) as { access_token?: string };
      if (!body.access_token) {
        throw new Error(`client credentials refused: ${JSON.stringify(body)}`);
      }
      return body.access_token;
    },
    async stop() {
      await admin.close();
      await sandbox.close();
    },
  };
}
