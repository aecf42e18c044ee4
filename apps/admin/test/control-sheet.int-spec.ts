import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AdminStack } from '../../../test/support/admin-stack';
import { type ConsoleStack, startConsoleStack } from '../../../test/support/console-stack';
import { type TestDatabase, freshDatabase } from '../../../test/support/database';
import { OpenCpsClient } from '../../../test/support/hub';
import type { TestBrowser } from '../../../test/support/sso-browser';
import { AGENCY, progressRow, snapshot } from '../../../test/support/traffic';

/**
 * The control sheet through the admin API over a real sync service (real ingest, PostgreSQL, Kafka):
 * JSON, PDF and XLSX for a dossier with a handover, under the dossier page's agency scope.
 */
const CODE = `${AGENCY}-261202-0001`;
const OTHER_AGENCY_CODE = '000.00.09.H56-261202-0002';
const OUT = resolve(__dirname, '../../../test-output/control-sheet');

let db: TestDatabase;
let stack: AdminStack;
let running: ConsoleStack;
const browsers = new Map<string, TestBrowser>();

async function get(username: string, path: string): Promise<Response> {
  let browser = browsers.get(username);
  if (!browser) {
    browser = await stack.signIn(username);
    browsers.set(username, browser);
  }
  const url = `${stack.adminUrl}${path}`;
  return fetch(url, {
    headers: { accept: 'application/json, application/pdf', cookie: browser.cookieHeader(url) },
  });
}

beforeAll(async () => {
  db = await freshDatabase();
  running = await startConsoleStack({
    databaseUrl: db.url,
    topic: 'admin-control-sheet',
    opsToken: 'control-sheet-test-ops-token-0123456789',
  });
  stack = running.stack;
  const client = new OpenCpsClient(running.hub.url);
  expect((await client.send('DongBoHoSoMC', [snapshot(CODE)])).status).toBe(200);
  const handover = progressRow(CODE, '20260401100000', 'Trần Văn Bình', 'Phòng Tư pháp', 'Thẩm định hồ sơ');
  expect((await client.send('CapNhatTienDoHoSoMC', [handover])).status).toBe(200);
  expect((await client.send('DongBoHoSoMC', [snapshot(OTHER_AGENCY_CODE)])).status).toBe(200);
}, 180_000);

afterAll(async () => {
  await running?.stop();
  await db?.drop();
});

describe('GET /api/dossiers/:code/control-sheet', () => {
  it('JSON: the edition by receipt date, the header without applicant data, a row per handover', async () => {
    const res = await get('viewer', `/api/dossiers/${CODE}/control-sheet`);
    expect(res.status).toBe(200);
    const sheet = (await res.json()) as {
      edition: { formNo: string };
      isoFormCode: string;
      header: Record<string, unknown>;
      rows: { agencyText: string; timeText: string }[];
    };
    expect(sheet.edition.formNo).toBe('Mẫu số 06');
    expect(sheet.isoFormCode).toBe('BM-VP01.03');
    expect(sheet.header).toMatchObject({ dossierCode: CODE, applicantName: null, applicantPhone: null });
    const row = sheet.rows.find((r) => r.timeText === '10 giờ 00 phút, ngày 01 tháng 04 năm 2026');
    expect(row?.agencyText).toMatch(/^1\. Giao: .*\n2\. Nhận: Phòng Tư pháp – Trần Văn Bình/);
  });

  it('PDF: pdftotext reads the title and the handover in Vietnamese', async () => {
    const res = await get('viewer', `/api/dossiers/${CODE}/control-sheet?format=pdf`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/pdf');
    const pdf = Buffer.from(await res.arrayBuffer());
    mkdirSync(OUT, { recursive: true });
    const file = resolve(OUT, 'api.pdf');
    writeFileSync(file, pdf);
    const text = execFileSync('pdftotext', ['-layout', '-enc', 'UTF-8', file, '-']).toString('utf8');
    expect(text).toContain('PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ');
    expect(text).toContain(`Mã hồ sơ: ${CODE}`);
    expect(text).toContain('2. Nhận: Phòng Tư pháp');
  });

  it('XLSX: the title and the handover row, read back with exceljs', async () => {
    const res = await get('viewer', `/api/dossiers/${CODE}/control-sheet?format=xlsx`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toContain('.xlsx');
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(await res.arrayBuffer());
    const cells = (book.getWorksheet(1)?.getSheetValues() ?? []).flatMap((r) => (Array.isArray(r) ? r : []));
    expect(cells).toContain('PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ');
    expect(cells).toContain('10 giờ 00 phút, ngày 01 tháng 04 năm 2026');
  });

  it('the dossier page’s scope: another agency’s dossier is 404; a bad format is 400', async () => {
    expect((await get('mapper-h56', `/api/dossiers/${CODE}/control-sheet`)).status).toBe(200);
    expect((await get('mapper-h56', `/api/dossiers/${OTHER_AGENCY_CODE}/control-sheet`)).status).toBe(404);
    expect((await get('viewer', `/api/dossiers/${CODE}/control-sheet?format=docx`)).status).toBe(400);
    expect((await get('viewer', `/api/dossiers/${AGENCY}-000000-0000/control-sheet`)).status).toBe(404);
  });
});
