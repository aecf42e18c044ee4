import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { PortalAdapter } from './portal.adapter';
import { validatePortalConfig } from './portal.config';
import { PortalError } from './portal.errors';

async function serve(handler: Parameters<typeof createServer>[1]): Promise<{ url: string; server: Server }> {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

function portal(
  baseUrl: string,
  over: { timeoutMs?: number; maxResponseBytes?: number } = {},
): PortalAdapter {
  return new PortalAdapter(
    validatePortalConfig({
      baseUrl,
      username: 'isohub',
      password: 'secret-password',
      timeoutMs: 2_000,
      ...over,
    }),
  );
}

describe('portal client: every call has a deadline and a response size cap', () => {
  const servers: Server[] = [];
  afterEach(async () => {
    for (const s of servers.splice(0)) {
      s.closeAllConnections();
      await new Promise((r) => s.close(r));
    }
  });

  it('a portal that drips bytes (never idle) still times out at the deadline', async () => {
    const { url, server } = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"error_code": 0,');
      const timer = setInterval(() => res.write(' '), 50);
      res.on('close', () => clearInterval(timer));
    });
    servers.push(server);
    const started = Date.now();
    const error = await portal(url, { timeoutMs: 400 })
      .lookupDossier({ madonvi: '000.00.01.H56', maHoSo: 'x' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PortalError);
    expect((error as PortalError).code).toBe('TIMEOUT');
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('an answer larger than maxResponseBytes is refused, not retried', async () => {
    const { url, server } = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error_code: 0, session: 's', pad: 'x'.repeat(64 * 1024) }));
    });
    servers.push(server);
    const error = await portal(url, { maxResponseBytes: 8 * 1024 })
      .lookupDossier({ madonvi: '000.00.01.H56', maHoSo: 'x' })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'BAD_RESPONSE', retryable: false });
  });
});
