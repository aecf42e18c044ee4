import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import { Client } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { topicNames } from '@isohub/events';
import type { RecordedBusCall } from '../apps/sandbox/src/lgsp/lgsp-bus-recorder';
import { createSandboxApp } from '../apps/sandbox/src/sandbox.app';
import { loadSandboxConfig } from '../apps/sandbox/src/sandbox.config';
import { freshDatabase, type TestDatabase } from './support/database';
import { eventTopicViolations, readDatabase } from './support/exactly-once';
import { opsHeaders, startHub, type RunningHub } from './support/hub';
import { TopicRecorder, uniquePrefix } from './support/kafka';

const AGENCY = '000.00.01.H56';
const NO_DATE = '0000-00-00T00:00:00.000+0700';
const SYNC = '/Document/SyncDocument';
const TRACES = '/Document/UpdateDocumentTraces';

/** Two one-stop systems pushing to "their LGSP", which is isohub. */
const SENDERS = {
  a: { id: 'lgsp-fwd-a', secret: 'lgsp-fwd-a-secret-123456' },
  b: { id: 'lgsp-fwd-b', secret: 'lgsp-fwd-b-secret-123456' },
} as const;
type SenderKey = keyof typeof SENDERS;

interface Sent {
  sender: SenderKey;
  path: typeof SYNC | typeof TRACES;
  body: string;
}

interface ForwarderView {
  pending: number;
  failed: number;
  done: number;
  lastError: string | null;
  byStyle: Record<string, { pending: number; failed: number; done: number } | undefined>;
}

function sendersFile(): string {
  const dev = JSON.parse(readFileSync(resolve(__dirname, '../config/senders.dev.json'), 'utf8')) as {
    senders: unknown[];
  };
  // Takeover: isohub answers at commit and delivers as each sender, with the sender's own bus client.
  const lgsp = (s: (typeof SENDERS)[SenderKey]) => ({
    id: s.id,
    style: 'lgsp',
    mode: 'takeover',
    agency: AGENCY,
    clientId: s.id,
    clientSecret: s.secret,
    upstreamClient: { clientId: `${s.id}-own`, clientSecret: `${s.secret}-own` },
    statusMap: { '1': 4, '2': 9 },
  });
  const path = join(mkdtempSync(join(tmpdir(), 'isohub-lgsp-fwd-')), 'senders.json');
  writeFileSync(
    path,
    JSON.stringify({ ...dev, senders: [...dev.senders, lgsp(SENDERS.a), lgsp(SENDERS.b)] }),
  );
  return path;
}

/** A SyncDocument as OpenCPS's LGSP client writes it; some bodies pretty-printed to show bytes are kept. */
function syncDocument(code: string, status: number, pretty: boolean): string {
  const doc = {
    DocTypeCode: '1.001193.000.00.00.H56',
    DocTypeName: 'Thủ tục đăng ký khai sinh'.normalize('NFD'),
    DocCode: code,
    DateReceived: '2026-04-01T02:00:00.000Z',
    DateAppointed: '2026-04-03T10:00:00.000Z',
    IsSuccess: status === 2,
    SuccessDate: status === 2 ? '2026-04-02T08:00:00.000Z' : NO_DATE,
    IsReturned: false,
    ReturnedDate: NO_DATE,
    Status: status,
    ProcessingOrganName: 'UBND xã Quảng Phú',
    HasSupplementary: false,
    Attachments: [],
    DocFees: [],
    OrganInchargeIdLevel1: AGENCY,
    OrganInchargeName: 'UBND xã Quảng Phú',
  };
  return pretty ? JSON.stringify(doc, null, 2) : JSON.stringify(doc);
}

function trace(code: string, minute: number): string {
  return JSON.stringify({
    DocumentId: 40123,
    DocCode: code,
    UserName: 'Trần Thị Bình',
    UserPosition: 'Chuyên viên',
    DateCreated: `2026-04-01T03:${String(minute).padStart(2, '0')}:00.000Z`,
    Comment: `Chuyển bước ${minute}`,
    Status: 0,
    OrganizationInchargeIdLevel1: AGENCY,
    OrganizationInchargeName: 'UBND xã Quảng Phú',
  });
}

/** A dossier's life on the LGSP: received, two trace rows, result ready. */
function dossierCalls(sender: SenderKey, code: string): Sent[] {
  return [
    { sender, path: SYNC, body: syncDocument(code, 1, code.endsWith('1')) },
    { sender, path: TRACES, body: trace(code, 5) },
    { sender, path: TRACES, body: trace(code, 20) },
    { sender, path: SYNC, body: syncDocument(code, 2, false) },
  ];
}

const waitUntil = async (check: () => Promise<boolean>, timeoutMs = 60_000): Promise<void> => {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) {
      throw new Error(`condition not met within ${timeoutMs} ms`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
};

/**
 * one-stop systems -> isohub's LGSP face -> (Kafka events) + (store-and-forward) -> sandbox LGSP bus.
 * The bus must end up with what the senders sent, byte for byte and in order per sender, across bus
 * outages, an expired token and a refusal.
 */
describe('LGSP inbound traffic forwarded to the real bus (takeover senders, each with its own client)', () => {
  let db: TestDatabase;
  let hub: RunningHub;
  let sandbox: INestApplication;
  let busUrl: string;
  let recorder: TopicRecorder;
  const prefix = uniquePrefix('lgspfwd');
  const topics = topicNames(prefix);
  const run = randomBytes(2).toString('hex');
  const tokens = new Map<SenderKey, string>();
  const codeOf = (sender: SenderKey, n: number) =>
    `${AGENCY}-2604${run}${sender}-${String(n).padStart(4, '0')}`;

  const sandboxCall = async (method: string, path: string, body?: unknown): Promise<unknown> => {
    const res = await fetch(`${busUrl}/_sandbox${path}`, {
      method,
      headers: { 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    expect(res.status).toBeLessThan(300);
    return res.status === 204 ? null : await res.json();
  };
  const busReceived = async (): Promise<RecordedBusCall[]> =>
    ((await sandboxCall('GET', '/lgsp/received')) as { calls: RecordedBusCall[] }).calls;
  const forwarder = async (): Promise<ForwarderView> =>
    (
      (await (await fetch(`${hub.url}/health/ready`, { headers: opsHeaders(hub) })).json()) as {
        checks: { forwarder: ForwarderView };
      }
    ).checks.forwarder;

  const send = async (call: Sent): Promise<number> => {
    const res = await fetch(`${hub.url}/lgsp${call.path}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${tokens.get(call.sender) ?? ''}`,
      },
      body: call.body,
    });
    await res.arrayBuffer();
    return res.status;
  };
  /** Each sender's calls one after another (as OpenCPS's publish queue does), the senders side by side. */
  const sendAll = async (calls: Sent[]): Promise<number[]> => {
    const statuses = await Promise.all(
      (Object.keys(SENDERS) as SenderKey[]).map(async (s) => {
        const out: number[] = [];
        for (const c of calls.filter((x) => x.sender === s)) {
          out.push(await send(c));
        }
        return out;
      }),
    );
    return statuses.flat();
  };
  /** What the bus accepted (answered 200) for these dossiers, in arrival order. */
  const deliveredFor = async (codes: string[]): Promise<{ path: string; body: string }[]> =>
    (await busReceived())
      .filter((c) => c.status === 200 && codes.some((code) => c.rawBody.includes(`"${code}"`)))
      .map((c) => ({ path: c.path, body: c.rawBody }));
  const expectDeliveredInOrder = async (calls: Sent[]): Promise<void> => {
    for (const s of Object.keys(SENDERS) as SenderKey[]) {
      const mine = calls.filter((c) => c.sender === s);
      const codes = [
        ...new Set(mine.map((c) => String((JSON.parse(c.body) as { DocCode: string }).DocCode))),
      ];
      expect(await deliveredFor(codes)).toEqual(mine.map((c) => ({ path: c.path, body: c.body })));
    }
  };

  beforeAll(async () => {
    db = await freshDatabase();
    const config = loadSandboxConfig({
      SANDBOX_PORT: '0',
      SANDBOX_LGSP_CLOCK_SPEED: '0',
      SANDBOX_LGSP_CLIENTS: Object.values(SENDERS)
        .map((s) => `${s.id}-own:${s.secret}-own`)
        .join(','),
    });
    sandbox = await createSandboxApp(config, { logger: false });
    await sandbox.listen(0, '127.0.0.1');
    busUrl = (await sandbox.getUrl()).replace('[::1]', '127.0.0.1');
    hub = await startHub({
      databaseUrl: db.url,
      topicPrefix: prefix,
      upstream: busUrl,
      env: { SENDERS_FILE: sendersFile(), TEE_UPSTREAM_TIMEOUT_MS: '2000' },
    });
    recorder = new TopicRecorder([topics.events]);
    await recorder.start();
    for (const [key, s] of Object.entries(SENDERS) as [SenderKey, (typeof SENDERS)[SenderKey]][]) {
      const res = await fetch(`${hub.url}/lgsp/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          grant_type: 'client_credentials',
          client_id: s.id,
          client_secret: s.secret,
        }),
      });
      tokens.set(key, String(((await res.json()) as { access_token: string }).access_token));
    }
  });

  afterAll(async () => {
    await recorder?.stop();
    await hub?.stop();
    await sandbox?.close();
    await db?.drop();
  });

  it('publishes each change once on Kafka and delivers every call to the bus, byte for byte, in order per sender', async () => {
    const calls = [1, 2, 3].flatMap((n) => [
      ...dossierCalls('a', codeOf('a', n)),
      ...dossierCalls('b', codeOf('b', n)),
    ]);
    expect(await sendAll(calls)).toEqual(calls.map(() => 200));
    await waitUntil(async () => (await forwarder()).byStyle['lgsp']?.done === calls.length);
    await expectDeliveredInOrder(calls);

    const stored = await readDatabase(db.url);
    await recorder.waitFor((rs) => rs.length >= stored.events.length);
    expect(stored.events.length).toBeGreaterThanOrEqual(6 * 3);
    expect(eventTopicViolations(recorder.of(topics.events))).toEqual([]);
    expect(new Set(recorder.of(topics.events).map((r) => r.headers['ce_id']))).toEqual(
      new Set(stored.events.map((e) => e.eventId)),
    );
  });

  it('answers the senders at commit while the bus fails or is down, then delivers everything in order', async () => {
    await sandboxCall('PUT', '/faults/lgsp/rest', { mode: 'http500' });
    const calls = [4, 5].flatMap((n) => [
      ...dossierCalls('a', codeOf('a', n)),
      ...dossierCalls('b', codeOf('b', n)),
    ]);
    expect(await sendAll(calls)).toEqual(calls.map(() => 200));
    await waitUntil(async () => (await busReceived()).some((c) => c.fault === 'http500'));
    await sandboxCall('PUT', '/faults/lgsp/rest', { mode: 'drop' });
    await waitUntil(async () => (await busReceived()).some((c) => c.fault === 'drop'));
    const during = await forwarder();
    expect(during.byStyle['lgsp']?.pending).toBe(calls.length);
    expect(during.lastError).toMatch(/LGSP/);
    expect(await deliveredFor([4, 5].flatMap((n) => [codeOf('a', n), codeOf('b', n)]))).toEqual([]);

    await sandboxCall('DELETE', '/faults/lgsp');
    await waitUntil(async () => (await forwarder()).byStyle['lgsp']?.pending === 0, 90_000);
    await expectDeliveredInOrder(calls);
  });

  it('gets a new token when the bus forgets the one it issued, and delivers', async () => {
    const before = (await sandboxCall('GET', '/lgsp/stats')) as {
      tokens: { issued: number };
      calls: { unauthorized: number };
    };
    await sandboxCall('DELETE', '/lgsp/tokens');
    const calls = dossierCalls('a', codeOf('a', 6));
    expect(await sendAll(calls)).toEqual(calls.map(() => 200));
    await waitUntil(async () => (await forwarder()).byStyle['lgsp']?.pending === 0);
    await expectDeliveredInOrder(calls);
    const after = (await sandboxCall('GET', '/lgsp/stats')) as typeof before;
    expect(after.calls.unauthorized).toBeGreaterThan(before.calls.unauthorized);
    expect(after.tokens.issued).toBeGreaterThan(before.tokens.issued);
  });

  it('keeps a request the bus refuses as failed with its answer, visible in health, and goes on', async () => {
    await sandboxCall('PUT', '/faults/lgsp/rest', { mode: 'clientFault', count: 1 });
    const refused: Sent = { sender: 'b', path: SYNC, body: syncDocument(codeOf('b', 7), 1, false) };
    expect(await send(refused)).toBe(200);
    await waitUntil(async () => (await forwarder()).byStyle['lgsp']?.failed === 1);
    const next = dossierCalls('b', codeOf('b', 8));
    expect(await sendAll(next)).toEqual(next.map(() => 200));
    await waitUntil(async () => (await forwarder()).byStyle['lgsp']?.pending === 0);
    await expectDeliveredInOrder(next);

    const c = new Client({ connectionString: db.url });
    await c.connect();
    const { rows } = await c
      .query<{
        sender: string;
        operation: string;
        body: Buffer;
        portal_answer: { httpStatus: number; body: unknown };
        last_error: string;
      }>(`SELECT sender, operation, body, portal_answer, last_error FROM forward_job WHERE status = 'failed'`)
      .finally(() => c.end());
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ sender: SENDERS.b.id, operation: 'SyncDocument' });
    expect(rows[0]?.body.toString('utf8')).toBe(refused.body);
    expect(rows[0]?.portal_answer).toMatchObject({ httpStatus: 400, body: { Status: 400 } });
    expect(rows[0]?.last_error).toMatch(/HTTP 400/);

    const metrics = await (await fetch(`${hub.url}/metrics`, { headers: opsHeaders(hub) })).text();
    expect(metrics).toContain('isohub_forward_style_failed{style="lgsp"} 1');
    // isohub stored the change all the same: its events are on Kafka
    await recorder.waitFor((rs) => rs.some((r) => r.key === codeOf('b', 7)));
  });
});
