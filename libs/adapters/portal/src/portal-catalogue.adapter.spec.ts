import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { Logger } from '@nestjs/common';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { EnvReader } from '@isohub/config';
import { PortalAdapter } from './portal.adapter';
import { type PortalConfigInput, readPortalEnv, validatePortalConfig } from './portal.config';
import { PortalError } from './portal.errors';

const PASSWORD = 'catalogue-Secret-7';
const fixture = (path: string) => readFileSync(resolve(__dirname, '__fixtures__/catalogue', path), 'utf8');

interface Seen {
  path: string;
  raw: string;
  json: Record<string, unknown> | null;
}

/** A throwaway portal: logins issue numbered sessions; every other call is answered by `reply`. */
class FakePortal {
  readonly seen: Seen[] = [];
  readonly sessions = new Set<string>();
  private issued = 0;
  reply: (seen: Seen) => { status?: number; body: string } = () => ({ body: '{}' });
  private server: Server | null = null;

  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        let json: Record<string, unknown> | null;
        try {
          json = JSON.parse(raw) as Record<string, unknown>;
        } catch {
          json = null;
        }
        const seen = { path: req.url ?? '', raw, json };
        this.seen.push(seen);
        let answer: { status?: number; body: string };
        if (seen.path === '/p/auth') {
          const session = `s-${++this.issued}`;
          this.sessions.add(session);
          answer = { body: JSON.stringify({ error_code: '0', session }) };
        } else if (!this.sessions.has(String(json?.['session']))) {
          answer = { body: '{"error_code":"-1","message":"Phiên làm việc không hợp lệ"}' };
        } else {
          answer = this.reply(seen);
        }
        res.writeHead(answer.status ?? 200, { 'Content-Type': 'application/json' });
        res.end(answer.body);
      });
    });
    await new Promise<void>((r) => this.server?.listen(0, '127.0.0.1', r));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  calls(): Seen[] {
    return this.seen.filter((s) => s.path !== '/p/auth');
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((r) => this.server?.close(() => r()));
  }
}

let portal: FakePortal;
let baseUrl: string;

function adapter(overrides: PortalConfigInput = {}): PortalAdapter {
  return new PortalAdapter(
    validatePortalConfig({
      baseUrl,
      authPath: '/p/auth',
      integrationPath: '/p/integration',
      username: 'isohub',
      password: PASSWORD,
      timeoutMs: 2_000,
      ...overrides,
    }),
  );
}

async function rejection(promise: Promise<unknown>): Promise<PortalError> {
  const error: unknown = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(PortalError);
  return error as PortalError;
}

beforeEach(async () => {
  vi.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
  vi.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
  vi.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
  portal = new FakePortal();
  baseUrl = await portal.start();
});

afterEach(async () => {
  vi.restoreAllMocks();
  await portal.stop();
});

describe('listProcedures (LayDanhSachTTHC)', () => {
  it('posts {session, madonvi, service} to the share endpoint and reads the list', async () => {
    portal.reply = () => ({ body: fixture('ok/laydanhsachtthc.json') });
    const answer = await adapter({ sharePath: '/p/share' }).listProcedures({ madonvi: '000.00.00.H56' });

    expect(answer.outcome).toBe('success');
    expect(answer.procedures.map((p) => p.code)).toEqual(['1.001193', '3.000333', '2.001234']);
    expect(answer.procedures[0]?.name).toBe('Thủ tục đăng ký khai sinh');
    const [call] = portal.calls();
    expect(call?.path).toBe('/p/share');
    expect(call?.raw).toBe('{"session":"s-1","madonvi":"000.00.00.H56","service":"LayDanhSachTTHC"}');
  });

  it('posts to the integration path when no share path is configured', async () => {
    portal.reply = () => ({ body: fixture('ok/laydanhsachtthc-thanhhoa-connector.json') });
    const answer = await adapter().listProcedures({ madonvi: 'x' });
    expect(answer.procedures).toHaveLength(2);
    expect(portal.calls()[0]?.path).toBe('/p/integration');
  });

  it('logs in again when the portal forgot the session, and resends once', async () => {
    portal.reply = () => ({ body: fixture('ok/laydanhsachtthc.json') });
    const client = adapter();
    await client.listProcedures({ madonvi: 'x' });
    portal.sessions.clear();
    const again = await client.listProcedures({ madonvi: 'x' });
    expect(again.procedures).toHaveLength(3);
    expect(portal.seen.filter((s) => s.path === '/p/auth')).toHaveLength(2);
    expect(portal.calls().map((c) => c.json?.['session'])).toEqual(['s-1', 's-1', 's-2']);
  });

  it('resolves a refusal as rejected with no procedures, and an unusable list as BAD_RESPONSE', async () => {
    portal.reply = () => ({ body: '{"error_code":"-1","message":"Hệ thống đang bận"}' });
    expect(await adapter().listProcedures({ madonvi: 'x' })).toMatchObject({
      outcome: 'rejected',
      procedures: [],
    });
    portal.reply = () => ({ body: fixture('bad/laydanhsachtthc-entry-without-code.json') });
    expect((await rejection(adapter().listProcedures({ madonvi: 'x' }))).code).toBe('BAD_RESPONSE');
    portal.reply = () => ({ body: '<html>maintenance</html>' });
    expect((await rejection(adapter().listProcedures({ madonvi: 'x' }))).code).toBe('BAD_RESPONSE');
  });
});

describe('getProcedure (LayThuTuc)', () => {
  it('posts {madonvi, maTTHC, session, service} to the integration endpoint and returns result[0]', async () => {
    portal.reply = () => ({ body: fixture('ok/laythutuc-opencps.json') });
    const answer = await adapter({ sharePath: '/p/share' }).getProcedure({
      madonvi: '000.00.00.H56',
      maTTHC: '1.001193',
    });

    expect(answer.procedure?.['MATTHC']).toBe('1.001193');
    const [call] = portal.calls();
    expect(call?.path).toBe('/p/integration');
    expect(call?.raw).toBe(
      '{"madonvi":"000.00.00.H56","maTTHC":"1.001193","session":"s-1","service":"LayThuTuc"}',
    );
  });

  it('accepts the Thanh Hóa connector wrap and answers null for an empty result', async () => {
    portal.reply = () => ({ body: fixture('ok/laythutuc-thanhhoa-connector.json') });
    expect((await adapter().getProcedure({ madonvi: 'x', maTTHC: '2.001234' })).procedure).toMatchObject({
      MATTHC: '2.001234',
    });
    portal.reply = () => ({ body: '{"error_code":"0","message":"Không tìm thấy","result":[]}' });
    expect((await adapter().getProcedure({ madonvi: 'x', maTTHC: '9.999999' })).procedure).toBeNull();
  });

  it('opens the circuit after repeated failures and stops calling the portal', async () => {
    portal.reply = () => ({ status: 500, body: 'oops' });
    const client = adapter({ breaker: { consecutiveFailures: 3, halfOpenAfterMs: 60_000 } });
    for (let i = 0; i < 3; i += 1) {
      expect((await rejection(client.getProcedure({ madonvi: 'x', maTTHC: '1.001193' }))).code).toBe(
        'UNAVAILABLE',
      );
    }
    const before = portal.calls().length;
    const open = await rejection(client.getProcedure({ madonvi: 'x', maTTHC: '1.001193' }));
    expect(open.message).toContain('circuit open');
    expect(portal.calls()).toHaveLength(before);
    expect(open.message).not.toContain(PASSWORD);
  });
});

describe('readPortalEnv', () => {
  it('reads PORTAL_* with the share path defaulting to the integration path', () => {
    const input = readPortalEnv(
      new EnvReader({ PORTAL_INTEGRATION_PATH: '/x/integration', PORTAL_PASSWORD: 'pw' }),
      { baseUrl: 'http://127.0.0.1:8090', username: 'isohub' },
    );
    const config = validatePortalConfig(input);
    expect(config).toMatchObject({
      baseUrl: 'http://127.0.0.1:8090',
      integrationPath: '/x/integration',
      sharePath: '/x/integration',
      username: 'isohub',
      password: 'pw',
      timeoutMs: 30_000,
    });
    expect(
      validatePortalConfig(
        readPortalEnv(new EnvReader({ PORTAL_SHARE_PATH: '/share', PORTAL_TIMEOUT_MS: '5000' }), {
          baseUrl: 'http://h',
          username: 'u',
          password: 'p',
        }),
      ),
    ).toMatchObject({ sharePath: '/share', timeoutMs: 5_000 });
    expect(() => validatePortalConfig({ ...input, sharePath: 'share' })).toThrow('sharePath');
  });
});
