import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AdminStack, startAdminStack } from '../../../test/support/admin-stack';
import { type TestDatabase, freshDatabase } from '../../../test/support/database';
import {
  SHOTS,
  TIMEOUT,
  buildConsoleIfStale,
  launchChromium,
  nav,
  shot,
  signInToConsole,
} from './console-browser';

/**
 * The admin console (apps/admin/web) in a real browser: Debian's chromium driven by playwright-core,
 * against the sandbox SSO and the admin on the real PostgreSQL. The console is built first when its
 * build is missing or older than its sources.
 */
const SOURCE = 'opencps-h56';
const LOCAL = 'KS-BROWSER-01';

let db: TestDatabase;
let stack: AdminStack;
let browser: Browser;
/** Files the test uploads. */
let scratch: string;

async function sql<T = Record<string, unknown>>(text: string, params: unknown[] = []): Promise<T[]> {
  const c = new Client({ connectionString: db.url });
  await c.connect();
  try {
    return (await c.query(text, params)).rows as T[];
  } finally {
    await c.end();
  }
}

/**
 * Not logged in: the admin's 401 page sends the browser to /auth/login, which goes to the SSO's form;
 * the helper checks that, signs in and waits for the user on the console.
 */
const signIn = (username: string) => signInToConsole(browser, stack, username);

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  scratch = mkdtempSync(join(tmpdir(), 'isohub-console-'));
  buildConsoleIfStale();
  db = await freshDatabase();
  stack = await startAdminStack({ databaseUrl: db.url });
  // A code the sync service could not map, as its ingest records it.
  await sql(
    `INSERT INTO unmapped_code (source_system, code, occurrences, first_seen_at, last_seen_at, sample_dossiers)
     VALUES ($1, 'KS-UNMAPPED-7', 3, now() - interval '2 days', now(), '["000.00.01.H56-261123-0001","000.00.01.H56-261123-0002"]')`,
    [SOURCE],
  );
  browser = await launchChromium();
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
  await db?.drop();
  if (scratch) {
    rmSync(scratch, { recursive: true, force: true });
  }
});

describe('the admin console in a browser', () => {
  it('lets a mapper search, map, import (refusing a bad file), follow the queue and see the audit', async () => {
    const { context, page } = await signIn('mapper');

    // (1) Catalogue search, accent-insensitive, with the words marked in the names.
    await page.fill('input[name="q"]', 'dang ky khai sinh');
    await page.click('button[type="submit"]');
    const results = page.locator('[data-testid="catalogue-results"]');
    await results.waitFor();
    expect(await results.textContent()).toMatch(/Thủ tục đăng ký khai sinh/);
    expect(await results.locator('tbody tr').first().textContent()).toContain('1.001193');
    expect(await results.locator('mark').first().textContent()).toMatch(/^(Đăng|đăng)$/);
    await shot(page, '1-catalogue');

    // (2) A mapping saved through the form, listed, then edited.
    await nav(page, 'Ánh xạ mã');
    const form = page.locator('[data-testid="mapping-form"]');
    await form.locator('input[name="sourceSystem"]').fill(SOURCE);
    await form.locator('input[name="localCode"]').fill(LOCAL);
    await form.locator('input[name="nationalCode"]').fill('1.001193');
    await form.locator('input[name="note"]').fill('khai sinh tại xã');
    await form.locator('button[type="submit"]').click();
    const row = page.locator('[data-testid="mappings"] tbody tr', { hasText: LOCAL });
    await row.waitFor();
    expect(await row.textContent()).toContain('1.001193');
    await row.locator('button', { hasText: 'Sửa' }).click();
    expect(await form.locator('input[name="localCode"]').inputValue()).toBe(LOCAL);
    await form.locator('input[name="nationalCode"]').fill('2.000528');
    await form.locator('button[type="submit"]').click();
    await expect.poll(() => row.textContent(), { timeout: TIMEOUT }).toContain('2.000528');
    await shot(page, '2-mappings');

    // (3) Import: a dry run shows the bad row's error; nothing can be applied, nothing is written.
    await nav(page, 'Nhập/Xuất');
    const csv = join(scratch, 'local-codes.csv');
    writeFileSync(
      csv,
      'source_system,local_code,national_code,agency_code,note\n' +
        `${SOURCE},KS-IMPORT-OK,1.001193,,tốt\n` +
        `${SOURCE},KS-IMPORT-BAD,9.999999,,mã không có\n`,
    );
    await page.setInputFiles('input[type="file"]', csv);
    await page.click('button:has-text("Kiểm tra (chạy thử)")');
    const errors = page.locator('[data-testid="row-errors"]');
    await errors.waitFor();
    const errorRow = errors.locator('tbody tr').first();
    expect(await errorRow.locator('td').nth(0).textContent()).toBe('3');
    expect(await errorRow.locator('td').nth(1).textContent()).toBe('national_code');
    expect(await errorRow.locator('td').nth(2).textContent()).toContain('9.999999');
    expect(await page.isDisabled('[data-testid="apply"]')).toBe(true);
    expect(await page.textContent('[data-testid="import-result"]')).toContain('Chạy thử: chưa ghi gì.');
    expect(
      await sql(`SELECT 1 FROM local_code_mapping WHERE local_code IN ('KS-IMPORT-OK', 'KS-IMPORT-BAD')`),
    ).toEqual([]);
    await shot(page, '3-import');

    // (4) The unmapped queue, and "map" prefilling the mapping form.
    await nav(page, 'Hàng chờ chưa ánh xạ');
    const queued = page.locator('[data-testid="unmapped"] tbody tr', { hasText: 'KS-UNMAPPED-7' });
    await queued.waitFor();
    expect(await queued.textContent()).toContain('000.00.01.H56-261123-0001');
    await shot(page, '4-unmapped');
    await queued.locator('button', { hasText: 'Ánh xạ' }).click();
    await page.waitForSelector('h2:has-text("Ánh xạ mã")');
    expect(await form.locator('input[name="localCode"]').inputValue()).toBe('KS-UNMAPPED-7');
    expect(await form.locator('input[name="sourceSystem"]').inputValue()).toBe(SOURCE);

    // (5) The audit entries of the edit, with before/after, and a verified chain.
    await nav(page, 'Lịch sử thay đổi');
    const edit = page
      .locator('[data-testid="audit"] tbody tr', { hasText: `${SOURCE}/${LOCAL}` })
      .filter({ hasText: '2.000528' });
    await edit.first().waitFor();
    const editText = (await edit.first().textContent()) ?? '';
    expect(editText).toContain('mapper');
    expect(editText).toContain('1.001193'); // before
    await page.click('[data-testid="verify"]');
    await expect
      .poll(() => page.textContent('[data-testid="verification"]'), { timeout: TIMEOUT })
      .toContain('Chuỗi băm toàn vẹn');
    await shot(page, '5-audit');

    // (6) Connection status: the hub's readiness as the admin sees it (no sync service in this test).
    await nav(page, 'Trạng thái kết nối');
    await page.locator('[data-testid="readiness"]').waitFor();
    expect(await page.textContent('[data-testid="readiness"]')).toContain('Không kết nối được sync-service');
    await shot(page, '6-adapters');

    // English, remembered across a reload.
    await page.click('[data-testid="lang"]');
    await page.waitForSelector('nav.tabs a:has-text("Catalogue search")');
    await page.reload();
    await page.waitForSelector('h2:has-text("Adapter status")');
    expect(await page.textContent('nav.tabs')).toContain('Local-code mappings');
    await nav(page, 'Local-code mappings');
    await page.locator('[data-testid="mappings"] tbody tr', { hasText: LOCAL }).waitFor();
    await shot(page, '7-english-mappings');
    await context.close();
  });

  it('shows a viewer a read-only console, and the API refuses the viewer’s writes', async () => {
    const { context, page } = await signIn('viewer');
    expect(await page.textContent('[data-testid="user"]')).toContain('Chỉ xem');

    await nav(page, 'Ánh xạ mã');
    await page.locator('[data-testid="mappings"] tbody tr', { hasText: LOCAL }).waitFor();
    expect(await page.locator('[data-testid="mapping-form"]').count()).toBe(0);
    expect(await page.locator('[data-testid="mappings"] button').count()).toBe(0);
    await shot(page, '8-viewer-mappings');

    await nav(page, 'Nhập/Xuất');
    expect(await page.locator('input[type="file"]').count()).toBe(0);
    expect(await page.locator('a[href="/api/mapping/exports/local-codes?format=csv"]').count()).toBe(1);

    await nav(page, 'Hàng chờ chưa ánh xạ');
    await page.locator('[data-testid="unmapped"]').waitFor();
    expect(await page.locator('[data-testid="unmapped"] button').count()).toBe(0);

    // Hidden buttons are a courtesy: the API itself refuses the write, CSRF token and all.
    const status = await page.evaluate(async (path) => {
      const { csrfToken } = (await (await fetch('/auth/csrf')).json()) as { csrfToken: string };
      const res = await fetch(path, {
        method: 'PUT',
        headers: { 'content-type': 'application/json', 'x-csrf-token': csrfToken },
        body: JSON.stringify({ nationalCode: '1.001193' }),
      });
      return res.status;
    }, `/api/mapping/local-codes/${SOURCE}/KS-VIEWER`);
    expect(status).toBe(403);
    await context.close();
  });

  it('serves the console only after login, and leaves /api and /auth paths to their routes', async () => {
    const anonymous = await fetch(`${stack.adminUrl}/mappings`, { headers: { accept: 'text/html' } });
    expect(anonymous.status).toBe(401);
    expect(await anonymous.text()).toContain('/auth/login?returnTo=%2Fmappings');
    const missingApi = await fetch(`${stack.adminUrl}/api/nothing-here`, {
      headers: { accept: 'application/json' },
    });
    expect(missingApi.status).toBe(401);
  });
});
