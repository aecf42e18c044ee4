import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import ExcelJS from 'exceljs';
import { Client } from 'pg';
import type { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MappingStore, openDatabase, UnmappedStore } from '@isohub/persistence';
import { freshDatabase, type TestDatabase } from '../../../test/support/database';
import { startMappingApp, userHeader } from './mapping-test-app';
import { zipOf } from './zip-of';

/**
 * The mapping console's API against the real PostgreSQL. Authentication is a header-driven stand-in
 * guard (mapping-test-app.ts): the real login and guard are the auth engineer's and tested there.
 */
const CSV = resolve(__dirname, '../../../../shared/data/procedures.csv');
const AGENCY = '000.00.01.H56';
const OTHER_AGENCY = '000.00.02.H56';
const SOURCE = 'opencps-h56';

const ADMIN = userHeader({ sub: 'admin-1', roles: ['admin'] });
const MAPPER = userHeader({ sub: 'mapper-1', roles: ['mapper'], agencies: [AGENCY] });
const VIEWER = userHeader({ sub: 'viewer-1', roles: ['viewer'] });

interface Reply<T = Record<string, unknown>> {
  status: number;
  type: string;
  body: T;
  raw: Buffer;
}

let db: TestDatabase;
let ds: DataSource;
let app: INestApplication;
let base: string;

async function call<T = Record<string, unknown>>(
  method: string,
  path: string,
  headers: Record<string, string>,
  body?: unknown,
): Promise<Reply<T>> {
  const init: RequestInit = { method, headers: { ...headers } };
  if (body instanceof FormData) {
    init.body = body;
  } else if (body !== undefined) {
    init.body = JSON.stringify(body);
    (init.headers as Record<string, string>)['content-type'] = 'application/json';
  }
  const res = await fetch(`${base}${path}`, init);
  const raw = Buffer.from(await res.arrayBuffer());
  const type = res.headers.get('content-type') ?? '';
  const parsed = type.includes('json') ? (JSON.parse(raw.toString('utf8')) as T) : ({} as T);
  return { status: res.status, type, body: parsed, raw };
}

function upload(content: Buffer | string, filename: string): FormData {
  const form = new FormData();
  form.append(
    'file',
    new Blob([typeof content === 'string' ? Buffer.from(content, 'utf8') : content]),
    filename,
  );
  return form;
}

async function count(table: string): Promise<number> {
  const [row] = await ds.query<{ n: number }[]>(`SELECT count(*)::int AS n FROM ${table}`);
  return row?.n ?? 0;
}

async function superuser<T>(fn: (c: Client) => Promise<T>): Promise<T> {
  const c = new Client({ connectionString: db.url });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

beforeAll(async () => {
  db = await freshDatabase();
  ds = await openDatabase({ url: db.url, poolMax: 4, applicationName: 'isohub-admin-test' });
  ({ app, url: base } = await startMappingApp(ds, CSV));
});

afterAll(async () => {
  await app?.close();
  await ds?.destroy();
  await db?.drop();
});

describe('catalogue', () => {
  it('is seeded from the CSV at start and recorded as version cat-1', async () => {
    expect(await count('procedure_catalogue')).toBe(5608);
    const versions = await call<{ version: string; rowCount: number }[]>(
      'GET',
      '/api/catalogue/versions',
      VIEWER,
    );
    expect(versions.body).toEqual([expect.objectContaining({ version: 'cat-1', rowCount: 5608 })]);
  });

  it('finds "Đăng ký khai sinh" from "dang ky khai sinh", accent- and case-insensitively, fast', async () => {
    const r = await call<{ items: { code: string; name: string }[]; total: number }>(
      'GET',
      `/api/catalogue/procedures?q=${encodeURIComponent('dang ky khai sinh')}`,
      VIEWER,
    );
    expect(r.status).toBe(200);
    expect(r.body.items[0]).toMatchObject({ code: '1.001193', name: 'Thủ tục đăng ký khai sinh' });
    // The 11 names holding the phrase come before those that only hold its words.
    expect(r.body.total).toBeGreaterThanOrEqual(11);
    expect(r.body.items.slice(0, 11).every((p) => /đăng ký khai sinh/i.test(p.name))).toBe(true);
    for (const q of ['ĐĂNG KÝ KHAI SINH', 'đăng ký khai sinh'.normalize('NFD'), 'Dang Ky Khai Sinh']) {
      const again = await call<{ items: { code: string }[] }>(
        'GET',
        `/api/catalogue/procedures?q=${encodeURIComponent(q)}`,
        VIEWER,
      );
      expect(again.body.items[0]?.code).toBe('1.001193');
    }
    const byCode = await call<{ items: { code: string }[] }>(
      'GET',
      '/api/catalogue/procedures?q=1.001193',
      VIEWER,
    );
    expect(byCode.body.items[0]?.code).toBe('1.001193');

    const timings: number[] = [];
    for (const q of [
      'dang ky khai sinh',
      'cap phieu ly lich tu phap',
      'giay phep xay dung',
      'ho tich',
      '2.0004',
    ]) {
      for (let i = 0; i < 10; i += 1) {
        const s = await call<{ tookMs: number }>(
          'GET',
          `/api/catalogue/procedures?q=${encodeURIComponent(q)}`,
          VIEWER,
        );
        timings.push(s.body.tookMs);
      }
    }
    timings.sort((a, b) => a - b);
    const median = timings[Math.floor(timings.length / 2)] ?? 0;
    const p95 = timings[Math.floor(timings.length * 0.95)] ?? 0;
    const plan = await ds.query<{ 'QUERY PLAN': string }[]>(
      `EXPLAIN ANALYZE SELECT code FROM procedure_catalogue WHERE valid_to IS NULL AND (code LIKE 'dang ky khai sinh%' OR
         (name_folded LIKE '%dang%' AND name_folded LIKE '%ky%' AND name_folded LIKE '%khai%' AND name_folded LIKE '%sinh%'))`,
    );
    console.info(
      `catalogue search over 5,608: median ${median} ms, p95 ${p95} ms (store call, 50 queries)\n` +
        plan.map((p) => p['QUERY PLAN']).join('\n'),
    );
    expect(median).toBeLessThan(50);
  });

  it('lists the processing-time texts the parser cannot read, with the parsed share', async () => {
    const r = await call<{
      parsedShare: number;
      total: number;
      items: { code: string; text: string; reason: string }[];
    }>('GET', '/api/catalogue/processing-times/unparsed?limit=1000', VIEWER);
    expect(r.status).toBe(200);
    expect(r.body.parsedShare).toBeGreaterThan(0.98);
    expect(r.body.total).toBe(r.body.items.length);
    expect(r.body.items.map((i) => i.text)).toContain('Theo mô tả ngày');
    const detail = await call<{ times: { channel: string; duration: unknown }[] }>(
      'GET',
      '/api/catalogue/procedures/1.001193',
      VIEWER,
    );
    expect(detail.body.times).toContainEqual({
      channel: 'inPerson',
      text: '1 ngày',
      duration: { value: 1, unit: 'calendar_days' },
      reason: null,
    });
  });
});

describe('local codes, statuses and ISO processes (draft)', () => {
  it('maps a suffixed local code; agency scope, unknown codes and roles are refused as problem+json', async () => {
    const path = `/api/mapping/local-codes/${SOURCE}/1.001193.000.00.00.H56`;
    const forbidden = await call<{ errors: { field: string }[] }>('PUT', path, MAPPER, {
      nationalCode: '1.001193',
      agencyCode: OTHER_AGENCY,
    });
    expect(forbidden.status).toBe(403);
    expect(forbidden.type).toContain('application/problem+json');
    expect(forbidden.body.errors[0]?.field).toBe('/agencyCode');

    const unknown = await call<{ errors: { field: string; code: string }[] }>('PUT', path, MAPPER, {
      nationalCode: '9.999999',
      agencyCode: AGENCY,
    });
    expect(unknown.status).toBe(422);
    expect(unknown.body.errors).toEqual([
      expect.objectContaining({ field: '/nationalCode', code: 'unknown_code' }),
    ]);

    const missing = await call<{ errors: { field: string }[] }>('PUT', path, MAPPER, { agencyCode: AGENCY });
    expect(missing.status).toBe(422);
    expect(missing.body.errors[0]?.field).toBe('/nationalCode');

    expect((await call('PUT', path, VIEWER, { nationalCode: '1.001193' })).status).toBe(403);
    expect((await call('PUT', path, {}, { nationalCode: '1.001193' })).status).toBe(401);

    const ok = await call('PUT', path, MAPPER, {
      nationalCode: '1.001193',
      agencyCode: AGENCY,
      note: 'khai sinh',
    });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({
      sourceSystem: SOURCE,
      localCode: '1.001193.000.00.00.H56',
      nationalCode: '1.001193',
      updatedBy: 'mapper-1',
    });

    const audit = await call<{ action: string; actor: string; before: unknown; after: unknown }[]>(
      'GET',
      `/api/audit?entityType=local_code_mapping&entityId=${encodeURIComponent(`${SOURCE}/1.001193.000.00.00.H56`)}`,
      VIEWER,
    );
    expect(audit.body).toHaveLength(1);
    expect(audit.body[0]).toMatchObject({
      action: 'local_code.create',
      actor: 'mapper-1',
      before: null,
      after: { nationalCode: '1.001193' },
    });
    const list = await call<{ items: unknown[]; version: string }>(
      'GET',
      `/api/mapping/local-codes?sourceSystem=${SOURCE}`,
      VIEWER,
    );
    expect(list.body).toMatchObject({
      version: 'draft',
      items: [expect.objectContaining({ localCode: '1.001193.000.00.00.H56' })],
    });
  });

  it('refuses, inside the write transaction, a change to a row of an agency the mapper does not hold', async () => {
    const path = `/api/mapping/local-codes/${SOURCE}/1.000110.H56`;
    expect(
      (await call('PUT', path, ADMIN, { nationalCode: '1.000110', agencyCode: OTHER_AGENCY })).status,
    ).toBe(200);
    const audit = await count('audit_log');
    const takeover = await call<{ errors: { field: string }[] }>('PUT', path, MAPPER, {
      nationalCode: '1.000110',
      agencyCode: AGENCY,
    });
    expect(takeover.status).toBe(403);
    expect((await call('DELETE', path, MAPPER)).status).toBe(403);
    expect(await count('audit_log')).toBe(audit);
    const deleted = await call('DELETE', path, ADMIN);
    expect(deleted.status).toBe(200);
    expect(await count('audit_log')).toBe(audit + 1);
    expect((await call('DELETE', path, ADMIN)).status).toBe(404);
  });

  it('keeps status rows per source: a sub-status match wins over the wildcard row', async () => {
    const rows = [
      {
        sourceSystem: 'opencps-tinh-x',
        status: 'processing',
        validFrom: '2025-07-01',
        nationalStatus: 4,
        milestone: 'STEP_HANDOVER',
      },
      {
        sourceSystem: 'opencps-tinh-x',
        status: 'processing',
        subStatus: 'cho_bo_sung',
        validFrom: '2025-07-01',
        nationalStatus: 5,
        milestone: 'SUPPLEMENT_REQUESTED',
      },
      {
        sourceSystem: 'opencps-tinh-x',
        status: 'done',
        validFrom: '2025-07-01',
        nationalStatus: 10,
        milestone: 'RESULT_RETURNED',
      },
    ];
    for (const row of rows) {
      expect((await call('PUT', '/api/mapping/statuses', ADMIN, row)).status).toBe(200);
    }
    const bad = await call<{ errors: { field: string }[] }>('PUT', '/api/mapping/statuses', ADMIN, {
      sourceSystem: 'opencps-tinh-x',
      status: 'x',
      nationalStatus: 11,
      milestone: 'NOT_A_MILESTONE',
      validFrom: '2025-02-30',
    });
    expect(bad.status).toBe(422);
    expect(bad.body.errors.map((e) => e.field).sort()).toEqual([
      '/milestone',
      '/nationalStatus',
      '/validFrom',
    ]);

    const q = 'sourceSystem=opencps-tinh-x&status=processing';
    const sub = await call<{ match: { nationalStatus: number } }>(
      'GET',
      `/api/mapping/statuses/resolve?${q}&subStatus=cho_bo_sung`,
      VIEWER,
    );
    expect(sub.body.match.nationalStatus).toBe(5);
    const wild = await call<{ match: { nationalStatus: number } }>(
      'GET',
      `/api/mapping/statuses/resolve?${q}&subStatus=khac`,
      VIEWER,
    );
    expect(wild.body.match.nationalStatus).toBe(4);
    const none = await call<{ match: unknown }>(
      'GET',
      '/api/mapping/statuses/resolve?sourceSystem=opencps-tinh-x&status=pausing',
      VIEWER,
    );
    expect(none.body.match).toBeNull();
  });

  it('stores ISO step allowances in working hours and takes statutory times from the catalogue', async () => {
    const path = `/api/mapping/processes/${AGENCY}/1.001193`;
    const steps = [
      {
        code: 'B1',
        name: 'Tiếp nhận và kiểm tra hồ sơ',
        responsibleUnit: 'TTPVHCC',
        allowanceDays: 0.25,
        nationalStatus: 2,
        formCodes: ['BM-VP01.02'],
      },
      { code: 'B2', name: 'Thẩm định', responsibleUnit: 'Phòng chuyên môn', allowanceDays: 1.5 },
      { code: 'B3', name: 'Phê duyệt', responsibleUnit: 'Lãnh đạo', allowanceHours: 4 },
      { code: 'B4', name: 'Trả kết quả', responsibleUnit: 'TTPVHCC', allowanceDays: 0, nationalStatus: 10 },
    ];
    const bad = await call<{ errors: { field: string }[] }>('PUT', path, MAPPER, {
      steps: [steps[0], { allowanceDays: -1 }],
    });
    expect(bad.status).toBe(422);
    expect(bad.body.errors.map((e) => e.field)).toEqual(['/steps/1/name', '/steps/1/allowanceDays']);

    const ok = await call<{
      steps: { stepNo: number; allowanceHours: number }[];
      statutory: Record<string, unknown>;
    }>('PUT', path, MAPPER, {
      isoCode: 'QT 01/HT',
      name: 'Đăng ký khai sinh',
      steps,
    });
    expect(ok.status).toBe(200);
    expect(ok.body.steps.map((s) => [s.stepNo, s.allowanceHours])).toEqual([
      [1, 2],
      [2, 12],
      [3, 4],
      [4, 0],
    ]);
    expect(ok.body.statutory).toEqual({
      inPerson: { value: 1, unit: 'calendar_days', text: '1 ngày' },
      online: { value: 1, unit: 'calendar_days', text: '1 ngày' },
      postal: { value: 1, unit: 'calendar_days', text: '1 ngày' },
    });
    const other = await call('PUT', `/api/mapping/processes/${OTHER_AGENCY}/1.001193`, MAPPER, { steps });
    expect(other.status).toBe(403);
  });
});

describe('unmapped queue and publishing', () => {
  it('lists unmapped codes with a suggestion, marks drafted ones pending, and publishing takes them out', async () => {
    await ds.query(
      `INSERT INTO unmapped_code (source_system, code, occurrences, sample_dossiers) VALUES
         ($1, '1.001193.000.00.00.H56', 7, '["000.00.01.H56-250701-0001"]'),
         ($1, '2.000528.H56', 3, '["000.00.01.H56-250701-0002"]'),
         ($1, 'LOCAL-XYZ', 1, '[]')`,
      [SOURCE],
    );
    const open = await call<{ items: { code: string; suggestion: unknown; occurrences: number }[] }>(
      'GET',
      '/api/mapping/unmapped',
      VIEWER,
    );
    expect(open.body.items.map((i) => i.code)).toEqual(['2.000528.H56', 'LOCAL-XYZ']);
    expect(open.body.items[0]?.suggestion).toMatchObject({ nationalCode: '2.000528' });
    const pending = await call<{
      items: { code: string; draftNationalCode: string; sampleDossiers: string[] }[];
    }>('GET', '/api/mapping/unmapped?state=pending', VIEWER);
    expect(pending.body.items).toEqual([
      expect.objectContaining({
        code: '1.001193.000.00.00.H56',
        draftNationalCode: '1.001193',
        sampleDossiers: ['000.00.01.H56-250701-0001'],
      }),
    ]);

    const changes = await call<{ base: null; local_code: { added: unknown[] } }>(
      'GET',
      '/api/mapping/draft/changes',
      VIEWER,
    );
    expect(changes.body.base).toBeNull();
    expect(changes.body.local_code.added).toHaveLength(1);

    expect((await call('POST', '/api/mapping/publish', MAPPER, {})).status).toBe(403);
    const published = await call<{
      version: string;
      summary: Record<string, { added: number }>;
      resolvedUnmapped: unknown[];
    }>('POST', '/api/mapping/publish', ADMIN, { note: 'first mapping' });
    expect(published.status).toBe(200);
    expect(published.body).toMatchObject({
      version: 'm-1',
      summary: { local_code: { added: 1 }, status: { added: 3 }, process: { added: 1 } },
      resolvedUnmapped: [{ sourceSystem: SOURCE, code: '1.001193.000.00.00.H56' }],
    });
    expect(
      (await call<{ items: unknown[] }>('GET', '/api/mapping/unmapped?state=all', VIEWER)).body.items,
    ).toHaveLength(2);

    const store = new MappingStore(ds);
    expect(await store.currentPublishedVersion()).toBe('m-1');
    expect((await store.loadMappings()).get(`${SOURCE}\u00001.001193.000.00.00.H56`)).toBe('1.001193');
    expect(await store.loadStatusMappings()).toHaveLength(3);
    expect(await new UnmappedStore(ds).resolveUnmapped(SOURCE, 'LOCAL-XYZ')).toMatchObject({
      code: 'LOCAL-XYZ',
      occurrences: 1,
    });

    const nothing = await call<{ status: number }>('POST', '/api/mapping/publish', ADMIN, {});
    expect(nothing.status).toBe(409);

    await call('PUT', `/api/mapping/local-codes/${SOURCE}/2.000528.H56`, ADMIN, { nationalCode: '2.000528' });
    const early = await call<{ errors: { field: string }[] }>('POST', '/api/mapping/publish', ADMIN, {
      effectiveFrom: '2020-01-01',
    });
    expect(early.status).toBe(422);
    expect(early.body.errors[0]?.field).toBe('/effectiveFrom');
    const future = await call<{ version: string }>('POST', '/api/mapping/publish', ADMIN, {
      effectiveFrom: '2999-01-01',
    });
    expect(future.body.version).toBe('m-2');
    expect(await store.currentPublishedVersion()).toBe('m-1');
    expect(await store.currentPublishedVersion(new Date('2999-01-02T00:00:00Z'))).toBe('m-2');
    const versions = await call<{ current: string; items: { version: string }[] }>(
      'GET',
      '/api/mapping/versions',
      VIEWER,
    );
    expect(versions.body).toMatchObject({ current: 'm-1', items: [{ version: 'm-2' }, { version: 'm-1' }] });
    const frozen = await call<{ items: unknown[] }>('GET', '/api/mapping/local-codes?version=m-1', VIEWER);
    expect(frozen.body.items).toHaveLength(1);
  });
});

describe('bulk import and export', () => {
  const header = 'source_system,local_code,national_code,agency_code,note';

  it('a dry run with errors names row and column and writes nothing; committing it is refused', async () => {
    const csv =
      '\uFEFF' +
      [
        header,
        `${SOURCE},1.000689.000.00.00.H56,1.000689,${AGENCY},${'khai sinh kết hợp'.normalize('NFD')}`,
        `${SOURCE},BAD CODE,1.000689,${AGENCY},`,
        `${SOURCE},1.003583.H56,9.999999,${AGENCY},`,
        `${SOURCE},1.004772.H56,1.004772,${OTHER_AGENCY},`,
        `${SOURCE},1.000689.000.00.00.H56,1.000689,${AGENCY},duplicate`,
      ].join('\r\n');
    const before = { rows: await count('local_code_mapping'), audit: await count('audit_log') };
    const dry = await call<{
      valid: boolean;
      committed: boolean;
      summary: Record<string, number>;
      errors: { row: number; field: string; code: string }[];
      added: { note: string }[];
    }>('POST', '/api/mapping/imports/local-codes', MAPPER, upload(csv, 'local-codes.csv'));
    expect(dry.status).toBe(200);
    expect(dry.body.valid).toBe(false);
    expect(dry.body.committed).toBe(false);
    expect(dry.body.errors.map((e) => [e.row, e.field, e.code])).toEqual([
      [3, 'local_code', 'format'],
      [4, 'national_code', 'unknown_code'],
      [5, 'agency_code', 'forbidden'],
      [6, 'local_code', 'duplicate'],
    ]);
    expect(dry.body.summary).toMatchObject({ added: 1, errors: 4 });
    expect(dry.body.added[0]?.note).toBe('khai sinh kết hợp');
    expect(await count('local_code_mapping')).toBe(before.rows);
    expect(await count('audit_log')).toBe(before.audit);

    const commit = await call<{ errors: { field: string }[] }>(
      'POST',
      '/api/mapping/imports/local-codes?dryRun=false',
      MAPPER,
      upload(csv, 'local-codes.csv'),
    );
    expect(commit.status).toBe(422);
    expect(commit.type).toContain('application/problem+json');
    expect(commit.body.errors.map((e) => e.field)).toContain('/rows/4/national_code');
    expect(await count('local_code_mapping')).toBe(before.rows);
    expect(await count('audit_log')).toBe(before.audit);
  });

  it('commits exactly the diff of its dry run, refusing a stale one', async () => {
    const csv = [
      header,
      `${SOURCE},1.001193.000.00.00.H56,1.001193,${AGENCY},khai sinh (sửa)`,
      `${SOURCE},1.000689.000.00.00.H56,1.000689,${AGENCY},`,
      `${SOURCE},1.003583.H56,1.003583,${AGENCY},`,
    ].join('\n');
    const dry = await call<{ diffHash: string; summary: Record<string, number>; changed: { key: string }[] }>(
      'POST',
      '/api/mapping/imports/local-codes',
      MAPPER,
      upload(csv, 'a.csv'),
    );
    expect(dry.body.summary).toEqual({ added: 2, changed: 1, unchanged: 0, removed: 0, errors: 0 });
    expect(dry.body.changed[0]?.key).toBe(`${SOURCE}/1.001193.000.00.00.H56`);

    const stale = await call(
      'POST',
      '/api/mapping/imports/local-codes?dryRun=false&expectedDiffHash=feedbeef',
      MAPPER,
      upload(csv, 'a.csv'),
    );
    expect(stale.status).toBe(409);

    const auditBefore = await count('audit_log');
    const commit = await call<{ committed: boolean; summary: Record<string, number> }>(
      'POST',
      `/api/mapping/imports/local-codes?dryRun=false&expectedDiffHash=${dry.body.diffHash}`,
      MAPPER,
      upload(csv, 'a.csv'),
    );
    expect(commit.status).toBe(200);
    expect(commit.body.committed).toBe(true);
    expect(await count('audit_log')).toBe(auditBefore + 4);

    const replace = await call<{ summary: Record<string, number>; removed: { localCode: string }[] }>(
      'POST',
      '/api/mapping/imports/local-codes?replace=true',
      ADMIN,
      upload([header, `${SOURCE},1.003583.H56,1.003583,${AGENCY},`].join('\n'), 'b.csv'),
    );
    expect(replace.body.summary).toMatchObject({ unchanged: 1, removed: 3 });
  });

  it("refuses, as a row error inside the commit, a scoped mapper's import taking over another agency's code", async () => {
    const local = '1.004772.000.00.02.H56';
    const path = `/api/mapping/local-codes/${SOURCE}/${local}`;
    expect(
      (await call('PUT', path, ADMIN, { nationalCode: '1.004772', agencyCode: OTHER_AGENCY })).status,
    ).toBe(200);
    const csv = [header, `${SOURCE},${local},1.004772,${AGENCY},taken over`].join('\n');
    const auditBefore = await count('audit_log');

    const dry = await call<{ valid: boolean; errors: { row: number; field: string; code: string }[] }>(
      'POST',
      '/api/mapping/imports/local-codes',
      MAPPER,
      upload(csv, 'takeover.csv'),
    );
    expect(dry.body.valid).toBe(false);
    expect(dry.body.errors.map((e) => [e.row, e.field, e.code])).toEqual([[2, 'agency_code', 'forbidden']]);

    const commit = await call<{ errors: { field: string; message: string }[] }>(
      'POST',
      '/api/mapping/imports/local-codes?dryRun=false',
      MAPPER,
      upload(csv, 'takeover.csv'),
    );
    expect(commit.status).toBe(422);
    expect(commit.body.errors.map((e) => e.field)).toEqual(['/rows/2/agency_code']);
    expect(commit.body.errors[0]?.message).toContain(OTHER_AGENCY);
    const row = await call<{ items: { agencyCode: string; note: string | null }[] }>(
      'GET',
      `/api/mapping/local-codes?version=draft&q=${local}`,
      ADMIN,
    );
    expect(row.body.items.map((r) => r.agencyCode)).toEqual([OTHER_AGENCY]);
    expect(await count('audit_log')).toBe(auditBefore);
  });

  it('treats a token without agencies as scoped to none: its import rows are refused', async () => {
    const noClaim = userHeader({ sub: 'mapper-no-claim', roles: ['mapper'] });
    const csv = [header, `${SOURCE},1.000110.000.00.01.H56,1.000110,${AGENCY},`].join('\n');

    const commit = await call<{ errors: { field: string }[] }>(
      'POST',
      '/api/mapping/imports/local-codes?dryRun=false',
      noClaim,
      upload(csv, 'no-claim.csv'),
    );

    expect(commit.status).toBe(422);
    expect(commit.body.errors.map((e) => e.field)).toEqual(['/rows/2/agency_code']);
    const unscoped = userHeader({ sub: 'mapper-all', roles: ['mapper'], agencies: ['*'] });
    const dry = await call<{ valid: boolean }>(
      'POST',
      '/api/mapping/imports/local-codes',
      unscoped,
      upload(csv, 'no-claim.csv'),
    );
    expect(dry.body.valid).toBe(true);
  });

  it('refuses a zip bomb posing as a spreadsheet before inflating it, writing nothing', async () => {
    const bomb = zipOf('xl/worksheets/sheet1.xml', Buffer.alloc(8 * 1024 * 1024));
    const before = await count('local_code_mapping');

    const res = await call<{ detail: string }>(
      'POST',
      '/api/mapping/imports/local-codes?dryRun=false',
      ADMIN,
      upload(bomb, 'codes.xlsx'),
    );

    expect(res.status).toBe(400);
    expect(res.type).toContain('application/problem+json');
    expect(res.body.detail).toMatch(/^refused XLSX: xl\/worksheets\/sheet1\.xml is compressed/);
    expect(await count('local_code_mapping')).toBe(before);
  });

  it('exports CSV with a BOM and XLSX that imports back unchanged', async () => {
    const csv = await call('GET', '/api/mapping/exports/local-codes?format=csv', VIEWER);
    expect(csv.status).toBe(200);
    expect(csv.type).toContain('text/csv');
    expect([...csv.raw.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const rows: Record<string, string>[] = parse(csv.raw, { columns: true, bom: true });
    expect(rows.find((r) => r.local_code === '1.001193.000.00.00.H56')).toMatchObject({
      national_code: '1.001193',
      national_name: 'Thủ tục đăng ký khai sinh',
    });

    const xlsx = await call('GET', '/api/mapping/exports/processes?format=xlsx', VIEWER);
    expect(xlsx.type).toContain('spreadsheetml');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xlsx.raw as unknown as ExcelJS.Buffer);
    expect(wb.worksheets[0]?.getRow(2).getCell(1).value).toBe(AGENCY);
    const back = await call<{ summary: Record<string, number>; errors: unknown[] }>(
      'POST',
      '/api/mapping/imports/processes',
      MAPPER,
      upload(xlsx.raw, 'iso.xlsx'),
    );
    expect(back.body.errors).toEqual([]);
    expect(back.body.summary).toMatchObject({ added: 0, changed: 0, unchanged: 1 });
  });

  it('imports ISO processes from one row per step, with fractional days and per-row errors', async () => {
    const cols =
      'agency_code,procedure_code,case_code,iso_code,process_name,statutory_online,step_no,step_name,responsible_unit,allowance_days,allowance_hours,form_codes';
    const csv = stringify([
      cols.split(','),
      [
        AGENCY,
        '1.003583',
        '',
        'QT 02/HT',
        'Khai sinh lưu động',
        '5 ngày làm việc',
        '1',
        'Tiếp nhận',
        'TTPVHCC',
        '0.25',
        '',
        'BM-VP01.02',
      ],
      [AGENCY, '1.003583', '', 'QT 02/HT', '', '', '2', 'Thẩm định', 'Phòng Tư pháp', '1.5', '12', ''],
      [AGENCY, '1.000689', '', '', '', 'Theo mô tả ngày', '1', 'Tiếp nhận', '', '', '', ''],
    ]);
    const dry = await call<{
      valid: boolean;
      errors: { row: number; field: string; code: string }[];
      added: { steps: { allowanceHours: number }[]; statutory: unknown }[];
    }>('POST', '/api/mapping/imports/processes', MAPPER, upload(csv, 'iso.csv'));
    expect(dry.body.errors.map((e) => [e.row, e.field, e.code])).toEqual([
      [4, 'allowance_hours', 'required'],
      [4, 'statutory_online', 'unreadable_time'],
    ]);
    expect(dry.body.added).toHaveLength(1);
    expect(dry.body.added[0]?.steps.map((s) => s.allowanceHours)).toEqual([2, 12]);
    expect(dry.body.added[0]?.statutory).toEqual({
      online: { value: 5, unit: 'working_days', hours: 40, text: '5 ngày làm việc' },
    });
  });
});

describe('catalogue refresh', () => {
  it('retires a replaced code (kept resolvable), records renamed agencies and history as version cat-2', async () => {
    const rows: Record<string, string>[] = parse(readFileSync(CSV, 'utf8'), { columns: true, bom: true });
    const next = rows
      .filter((r) => r.code !== '1.003583')
      .map((r) => (r.issuing_body === 'Bộ Tư pháp' ? { ...r, issuing_body: 'Bộ Tư pháp (mới)' } : r))
      .map((r) => (r.code === '1.001193' ? { ...r, time_online: '3 ngày làm việc' } : r));
    next.push({
      ...(rows.find((r) => r.code === '1.003583') as Record<string, string>),
      code: '1.099999',
      replaces: '1.003583',
    });
    const columns = [...Object.keys(rows[0] ?? {}), 'replaces'];
    const file = '\uFEFF' + stringify(next, { header: true, columns });

    const dry = await call<{
      summary: Record<string, number>;
      removed: { code: string; replacedBy: string }[];
      renamedAgencies: { field: string; from: string; to: string }[];
      diffHash: string;
      version: null;
    }>('POST', '/api/catalogue/refresh', ADMIN, upload(file, 'procedures.csv'));
    expect(dry.status).toBe(200);
    expect(dry.body.version).toBeNull();
    expect(dry.body.summary).toMatchObject({ added: 1, removed: 1, errors: 0 });
    expect(dry.body.removed).toEqual([
      expect.objectContaining({ code: '1.003583', replacedBy: '1.099999', replacedHow: 'declared' }),
    ]);
    expect(dry.body.renamedAgencies).toContainEqual(
      expect.objectContaining({ field: 'issuing_body', from: 'Bộ Tư pháp', to: 'Bộ Tư pháp (mới)' }),
    );
    expect(await count('procedure_catalogue_history')).toBe(0);
    expect(
      (await call('POST', '/api/catalogue/refresh?dryRun=false', MAPPER, upload(file, 'procedures.csv')))
        .status,
    ).toBe(403);

    const applied = await call<{ version: string }>(
      'POST',
      `/api/catalogue/refresh?dryRun=false&expectedDiffHash=${dry.body.diffHash}`,
      ADMIN,
      upload(file, 'procedures.csv'),
    );
    expect(applied.status).toBe(200);
    expect(applied.body.version).toBe('cat-2');
    const retired = await call<{
      validTo: string;
      replacedBy: string;
      resolvesTo: string;
      history: { change: string }[];
    }>('GET', '/api/catalogue/procedures/1.003583', VIEWER);
    expect(retired.body).toMatchObject({
      replacedBy: '1.099999',
      resolvesTo: '1.099999',
      history: [{ change: 'removed' }],
    });
    expect(retired.body.validTo).not.toBeNull();
    const changed = await call<{ history: { change: string; before: { time_online: string } }[] }>(
      'GET',
      '/api/catalogue/procedures/1.001193',
      VIEWER,
    );
    expect(changed.body.history[0]).toMatchObject({ change: 'changed', before: { time_online: '1 ngày' } });
    const search = await call<{ items: { code: string }[] }>(
      'GET',
      '/api/catalogue/procedures?q=khai%20sinh%20luu%20dong',
      VIEWER,
    );
    expect(search.body.items.map((i) => i.code)).toEqual(['1.099999']);

    const toRetired = await call<{ errors: { code: string; message: string }[] }>(
      'PUT',
      `/api/mapping/local-codes/${SOURCE}/LOCAL-LD`,
      ADMIN,
      { nationalCode: '1.003583' },
    );
    expect(toRetired.status).toBe(422);
    expect(toRetired.body.errors[0]?.code).toBe('retired');
    expect(toRetired.body.errors[0]?.message).toContain('1.099999');
  });
});

describe('audit log', () => {
  it('is hash-chained and append-only; verify names the first tampered entry', async () => {
    const ok = await call<{ ok: boolean; checked: number; firstBroken: null }>(
      'GET',
      '/api/audit/verify',
      VIEWER,
    );
    expect(ok.body.ok).toBe(true);
    expect(ok.body.checked).toBe(await count('audit_log'));
    expect(ok.body.checked).toBeGreaterThan(10);

    await expect(
      ds.query(`UPDATE audit_log SET actor = 'x' WHERE id = (SELECT min(id) FROM audit_log)`),
    ).rejects.toThrow(/append-only/);
    await expect(ds.query(`DELETE FROM audit_log`)).rejects.toThrow(/append-only/);
    await expect(ds.query(`TRUNCATE audit_log`)).rejects.toThrow(/append-only/);

    const byActor = await call<{ actor: string }[]>('GET', '/api/audit?actor=mapper-1&limit=500', VIEWER);
    expect(byActor.body.length).toBeGreaterThan(0);
    expect(byActor.body.every((e) => e.actor === 'mapper-1')).toBe(true);

    const [victim] = await ds.query<{ id: string }[]>(
      `SELECT id FROM audit_log WHERE action = 'mapping.publish' ORDER BY id LIMIT 1`,
    );
    await superuser(async (c) => {
      await c.query(`ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_update`);
      await c.query(`UPDATE audit_log SET after = jsonb_set(after, '{note}', '"rewritten"') WHERE id = $1`, [
        victim?.id,
      ]);
      await c.query(`ALTER TABLE audit_log ENABLE TRIGGER audit_log_no_update`);
    });
    const [tampered] = await ds.query<{ after: { note: string } }[]>(
      `SELECT after FROM audit_log WHERE id = $1`,
      [victim?.id],
    );
    expect(tampered?.after.note).toBe('rewritten');
    const broken = await call<{ ok: boolean; firstBroken: { id: number; reason: string } }>(
      'GET',
      '/api/audit/verify',
      VIEWER,
    );
    expect(broken.body.ok).toBe(false);
    expect(broken.body.firstBroken).toMatchObject({ id: Number(victim?.id), reason: 'hash_mismatch' });
  });
});

describe('OpenAPI', () => {
  it('documents every mapping route with its roles', () => {
    const doc = SwaggerModule.createDocument(app, new DocumentBuilder().setTitle('isohub admin').build());
    const ops = Object.entries(doc.paths).flatMap(([path, item]) =>
      Object.entries(item as Record<string, { 'x-roles'?: string[]; tags?: string[] }>).map(
        ([method, op]) => ({
          route: `${method.toUpperCase()} ${path}`,
          roles: op['x-roles'],
          tags: op.tags,
        }),
      ),
    );
    expect(ops.length).toBeGreaterThanOrEqual(24);
    expect(ops.every((o) => Array.isArray(o.roles) && o.roles.length > 0)).toBe(true);
    expect(ops.find((o) => o.route === 'POST /api/mapping/publish')?.roles).toEqual(['admin']);
    expect(ops.find((o) => o.route === 'POST /api/catalogue/refresh')?.roles).toEqual(['admin']);
    expect(
      ops.find((o) => o.route === 'PUT /api/mapping/local-codes/{sourceSystem}/{localCode}')?.roles,
    ).toEqual(['mapper']);
    expect(ops.find((o) => o.route === 'GET /api/audit/verify')?.tags).toEqual(['audit']);
    expect(doc.components?.schemas).toHaveProperty('IsoProcessInputDto');
  });
});
