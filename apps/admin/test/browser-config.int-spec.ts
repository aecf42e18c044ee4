import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'csv-stringify/sync';
import { Client } from 'pg';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AdminStack, startAdminStack } from '../../../test/support/admin-stack';
import { type TestDatabase, freshDatabase } from '../../../test/support/database';
import { type RunningHub, startHub } from '../../../test/support/hub';
import { uniquePrefix } from '../../../test/support/kafka';
import { startSandbox, writeSandboxPullSources } from '../../../test/support/onestop-sandbox';
import { pullSources } from '../../../test/support/pull-sources';
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
 * The configuration pages of the console in a real browser (Debian's chromium via playwright-core):
 * ISO processes, status mappings, publishing, the catalogue refresh and the adapter status page, the
 * last against a real sync service polling the sandbox's one-stop API.
 */
const AGENCY = '000.00.01.H56';
const PROCEDURE = '1.001193';
const SOURCE = 'opencps-browser';
const PULL_SOURCE = 'opencps-api-console';
const OPS_TOKEN = 'console-test-ops-token-0123456789';
const CATALOGUE_COLUMNS = [
  'code',
  'name',
  'issuing_body',
  'implementing_agency',
  'field',
  'portal_url',
  'time_in_person',
  'time_online',
  'time_postal',
] as const;

let db: TestDatabase;
let sandbox: Awaited<ReturnType<typeof startSandbox>>;
let hub: RunningHub;
let stack: AdminStack;
let browser: Browser;
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

const signIn = (username: string) => signInToConsole(browser, stack, username);
const step = (page: Page, i: number) => page.locator(`[data-testid="steps"] tbody tr[data-step="${i}"]`);

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  scratch = mkdtempSync(join(tmpdir(), 'isohub-console-config-'));
  buildConsoleIfStale();
  db = await freshDatabase();
  sandbox = await startSandbox();
  const sourcesFile = writeSandboxPullSources({
    sandboxUrl: sandbox.url,
    dir: scratch,
    upstream: { breakerFailures: 100, halfOpenAfterMs: 1000 },
    source: {
      id: PULL_SOURCE,
      agency: AGENCY,
      pageSize: 10,
      overlapMinutes: 10,
      timeoutMs: 1500,
      retry: { maxAttempts: 2, initialDelayMs: 20, maxDelayMs: 50 },
      downAfterFailures: 1,
      statusTable: [{ status: 'processing', national: 4 }],
    },
  });
  hub = await startHub({
    databaseUrl: db.url,
    topicPrefix: uniquePrefix('console'),
    env: { PULL_SOURCES_FILE: sourcesFile, OPS_TOKEN },
  });
  await pullSources(hub.app).pollNow(PULL_SOURCE);
  stack = await startAdminStack({
    databaseUrl: db.url,
    adminEnv: { SYNC_SERVICE_URL: hub.url, SYNC_SERVICE_OPS_TOKEN: OPS_TOKEN },
  });
  browser = await launchChromium();
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
  await hub?.stop();
  await sandbox?.stop();
  await db?.drop();
  if (scratch) {
    rmSync(scratch, { recursive: true, force: true });
  }
});

describe('the console’s configuration pages in a browser', () => {
  it('lets a mapper write an ISO process (a step in days stored as hours) and a status mapping', async () => {
    const { context, page } = await signIn('mapper');

    await nav(page, 'Quy trình ISO');
    await page.click('[data-testid="new-process"]');
    const editor = page.locator('[data-testid="process-editor"]');
    await editor.locator('input[name="agencyCode"]').fill(AGENCY);
    await editor.locator('input[name="procedureCode"]').fill(PROCEDURE);
    await editor.locator('input[name="isoCode"]').fill('QT 01/HT-H56');
    await editor.locator('input[name="name"]').fill('Quy trình đăng ký khai sinh');
    await editor.locator('input[name="inPerson-text"]').fill('3 ngày làm việc');
    await step(page, 0).locator('input[name="step-name"]').fill('Tiếp nhận và kiểm tra hồ sơ');
    await step(page, 0).locator('input[name="step-unit"]').fill('TTPVHCC');
    await step(page, 0).locator('input[name="step-allowance"]').fill('2');
    await step(page, 0).locator('select[name="step-status"]').selectOption('2');
    await step(page, 0).locator('input[name="step-forms"]').fill('BM-VP01.02');
    await page.click('[data-testid="save-process"]');
    const listed = page.locator('[data-testid="processes"] tbody tr', { hasText: PROCEDURE });
    await listed.waitFor();
    expect(await listed.textContent()).toContain('QT 01/HT-H56');

    // A step without a name: the API's 422 names /steps/1/name, shown next to that field.
    await page.click('[data-testid="add-step"]');
    await step(page, 1).locator('input[name="step-allowance"]').fill('1.5');
    await step(page, 1).locator('select[name="step-allowance-unit"]').selectOption('days');
    expect(await step(page, 1).textContent()).toContain('= 12 h');
    await page.click('[data-testid="save-process"]');
    const nameError = step(page, 1).locator('.field-error[data-field="/steps/1/name"]');
    await nameError.waitFor();
    expect(await nameError.textContent()).not.toBe('');
    await step(page, 1).locator('input[name="step-name"]').fill('Thẩm định hồ sơ');
    await step(page, 1).locator('input[name="step-unit"]').fill('Phòng Tư pháp');
    await step(page, 1).locator('select[name="step-status"]').selectOption('4');
    // Moved first and back: the order sent is the order shown.
    await step(page, 1).locator('button[aria-label="Lên trên"]').click();
    expect(await step(page, 0).locator('input[name="step-name"]').inputValue()).toBe('Thẩm định hồ sơ');
    await step(page, 0).locator('button[aria-label="Xuống dưới"]').click();
    await page.click('[data-testid="save-process"]');
    await page.locator('.msg.ok', { hasText: `${AGENCY}/${PROCEDURE}` }).waitFor();

    // After a reload the step comes back from the database in hours: 1.5 working days = 12 h.
    await page.reload();
    await page.waitForSelector('h2:has-text("Quy trình ISO")');
    await listed.locator('button', { hasText: 'Sửa' }).click();
    await step(page, 1).waitFor();
    expect(await step(page, 1).locator('input[name="step-name"]').inputValue()).toBe('Thẩm định hồ sơ');
    expect(await step(page, 1).locator('input[name="step-allowance"]').inputValue()).toBe('12');
    expect(await step(page, 1).locator('select[name="step-allowance-unit"]').inputValue()).toBe('hours');
    expect(await editor.locator('input[name="inPerson-text"]').inputValue()).toBe('3 ngày làm việc');
    const [stored] = await sql<{ steps: { name: string; allowanceHours: number }[] }>(
      `SELECT steps FROM iso_process WHERE version = 'draft' AND procedure_code = $1`,
      [PROCEDURE],
    );
    expect(stored?.steps.map((s) => [s.name, s.allowanceHours])).toEqual([
      ['Tiếp nhận và kiểm tra hồ sơ', 2],
      ['Thẩm định hồ sơ', 12],
    ]);
    await shot(page, 'config-1-iso-process');

    // the statuses the pull source's table lacks wait in the unmapped-status list; "map" opens the form prefilled
    await nav(page, 'Hàng chờ chưa ánh xạ');
    const queued = page
      .locator('[data-testid="unmapped-statuses"] tbody tr', { hasText: PULL_SOURCE })
      .first();
    await queued.waitFor({ timeout: TIMEOUT });
    const vendorStatus = ((await queued.locator('td').nth(1).textContent()) ?? '').trim();
    expect(vendorStatus).not.toBe('');
    await queued.locator('button', { hasText: 'Ánh xạ' }).click();
    const prefilled = page.locator('[data-testid="status-form"]');
    await prefilled.waitFor();
    expect(await prefilled.locator('input[name="sourceSystem"]').inputValue()).toBe(PULL_SOURCE);
    expect(await prefilled.locator('input[name="status"]').inputValue()).toBe(vendorStatus);

    await nav(page, 'Ánh xạ trạng thái');
    const form = page.locator('[data-testid="status-form"]');
    await form.locator('input[name="sourceSystem"]').fill(SOURCE);
    await form.locator('input[name="status"]').fill('processing');
    await form.locator('input[name="subStatus"]').fill('cho_bo_sung');
    await form.locator('input[name="validFrom"]').fill('2025-07-01');
    await form.locator('select[name="nationalStatus"]').selectOption('5');
    await form.locator('select[name="milestone"]').selectOption('SUPPLEMENT_REQUESTED');
    await form.locator('button[type="submit"]').click();
    const row = page.locator('[data-testid="statuses"] tbody tr', { hasText: 'cho_bo_sung' });
    await row.waitFor();
    expect(await row.textContent()).toContain('5 — Yêu cầu bổ sung giấy tờ');
    expect(await row.textContent()).toContain('SUPPLEMENT_REQUESTED');

    const probe = page.locator('[data-testid="resolve-form"]');
    await probe.locator('input[name="probe-sourceSystem"]').fill(SOURCE);
    await probe.locator('input[name="probe-status"]').fill('processing');
    await probe.locator('input[name="probe-subStatus"]').fill('cho_bo_sung');
    await probe.locator('button[type="submit"]').click();
    await expect
      .poll(() => page.textContent('[data-testid="resolved"]'), { timeout: TIMEOUT })
      .toContain('SUPPLEMENT_REQUESTED');
    // No "*" row for the status: another sub-status resolves to nothing (held and flagged).
    await probe.locator('input[name="probe-subStatus"]').fill('dang_tham_dinh');
    await probe.locator('button[type="submit"]').click();
    await expect
      .poll(() => page.textContent('[data-testid="resolved"]'), { timeout: TIMEOUT })
      .toContain('Không có dòng nào khớp');
    await shot(page, 'config-2-status-mappings');
    await context.close();
  });

  it('lets an admin publish the draft, refresh the catalogue and operate the adapters', async () => {
    const { context, page } = await signIn('admin');

    await nav(page, 'Xuất bản');
    const processChanges = page.locator('[data-testid="changes-process"]');
    await processChanges.waitFor();
    expect(await processChanges.textContent()).toContain(`${AGENCY} / ${PROCEDURE}`);
    expect(await page.textContent('[data-testid="changes-status"]')).toContain('processing / cho_bo_sung');
    await shot(page, 'config-3-publish-draft');
    await page.fill(
      '[data-testid="publish-form"] input[name="note"]',
      'Quy trình khai sinh và trạng thái bổ sung',
    );
    await page.click('[data-testid="publish"]');
    const published = page.locator('[data-testid="publish-result"]');
    await published.waitFor();
    expect(await published.textContent()).toContain('m-1');
    const version = page.locator('[data-testid="versions"] tbody tr', { hasText: 'm-1' });
    await version.waitFor();
    expect(await version.textContent()).toContain('đang hiệu lực');
    expect(await processChanges.textContent()).toContain('Không có thay đổi');
    expect(await page.isDisabled('[data-testid="publish"]')).toBe(true);
    await shot(page, 'config-4-published');

    // The complete catalogue as stored, with one name changed, one code replaced by a new one, and an
    // empty-named row: the dry run shows the diff and the row error, and cannot be applied.
    const current = await sql<{ code: string } & Record<(typeof CATALOGUE_COLUMNS)[number], string | null>>(
      `SELECT ${CATALOGUE_COLUMNS.join(', ')} FROM procedure_catalogue WHERE valid_to IS NULL ORDER BY code`,
    );
    const renamed = 'Đăng ký khai sinh có yếu tố nước ngoài (tên mới)';
    const dropped = current.find((r) => r.code.startsWith('3.'))?.code ?? '';
    const rows: Record<string, string | null>[] = current
      .filter((r) => r.code !== dropped)
      .map((r) => (r.code === '2.000528' ? { ...r, name: renamed } : r));
    rows.push({ code: '3.900001', name: 'Cấp Phiếu lý lịch tư pháp (mã mới)', replaces: dropped });
    const columns = [...CATALOGUE_COLUMNS, 'replaces'];
    const bad = join(scratch, 'catalogue-with-error.csv');
    const good = join(scratch, 'catalogue.csv');
    writeFileSync(bad, stringify([...rows, { code: '3.900002', name: '' }], { header: true, columns }));
    writeFileSync(good, stringify(rows, { header: true, columns }));

    await nav(page, 'Tra cứu thủ tục');
    const refresh = page.locator('[data-testid="catalogue-refresh"]');
    await refresh.locator('input[type="file"]').setInputFiles(bad);
    await page.click('[data-testid="refresh-dry-run"]');
    const errors = page.locator('[data-testid="refresh-errors"]');
    await errors.waitFor({ timeout: 60_000 });
    expect(await errors.locator('tbody tr').first().textContent()).toContain('name');
    expect(await page.textContent('[data-testid="refresh-changed"]')).toContain(renamed);
    expect(await page.isDisabled('[data-testid="refresh-apply"]')).toBe(true);
    await shot(page, 'config-5-catalogue-dry-run');

    await refresh.locator('input[type="file"]').setInputFiles(good);
    await page.click('[data-testid="refresh-dry-run"]');
    const removed = page.locator('[data-testid="refresh-removed"] tbody tr', { hasText: dropped });
    await removed.waitFor({ timeout: 60_000 });
    expect(await removed.textContent()).toContain('3.900001');
    expect(await page.locator('[data-testid="refresh-errors"]').count()).toBe(0);
    await page.click('[data-testid="refresh-apply"]');
    await expect
      .poll(() => page.textContent('[data-testid="refresh-result"]'), { timeout: 60_000 })
      .toContain('cat-2');
    await page.locator('[data-testid="catalogue-versions"] tbody tr', { hasText: 'cat-2' }).waitFor();
    await page
      .locator('[data-testid="catalogue-history"] tbody tr', { hasText: '2.000528' })
      .first()
      .waitFor();
    expect(await page.textContent('[data-testid="unparsed-share"]')).toMatch(/Đọc được \d+\/\d+ ô thời hạn/);
    expect(await sql(`SELECT name FROM procedure_catalogue WHERE code = '2.000528'`)).toEqual([
      { name: renamed },
    ]);
    await shot(page, 'config-6-catalogue-refreshed');

    await nav(page, 'Trạng thái kết nối');
    const adapter = page.locator(`[data-testid="adapters"] tr[data-adapter="${PULL_SOURCE}"]`);
    await adapter.waitFor();
    expect(await adapter.locator('[data-testid="health"]').textContent()).toBe('hoạt động');
    expect(await adapter.locator('[data-testid="dead-letters"]').textContent()).toBe('0');
    await adapter.locator('button', { hasText: 'Kiểm tra kết nối' }).click();
    const result = adapter.locator('[data-testid="connection-result"]');
    await result.waitFor();
    expect(await result.textContent()).toMatch(/^Kết nối được \(\d+ ms\): dossier list answered/);
    await adapter.locator('button', { hasText: 'Tạm dừng' }).click();
    await expect.poll(() => adapter.locator('[data-testid="paused"]').textContent()).toBe('tạm dừng');
    expect(pullSources(hub.app).paused(PULL_SOURCE)).toBe(true);
    await shot(page, 'config-7-adapters');
    await adapter.locator('button', { hasText: 'Tiếp tục' }).click();
    await expect.poll(() => adapter.locator('[data-testid="paused"]').textContent()).toBe('đang chạy');
    expect(await page.textContent('[data-testid="readiness"]')).toContain('up');
    await context.close();
  });

  it('shows a viewer the configuration pages without a single write control', async () => {
    const { context, page } = await signIn('viewer');

    await nav(page, 'Ánh xạ trạng thái');
    await page.locator('[data-testid="statuses"] tbody tr', { hasText: 'cho_bo_sung' }).waitFor();
    expect(await page.locator('[data-testid="status-form"]').count()).toBe(0);
    expect(await page.locator('[data-testid="statuses"] button').count()).toBe(0);

    await nav(page, 'Quy trình ISO');
    expect(await page.locator('[data-testid="new-process"]').count()).toBe(0);
    await page.locator('[data-testid="processes"] button', { hasText: 'Xem' }).first().click();
    await page.locator('[data-testid="process-editor"]').waitFor();
    expect(await page.locator('[data-testid="save-process"]').count()).toBe(0);
    expect(await page.locator('[data-testid="add-step"]').count()).toBe(0);
    expect(await page.locator('[data-testid="process-editor"] input:not([disabled])').count()).toBe(0);
    expect(await page.locator('[data-testid="process-editor"] button').count()).toBe(0);
    await shot(page, 'config-8-viewer-process');

    await nav(page, 'Xuất bản');
    await page.locator('[data-testid="versions"] tbody tr', { hasText: 'm-1' }).waitFor();
    expect(await page.locator('[data-testid="publish-form"]').count()).toBe(0);

    await nav(page, 'Tra cứu thủ tục');
    await page.locator('[data-testid="catalogue-versions"] tbody tr', { hasText: 'cat-2' }).waitFor();
    expect(await page.locator('[data-testid="catalogue-refresh"]').count()).toBe(0);

    await nav(page, 'Trạng thái kết nối');
    await page.locator(`[data-testid="adapters"] tr[data-adapter="${PULL_SOURCE}"]`).waitFor();
    expect(await page.locator('[data-testid="adapters"] button').count()).toBe(0);
    await shot(page, 'config-9-viewer-adapters');

    // The API refuses what the page does not offer.
    const statuses = await page.evaluate(async () => {
      const { csrfToken } = (await (await fetch('/auth/csrf')).json()) as { csrfToken: string };
      const post = (path: string) =>
        fetch(path, { method: 'POST', headers: { 'x-csrf-token': csrfToken } }).then((r) => r.status);
      return [await post('/api/mapping/publish'), await post('/api/adapters/opencps-api-console/pause')];
    });
    expect(statuses).toEqual([403, 403]);
    await context.close();
  });
});
