import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Logger } from '@nestjs/common';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { LgspTokenClient } from './lgsp-token.client';
import { type LgspConfigInput, validateLgspConfig } from './lgsp.config';
import { LgspError } from './lgsp.errors';

const SECRET = 'client-Secret-42&x';

interface Seen {
  path: string;
  headers: IncomingMessage['headers'];
  body: string;
}

type Reply = { status: number; body: string } | 'drop';

/** A throwaway bus on 127.0.0.1:0 whose token answers each test scripts. */
class FakeBus {
  readonly seen: Seen[] = [];
  private server: Server | null = null;
  private counter = 0;
  /** Answer of the token endpoint; default: a fresh token living `ttl` seconds. */
  token: (seen: Seen) => Reply = () => this.issue(3600);
  /** Answer of `/api/*`: 200 when the bearer token is current, else 401. */
  api: (seen: Seen) => Reply = (seen) =>
    seen.headers.authorization === `Bearer ${this.current}`
      ? { status: 200, body: '{}' }
      : { status: 401, body: '' };
  current = '';

  issue(ttl: number | string | undefined): Reply {
    this.current = `tok-${++this.counter}`;
    return {
      status: 200,
      body: JSON.stringify({
        access_token: this.current,
        token_type: 'Bearer',
        expires_in: ttl,
        scope: 'default',
      }),
    };
  }

  async start(): Promise<string> {
    this.server = createServer((req: IncomingMessage, res: ServerResponse) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const seen = {
          path: req.url ?? '',
          headers: req.headers,
          body: Buffer.concat(chunks).toString('utf8'),
        };
        this.seen.push(seen);
        const reply = seen.path === '/token' ? this.token(seen) : this.api(seen);
        if (reply === 'drop') {
          req.socket.destroy();
          return;
        }
        res.writeHead(reply.status, { 'Content-Type': 'application/json' });
        res.end(reply.body);
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  tokenRequests(): Seen[] {
    return this.seen.filter((s) => s.path === '/token');
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }
}

let bus: FakeBus;
let base: string;
let clock: number;
let logged: string[];

function client(overrides: LgspConfigInput = {}): LgspTokenClient {
  const config = validateLgspConfig({
    baseUrl: base,
    clientId: 'isohub',
    clientSecret: SECRET,
    timeoutMs: 2_000,
    tokenRefreshSkewMs: 60_000,
    ...overrides,
  });
  return new LgspTokenClient(config, { now: () => clock });
}

/** A Bearer call to the fake bus, failing like the adapters do on a 401. */
async function call(token: string): Promise<string> {
  const response = await fetch(`${base}/api/x`, { headers: { Authorization: `Bearer ${token}` } });
  if (response.status === 401) {
    throw new LgspError('AUTH_FAILED', 'refused', { httpStatus: 401 });
  }
  return token;
}

async function rejection(promise: Promise<unknown>): Promise<LgspError> {
  const error: unknown = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(LgspError);
  return error as LgspError;
}

beforeEach(async () => {
  bus = new FakeBus();
  base = await bus.start();
  clock = Date.parse('2026-04-01T03:00:00Z');
  logged = [];
  for (const level of ['log', 'warn', 'error', 'debug', 'verbose'] as const) {
    vi.spyOn(Logger.prototype, level).mockImplementation((...args: unknown[]) => {
      logged.push(args.map(String).join(' '));
    });
  }
});

afterEach(async () => {
  vi.restoreAllMocks();
  await bus.stop();
  // Secrets and bearer tokens are never logged, whatever happened in the test.
  expect(logged.join('\n')).not.toMatch(/client-Secret-42|tok-\d/);
});

describe('LgspTokenClient', () => {
  it('posts client credentials as a form, as OpenCPS does, and caches the token', async () => {
    const tokens = client();
    expect(await tokens.token()).toBe('tok-1');
    expect(await tokens.token()).toBe('tok-1');
    const [request] = bus.tokenRequests();
    expect(bus.tokenRequests()).toHaveLength(1);
    expect(request?.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(Object.fromEntries(new URLSearchParams(request?.body))).toEqual({
      grant_type: 'client_credentials',
      client_id: 'isohub',
      client_secret: SECRET,
    });
  });

  it('sends HTTP Basic client authentication when configured (WSO2 style)', async () => {
    await client({ clientAuth: 'basic', scope: 'dossier' }).token();
    const [request] = bus.tokenRequests();
    const basic = Buffer.from(String(request?.headers.authorization).slice(6), 'base64').toString();
    expect(basic).toBe(`isohub:${encodeURIComponent(SECRET)}`);
    expect(new URLSearchParams(request?.body).get('client_secret')).toBeNull();
    expect(new URLSearchParams(request?.body).get('scope')).toBe('dossier');
  });

  it('renews the token skew-before-expiry, and at half-life when the token is shorter than the skew', async () => {
    const tokens = client();
    await tokens.token();
    clock += 3_539_000;
    expect(await tokens.token()).toBe('tok-1');
    clock += 2_000; // 59 s left: inside the 60 s skew
    expect(await tokens.token()).toBe('tok-2');

    bus.token = () => bus.issue('20'); // short-lived, expires_in as a string
    tokens.reset();
    expect(await tokens.token()).toBe('tok-3');
    clock += 9_000;
    expect(await tokens.token()).toBe('tok-3');
    clock += 1_500;
    expect(await tokens.token()).toBe('tok-4');
  });

  it('runs each token request through the caller’s gate (a poller’s rate limit for the bus)', async () => {
    const gated: string[] = [];
    const config = validateLgspConfig({ baseUrl: base, clientId: 'isohub', clientSecret: SECRET });
    const tokens = new LgspTokenClient(config, {
      now: () => clock,
      gate: async <T>(call: () => Promise<T>): Promise<T> => {
        gated.push('call');
        return call();
      },
    });
    await tokens.token();
    await tokens.token();
    expect(gated).toEqual(['call']);
  });

  it('makes one token request for many concurrent callers', async () => {
    const tokens = client();
    const all = await Promise.all(Array.from({ length: 8 }, () => tokens.token()));
    expect(new Set(all)).toEqual(new Set(['tok-1']));
    expect(bus.tokenRequests()).toHaveLength(1);
  });

  it('on a 401 fetches a new token and retries the call once', async () => {
    const tokens = client();
    await tokens.token();
    bus.current = 'revoked-by-the-bus';
    expect(await tokens.withToken(call)).toBe('tok-2');
    expect(bus.tokenRequests()).toHaveLength(2);

    bus.api = () => ({ status: 401, body: '' });
    const error = await rejection(tokens.withToken(call));
    expect(error).toMatchObject({ code: 'AUTH_FAILED', httpStatus: 401, retryable: false });
    // one retry only: the second 401 is the caller's
    expect(bus.tokenRequests()).toHaveLength(3);
  });

  it('keeps using a still-valid token when an early refresh fails', async () => {
    const tokens = client();
    await tokens.token();
    bus.token = () => ({ status: 503, body: 'busy' });
    clock += 3_550_000;
    expect(await tokens.token()).toBe('tok-1');
    clock += 60_000;
    expect(await rejection(tokens.token())).toMatchObject({ code: 'UNAVAILABLE', httpStatus: 503 });
  });

  it('classifies token failures by code, never echoing the secret', async () => {
    bus.token = () => ({ status: 401, body: '{"error":"invalid_client"}' });
    const refused = await rejection(client().token());
    expect(refused).toMatchObject({ code: 'AUTH_FAILED', retryable: false });
    expect(refused.message).toContain('invalid_client');

    bus.token = () => ({ status: 200, body: '<html>login</html>' });
    expect(await rejection(client().token())).toMatchObject({ code: 'BAD_RESPONSE', retryable: true });
    bus.token = () => ({ status: 200, body: '{"token_type":"Bearer"}' });
    expect(await rejection(client().token())).toMatchObject({ code: 'BAD_RESPONSE' });
    bus.token = () => 'drop';
    const dropped = await rejection(client().token());
    expect(dropped).toMatchObject({ code: 'UNAVAILABLE', retryable: true });
    for (const error of [refused, dropped]) {
      expect(`${error.message} ${String((error.cause as Error | undefined)?.message)}`).not.toContain(SECRET);
    }
  });

  it('times out a token endpoint that never answers', async () => {
    const hung = createServer(() => undefined);
    await new Promise<void>((resolve) => hung.listen(0, '127.0.0.1', resolve));
    const port = (hung.address() as AddressInfo).port;
    try {
      const tokens = client({ tokenUrl: `http://127.0.0.1:${port}/token`, timeoutMs: 300 });
      expect(await rejection(tokens.token())).toMatchObject({ code: 'TIMEOUT', retryable: true });
    } finally {
      hung.closeAllConnections();
      await new Promise<void>((resolve) => hung.close(() => resolve()));
    }
  });
});
