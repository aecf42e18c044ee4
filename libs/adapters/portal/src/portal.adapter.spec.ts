import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { inspect } from 'node:util';
import { Logger } from '@nestjs/common';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { PortalAdapter } from './portal.adapter';
import { type PortalConfigInput, validatePortalConfig } from './portal.config';
import { PortalError } from './portal.errors';

const PASSWORD = 'p@ss-Secret-42';

interface Seen {
  path: string;
  headers: IncomingMessage['headers'];
  raw: Buffer;
  json: Record<string, unknown> | null;
}

type Reply = { status?: number; body: unknown; contentType?: string } | 'hang' | 'destroy';

/** A throwaway portal on 127.0.0.1:0 whose answers each test scripts. */
class FakePortal {
  readonly seen: Seen[] = [];
  validSessions = new Set<string>();
  private sessionCounter = 0;
  private readonly open = new Set<ServerResponse>();
  private server: Server | null = null;
  integration: (seen: Seen) => Reply = () => ({ body: { error_code: '0', message: 'Đồng bộ thành công' } });
  auth: (seen: Seen) => Reply = (seen) => {
    if (seen.json?.['username'] === 'isohub' && seen.json['password'] === PASSWORD) {
      const session = `sess-${++this.sessionCounter}`;
      this.validSessions.add(session);
      return { body: { error_code: 0, message: 'Đăng nhập thành công', session } };
    }
    return { body: { error_code: '-1', message: 'Sai tên đăng nhập hoặc mật khẩu' } };
  };

  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const raw = Buffer.concat(chunks);
        let json: Record<string, unknown> | null;
        try {
          json = JSON.parse(raw.toString('utf8')) as Record<string, unknown>;
        } catch {
          json = null;
        }
        const seen: Seen = { path: req.url ?? '', headers: req.headers, raw, json };
        this.seen.push(seen);
        const reply = seen.path === '/portal/auth' ? this.auth(seen) : this.integration(seen);
        if (reply === 'destroy') {
          req.socket.destroy();
          return;
        }
        if (reply === 'hang') {
          this.open.add(res);
          return;
        }
        res.writeHead(reply.status ?? 200, { 'Content-Type': reply.contentType ?? 'application/json' });
        res.end(typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body));
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  logins(): number {
    return this.seen.filter((s) => s.path === '/portal/auth').length;
  }

  calls(): Seen[] {
    return this.seen.filter((s) => s.path !== '/portal/auth');
  }

  sessionIsValid(seen: Seen): boolean {
    return typeof seen.json?.['session'] === 'string' && this.validSessions.has(seen.json['session']);
  }

  async stop(): Promise<void> {
    for (const res of this.open) {
      res.destroy();
    }
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }
}

let portal: FakePortal;
let baseUrl: string;
let logged: string[];

function adapter(overrides: PortalConfigInput = {}): PortalAdapter {
  return new PortalAdapter(
    validatePortalConfig({
      baseUrl,
      authPath: '/portal/auth',
      integrationPath: '/portal/integration',
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

const ITEM = { MaHoSo: '000.00.01.H56-250701-0001', TrangThaiHoSo: '2' };

beforeEach(async () => {
  portal = new FakePortal();
  baseUrl = await portal.start();
  logged = [];
  for (const level of ['log', 'warn', 'error', 'debug', 'verbose'] as const) {
    vi.spyOn(Logger.prototype, level).mockImplementation((...args: unknown[]) => {
      logged.push(args.map(String).join(' '));
    });
  }
});

afterEach(async () => {
  vi.restoreAllMocks();
  await portal.stop();
});

describe('PortalAdapter.sendEnvelope', () => {
  it('logs in once, caches the session and posts the OpenCPS envelope', async () => {
    const client = adapter();

    const first = await client.sendEnvelope({
      service: 'DongBoHoSoMC',
      madonvi: '000.00.00.H56',
      isUpdating: false,
      data: [ITEM],
    });
    const second = await client.sendEnvelope({
      service: 'CapNhatTienDoHoSoMC',
      madonvi: '000.00.00.H56',
      data: [ITEM],
    });

    expect(first).toMatchObject({ errorCode: '0', outcome: 'success', message: 'Đồng bộ thành công' });
    expect(second.outcome).toBe('success');
    expect(portal.logins()).toBe(1);
    expect(portal.seen[0]?.json).toEqual({ username: 'isohub', password: PASSWORD });
    expect(portal.calls().map((c) => c.json)).toEqual([
      {
        session: 'sess-1',
        madonvi: '000.00.00.H56',
        service: 'DongBoHoSoMC',
        isUpdating: 'False',
        data: [ITEM],
      },
      { session: 'sess-1', madonvi: '000.00.00.H56', service: 'CapNhatTienDoHoSoMC', data: [ITEM] },
    ]);
    expect(portal.calls()[0]?.headers['content-type']).toBe('application/json');
  });

  it('logs in again when the cached session is older than sessionMaxAgeMs', async () => {
    const client = adapter({ sessionMaxAgeMs: 100 });
    await client.sendEnvelope({ service: 'DongBoHoSoMC', madonvi: 'X', data: [] });
    await client.sendEnvelope({ service: 'DongBoHoSoMC', madonvi: 'X', data: [] });
    await new Promise((resolve) => setTimeout(resolve, 150));

    await client.sendEnvelope({ service: 'DongBoHoSoMC', madonvi: 'X', data: [] });

    expect(portal.logins()).toBe(2);
    expect(portal.calls().map((c) => c.json?.['session'])).toEqual(['sess-1', 'sess-1', 'sess-2']);
  });

  it('sends configured extra headers such as dstcode on every call', async () => {
    await adapter({ headers: { dstcode: 'VPCP-DVCQG' } }).sendEnvelope({
      service: 'DongBoHoSoMC',
      madonvi: 'X',
      data: [],
    });

    expect(portal.seen.map((s) => s.headers['dstcode'])).toEqual(['VPCP-DVCQG', 'VPCP-DVCQG']);
  });

  it('shares one login between concurrent calls', async () => {
    const client = adapter();

    await Promise.all(
      [1, 2, 3].map(() =>
        client.sendEnvelope({ service: 'DongBoHoSoMC', madonvi: 'X', isUpdating: 'True', data: [] }),
      ),
    );

    expect(portal.logins()).toBe(1);
  });

  it('logs in again once and re-sends when the portal says the session is stale', async () => {
    portal.integration = (seen) =>
      portal.sessionIsValid(seen)
        ? { body: { error_code: '0', message: 'Thành công' } }
        : { body: { error_code: '-1', message: 'Phiên làm việc không hợp lệ hoặc đã hết hạn' } };
    const client = adapter();
    await client.sendEnvelope({ service: 'DongBoHoSoMC', madonvi: 'X', data: [ITEM] });
    portal.validSessions.clear();

    const answer = await client.sendEnvelope({ service: 'DongBoHoSoMC', madonvi: 'X', data: [ITEM] });

    expect(answer.outcome).toBe('success');
    expect(portal.logins()).toBe(2);
    expect(portal.calls().map((c) => c.json?.['session'])).toEqual(['sess-1', 'sess-1', 'sess-2']);
  });

  it('treats HTTP 401 on the integration endpoint as a stale session', async () => {
    portal.integration = (seen) =>
      portal.sessionIsValid(seen)
        ? { body: { error_code: '0' } }
        : { status: 401, body: { error: 'unauthorized' } };
    const client = adapter();
    await client.sendEnvelope({ service: 'DongBoHoSoMC', madonvi: 'X', data: [] });
    portal.validSessions.clear();

    await expect(
      client.sendEnvelope({ service: 'DongBoHoSoMC', madonvi: 'X', data: [] }),
    ).resolves.toMatchObject({
      outcome: 'success',
    });
    expect(portal.logins()).toBe(2);
  });

  it('gives up with AUTH_FAILED when even a fresh session is refused', async () => {
    portal.integration = () => ({ body: { error_code: '-1', message: 'Session không hợp lệ' } });

    const error = await rejection(
      adapter().sendEnvelope({ service: 'DongBoHoSoMC', madonvi: 'X', data: [] }),
    );

    expect(error).toMatchObject({ code: 'AUTH_FAILED', retryable: false, source: 'dvcqg' });
    expect(portal.logins()).toBe(2);
    expect(portal.calls()).toHaveLength(2);
  });

  it('returns business answers without retrying them', async () => {
    portal.integration = () => ({ body: { error_code: '3', message: 'Hồ sơ đã tồn tại'.normalize('NFD') } });

    const answer = await adapter().sendEnvelope({
      service: 'DongBoHoSoMC',
      madonvi: 'X',
      isUpdating: 'False',
      data: [ITEM],
    });

    expect(answer).toMatchObject({ errorCode: '3', outcome: 'already_exists', message: 'Hồ sơ đã tồn tại' });
    expect(portal.calls()).toHaveLength(1);
  });

  it('fails with a non-retryable AUTH_FAILED when the login is refused', async () => {
    const error = await rejection(
      adapter({ password: 'wrong' }).sendEnvelope({ service: 'DongBoHoSoMC', madonvi: 'X', data: [] }),
    );

    expect(error).toMatchObject({ code: 'AUTH_FAILED', retryable: false });
    expect(error.message).toContain('Sai tên đăng nhập');
    expect(portal.calls()).toHaveLength(0);
  });
});

describe('PortalAdapter transport failures', () => {
  const send = (client: PortalAdapter) =>
    client.sendEnvelope({ service: 'DongBoHoSoMC', madonvi: 'X', data: [ITEM] });

  it.each([
    [500, 'UNAVAILABLE', true],
    [503, 'UNAVAILABLE', true],
    [429, 'UNAVAILABLE', true],
    [408, 'TIMEOUT', true],
    [400, 'REJECTED', false],
    [404, 'REJECTED', false],
    [413, 'REJECTED', false],
  ] as const)('HTTP %i -> %s (retryable: %s)', async (status, code, retryable) => {
    portal.integration = () => ({
      status,
      body: '<html><body>error</body></html>',
      contentType: 'text/html',
    });

    const error = await rejection(send(adapter()));

    expect(error).toMatchObject({ code, retryable, httpStatus: status, source: 'dvcqg' });
  });

  it('reports a 200 answer that is not JSON as a retryable BAD_RESPONSE', async () => {
    portal.integration = () => ({ body: '<html>Hệ thống đang bảo trì</html>', contentType: 'text/html' });

    expect(await rejection(send(adapter()))).toMatchObject({ code: 'BAD_RESPONSE', retryable: true });
  });

  it('times out a portal that never answers', async () => {
    portal.integration = () => 'hang';
    const started = Date.now();

    const error = await rejection(send(adapter({ timeoutMs: 300 })));

    expect(error).toMatchObject({ code: 'TIMEOUT', retryable: true });
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('reports a dropped connection as UNAVAILABLE', async () => {
    portal.integration = () => 'destroy';

    expect(await rejection(send(adapter()))).toMatchObject({ code: 'UNAVAILABLE', retryable: true });
  });

  it('reports a closed port as UNAVAILABLE', async () => {
    await portal.stop();

    const error = await rejection(send(adapter()));

    expect(error).toMatchObject({ code: 'UNAVAILABLE', retryable: true });
    expect(error.message).toContain('ECONNREFUSED');
  });

  it('opens the circuit on a portal that keeps answering with a maintenance page', async () => {
    portal.integration = () => ({ body: '<html>Bảo trì</html>', contentType: 'text/html' });
    const client = adapter({ breaker: { consecutiveFailures: 2, halfOpenAfterMs: 60_000 } });
    await send(client).catch(() => undefined);
    await send(client).catch(() => undefined);
    const callsWhenOpened = portal.calls().length;

    expect((await rejection(send(client))).message).toContain('circuit open');
    expect(portal.calls()).toHaveLength(callsWhenOpened);
  });

  it('opens the circuit after repeated failures and stops calling the portal', async () => {
    portal.integration = () => ({ status: 502, body: 'Bad Gateway', contentType: 'text/plain' });
    const client = adapter({ breaker: { consecutiveFailures: 2, halfOpenAfterMs: 200 } });
    await client.sendEnvelope({ service: 'DongBoHoSoMC', madonvi: 'X', data: [] }).catch(() => undefined);
    await client.sendEnvelope({ service: 'DongBoHoSoMC', madonvi: 'X', data: [] }).catch(() => undefined);
    const callsWhenOpened = portal.seen.length;

    const fastFailure = await rejection(send(client));

    expect(fastFailure).toMatchObject({ code: 'UNAVAILABLE', retryable: true });
    expect(fastFailure.message).toContain('circuit open');
    expect(portal.seen).toHaveLength(callsWhenOpened);

    portal.integration = () => ({ body: { error_code: '0' } });
    await new Promise((resolve) => setTimeout(resolve, 250));
    await expect(send(client)).resolves.toMatchObject({ outcome: 'success' });
  });

  it('does not open the circuit on business rejections', async () => {
    portal.integration = () => ({ body: { error_code: '-1', message: 'Dữ liệu không hợp lệ' } });
    const client = adapter({ breaker: { consecutiveFailures: 1, halfOpenAfterMs: 60_000 } });

    for (let i = 0; i < 3; i++) {
      await expect(send(client)).resolves.toMatchObject({ outcome: 'rejected' });
    }
    expect(portal.calls()).toHaveLength(3);
  });

  it('keeps the password and the session out of errors and logs', async () => {
    const client = adapter();
    await send(client);
    portal.integration = () => 'destroy';

    const error = await rejection(send(client));
    const failedLogin = await rejection(
      adapter({ password: `${PASSWORD}-bad` }).sendEnvelope({ service: 'S', madonvi: 'X', data: [] }),
    );

    for (const text of [
      inspect(error, { depth: 20 }),
      inspect(failedLogin, { depth: 20 }),
      logged.join('\n'),
    ]) {
      expect(text).not.toContain(PASSWORD);
      expect(text).not.toContain('sess-1');
    }
    expect(logged.length).toBeGreaterThan(0);
  });
});

describe('PortalAdapter.postRaw', () => {
  it('forwards the body byte-for-byte, without a session, as application/json', async () => {
    const body = ` [ {"MaHoSo":"H56-1","ChuHoSo":"${'Nguyễn Văn Ánh'.normalize('NFD')}"} ]\n`;
    portal.integration = () => ({ body: { error_code: '0', message: 'Thêm mới hồ sơ thành công' } });

    const answer = await adapter().postRaw({ url: `${baseUrl}/thanhhoa/them-moi`, body });

    expect(answer).toMatchObject({ outcome: 'success', errorCode: '0' });
    expect(portal.logins()).toBe(0);
    expect(portal.calls()[0]?.raw.equals(Buffer.from(body, 'utf8'))).toBe(true);
    expect(portal.calls()[0]?.headers['content-type']).toBe('application/json');
  });

  it('forwards a Buffer unchanged, even when it is not valid JSON', async () => {
    const body = Buffer.from([0x5b, 0x7b, 0x7d, 0x2c, 0x5d]);

    await adapter().postRaw({ url: `${baseUrl}/thanhhoa/cap-nhat`, body });

    expect(portal.calls()[0]?.raw.equals(body)).toBe(true);
  });

  it('reads a plain-text answer containing "thành công" as success, as Thanh Hóa does for progress', async () => {
    portal.integration = () => ({ body: 'Cập nhật tiến trình thành công', contentType: 'text/plain' });

    const answer = await adapter().postRaw({ url: `${baseUrl}/thanhhoa/tien-trinh`, body: '[]' });

    expect(answer).toMatchObject({
      outcome: 'success',
      errorCode: '',
      message: 'Cập nhật tiến trình thành công',
    });
  });

  it('still refuses a plain-text answer that does not say "thành công"', async () => {
    portal.integration = () => ({ body: 'Lỗi hệ thống', contentType: 'text/plain' });

    expect(await rejection(adapter().postRaw({ url: `${baseUrl}/x`, body: '[]' }))).toMatchObject({
      code: 'BAD_RESPONSE',
    });
  });

  it('refuses a relative URL', async () => {
    expect(await rejection(adapter().postRaw({ url: '/thanhhoa', body: '[]' }))).toMatchObject({
      code: 'REJECTED',
      retryable: false,
    });
  });
});

describe('PortalAdapter.lookupDossier', () => {
  it('sends TraCuuHoSo with the dossier code and returns what the portal found', async () => {
    portal.integration = () => ({ body: { error_code: '0', message: 'Thành công', result: [ITEM] } });

    const answer = await adapter().lookupDossier({ madonvi: '000.00.00.H56', maHoSo: ITEM.MaHoSo });

    expect(answer).toMatchObject({ outcome: 'success', dossiers: [ITEM] });
    expect(portal.calls()[0]?.json).toEqual({
      session: 'sess-1',
      madonvi: '000.00.00.H56',
      service: 'TraCuuHoSo',
      mahoso: ITEM.MaHoSo,
    });
  });
});

describe('PortalAdapter.checkConnection', () => {
  it('says ok when the login succeeds', async () => {
    await expect(adapter().checkConnection()).resolves.toMatchObject({ ok: true });
  });

  it('names the failure when the login is refused or the portal is down', async () => {
    const refused = await adapter({ password: 'nope' }).checkConnection();
    await portal.stop();
    const down = await adapter().checkConnection();

    expect(refused).toMatchObject({ ok: false });
    expect(refused.detail).toMatch(/^AUTH_FAILED/);
    expect(down.detail).toMatch(/^UNAVAILABLE/);
    expect(JSON.stringify([refused, down])).not.toContain('nope');
  });
});
