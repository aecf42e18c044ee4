import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { type Browser, type BrowserContext, type Page, chromium } from 'playwright-core';
import { expect } from 'vitest';

/**
 * Driving the admin console (apps/admin/web) in Debian's chromium through playwright-core: the build
 * when stale, the launch (fresh profile), the SSO login and screenshots. Shared by the browser tests.
 */
const ROOT = resolve(__dirname, '../../..');
const WEB = resolve(ROOT, 'apps/admin/web');
export const SHOTS = resolve(ROOT, 'test-output/screenshots');
export const TIMEOUT = 30_000;
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-dev-shm-usage',
];

function newestMtime(path: string): number {
  const s = statSync(path);
  if (!s.isDirectory()) {
    return s.mtimeMs;
  }
  return Math.max(0, ...readdirSync(path).map((name) => newestMtime(join(path, name))));
}

/** `vite build` of the console unless dist/index.html is newer than every source file (a clean clone has none). */
export function buildConsoleIfStale(): void {
  const index = join(WEB, 'dist/index.html');
  const built = existsSync(index) ? statSync(index).mtimeMs : 0;
  const sources = Math.max(
    newestMtime(join(WEB, 'src')),
    newestMtime(join(WEB, 'index.html')),
    newestMtime(join(WEB, 'vite.config.ts')),
  );
  if (built > sources) {
    return;
  }
  const vite = resolve(ROOT, 'node_modules/vite/bin/vite.js');
  const r = spawnSync(process.execPath, [vite, 'build', WEB, '--logLevel', 'warn'], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 240_000,
  });
  if (r.status !== 0) {
    throw new Error(`vite build of the console failed: ${r.stderr || r.stdout}`);
  }
}

/** playwright gives every launch a fresh temporary profile of its own. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: ARGS, timeout: 60_000 });
}

/** A fresh context (no cookies, no localStorage), logged in through the SSO's form, on the console. */
export async function signInToConsole(
  browser: Browser,
  urls: { adminUrl: string; sso: string },
  username: string,
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport: { width: 1360, height: 900 }, locale: 'vi-VN' });
  context.setDefaultTimeout(TIMEOUT);
  const page = await context.newPage();
  await page.goto(`${urls.adminUrl}/`);
  await page.waitForSelector('input[name="username"]');
  expect(page.url().startsWith(urls.sso)).toBe(true);
  await page.fill('input[name="username"]', username);
  await page.fill('input[name="password"]', 'isohub-demo');
  await page.click('button[type="submit"]');
  await page.waitForURL((url) => url.href.startsWith(urls.adminUrl));
  await expect.poll(() => page.textContent('[data-testid="user"]'), { timeout: TIMEOUT }).toContain(username);
  return { context, page };
}

export async function nav(page: Page, label: string): Promise<void> {
  await page.click(`nav.tabs a:has-text("${label}")`);
  await page.waitForSelector(`h2:has-text("${label}")`);
}

export async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
}
