import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import { Client } from 'pg';
import type { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditStore, openDatabase } from '@isohub/persistence';
import { freshDatabase, type TestDatabase } from '../../../test/support/database';
import { startMappingApp, userHeader } from './mapping-test-app';

const CSV = resolve(__dirname, '../../../../shared/data/procedures.csv');
const ADMIN = userHeader({ sub: 'admin-anchor', roles: ['admin'] });
const VIEWER = userHeader({ sub: 'viewer-anchor', roles: ['viewer'] });
const KEY = 'audit-checkpoint-key-for-the-test-0123456789';

interface Verification {
  ok: boolean;
  checked: number;
  firstBroken: { id: number; reason: string } | null;
  checkpoint?: { lastId: number; count: number } | null;
}

describe('audit chain anchored outside the table', () => {
  let db: TestDatabase;
  let ds: DataSource;
  let app: INestApplication;
  let base: string;
  const file = join(mkdtempSync(join(tmpdir(), 'isohub-audit-')), 'checkpoint.json');

  const call = async <T>(method: string, path: string, headers: Record<string, string>, body?: unknown) => {
    const res = await fetch(`${base}${path}`, {
      method,
      headers: { ...headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as T };
  };
  const superuser = async (sql: string): Promise<void> => {
    const c = new Client({ connectionString: db.url });
    await c.connect();
    try {
      await c.query(`ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_update`);
      await c.query(sql);
      await c.query(`ALTER TABLE audit_log ENABLE TRIGGER audit_log_no_update`);
    } finally {
      await c.end();
    }
  };

  beforeAll(async () => {
    db = await freshDatabase();
    ds = await openDatabase({ url: db.url, poolMax: 4, applicationName: 'isohub-audit-anchor-test' });
    ({ app, url: base } = await startMappingApp(ds, CSV, {
      auditAnchor: { key: KEY, file, intervalMs: 3_600_000 },
    }));
  });

  afterAll(async () => {
    await app?.close();
    await ds?.destroy();
    await db?.drop();
  });

  it('finds the newest entries removed, which the chain alone cannot', async () => {
    for (const code of ['1.000689', '1.001193', '1.003583']) {
      const put = await call('PUT', `/api/mapping/local-codes/anchor-src/${code}.X`, ADMIN, {
        nationalCode: code,
      });
      expect(put.status).toBe(200);
    }
    const written = await call<{ lastId: number; count: number; mac: string }>(
      'POST',
      '/api/audit/checkpoint',
      ADMIN,
    );
    expect(written.status).toBe(200);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual(written.body);
    expect(readFileSync(`${file}.log`, 'utf8').trim().split('\n').length).toBeGreaterThanOrEqual(2);
    expect((await call('POST', '/api/audit/checkpoint', VIEWER)).status).toBe(403);

    const ok = await call<Verification>('GET', '/api/audit/verify', VIEWER);
    expect(ok.body).toMatchObject({ ok: true, checkpoint: { lastId: written.body.lastId } });

    // Someone with the table owner's rights removes the two newest entries: the rest still chains.
    await superuser(`DELETE FROM audit_log WHERE id IN (SELECT id FROM audit_log ORDER BY id DESC LIMIT 2)`);
    expect((await new AuditStore(ds).verify()).ok).toBe(true);

    const broken = await call<Verification>('GET', '/api/audit/verify', VIEWER);
    expect(broken.body.ok).toBe(false);
    expect(broken.body.firstBroken).toMatchObject({
      id: written.body.lastId,
      reason: 'missing_since_checkpoint',
    });
  });

  it('refuses a checkpoint not signed with the key', async () => {
    const current = JSON.parse(readFileSync(file, 'utf8')) as { lastId: number; count: number };
    writeFileSync(file, JSON.stringify({ ...current, count: current.count - 2 }));

    const forged = await call<Verification>('GET', '/api/audit/verify', VIEWER);

    expect(forged.body.ok).toBe(false);
    expect(forged.body.firstBroken?.reason).toBe('checkpoint_signature');
  });
});
