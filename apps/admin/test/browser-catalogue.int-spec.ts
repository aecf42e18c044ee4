import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AdminStack, startAdminStack } from '../../../test/support/admin-stack';
import { type TestDatabase, freshDatabase } from '../../../test/support/database';
import { startPortalSandbox } from '../../../test/support/portal-sandbox';
import { SHOTS, TIMEOUT, buildConsoleIfStale, launchChromium, nav, signInToConsole } from './console-browser';

/**
 * The catalogue page's "refresh from the national portal" in a real browser (Debian's chromium via
 * playwright-core): the admin pointed at a sandbox portal serving the 5,608 procedures of
 * procedures.csv, drifted at run time, against the real PostgreSQL seeded from the same file. Each
 * pull is one LayThuTuc per procedure (~20 s on 2 shared cores).
 */
const REPLACED = '3.000611';
const REPLACEMENT = '3.999611';
const RETIMED = '1.115640';
const LISTED = 5608;
/** A pull with the console's progress on screen, then its answer. */
const PULL_TIMEOUT = 180_000;

let db: TestDatabase;
let portal: { url: string; stop(): Promise<void> };
let stack: AdminStack;
let browser: Browser;

async function sql<T = Record<string, unknown>>(text: string, params: unknown[] = []): Promise<T[]> {
  const c = new Client({ connectionString: db.url });
  await c.connect();
  try {
    return (await c.query(text, params)).rows as T[];
  } finally {
    await c.end();
  }
}

/** The sandbox portal's test controls (drift, faults). */
async function sandbox(method: string, path: string, body?: unknown): Promise<number> {
  const res = await fetch(`${portal.url}${path}`, {
    method,
    headers: { 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  await res.text();
  return res.status;
}

/**
 * The refresh card and the catalogue versions below it, as one picture: the rest of the page (the
 * unparsed processing times) runs to thousands of pixels.
 */
async function refreshShot(page: Page, name: string): Promise<void> {
  const top = await page.locator('[data-testid="catalogue-refresh"]').boundingBox();
  const bottom = await page.locator('[data-testid="catalogue-versions"]').boundingBox();
  if (!top || !bottom) {
    throw new Error('the refresh card or the versions are not on the page');
  }
  // Boxes are in viewport coordinates, a full-page clip in page coordinates.
  const scrolled = await page.evaluate<number>('window.scrollY');
  await page.screenshot({
    path: join(SHOTS, `${name}.png`),
    fullPage: true,
    clip: { x: 0, y: scrolled + top.y - 8, width: 1360, height: bottom.y + bottom.height - top.y + 16 },
  });
}

/** Clicks a portal button, sees the progress (with its seconds counting) and waits for it to end. */
async function pullWithProgress(page: Page, button: string, progressText: string, screenshot?: string) {
  await page.click(`[data-testid="${button}"]`);
  const progress = page.locator('[data-testid="portal-progress"]');
  await progress.waitFor();
  expect(await progress.textContent()).toContain(progressText);
  expect(await page.isDisabled('[data-testid="portal-dry-run"]')).toBe(true);
  expect(await page.isDisabled('[data-testid="portal-apply"]')).toBe(true);
  expect(await page.isDisabled('[data-testid="refresh-dry-run"]')).toBe(true);
  expect(await page.textContent(`[data-testid="${button}"]`)).toBe('Đang tải…');
  await expect
    .poll(() => page.textContent('[data-testid="portal-elapsed"]'), { timeout: TIMEOUT })
    .toMatch(/^Đã chạy [1-9]\d* giây\.$/);
  if (screenshot) {
    await refreshShot(page, screenshot);
  }
  await progress.waitFor({ state: 'detached', timeout: PULL_TIMEOUT });
}

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  buildConsoleIfStale();
  db = await freshDatabase();
  portal = await startPortalSandbox();
  stack = await startAdminStack({
    databaseUrl: db.url,
    adminEnv: {
      PORTAL_BASE_URL: portal.url,
      PORTAL_SHARE_PATH: '/api/share',
      PORTAL_MADONVI: '000.00.00.H56',
      PORTAL_CATALOGUE_CONCURRENCY: '8',
      PORTAL_CATALOGUE_RATE_PER_SECOND: '1000',
    },
  });
  browser = await launchChromium();
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
  await portal?.stop();
  await db?.drop();
});

describe('the catalogue refresh from the national portal in a browser', () => {
  it('shows an admin the drift with the pull’s counts, applies it, and lists the procedures it could not fetch', async () => {
    expect(
      await sandbox('POST', '/_sandbox/portal/catalogue/drift', [
        { op: 'replace-code', code: REPLACED, newCode: REPLACEMENT },
        { op: 'set-time', code: RETIMED, channel: 'online', text: '7 ngày làm việc' },
      ]),
    ).toBe(201);
    const { context, page } = await signInToConsole(browser, stack, 'admin');
    await nav(page, 'Tra cứu thủ tục');
    await page.locator('[data-testid="catalogue-versions"] tbody tr', { hasText: 'cat-1' }).waitFor();

    // (1) Dry run: progress while the ~5,600 LayThuTuc calls run, then the diff and the counts.
    await pullWithProgress(
      page,
      'portal-dry-run',
      'Đang lấy danh mục từ Cổng DVCQG',
      'catalogue-portal-1-pulling',
    );
    const result = page.locator('[data-testid="refresh-result"]');
    expect(await result.locator('.msg').textContent()).toContain('Chạy thử: chưa ghi gì.');
    expect(await result.locator('.msg').textContent()).toContain(
      'Thêm 1 · áp dụng lại 0 · sửa 1 · ngừng 1 · giữ nguyên 5606 · lỗi 0',
    );
    expect(await page.textContent('[data-testid="refresh-fetched"]')).toMatch(
      new RegExp(`đã lấy ${LISTED}/${LISTED} thủ tục từ Cổng · không lấy được 0 · \\d+\\.\\d giây`),
    );
    expect(await page.locator('[data-testid="refresh-failed"]').count()).toBe(0);
    // The replaced code: retired, replaced by the new one (same name); the new one added.
    const removed = page.locator('[data-testid="refresh-removed"] tbody tr', { hasText: REPLACED });
    expect(await removed.locator('td').nth(2).textContent()).toBe(`${REPLACEMENT} (cùng tên)`);
    expect(await result.locator('h3', { hasText: 'Ngừng áp dụng' }).textContent()).toBe('Ngừng áp dụng (1)');
    expect(await page.textContent('[data-testid="refresh-added"]')).toContain(REPLACEMENT);
    // The changed time, before → after.
    const retimed = page.locator('[data-testid="refresh-changed"] tbody tr', { hasText: RETIMED });
    expect(await page.locator('[data-testid="refresh-changed"] tbody tr').count()).toBe(1);
    expect(await retimed.locator('code').nth(1).textContent()).toBe('time_online');
    expect(await retimed.locator('del').textContent()).toBe('5 ngày làm việc');
    expect(await retimed.locator('ins').textContent()).toBe('7 Ngày làm việc');
    expect(await sql(`SELECT version FROM catalogue_version`)).toEqual([{ version: 'cat-1' }]);
    await refreshShot(page, 'catalogue-portal-2-dry-run');

    // (2) Apply: the portal read again, exactly that diff written as cat-2.
    await pullWithProgress(page, 'portal-apply', 'Đang áp dụng');
    await expect
      .poll(() => result.locator('.msg.ok').textContent())
      .toContain('Đã áp dụng: phiên bản danh mục cat-2.');
    const version = page.locator('[data-testid="catalogue-versions"] tbody tr', { hasText: 'cat-2' });
    await version.waitFor();
    expect(await version.textContent()).toContain(`portal:${portal.url}`);
    expect(await version.locator('td').nth(5).textContent()).toBe(
      'thêm 1 · áp dụng lại 0 · sửa 1 · ngừng 1 · giữ nguyên 5606',
    );
    await page.locator('[data-testid="catalogue-history"] tbody tr', { hasText: REPLACED }).first().waitFor();
    expect(await page.isDisabled('[data-testid="portal-apply"]')).toBe(true);
    expect(
      await sql(
        `SELECT code, valid_to IS NOT NULL AS retired FROM procedure_catalogue WHERE code = ANY($1) ORDER BY code`,
        [[REPLACED, REPLACEMENT, RETIMED]],
      ),
    ).toEqual([
      { code: RETIMED, retired: false },
      { code: REPLACED, retired: true },
      { code: REPLACEMENT, retired: false },
    ]);
    expect(await sql(`SELECT time_online FROM procedure_catalogue WHERE code = $1`, [RETIMED])).toEqual([
      { time_online: '7 Ngày làm việc' },
    ]);
    await refreshShot(page, 'catalogue-portal-3-applied');

    // (3) Three LayThuTuc calls fail: the dry run lists those codes, keeps them, and changes nothing.
    expect(
      await sandbox('PUT', '/_sandbox/faults/portal/integration.LayThuTuc', { mode: 'http500', count: 3 }),
    ).toBe(200);
    await pullWithProgress(page, 'portal-dry-run', 'Đang lấy danh mục từ Cổng DVCQG');
    expect(await page.textContent('[data-testid="refresh-fetched"]')).toContain(
      `đã lấy ${LISTED - 3}/${LISTED} thủ tục từ Cổng · không lấy được 3`,
    );
    expect(await result.locator('.msg').textContent()).toContain('sửa 0 · ngừng 0');
    expect(await result.locator('h3', { hasText: 'Không lấy được từ Cổng' }).textContent()).toBe(
      'Không lấy được từ Cổng (3)',
    );
    expect(await result.textContent()).toContain('được giữ nguyên');
    const failed = page.locator('[data-testid="refresh-failed"] li');
    expect(await failed.count()).toBe(3);
    const codes = await failed.locator('code').allTextContents();
    for (const item of await failed.allTextContents()) {
      expect(item).toMatch(/^\d\.\d{6}: UNAVAILABLE/);
    }
    // They are real, current catalogue codes, still in force.
    expect(
      await sql(
        `SELECT code FROM procedure_catalogue WHERE code = ANY($1) AND valid_to IS NULL ORDER BY code`,
        [codes],
      ),
    ).toEqual([...codes].sort().map((code) => ({ code })));
    await refreshShot(page, 'catalogue-portal-4-failed');

    // The same view in English.
    await page.click('[data-testid="lang"]');
    await page.locator('[data-testid="refresh-failed"]').waitFor();
    expect(await page.textContent('[data-testid="refresh-fetched"]')).toContain(
      `${LISTED - 3}/${LISTED} procedures fetched from the portal · 3 failed`,
    );
    expect(await result.textContent()).toContain('Could not fetch from the portal (3)');
    expect(await result.textContent()).toContain('kept as they are');
    await refreshShot(page, 'catalogue-portal-5-failed-english');
    await sandbox('DELETE', '/_sandbox/faults/portal');
    await context.close();
  }, 600_000);
});
