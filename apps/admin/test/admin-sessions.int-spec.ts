import type { INestApplication } from '@nestjs/common';
import { Client } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAdminApp } from '../src/main';
import { type AdminStack, startAdminStack } from '../../../test/support/admin-stack';
import { type TestDatabase, freshDatabase } from '../../../test/support/database';
import { TestBrowser } from '../../../test/support/sso-browser';

const JSON_ONLY = { accept: 'application/json' };
const PRE_LOGIN_MAX = 20;

describe('admin sessions in PostgreSQL', () => {
  let db: TestDatabase;
  let stack: AdminStack;
  let replica: INestApplication;
  let replicaUrl: string;
  let pg: Client;

  const me = async (browser: TestBrowser, base: string) => {
    const page = await browser.request(`${base}/api/me`, { headers: JSON_ONLY });
    return { status: page.status, sub: (JSON.parse(page.body) as { sub?: string }).sub };
  };
  const rows = async () =>
    (
      await pg.query<{ signed_in: boolean; n: number }>(
        `SELECT signed_in, count(*)::int AS n FROM admin_session GROUP BY signed_in ORDER BY signed_in`,
      )
    ).rows;

  beforeAll(async () => {
    db = await freshDatabase();
    stack = await startAdminStack({
      databaseUrl: db.url,
      adminEnv: { SESSION_PRELOGIN_MAX: String(PRE_LOGIN_MAX) },
    });
    // A second replica of the admin on the same database: no sticky sessions needed.
    replica = await createAdminApp(stack.adminConfig, { logger: false });
    await replica.listen(0, '127.0.0.1');
    replicaUrl = (await replica.getUrl()).replace('[::1]', '127.0.0.1');
    pg = new Client({ connectionString: db.url });
    await pg.connect();
  });

  afterAll(async () => {
    await pg?.end();
    await replica?.close();
    await stack?.stop();
    await db?.drop();
  });

  it('lets a session signed in on one replica work on another, keyed by a hash of its id', async () => {
    const browser = await stack.signIn('admin');

    expect(await me(browser, stack.adminUrl)).toEqual({ status: 200, sub: 'admin' });
    expect(await me(browser, replicaUrl)).toEqual({ status: 200, sub: 'admin' });
    const sid =
      decodeURIComponent(browser.cookie('isohub.sid') ?? '')
        .replace(/^s:/, '')
        .split('.')[0] ?? '';
    expect(sid).not.toBe('');
    const stored = await pg.query(`SELECT 1 FROM admin_session WHERE sid_hash = $1 OR data::text LIKE $2`, [
      sid,
      `%${sid}%`,
    ]);
    expect(stored.rowCount).toBe(0);
  });

  it('keeps a signed-in admin signed in through a flood of anonymous login starts', async () => {
    const browser = await stack.signIn('admin');
    for (let i = 0; i < PRE_LOGIN_MAX * 3; i += 1) {
      const start = await new TestBrowser().request(`${stack.adminUrl}/auth/login?returnTo=/`);
      expect(start.status).toBe(302);
    }

    expect(await me(browser, stack.adminUrl)).toEqual({ status: 200, sub: 'admin' });
    expect(await rows()).toEqual([
      { signed_in: false, n: PRE_LOGIN_MAX },
      { signed_in: true, n: 2 },
    ]);
  });

  it('ends the session everywhere on logout', async () => {
    const browser = await stack.signIn('viewer');
    const csrf = JSON.parse(
      (await browser.request(`${replicaUrl}/auth/csrf`, { headers: JSON_ONLY })).body,
    ) as {
      csrfToken: string;
    };
    const out = await browser.request(`${replicaUrl}/auth/logout`, {
      method: 'POST',
      headers: { ...JSON_ONLY, 'x-csrf-token': csrf.csrfToken },
    });
    expect(out.status).toBe(303);

    expect((await me(browser, stack.adminUrl)).status).toBe(401);
  });
});
