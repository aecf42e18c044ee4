import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { OneStopRestAdapter } from './onestop-rest.adapter';
import { DEFAULT_ONESTOP_REST, type OneStopRestConfig } from './onestop-rest.config';
import { OnestopError } from './onestop.errors';

/** A real local HTTP server: one that drips its answer, or one that answers too much. */
async function serve(handler: Parameters<typeof createServer>[1]): Promise<{ url: string; server: Server }> {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

function adapter(baseUrl: string, over: Partial<OneStopRestConfig> = {}): OneStopRestAdapter {
  return new OneStopRestAdapter({
    ...DEFAULT_ONESTOP_REST,
    id: 'limits',
    agency: null,
    baseUrl,
    groupId: null,
    auth: { kind: 'none' },
    startFrom: null,
    statusTable: [],
    stepStatus: {},
    ...over,
  });
}

describe('one-stop pull: every call has a deadline and a response size cap', () => {
  const servers: Server[] = [];
  afterEach(async () => {
    for (const s of servers.splice(0)) {
      s.closeAllConnections();
      await new Promise((r) => s.close(r));
    }
  });

  it('an upstream that drips bytes (never idle) still times out at the deadline', async () => {
    const { url, server } = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"total": 0, "data": [');
      const timer = setInterval(() => res.write(' '), 50);
      res.on('close', () => clearInterval(timer));
    });
    servers.push(server);
    const started = Date.now();
    const error = await adapter(url, { timeoutMs: 400 })
      .pull({ cursor: null, limit: 10 })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OnestopError);
    expect((error as OnestopError).code).toBe('TIMEOUT');
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('an answer larger than maxResponseBytes is refused, not retried', async () => {
    const { url, server } = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ total: 0, data: [], pad: 'x'.repeat(64 * 1024) }));
    });
    servers.push(server);
    const error = await adapter(url, { maxResponseBytes: 8 * 1024 })
      .pull({ cursor: null, limit: 10 })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'BAD_RESPONSE', retryable: false });
  });
});
