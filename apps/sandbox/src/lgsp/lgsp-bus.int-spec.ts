import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { INestApplication } from '@nestjs/common';
import { Logger } from '@nestjs/common';
import {
  createLgspSoapSource,
  LgspAdapter,
  type LgspConfigInput,
  LgspError,
  validateLgspConfig,
  validateLgspSoapSourceConfig,
} from '@isohub/adapters/lgsp';
import type { PulledBatch } from '@isohub/adapters/source';
import { mapLgspDocument, mapLgspTrace, testMappingContext } from '@isohub/mapping';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { createSandboxApp } from '../sandbox.app';
import { defaultLgspSandboxConfig, LGSP_SANDBOX_DEFAULTS } from './lgsp-sandbox.config';

/** Simulated time after the whole simulated fortnight: every dossier has reached its final state. */
const LATE = '2025-07-25T10:00:00.000Z';
/** Simulated time inside the first day: some dossiers exist, most have further to go. */
const MIDDAY = '2025-07-01T05:00:00.000Z';

let app: INestApplication;
let base: string;
let logged: string[];

async function control(method: 'PUT' | 'DELETE' | 'GET', path: string, body?: unknown): Promise<unknown> {
  const response = await fetch(`${base}/_sandbox/${path}`, {
    method,
    headers: { 'Content-Type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  expect(response.status).toBeLessThan(300);
  return response.status === 204 ? null : response.json();
}

const fault = (endpoint: string, settings: Record<string, unknown>) =>
  control('PUT', `faults/lgsp/${endpoint}`, settings);
const stats = async () =>
  (await control('GET', 'lgsp/stats')) as {
    tokens: { issued: number; active: number };
    calls: Record<string, number>;
  };
const truth = async () =>
  (await control('GET', 'lgsp/dossiers')) as { code: string; status: number; steps: number }[];

function busConfig(overrides: LgspConfigInput = {}): LgspConfigInput {
  return {
    baseUrl: `${base}/lgsp/rest`,
    tokenUrl: `${base}/lgsp/token`,
    clientId: LGSP_SANDBOX_DEFAULTS.clientId,
    clientSecret: LGSP_SANDBOX_DEFAULTS.clientSecret,
    timeoutMs: 1_500,
    soap: { wsdlUrl: `${base}/lgsp/soap/DossierService?wsdl` },
    ...overrides,
  };
}

const bus = (overrides: LgspConfigInput = {}) => new LgspAdapter(validateLgspConfig(busConfig(overrides)));

async function rejection(promise: Promise<unknown>): Promise<LgspError> {
  const error: unknown = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(LgspError);
  return error as LgspError;
}

beforeAll(async () => {
  app = await createSandboxApp(
    {
      host: '127.0.0.1',
      port: 0,
      maxBody: '1mb',
      portal: { username: 'isohub', password: 'sandbox-test-pass' },
      lgsp: defaultLgspSandboxConfig({
        dossiers: { seed: 'lgsp-int', count: 24, date: '2025-07-01', spanDays: 5 },
        clock: { startAt: LATE, speed: 0 },
      }),
    },
    { logger: false },
  );
  await app.listen(0, '127.0.0.1');
  base = (await app.getUrl()).replace('[::1]', '127.0.0.1');
});

afterAll(async () => {
  await app.close();
});

beforeEach(async () => {
  logged = [];
  for (const level of ['log', 'warn', 'error', 'debug', 'verbose'] as const) {
    vi.spyOn(Logger.prototype, level).mockImplementation((...args: unknown[]) => {
      logged.push(args.map(String).join(' '));
    });
  }
  await control('DELETE', 'faults/lgsp');
  await control('PUT', 'lgsp/clock', { at: LATE, speed: 0 });
  await control('PUT', 'lgsp/token-settings', { ttlSeconds: 300 });
  return () => {
    vi.restoreAllMocks();
    expect(logged.join('\n')).not.toContain(LGSP_SANDBOX_DEFAULTS.clientSecret);
  };
});

describe('REST over the simulated LGSP', () => {
  it('gets a token once and reuses it for Bearer calls (JSON and XML answers)', async () => {
    const before = await stats();
    const lgsp = bus();
    const json = await lgsp.callRest({ path: '/Document/SyncDocument', body: { DocCode: 'X-1', Status: 1 } });
    expect(json).toMatchObject({ status: 200, contentType: 'application/json' });
    expect(json.data).toMatchObject({
      Method: 'POST',
      Path: '/Document/SyncDocument',
      Body: { DocCode: 'X-1' },
    });
    const xml = await lgsp.callRest({
      path: '/Echo',
      method: 'GET',
      accept: 'application/xml',
      query: { a: '1' },
    });
    expect(xml).toMatchObject({
      contentType: 'application/xml',
      data: { EchoResult: { Status: '200', Method: 'GET' } },
    });
    const xmlEcho = await bus().callRest({
      path: '/Statistic/UpdateStatistic',
      body: 'Tòa & <án>',
      contentType: 'text/plain',
    });
    expect(xmlEcho.data).toMatchObject({ Body: 'Tòa & <án>' });
    expect((await stats()).tokens.issued - before.tokens.issued).toBe(2);
  });

  it('survives "expire tokens now" mid-run: one 401, a new token, the call retried', async () => {
    const lgsp = bus();
    await lgsp.callRest({ path: '/a', body: {} });
    const before = await stats();
    await control('DELETE', 'lgsp/tokens');
    const answer = await lgsp.callRest({ path: '/b', body: {} });
    expect(answer.status).toBe(200);
    const after = await stats();
    expect(after.calls['unauthorized'] - before.calls['unauthorized']).toBe(1);
    expect(after.tokens.issued - before.tokens.issued).toBe(1);
  });

  it('refreshes a short-lived token before it expires, so the bus never sees an expired one', async () => {
    await control('PUT', 'lgsp/token-settings', { ttlSeconds: 2 });
    const lgsp = bus({ tokenRefreshSkewMs: 60_000 });
    const before = await stats();
    await lgsp.callRest({ path: '/a', body: {} });
    await new Promise((resolve) => setTimeout(resolve, 1_200));
    await lgsp.callRest({ path: '/b', body: {} });
    const after = await stats();
    expect(after.tokens.issued - before.tokens.issued).toBe(2);
    expect(after.calls['unauthorized']).toBe(before.calls['unauthorized']);
  });

  it('turns the bus’s faults into coded errors', async () => {
    const lgsp = bus({ timeoutMs: 1_000 });
    const cases: [Record<string, unknown>, Partial<LgspError>][] = [
      [
        { mode: 'http500', count: 1 },
        { code: 'UNAVAILABLE', httpStatus: 500, retryable: true },
      ],
      [
        { mode: 'drop', count: 1 },
        { code: 'UNAVAILABLE', retryable: true },
      ],
      [
        { mode: 'timeout', count: 1 },
        { code: 'TIMEOUT', retryable: true },
      ],
      [{ mode: 'malformed', count: 1 }, { code: 'BAD_RESPONSE' }],
      [
        { mode: 'xxe', count: 1 },
        { code: 'XML_UNSAFE', retryable: false },
      ],
      [
        { mode: 'bomb', count: 1 },
        { code: 'XML_UNSAFE', retryable: false },
      ],
    ];
    for (const [settings, expected] of cases) {
      await fault('rest', settings);
      expect(await rejection(lgsp.callRest({ path: '/x', body: {} }))).toMatchObject(expected);
    }
    await fault('token', { mode: 'malformed', count: 1 });
    expect(await rejection(bus().callRest({ path: '/x', body: {} }))).toMatchObject({ code: 'BAD_RESPONSE' });
    expect(await rejection(bus({ clientSecret: 'wrong-secret' }).callRest({ path: '/x' }))).toMatchObject({
      code: 'AUTH_FAILED',
      retryable: false,
    });
    expect((await lgsp.callRest({ path: '/x', body: {} })).status).toBe(200);
  });
});

describe('the SOAP dossier service, from its WSDL', () => {
  it('lists changed dossiers page by page and returns each one’s history in the REST field names', async () => {
    const lgsp = bus();
    const first = await lgsp.listChangedDossiers({
      since: '2025-01-01T00:00:00.000Z',
      page: 1,
      pageSize: 10,
    });
    expect(first).toMatchObject({ page: 1, pageSize: 10, total: 24, hasMore: true });
    expect(first.dossiers).toHaveLength(10);
    const [one] = first.dossiers;
    expect(one?.modifiedAt).toMatch(/^2025-07-\d\dT\d\d:\d\d:\d\d\.000Z$/);
    expect(one?.document).toMatchObject({
      DocCode: expect.stringMatching(/^000\.00\.\d\d\.H56-250701-\d{4}$/) as string,
      ApplicantsType: expect.any(Number) as number,
      IsReturned: expect.any(Boolean) as boolean,
      SuccessDate: expect.stringMatching(/Z$|\+0700$/) as string,
      DocFees: [{ FeeName: 'Lệ phí', FeeType: 1, Price: 0 }],
    });
    expect(one?.document).not.toHaveProperty('ModifiedTime');
    const last = await lgsp.listChangedDossiers({ since: '2025-01-01T00:00:00.000Z', page: 3, pageSize: 10 });
    expect(last).toMatchObject({ hasMore: false });
    expect(last.dossiers).toHaveLength(4);

    const code = String(one?.document['DocCode']);
    const history = await lgsp.getDossierHistory({ docCode: code });
    const known = (await truth()).find((d) => d.code === code);
    expect(history).toHaveLength(known?.steps ?? -1);
    expect(history[0]).toMatchObject({ DocCode: code, Status: 0, DocumentId: expect.any(Number) as number });
    expect(await lgsp.checkConnection()).toMatchObject({ ok: true });
  });

  it('maps what it pulls like pushed LGSP items: every snapshot and trace is accepted', async () => {
    const source = createLgspSoapSource(
      validateLgspSoapSourceConfig({ id: 'lgsp-soap-int', lgsp: busConfig() }),
    );
    const ctx = testMappingContext({
      profile: 'opencps',
      source: { system: 'lgsp-soap-int', protocol: 'lgsp-soap', operation: 'LgspSyncDocument' },
    });
    const page = await source.pull({ cursor: null, limit: 30 });
    const [documents, traces] = page.batches as [PulledBatch, PulledBatch];
    expect(documents.items).toHaveLength(24);
    for (const item of documents.items) {
      expect(mapLgspDocument(item, null, ctx)).toMatchObject({ ok: true });
    }
    expect(traces.items.length).toBeGreaterThan(24);
    for (const item of traces.items) {
      expect(mapLgspTrace(item, null, ctx)).toMatchObject({ ok: true });
    }
  });

  it('polls dossiers moving over time, without losing one when they change while it pages', async () => {
    await control('PUT', 'lgsp/clock', { at: MIDDAY, speed: 0 });
    const source = createLgspSoapSource(
      validateLgspSoapSourceConfig({ id: 'lgsp-soap-int', lgsp: busConfig(), overlapMs: 0 }),
    );
    const seen = new Map<string, string>();
    let cursor: string | null = null;
    const drain = async () => {
      for (let pulls = 0; pulls < 40; pulls++) {
        const page = await source.pull({ cursor, limit: 3 });
        for (const item of page.batches.find((b) => b.operation === 'LgspSyncDocument')?.items ?? []) {
          const d = item as Record<string, unknown>;
          seen.set(String(d['DocCode']), String(d['Status']));
        }
        cursor = page.nextCursor;
        if (!page.hasMore) {
          return;
        }
      }
      throw new Error('the poll never caught up');
    };
    await drain();
    expect([...seen.keys()].sort()).toEqual((await truth()).map((d) => d.code).sort());

    // Time passes: more dossiers arrive, and every listing moves a dossier while the client pages.
    await control('PUT', 'lgsp/clock', { at: LATE, speed: 0 });
    await fault('soap', { mode: 'changeDuringPaging' });
    // (plain offset paging of one `since` would lose some of them)
    const naive = new Set<string>();
    for (let page = 1; page < 20; page++) {
      const answer = await bus().listChangedDossiers({
        since: '2025-01-01T00:00:00.000Z',
        page,
        pageSize: 5,
      });
      answer.dossiers.forEach((d) => naive.add(String(d.document['DocCode'])));
      if (!answer.hasMore) {
        break;
      }
    }
    expect(naive.size).toBeLessThan(24);
    await drain();
    await fault('soap', { mode: 'none' });
    const all = await truth();
    expect([...seen.keys()].sort()).toEqual(all.map((d) => d.code).sort());
    expect(all).toHaveLength(24);
    // and the last snapshot read of each is its final state (Status 2 only while the result waits)
    for (const d of all) {
      expect(seen.get(d.code)).toBe(d.status === 9 ? '2' : '1');
    }
  });

  it('refuses XXE and billion-laughs answers with XML_UNSAFE: no file content, no expansion', async () => {
    const lgsp = bus();
    for (const mode of ['xxe', 'bomb']) {
      await fault('soap', { mode, count: 1 });
      const started = Date.now();
      const error = await rejection(lgsp.listChangedDossiers({ since: LATE, page: 1, pageSize: 5 }));
      expect(Date.now() - started).toBeLessThan(3_000);
      expect(error).toMatchObject({ code: 'XML_UNSAFE', retryable: false, source: 'lgsp' });
      expect(error.message).toMatch(/declares a DTD/);
      expect(JSON.stringify({ message: error.message, cause: String(error.cause) })).not.toMatch(
        /root:|nologin|lollol/,
      );
    }
    for (const mode of ['xxe', 'bomb']) {
      await fault('wsdl', { mode, count: 1 });
      expect(await rejection(bus().listChangedDossiers({ since: LATE, page: 1, pageSize: 5 }))).toMatchObject(
        {
          code: 'XML_UNSAFE',
        },
      );
    }
    expect(logged.join('\n')).not.toMatch(/root:x:0|lollollol/);
  });

  it('maps faults: SOAP Faults by who is to blame, broken XML, HTTP trouble, slow and empty pages', async () => {
    const lgsp = bus({ timeoutMs: 1_000 });
    const list = () => lgsp.listChangedDossiers({ since: '2025-01-01T00:00:00.000Z', page: 1, pageSize: 5 });
    const cases: [Record<string, unknown>, Partial<LgspError>][] = [
      [
        { mode: 'soapFault', count: 1 },
        { code: 'SOAP_FAULT', faultCode: 'soap:Server', retryable: true },
      ],
      [
        { mode: 'clientFault', count: 1 },
        { code: 'SOAP_FAULT', faultCode: 'soap:Client', retryable: false },
      ],
      [{ mode: 'malformed', count: 1 }, { code: 'BAD_RESPONSE' }],
      [
        { mode: 'http500', count: 1 },
        { code: 'UNAVAILABLE', httpStatus: 500 },
      ],
      [{ mode: 'drop', count: 1 }, { code: 'UNAVAILABLE' }],
      [{ mode: 'timeout', count: 1 }, { code: 'TIMEOUT' }],
    ];
    for (const [settings, expected] of cases) {
      await fault('soap', settings);
      expect(await rejection(list())).toMatchObject(expected);
    }
    const fault1 = await (async () => {
      await fault('soap', { mode: 'soapFault', count: 1 });
      return rejection(list());
    })();
    expect(fault1.message).toContain('Hệ thống đang bận');

    await fault('soap', { mode: 'slow', latencyMs: 300, count: 1 });
    expect((await list()).dossiers).toHaveLength(5);
    await fault('soap', { mode: 'emptyPage', count: 1 });
    expect(await list()).toMatchObject({ dossiers: [], hasMore: false });
    expect(
      await lgsp.getDossierHistory({ docCode: 'NO-SUCH-DOSSIER' }).catch((e: unknown) => e),
    ).toMatchObject({
      code: 'SOAP_FAULT',
      faultCode: 'soap:Client',
    });

    await fault('wsdl', { mode: 'malformed', count: 1 });
    const fresh = bus();
    expect(await rejection(fresh.listChangedDossiers({ since: LATE, page: 1, pageSize: 1 }))).toMatchObject({
      code: 'BAD_RESPONSE',
    });
    // the WSDL is fetched again after a failure
    expect(await fresh.listChangedDossiers({ since: LATE, page: 1, pageSize: 1 })).toMatchObject({ page: 1 });
  });

  it('sends the token only to the WSDL’s own origin unless soap.endpointUrl names the service', async () => {
    // A WSDL published on one origin that advertises a service on another (here: the sandbox itself).
    const mirror = createServer((_req, res) => {
      fetch(`${base}/lgsp/soap/DossierService?wsdl`)
        .then(async (answer) => res.writeHead(200, { 'Content-Type': 'text/xml' }).end(await answer.text()))
        .catch(() => res.writeHead(502).end());
    });
    await new Promise<void>((resolve) => mirror.listen(0, '127.0.0.1', resolve));
    const wsdlUrl = `http://127.0.0.1:${(mirror.address() as AddressInfo).port}/DossierService?wsdl`;
    try {
      const elsewhere = bus({ soap: { wsdlUrl } });
      const refused = await rejection(elsewhere.listChangedDossiers({ since: LATE, page: 1, pageSize: 1 }));
      expect(refused).toMatchObject({ code: 'REJECTED', retryable: false });
      expect(refused.message).toMatch(/set soap.endpointUrl/);
      const told = bus({ soap: { wsdlUrl, endpointUrl: `${base}/lgsp/soap/DossierService` } });
      expect(await told.listChangedDossiers({ since: LATE, page: 1, pageSize: 1 })).toMatchObject({
        page: 1,
      });
    } finally {
      mirror.closeAllConnections();
      await new Promise<void>((resolve) => mirror.close(() => resolve()));
    }
  });

  it('answers a SOAP call after "expire tokens now" through one refresh, and says AUTH_FAILED when refused', async () => {
    const lgsp = bus();
    await lgsp.listChangedDossiers({ since: LATE, page: 1, pageSize: 1 });
    await control('DELETE', 'lgsp/tokens');
    await expect(
      lgsp.getDossierHistory({ docCode: (await truth())[0]?.code ?? '' }),
    ).resolves.not.toHaveLength(0);
    const check = await bus({ clientSecret: 'not-the-secret' }).checkConnection();
    expect(check).toMatchObject({ ok: false });
    expect(check.detail).toMatch(/^AUTH_FAILED: token: client credentials refused \(invalid_client\)/);
  });
});
