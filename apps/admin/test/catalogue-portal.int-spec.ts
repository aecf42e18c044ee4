import { Client } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AdminStack, startAdminStack } from '../../../test/support/admin-stack';
import { freshDatabase, type TestDatabase } from '../../../test/support/database';
import { startPortalSandbox } from '../../../test/support/portal-sandbox';
import type { TestBrowser } from '../../../test/support/sso-browser';

/**
 * The catalogue pull end to end: the admin (real SSO login, CSRF) against the sandbox portal over HTTP
 * serving the 5,608-procedure procedures.csv, and the real PostgreSQL seeded from the same file.
 */
const REPLACED = '3.000611';
const REPLACEMENT = '3.999611';
const RENAMED_FROM = 'UBND tỉnh Quảng Trị';
const RENAMED_TO = 'Ủy ban nhân dân tỉnh Quảng Trị';
const RETIMED = '1.115640';
const NFD_CODE = '1.115684';

interface Refresh {
  dryRun: boolean;
  version: string | null;
  diffHash: string;
  summary: Record<string, number>;
  added: { code: string; name: string }[];
  changed: {
    code: string;
    fields: string[];
    before: Record<string, unknown>;
    after: Record<string, unknown>;
  }[];
  removed: { code: string; replacedBy: string | null; replacedHow: string | null }[];
  renamedAgencies: { field: string; from: string; to: string; procedures: number }[];
  listed: number;
  fetched: number;
  failed: { code: string; error: string }[];
  tookMs: number;
}

let db: TestDatabase;
let portalSandbox: { url: string; stop(): Promise<void> };
let portalUrl: string;
let stack: AdminStack;
let admin: { browser: TestBrowser; csrf: string };

async function sandbox(method: string, path: string, body?: unknown): Promise<number> {
  const res = await fetch(`${portalUrl}${path}`, {
    method,
    headers: { 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  await res.text();
  return res.status;
}

async function session(username: string): Promise<{ browser: TestBrowser; csrf: string }> {
  const browser = await stack.signIn(username);
  const csrf = (
    JSON.parse((await browser.request(`${stack.adminUrl}/auth/csrf`)).body) as { csrfToken: string }
  ).csrfToken;
  return { browser, csrf };
}

async function pull(
  who: { browser: TestBrowser; csrf: string },
  query: string,
): Promise<{ status: number; type: string; body: Refresh & Record<string, unknown> }> {
  const page = await who.browser.request(`${stack.adminUrl}/api/catalogue/refresh-from-portal${query}`, {
    method: 'POST',
    headers: { 'x-csrf-token': who.csrf, accept: 'application/json' },
  });
  return {
    status: page.status,
    type: page.headers.get('content-type') ?? '',
    body: JSON.parse(page.body) as Refresh & Record<string, unknown>,
  };
}

async function get<T>(path: string): Promise<T> {
  return JSON.parse((await admin.browser.request(`${stack.adminUrl}${path}`)).body) as T;
}

async function counts(): Promise<{ versions: number; audit: number; history: number }> {
  const c = new Client({ connectionString: db.url });
  await c.connect();
  try {
    const { rows } = await c.query<{ versions: number; audit: number; history: number }>(
      `SELECT (SELECT count(*)::int FROM catalogue_version) AS versions,
              (SELECT count(*)::int FROM audit_log) AS audit,
              (SELECT count(*)::int FROM procedure_catalogue_history) AS history`,
    );
    return rows[0];
  } finally {
    await c.end();
  }
}

beforeAll(async () => {
  db = await freshDatabase();
  portalSandbox = await startPortalSandbox();
  portalUrl = portalSandbox.url;
  stack = await startAdminStack({
    databaseUrl: db.url,
    adminEnv: {
      PORTAL_BASE_URL: portalUrl,
      PORTAL_SHARE_PATH: '/api/share',
      PORTAL_MADONVI: '000.00.00.H56',
      PORTAL_CATALOGUE_CONCURRENCY: '8',
      PORTAL_CATALOGUE_RATE_PER_SECOND: '1000',
    },
  });
  admin = await session('admin');
}, 180_000);

afterAll(async () => {
  await stack?.stop();
  await portalSandbox?.stop();
  await db?.drop();
});

describe('POST /api/catalogue/refresh-from-portal', () => {
  it('reads the whole portal catalogue and finds the seeded catalogue unchanged', async () => {
    const r = await pull(admin, '');

    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ dryRun: true, version: null, listed: 5608, fetched: 5608, failed: [] });
    // NFD names, reworded times ("5 Ngày làm việc" vs the crawl's text) and repeats read as no change.
    expect(r.body.summary).toMatchObject({ added: 0, removed: 0, changed: 0, unchanged: 5608 });
    expect(r.body.changed.some((c) => c.code === NFD_CODE)).toBe(false);
    console.info(`full catalogue pull (5,608 × LayThuTuc, dry run): ${r.body.tookMs} ms`);
  }, 300_000);

  it('finds the drift, commits it as a version, and keeps the replaced code resolvable', async () => {
    expect(
      await sandbox('POST', '/_sandbox/portal/catalogue/drift', [
        { op: 'replace-code', code: REPLACED, newCode: REPLACEMENT },
        { op: 'rename-issuing-body', from: RENAMED_FROM, to: RENAMED_TO },
        { op: 'set-time', code: RETIMED, channel: 'online', text: '7 ngày làm việc' },
      ]),
    ).toBe(201);

    const dry = await pull(admin, '');
    expect(dry.status).toBe(200);
    expect(dry.body.summary).toMatchObject({ added: 1, removed: 1, changed: 4 });
    expect(dry.body.added).toEqual([expect.objectContaining({ code: REPLACEMENT })]);
    expect(dry.body.removed).toEqual([
      {
        code: REPLACED,
        name: expect.any(String) as string,
        replacedBy: REPLACEMENT,
        replacedHow: 'same_name',
      },
    ]);
    expect(dry.body.renamedAgencies).toEqual([
      { field: 'issuing_body', from: RENAMED_FROM, to: RENAMED_TO, procedures: 3 },
    ]);
    const retimed = dry.body.changed.find((c) => c.code === RETIMED);
    expect(retimed).toEqual({
      code: RETIMED,
      fields: ['time_online'],
      before: { time_online: '5 ngày làm việc' },
      after: { time_online: '7 Ngày làm việc' },
    });

    const commit = await pull(admin, `?dryRun=false&expectedDiffHash=${dry.body.diffHash}`);
    expect(commit.status).toBe(200);
    expect(commit.body).toMatchObject({ dryRun: false, version: 'cat-2', diffHash: dry.body.diffHash });

    const versions = await get<{ version: string; source: string }[]>('/api/catalogue/versions');
    expect(versions[0]).toMatchObject({ version: 'cat-2', source: `portal:${portalUrl}` });
    const history = await get<{ change: string; replacedBy: string | null }[]>(
      `/api/catalogue/history?code=${REPLACED}`,
    );
    expect(history[0]).toMatchObject({ change: 'removed', replacedBy: REPLACEMENT });
    const old = await get<{ validTo: string | null; resolvesTo: string }>(
      `/api/catalogue/procedures/${REPLACED}`,
    );
    expect(old.validTo).not.toBeNull();
    expect(old.resolvesTo).toBe(REPLACEMENT);
    const detail = await get<{
      times: { channel: string; duration: { value: number; unit: string } | null }[];
    }>(`/api/catalogue/procedures/${RETIMED}`);
    expect(detail.times.find((t) => t.channel === 'online')?.duration).toMatchObject({
      value: 7,
      unit: 'working_days',
    });
    const audit = await get<{ action: string; entityId: string }[]>(
      '/api/audit?entityType=catalogue_version',
    );
    expect(audit.map((a) => `${a.action} ${a.entityId}`)).toContain('catalogue.refresh cat-2');
  }, 300_000);

  it('lists procedures whose LayThuTuc failed and keeps them, not retired', async () => {
    expect(
      await sandbox('PUT', '/_sandbox/faults/portal/integration.LayThuTuc', { mode: 'http500', count: 3 }),
    ).toBe(200);

    const r = await pull(admin, '');
    expect(r.status).toBe(200);
    expect(r.body.failed).toHaveLength(3);
    expect(r.body.failed.every((f) => f.error.startsWith('UNAVAILABLE'))).toBe(true);
    expect(r.body).toMatchObject({ listed: 5608, fetched: 5605 });
    expect(r.body.summary).toMatchObject({ added: 0, removed: 0, changed: 0 });
  }, 300_000);

  it('answers problem+json and writes nothing when the list call fails', async () => {
    const before = await counts();
    await sandbox('PUT', '/_sandbox/faults/portal/share.LayDanhSachTTHC', { mode: 'down' });
    const down = await pull(admin, '?dryRun=false');
    expect(down.status).toBe(503);
    expect(down.type).toContain('application/problem+json');
    expect(down.body).toMatchObject({
      status: 503,
      errors: [{ field: '/portal/LayDanhSachTTHC', code: 'UNAVAILABLE' }],
    });

    await sandbox('DELETE', '/_sandbox/faults/portal');
    await sandbox('PUT', '/_sandbox/faults/portal/share', { mode: 'malformed', count: 1 });
    const garbage = await pull(admin, '?dryRun=false');
    expect(garbage.status).toBe(502);
    expect(garbage.body).toMatchObject({ errors: [{ code: 'BAD_RESPONSE' }] });
    expect(await counts()).toEqual(before);
  }, 120_000);

  it('is for admins only', async () => {
    for (const user of ['mapper', 'viewer']) {
      const r = await pull(await session(user), '');
      expect(r.status).toBe(403);
      expect(r.type).toContain('application/problem+json');
    }
  }, 60_000);
});
