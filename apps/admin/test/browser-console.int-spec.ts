import { mkdirSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AdminStack } from '../../../test/support/admin-stack';
import { type ConsoleStack, startConsoleStack } from '../../../test/support/console-stack';
import { type TestDatabase, freshDatabase } from '../../../test/support/database';
import { OpenCpsClient, type RunningHub } from '../../../test/support/hub';
import { AGENCY, progressRow, snapshot } from '../../../test/support/traffic';
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
 * The console's view of the hub at work, in Debian's chromium against a real sync service (real ingest,
 * PostgreSQL, Kafka): the dossier lookup, the dead-letter page (masked payload, discard by an admin,
 * read-only for a viewer) and the readiness panel, with the screenshots people look at.
 */
const OPS_TOKEN = 'browser-console-ops-token-0123456789';
const CODE = `${AGENCY}-261202-0001`;
const BAD_CODE = `${AGENCY}-261202-0002`;
const UNMAPPED_CODE = `${AGENCY}-261202-0003`;
const APPLICANT = 'Nguyễn Văn An';
/** dd/mm/yyyy HH:mm, the only way the console writes an instant for people. */
const VN_DATE = /\d{2}\/\d{2}\/\d{4} \d{2}:\d{2}/;
const ISO_DATE = /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;

let db: TestDatabase;
let running: ConsoleStack;
let hub: RunningHub;
let stack: AdminStack;
let browser: Browser;

const signIn = (username: string) => signInToConsole(browser, stack, username);

async function bodyText(page: Page): Promise<string> {
  return (await page.textContent('main')) ?? '';
}

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  buildConsoleIfStale();
  db = await freshDatabase();
  running = await startConsoleStack({ databaseUrl: db.url, topic: 'browser-console', opsToken: OPS_TOKEN });
  ({ hub, stack } = running);
  const client = new OpenCpsClient(hub.url);
  const ok = async (service: string, data: unknown[]) =>
    expect((await client.send(service, data)).status).toBe(200);
  await ok('DongBoHoSoMC', [snapshot(CODE, { ChuHoSo: APPLICANT })]);
  await ok('CapNhatTienDoHoSoMC', [
    progressRow(CODE, '20260401100000', 'Trần Văn Bình', 'Phòng Tư pháp', 'Thẩm định hồ sơ'),
    progressRow(CODE, '20260402080000', 'Lê Thị Cúc', 'Lãnh đạo UBND', 'Phê duyệt kết quả'),
  ]);
  // A local procedure code no mapping knows: the dossier's events wait in the unmapped queue.
  await ok('DongBoHoSoMC', [snapshot(UNMAPPED_CODE, { MaTTHC: 'KS-DIA-PHUONG-99', ChuHoSo: APPLICANT })]);
  // Refused by isohub: an impossible status (the sender gets the portal's own answer, transparent tee).
  // The payload names the applicant, who must stay masked.
  await client.send('DongBoHoSoMC', [snapshot(BAD_CODE, { TrangThaiHoSo: '42', ChuHoSo: APPLICANT })]);
  browser = await launchChromium();
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await running?.stop();
  await db?.drop();
});

describe('the console shows what the hub is doing', () => {
  it('finds a dossier by part of its code and shows its events, state and dead letters', async () => {
    const { context, page } = await signIn('admin');
    await nav(page, 'Tra cứu hồ sơ');
    await page.fill('input[name="dossier-q"]', '261202');
    await page.click('[data-testid="dossier-search"] button[type="submit"]');
    const results = page.locator('[data-testid="dossier-results"]');
    await results.waitFor();
    expect(await results.locator('tbody tr').count()).toBe(3);
    expect(await results.locator('tbody tr', { hasText: BAD_CODE }).textContent()).toContain(
      'Chỉ có thư lỗi',
    );
    await results.locator('tbody tr', { hasText: CODE }).locator('button').click();

    const events = page.locator('[data-testid="dossier-events"]');
    await events.waitFor();
    const rows = events.locator('tbody tr');
    expect(await rows.count()).toBeGreaterThanOrEqual(3);
    expect(await rows.first().textContent()).toContain('Tiếp nhận hồ sơ');
    const eventsText = (await events.textContent()) ?? '';
    expect(eventsText).toContain('Chuyển bước xử lý');
    expect(eventsText).toContain('Phòng Tư pháp');
    expect(eventsText).toMatch(/01\/04\/2026 10:00/);
    expect(eventsText).not.toMatch(/STEP_HANDOVER|DOSSIER_RECEIVED/);
    const sequences: number[] = [];
    for (let n = 0; n < (await rows.count()); n += 1) {
      sequences.push(Number(await rows.nth(n).getAttribute('data-sequence')));
    }
    expect(sequences).toEqual([...sequences].sort((a, b) => a - b));
    expect(await page.textContent('[data-testid="dossier-state"]')).toContain('4 — Đang xử lý');
    expect(await page.textContent('[data-testid="dossier-publication"]')).toContain(
      'Bị giữ chờ ánh xạ mã: 0',
    );
    // Steps with their deadlines (the sender's here: no ISO process is seeded in this database).
    const steps = (await page.textContent('[data-testid="dossier-steps"]')) ?? '';
    expect(steps).toContain('theo bên gửi');
    expect(steps).toContain('03/04/2026 17:00');
    expect(page.url()).toContain(`/dossiers?code=${encodeURIComponent(CODE)}`);
    const text = await bodyText(page);
    expect(text).toMatch(VN_DATE);
    expect(text).not.toMatch(ISO_DATE);
    expect(text).not.toContain(APPLICANT);
    await shot(page, 'console-1-dossier');

    // A dossier whose local procedure code no mapping knows says so; the code waits in the unmapped queue.
    await page.fill('input[name="dossier-q"]', UNMAPPED_CODE);
    await page.click('[data-testid="dossier-search"] button[type="submit"]');
    await expect
      .poll(() => page.textContent('[data-testid="dossier-state"]'), { timeout: TIMEOUT })
      .toContain('mã thủ tục chưa ánh xạ');
    expect(await page.textContent('[data-testid="dossier-state"]')).toContain('KS-DIA-PHUONG-99');
    await shot(page, 'console-2-dossier-unmapped');

    // The refused one: only its dead letter, linked to the dead-letter page.
    await page.fill('input[name="dossier-q"]', BAD_CODE);
    await page.click('[data-testid="dossier-search"] button[type="submit"]');
    const letters = page.locator('[data-testid="dossier-dead-letters"]');
    await letters.waitFor();
    expect(await letters.textContent()).toContain('/TrangThaiHoSo');
    await shot(page, 'console-3-dossier-dead-letter');
    await context.close();
  });

  it('lets an admin filter dead letters, read one masked and discard it; a viewer only reads', async () => {
    const { context, page } = await signIn('admin');
    await nav(page, 'Thư lỗi');
    const list = page.locator('[data-testid="dead-letters"]');
    await list.waitFor();
    const row = list.locator('tbody tr', { hasText: BAD_CODE });
    await row.waitFor();
    expect(await row.textContent()).toContain('Chưa xử lý');

    // Filters: a reason no letter has empties the list; the letter's own reason and today bring it back.
    await page.fill('input[name="dl-reasonCode"]', 'no_such_reason');
    await page.click('[data-testid="dead-letter-filter"] button[type="submit"]');
    await page.locator('text=Không có thư lỗi nào khớp bộ lọc.').waitFor();
    const [y, m, d] = new Date(Date.now() + 7 * 3_600_000).toISOString().slice(0, 10).split('-');
    const today = `${d}/${m}/${y}`;
    await page.fill('input[name="dl-reasonCode"]', 'range');
    await page.fill('input[name="dl-sourceSystem"]', 'opencps-demo');
    await page.fill('input[name="dl-from"]', today);
    await page.fill('input[name="dl-to"]', today);
    await page.click('[data-testid="dead-letter-filter"] button[type="submit"]');
    await row.waitFor();

    await row.locator('button').click();
    const letter = page.locator('[data-testid="dead-letter"]');
    await letter.waitFor();
    const payload = (await page.textContent('[data-testid="payload"]')) ?? '';
    expect(payload).toContain(BAD_CODE);
    expect(payload).toContain('đã che');
    expect(payload).not.toContain(APPLICANT);
    expect(payload).not.toContain('0912345678');
    expect(await page.textContent('[data-testid="masked-note"]')).toMatch(/\(\d+ giá trị\)/);
    await shot(page, 'console-4-dead-letter');

    // Replay is refused while the cause stands; the field at fault is named.
    await letter.locator('button', { hasText: 'Xử lý lại' }).click();
    await expect.poll(() => letter.textContent(), { timeout: TIMEOUT }).toContain('TrangThaiHoSo');
    // Discard in two clicks; the letter leaves the open list and is kept as discarded.
    await letter.locator('button', { hasText: 'Loại bỏ' }).click();
    await letter.locator('button', { hasText: 'Xác nhận loại bỏ' }).click();
    await page.locator('[data-testid="dead-letter-done"]').waitFor();
    await expect.poll(() => letter.textContent(), { timeout: TIMEOUT }).toContain('Loại bỏ bởi admin');
    await shot(page, 'console-5-dead-letter-discarded');
    await context.close();

    const viewer = await signIn('viewer');
    await nav(viewer.page, 'Thư lỗi');
    await viewer.page.selectOption('select[name="dl-state"]', 'all');
    await viewer.page.click('[data-testid="dead-letter-filter"] button[type="submit"]');
    const seen = viewer.page.locator('[data-testid="dead-letters"] tbody tr', { hasText: BAD_CODE });
    await seen.waitFor();
    expect(await seen.textContent()).toContain('Đã loại bỏ');
    await seen.locator('button').click();
    await viewer.page.locator('[data-testid="payload"]').waitFor();
    expect(
      await viewer.page.locator('[data-testid="dead-letter"] button', { hasText: 'Xử lý lại' }).count(),
    ).toBe(0);
    await viewer.context.close();
  });

  it('shows the hub’s readiness part by part, in Vietnamese, green or red', async () => {
    const { context, page } = await signIn('viewer');
    await nav(page, 'Trạng thái kết nối');
    const panel = page.locator('[data-testid="readiness"]');
    await panel.waitFor();
    expect(await page.textContent('[data-testid="hub-status"]')).toBe('Sẵn sàng');
    const database = panel.locator('tr[data-check="database"]');
    expect(await database.getAttribute('data-level')).toBe('ok');
    expect(await database.textContent()).toContain('Cơ sở dữ liệu (PostgreSQL)');
    expect(await panel.locator('tr[data-check="kafka"]').textContent()).toContain('Bình thường');
    // No raw JSON unless asked for (the technical details are folded).
    expect(await panel.locator('details[open]').count()).toBe(0);
    await shot(page, 'console-6-readiness');
    await context.close();
  });

  it('shows every page of the console with the demo data in it (one screenshot each)', async () => {
    const { context, page } = await signIn('admin');
    const tabs = page.locator('nav.tabs a');
    const count = await tabs.count();
    expect(count).toBeGreaterThanOrEqual(11);
    for (let i = 0; i < count; i += 1) {
      const tab = tabs.nth(i);
      const label = ((await tab.textContent()) ?? '').trim();
      const path = new URL((await tab.getAttribute('href')) ?? '/', stack.adminUrl).pathname;
      await tab.click();
      await page.waitForSelector(`h2:has-text("${label}")`);
      await page.waitForLoadState('networkidle');
      if (path === '/mappings') {
        // The configuration file's mapping (config/senders.dev.json), read-only and marked as such.
        const fromFile = page.locator('[data-testid="config-mappings"] tbody tr', {
          hasText: '2.000488.000.00.00.H56',
        });
        await fromFile.waitFor();
        expect(await fromFile.textContent()).toContain('từ tệp cấu hình');
        expect(await fromFile.locator('button').count()).toBe(0);
      }
      if (path === '/transfer') {
        // Import: the columns described and a template to download, whose header the import reads.
        expect(await page.textContent('[data-testid="import-help"]')).toContain('national_code *');
        const href = (await page.getAttribute('[data-testid="import-template"]', 'href')) ?? '';
        expect(decodeURIComponent(href.split(',')[1] ?? '')).toMatch(
          /^\uFEFFsource_system,local_code,national_code,/,
        );
      }
      if (path === '/unmapped') {
        await page.locator('[data-testid="unmapped"] tbody tr', { hasText: 'KS-DIA-PHUONG-99' }).waitFor();
      }
      // Dates for people are dd/mm/yyyy; stored JSON shown as such (audit before/after) is left as it is.
      let text = await bodyText(page);
      for (const json of await page.locator('main pre').allTextContents()) {
        text = text.replace(json, '');
      }
      expect(text, label).not.toMatch(ISO_DATE);
      expect(text, label).not.toContain(APPLICANT);
      await shot(
        page,
        `console-page-${String(i + 1).padStart(2, '0')}${path === '/' ? '-catalogue' : path.replace(/\//g, '-')}`,
      );
    }
    await context.close();
  });
});
