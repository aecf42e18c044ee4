import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AdminStack, startAdminStack } from '../../../test/support/admin-stack';
import { type TestDatabase, freshDatabase, queryRows } from '../../../test/support/database';
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
 * The working-calendar page in a real browser: the shipped 2026 calendar (make-up Saturday 10/01, Tết
 * week), the alert for a year without an official calendar, a province override imported from CSV with a
 * dry run and published, and the read-only view of a viewer.
 */
let db: TestDatabase;
let stack: AdminStack;
let browser: Browser;
let scratch: string;

const sql = <T = Record<string, unknown>>(text: string, params: unknown[] = []) =>
  queryRows<T>(db.url, text, params);

/** Steps the year switch to `year`. */
async function showYear(page: Page, year: number): Promise<void> {
  for (let shown = Number(await page.textContent('[data-testid="calendar-year"]')); shown !== year;) {
    await page.click(`button:has-text("${shown > year ? '‹' : '›'}")`);
    await expect
      .poll(async () => Number(await page.textContent('[data-testid="calendar-year"]')), { timeout: TIMEOUT })
      .toBe(shown > year ? shown - 1 : shown + 1);
    shown = Number(await page.textContent('[data-testid="calendar-year"]'));
  }
}

const PAGE = 'Lịch làm việc';
const thisYear = Number(
  new Intl.DateTimeFormat('en', { timeZone: 'Asia/Ho_Chi_Minh', year: 'numeric' }).format(new Date()),
);

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  scratch = mkdtempSync(join(tmpdir(), 'isohub-calendar-'));
  buildConsoleIfStale();
  db = await freshDatabase();
  stack = await startAdminStack({ databaseUrl: db.url });
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

describe('the working-calendar page in a browser', () => {
  it('shows 2026 with its make-up Saturday and Tết week, and alerts on a year without an official calendar', async () => {
    const { context, page } = await signInToConsole(browser, stack, 'admin');
    await nav(page, PAGE);
    // Only 2026 ships as official: any other current or next year must raise the alert.
    const missing = [thisYear, thisYear + 1].filter((y) => y !== 2026);
    if (missing.length > 0) {
      await expect
        .poll(() => page.textContent('[data-testid="calendar-alert"]'), { timeout: TIMEOUT })
        .toContain(String(missing[0]));
    }
    await showYear(page, 2026);
    await page.waitForSelector('[data-testid="calendar-year-status"]:has-text("2026")');
    await expect
      .poll(() => page.getAttribute('td[data-date="2026-01-10"]', 'data-kind'), { timeout: TIMEOUT })
      .toBe('make_up');
    expect(await page.getAttribute('td[data-date="2026-01-02"]', 'data-kind')).toBe('day_off');
    expect(await page.getAttribute('td[data-date="2026-02-18"]', 'data-kind')).toBe('day_off');
    expect(await page.getAttribute('td[data-date="2026-02-14"]', 'data-kind')).toBe('rest');
    expect(await page.textContent('[data-testid="calendar-year-status"]')).toContain('Chính thức');
    const rows = page.locator('[data-testid="calendar-days"] tbody tr');
    expect(await rows.count()).toBe(13);
    expect(await page.textContent('[data-testid="calendar-days"] tr[data-date="2026-01-10"]')).toContain(
      'Công văn 12729/VPCP-KGVX ngày 25/12/2025',
    );
    expect(await page.textContent('[data-testid="calendar-days"] tr[data-date="2026-09-02"]')).toContain(
      'Tạm tính',
    );
    await shot(page, 'calendar-2026-admin');

    // 2027 ships provisional.
    await page.click('button:has-text("›")');
    await page.waitForSelector('[data-testid="calendar-year-status"]:has-text("2027")');
    expect(await page.textContent('[data-testid="calendar-year-status"]')).toContain('Tạm tính');
    await context.close();
  });

  it('lets an admin import a province override from CSV (dry run, then apply) and publish it', async () => {
    const { context, page } = await signInToConsole(browser, stack, 'admin');
    await nav(page, PAGE);
    await page.fill('[data-testid="calendar-new-scope"]', 'province:H56');
    await page.click('[data-testid="calendar-new-scope"] + button');
    await showYear(page, 2026);
    await page.waitForSelector('[data-testid="calendar-year-status"]:has-text("Tỉnh H56")');
    await page.waitForSelector('text=Phạm vi này chưa có dữ liệu riêng cho năm 2026.');

    const bad = join(scratch, 'bad.csv');
    writeFileSync(
      bad,
      'date,kind,name,source\n31/02/2026,day_off,Sai ngày,QĐ\n10/03/2026,holiday,Sai loại,QĐ\n',
    );
    await page.setInputFiles('[data-testid="calendar-file"]', bad);
    await page.click('button:has-text("Xem trước")');
    await page.waitForSelector('[data-testid="calendar-plan"] .msg.err');
    const errors = await page.textContent('[data-testid="calendar-plan"]');
    expect(errors).toContain('Lỗi trong tệp (2)');
    expect(errors).toContain('dòng 2');
    expect(await page.isDisabled('button:has-text("Áp dụng vào bản nháp")')).toBe(true);

    const good = join(scratch, 'h56-2026.csv');
    writeFileSync(
      good,
      '\uFEFFNgày,Loại,Tên,Căn cứ,Trạng thái,Giờ làm việc\n' +
        '10/03/2026,nghỉ,Ngày giải phóng tỉnh,Quyết định của UBND tỉnh,chính thức,\n' +
        '14/03/2026,làm bù,Làm bù buổi sáng,Quyết định của UBND tỉnh,chính thức,07:30-11:30\n',
    );
    await page.setInputFiles('[data-testid="calendar-file"]', good);
    await page.click('button:has-text("Xem trước")');
    await page.waitForSelector('[data-testid="calendar-plan"]:has-text("Thêm 2")');
    expect(await page.textContent('[data-testid="calendar-plan"]')).toContain(
      '10/03/2026 Ngày nghỉ — Ngày giải phóng tỉnh',
    );
    await shot(page, 'calendar-import-dry-run');
    // A dry run writes nothing.
    expect(await sql(`SELECT 1 FROM calendar_day WHERE scope_code = 'H56'`)).toHaveLength(0);
    await page.click('button:has-text("Áp dụng vào bản nháp")');
    await page.waitForSelector('[data-testid="calendar-message"]:has-text("Đã nhập vào bản nháp.")');
    await expect
      .poll(() => page.getAttribute('td[data-date="2026-03-10"]', 'data-kind'), { timeout: TIMEOUT })
      .toBe('day_off');
    expect(await page.getAttribute('td[data-date="2026-03-14"]', 'data-kind')).toBe('make_up');
    // The national days still show through the province's calendar.
    expect(await page.getAttribute('td[data-date="2026-01-10"]', 'data-kind')).toBe('make_up');

    await page.fill('[data-testid="calendar-publish"] input', 'Lịch riêng tỉnh H56 năm 2026');
    await page.click('button:has-text("Phát hành lịch")');
    await page.waitForSelector('[data-testid="calendar-message"]:has-text("Đã phát hành cal-2")');
    const published = await sql<{ day: string; kind: string }>(
      `SELECT to_char(day, 'YYYY-MM-DD') AS day, kind FROM calendar_day
        WHERE version = 'cal-2' AND scope_level = 'province' AND scope_code = 'H56' ORDER BY day`,
    );
    expect(published).toEqual([
      { day: '2026-03-10', kind: 'day_off' },
      { day: '2026-03-14', kind: 'make_up' },
    ]);
    const audit = await sql<{ action: string }>(
      `SELECT action FROM audit_log WHERE actor <> 'system:seed' AND action LIKE 'calendar.%' ORDER BY id`,
    );
    expect(audit.map((a) => a.action)).toEqual(['calendar.import', 'calendar.publish']);
    await shot(page, 'calendar-h56-published');
    await context.close();
  });

  it('shows a viewer the calendar read-only', async () => {
    const { context, page } = await signInToConsole(browser, stack, 'viewer');
    await nav(page, PAGE);
    await page.waitForSelector('text=Chỉ xem: cần quyền quản trị để sửa lịch.');
    await page.waitForSelector('[data-testid="calendar-months"]');
    for (const form of [
      'calendar-year-form',
      'calendar-day-form',
      'calendar-weekly-form',
      'calendar-import',
    ]) {
      expect(await page.locator(`[data-testid="${form}"]`).count()).toBe(0);
    }
    expect(await page.locator('button:has-text("Phát hành lịch")').count()).toBe(0);
    expect(await page.locator('button:has-text("Xóa")').count()).toBe(0);
    await shot(page, 'calendar-viewer');
    await context.close();
  });
});
