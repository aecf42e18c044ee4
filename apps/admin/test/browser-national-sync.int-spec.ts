import { mkdirSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AdminStack, startAdminStack } from '../../../test/support/admin-stack';
import { type TestDatabase, freshDatabase } from '../../../test/support/database';
import { DEV_SENDERS, OpenCpsClient, postJson, type RunningHub, startHub } from '../../../test/support/hub';
import { uniquePrefix } from '../../../test/support/kafka';
import { SHOTS, buildConsoleIfStale, launchChromium, nav, shot, signInToConsole } from './console-browser';

/**
 * The national portal sync page in a real browser: a sync service whose transparent tee relays to the
 * sandbox portal, senders whose calls the portal accepts and refuses, and the console listing per sender
 * what the portal answered and the sync rate (QĐ 766 indicator 1.4).
 */
const AGENCY = DEV_SENDERS.opencps.agency;

function snapshot(code: string): Record<string, unknown> {
  return {
    MaHoSo: code,
    MaTTHC: '1.001193',
    TenTTHC: 'Đăng ký khai sinh',
    KenhThucHien: '2',
    NgayNopHoSo: '20260401080000',
    NgayTiepNhan: '20260401090000',
    NgayHenTra: '20260403170000',
    TrangThaiHoSo: '2',
  };
}

let db: TestDatabase;
let hub: RunningHub;
let stack: AdminStack;
let browser: Browser;

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  buildConsoleIfStale();
  db = await freshDatabase();
  hub = await startHub({ databaseUrl: db.url, topicPrefix: uniquePrefix('natsync') });
  stack = await startAdminStack({
    databaseUrl: db.url,
    adminEnv: { SYNC_SERVICE_URL: hub.url, SYNC_SERVICE_OPS_TOKEN: hub.config.opsToken ?? '' },
  });
  browser = await launchChromium();
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
  await hub?.stop();
  await db?.drop();
});

describe('national portal sync page', () => {
  it('lists per sender the calls the portal accepted, refused with its message and the sync rate', async () => {
    const client = new OpenCpsClient(hub.url);
    const accepted = `${AGENCY}-NS-0001`;
    const refusedTwice = `${AGENCY}-NS-0002`;
    expect((await client.send('DongBoHoSoMC', [snapshot(accepted)])).body.error_code).toBe('0');
    expect((await client.send('DongBoHoSoMC', [snapshot(refusedTwice)])).body.error_code).toBe('0');
    // A create of a dossier the portal already has: refused, "đã tồn tại".
    expect((await client.send('DongBoHoSoMC', [snapshot(refusedTwice)])).body.error_code).toBe('3');
    const th = await postJson(`${hub.url}/dvcqg/th/${DEV_SENDERS.thanhhoaKey}/ThemMoi`, [
      snapshot('000.00.00.H56-NS-0001'),
    ]);
    expect(th.body.error_code).toBe('0');

    const { context, page } = await signInToConsole(browser, stack, 'admin');
    await nav(page, 'Đồng bộ lên Cổng DVCQG');
    const opencps = page.locator('[data-testid="senders"] tr[data-sender="opencps-demo"]');
    await opencps.waitFor();
    expect(await opencps.locator('[data-testid="delivered"]').textContent()).toBe('2');
    expect(await opencps.locator('[data-testid="refused"]').textContent()).toBe('1');
    expect(await opencps.locator('[data-testid="unanswered"]').textContent()).toBe('0');
    expect(await opencps.locator('[data-testid="last-refusal"]').textContent()).toContain('đã tồn tại');
    // One of its two dossiers has its latest call accepted: 50 %.
    expect(await opencps.locator('[data-testid="rate"]').textContent()).toMatch(/50\s?%.*1\/2/);
    const thanhhoa = page.locator('[data-testid="senders"] tr[data-sender="thanhhoa-demo"]');
    expect(await thanhhoa.locator('[data-testid="delivered"]').textContent()).toBe('1');
    expect(await page.locator('[data-testid="national-rate"]').textContent()).toContain('2/3');
    await shot(page, 'national-sync');
    await context.close();
  });
});
