import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Client } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase, type TestDatabase } from '../../../test/support/database';
import { DEV_SENDERS, opsHeaders, startHub, type RunningHub } from '../../../test/support/hub';
import { startPortalSandbox } from '../../../test/support/portal-sandbox';
import { uniquePrefix } from '../../../test/support/kafka';

const AGENCY = DEV_SENDERS.opencps.agency;
const TH_KEY = DEV_SENDERS.thanhhoaKey;
const LGSP_CLIENT = { id: 'opencps-lgsp-demo', secret: 'lgsp-demo-secret-change-me' };

interface Exchange {
  status: number;
  contentType: string | null;
  bytes: Buffer;
  text: string;
}

interface RecordedPortalRequest {
  endpoint: string;
  path: string;
  service: string | null;
  rawBody: string;
  answer: unknown;
}

interface RecordedBusCall {
  method: string;
  path: string;
  contentType: string | null;
  rawBody: string;
  status: number | null;
}

async function post(
  url: string,
  body: string | Buffer,
  headers: Record<string, string> = {},
): Promise<Exchange> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body,
  });
  const bytes = Buffer.from(await res.arrayBuffer());
  return {
    status: res.status,
    contentType: res.headers.get('content-type'),
    bytes,
    text: bytes.toString('utf8'),
  };
}

/** The sandbox portal's answer bytes: ASCII-escaped on the session endpoints, literal UTF-8 on Thanh Hóa's. */
function portalBytes(answer: unknown, ascii: boolean): Buffer {
  const json = JSON.stringify(answer);
  return Buffer.from(
    ascii
      ? json.replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
      : json,
    'utf8',
  );
}

function snapshot(code: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    MaHoSo: code,
    MaTTHC: '1.001193',
    TenTTHC: 'Đăng ký khai sinh',
    MaLinhVuc: 'G14',
    TenLinhVuc: 'Hộ tịch',
    KenhThucHien: '2',
    ChuHoSo: 'Nguyễn Văn An',
    NgayNopHoSo: '20260401080000',
    NgayTiepNhan: '20260401090000',
    NgayHenTra: '20260403170000',
    NgayKetThucXuLy: '',
    TrangThaiHoSo: '2',
    DonViXuLy: 'UBND xã Quảng Phú',
    ...overrides,
  };
}

function progressRow(code: string, at: string, who: string, unit: string, text: string, status = '4') {
  return {
    MaHoSo: code,
    NguoiXuLy: who,
    ChucDanh: 'Chuyên viên',
    PhongBanXuLy: unit,
    ThoiDiemXuLy: at,
    NoiDungXuLy: text,
    TrangThai: status,
    NgayBatDau: at,
    NgayKetThucTheoQuyDinh: '20260403170000',
  };
}

function envelope(
  session: string,
  service: string,
  data: unknown,
  extra: Record<string, unknown> = {},
): string {
  return JSON.stringify({ session, madonvi: AGENCY, service, isUpdating: 'False', data, ...extra });
}

/** A port nothing listens on: the upstream is down. */
async function closedPort(): Promise<number> {
  const server: Server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

describe('transparent tee: the upstream decides, isohub keeps what it reads', () => {
  let db: TestDatabase;
  let sql: Client;
  let sandbox: { url: string; stop(): Promise<void> };
  let hub: RunningHub;
  const prefix = uniquePrefix('teeproxy');

  const portalRequests = async (): Promise<RecordedPortalRequest[]> =>
    (
      (await (await fetch(`${sandbox.url}/_sandbox/portal/received`)).json()) as {
        requests: RecordedPortalRequest[];
      }
    ).requests;
  const busCalls = async (): Promise<RecordedBusCall[]> => {
    const body = (await (await fetch(`${sandbox.url}/_sandbox/lgsp/received`)).json()) as
      RecordedBusCall[] | { calls: RecordedBusCall[] };
    return Array.isArray(body) ? body : body.calls;
  };
  const eventCount = async (code: string): Promise<number> =>
    Number(
      (
        (await sql.query(`SELECT count(*) AS n FROM dossier_event WHERE dossier_code = $1`, [code]))
          .rows[0] as {
          n: string;
        }
      ).n,
    );
  const login = async (): Promise<{ exchange: Exchange; session: string }> => {
    const exchange = await post(
      `${hub.url}/dvcqg/api/auth`,
      JSON.stringify({ username: DEV_SENDERS.opencps.username, password: DEV_SENDERS.opencps.password }),
    );
    return { exchange, session: (JSON.parse(exchange.text) as { session: string }).session };
  };

  beforeAll(async () => {
    db = await freshDatabase();
    sql = new Client({ connectionString: db.url });
    sandbox = await startPortalSandbox({ SANDBOX_LGSP_DOSSIERS: '0' });
    hub = await startHub({ databaseUrl: db.url, topicPrefix: prefix, upstream: sandbox.url });
    await sql.connect();
  });

  afterAll(async () => {
    await hub?.stop();
    await sandbox?.stop();
    await sql?.end();
    await db?.drop();
  });

  it("replays an OpenCPS lifecycle: every answer is the portal's bytes, every request reaches it once, byte for byte", async () => {
    const code = `${AGENCY}-T-0001`;
    const before = (await portalRequests()).length;
    const { exchange: auth, session } = await login();
    expect(auth.status).toBe(200);
    const sent: { body: string; ascii: boolean }[] = [];
    const answers: Exchange[] = [];
    const call = async (body: string): Promise<Exchange> => {
      sent.push({ body, ascii: true });
      const x = await post(`${hub.url}/dvcqg/api/integration`, body);
      answers.push(x);
      return x;
    };
    // TraCuuHoSo first (OpenCPS chooses create or update), then create, progress, a refusal, lookups.
    await call(envelope(session, 'TraCuuHoSo', [], { mahoso: code }));
    const created = await call(envelope(session, 'DongBoHoSoMC', [snapshot(code)]));
    // Stored and committed before the portal saw it: the events are there when the answer comes.
    expect(await eventCount(code)).toBeGreaterThan(0);
    await call(
      envelope(session, 'CapNhatTienDoHoSoMC', [
        progressRow(code, '20260401100000', 'Trần Thị Bình', 'Phòng Tư pháp', 'Chuyển xử lý'),
      ]),
    );
    const refused = await call(envelope(session, 'DongBoHoSoMC', [snapshot(code)]));
    await call(envelope(session, 'LayThuTuc', [], { maTTHC: '1.001193' }));
    await call(envelope(session, 'LayDanhSachTTHC', []));
    const unknown = await call(envelope(session, 'LayDanhMucCoQuan', []));

    const recorded = (await portalRequests()).slice(before);
    // Exactly once each, in order, byte for byte (the login's password is masked by the recorder).
    expect(recorded.map((r) => r.endpoint)).toEqual(['login', ...sent.map(() => 'integration')]);
    expect(recorded.slice(1).map((r) => r.rawBody)).toEqual(sent.map((s) => s.body));
    expect(JSON.parse(recorded[0]?.rawBody ?? '{}')).toMatchObject({
      username: DEV_SENDERS.opencps.username,
    });
    // Every answer is the portal's own bytes (ASCII-escaped JSON), status 200 as the portal answered.
    expect(auth.bytes.equals(portalBytes(recorded[0]?.answer, true))).toBe(true);
    for (const [i, x] of answers.entries()) {
      expect(x.status).toBe(200);
      const answer = recorded[i + 1]?.answer as { result?: unknown } | undefined;
      if (typeof answer?.result === 'string') {
        // The recorder keeps catalogue answers as a count: ask the portal again for its bytes.
        const direct = await post(`${sandbox.url}/api/integration`, sent[i]?.body ?? '');
        expect(x.bytes.equals(direct.bytes)).toBe(true);
      } else {
        expect(x.bytes.equals(portalBytes(answer, true)), x.text).toBe(true);
      }
    }
    expect(created.text).toMatch(
      /^\{"error_code":"0","message":"\\u0110\\u1ed3ng b\\u1ed9 th\\u00e0nh c\\u00f4ng/,
    );
    // The portal's refusal reaches the sender as the portal said it.
    expect(JSON.parse(refused.text)).toMatchObject({ error_code: '3' });
    expect((JSON.parse(refused.text) as { message: string }).message).toContain('đã tồn tại');
    expect((JSON.parse(unknown.text) as { message: string }).message).toContain('LayDanhMucCoQuan');

    // The session is the portal's; isohub keeps only a keyed hash of it, with sender, account and agency.
    const stored = await sql.query(`SELECT session_hash, sender, account, agency FROM upstream_session`);
    expect(stored.rows).toHaveLength(1);
    expect(stored.rows[0]).toMatchObject({ sender: 'opencps-demo', account: 'opencps-demo', agency: AGENCY });
    expect(JSON.stringify(stored.rows)).not.toContain(session);

    // The upstream's verdict is kept beside each dossier call and shown per sender and dossier.
    const calls = (await (
      await fetch(`${hub.url}/ops/tee/calls?dossier=${encodeURIComponent(code)}`, {
        headers: opsHeaders(hub),
      })
    ).json()) as {
      calls: { operation: string; outcome: string; errorCode: string | null; message: string }[];
    };
    expect(calls.calls.map((c) => c.outcome).reverse()).toEqual(['delivered', 'delivered', 'refused']);
    expect(calls.calls[0]).toMatchObject({ errorCode: '3' });
    expect(calls.calls[0]?.message).toContain('đã tồn tại');
  });

  it('Thanh Hóa bare arrays on the keyed URLs: forwarded byte for byte, the literal UTF-8 "thành công" relayed', async () => {
    const code = '000.00.00.H56-T-0001';
    const before = (await portalRequests()).length;
    const create = JSON.stringify([snapshot(code, { MaTTHC: '2.000488.000.00.00.H56', NgayHenTra: null })]);
    const progress = JSON.stringify([
      progressRow(code, '20260401100000', 'Lê Văn Cường', 'Phòng Tư pháp', 'Chuyển xử lý'),
    ]);
    // Thanh Hóa sends application/json without a charset.
    const a = await post(`${hub.url}/dvcqg/th/${TH_KEY}/ThemMoi`, create);
    const b = await post(`${hub.url}/dvcqg/th/${TH_KEY}/DongBoTienTrinh?x=1`, progress);
    const again = await post(`${hub.url}/dvcqg/th/${TH_KEY}/ThemMoi`, create);
    const recorded = (await portalRequests()).slice(before);
    expect(recorded.map((r) => [r.endpoint, r.rawBody])).toEqual([
      ['thanhhoa-create', create],
      ['thanhhoa-progress', progress],
      ['thanhhoa-create', create],
    ]);
    expect(a.text).toContain('thành công');
    expect(a.bytes.equals(portalBytes(recorded[0]?.answer, false))).toBe(true);
    expect(b.bytes.equals(portalBytes(recorded[1]?.answer, false))).toBe(true);
    expect(again.bytes.equals(portalBytes(recorded[2]?.answer, false))).toBe(true);
    expect(JSON.parse(again.text)).toMatchObject({ error_code: '-3' });
    expect(await eventCount(code)).toBeGreaterThan(0);
    const unknownKey = await post(`${hub.url}/dvcqg/th/not-the-key-at-all/ThemMoi`, create);
    expect(unknownKey.status).toBe(404);
    expect((await portalRequests()).length).toBe(before + 3);
  });

  it('LGSP: token from the bus, SyncDocument and UpdateDocumentTraces and any other path relayed as sent', async () => {
    const before = (await busCalls()).length;
    const form = `grant_type=client_credentials&client_id=${LGSP_CLIENT.id}&client_secret=${LGSP_CLIENT.secret}`;
    const token = await fetch(`${hub.url}/lgsp/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: form,
    });
    expect(token.status).toBe(200);
    const { access_token: accessToken } = (await token.json()) as { access_token: string };
    const auth = { authorization: `Bearer ${accessToken}` };
    const code = `${AGENCY}-L-0001`;
    const sync = JSON.stringify({
      DocCode: code,
      DocTypeCode: '1.001193',
      DocTypeName: 'Đăng ký khai sinh',
      CitizenName: 'Nguyễn Văn An',
      DateReceived: '2026-04-01T02:00:00.000Z',
      DateAppointed: '2026-04-03T10:00:00.000Z',
      Status: '1',
    });
    const traces = JSON.stringify({
      DocCode: code,
      UserName: 'Trần Thị Bình',
      UserPosition: 'Chuyên viên',
      DateCreated: '2026-04-01T03:05:48.203Z',
      Comment: 'Chuyển xử lý',
      Status: '1',
      OrganizationInchargeName: 'Phòng Tư pháp',
    });
    const stats = JSON.stringify({ Month: 4, Year: 2026, NewReception: 3 });
    const a = await post(`${hub.url}/lgsp/Document/SyncDocument`, sync, auth);
    const b = await post(`${hub.url}/lgsp/Document/UpdateDocumentTraces`, traces, auth);
    const c = await post(`${hub.url}/lgsp/Statistic/UpdateStatistic?m=4`, stats, auth);
    for (const x of [a, b, c]) {
      expect(x.status).toBe(200);
      expect(JSON.parse(x.text)).toMatchObject({ Status: 200, Message: 'OK' });
    }
    expect(JSON.parse(c.text)).toMatchObject({ Path: '/Statistic/UpdateStatistic', Query: { m: '4' } });
    const calls = (await busCalls()).slice(before);
    expect(calls.map((x) => [x.path, x.rawBody])).toEqual([
      ['/Document/SyncDocument', sync],
      ['/Document/UpdateDocumentTraces', traces],
      ['/Statistic/UpdateStatistic', stats],
    ]);
    expect(await eventCount(code)).toBeGreaterThan(0);
    // A token the bus did not issue through isohub: forwarded, the bus's 401 relayed, no event.
    const other = `${AGENCY}-L-0002`;
    const forged = await post(`${hub.url}/lgsp/Document/SyncDocument`, sync.replace(code, other), {
      authorization: 'Bearer not-a-token-anyone-issued',
    });
    expect(forged.status).toBe(401);
    expect(forged.text).toContain('invalid_token');
    expect(await eventCount(other)).toBe(0);
  });

  it('a session isohub did not see issued is forwarded, the refusal relayed, and yields no event', async () => {
    const code = `${AGENCY}-T-0002`;
    const body = envelope('a-session-nobody-issued', 'DongBoHoSoMC', [snapshot(code)]);
    const before = (await portalRequests()).length;
    const x = await post(`${hub.url}/dvcqg/api/integration`, body);
    const recorded = (await portalRequests()).slice(before);
    expect(recorded.map((r) => r.rawBody)).toEqual([body]);
    expect(x.bytes.equals(portalBytes(recorded[0]?.answer, true))).toBe(true);
    expect(JSON.parse(x.text)).toMatchObject({ error_code: '-1' });
    expect(await eventCount(code)).toBe(0);
  });

  it('a session the portal calls stale identifies nobody afterwards', async () => {
    const { session } = await login();
    const first = `${AGENCY}-T-0003`;
    const second = `${AGENCY}-T-0004`;
    expect((await fetch(`${sandbox.url}/_sandbox/portal/sessions`, { method: 'DELETE' })).status).toBe(200);
    // The one-stop system did this: it is stored, and the portal's refusal is relayed.
    const x = await post(
      `${hub.url}/dvcqg/api/integration`,
      envelope(session, 'DongBoHoSoMC', [snapshot(first)]),
    );
    expect(JSON.parse(x.text)).toMatchObject({ error_code: '-1' });
    expect(await eventCount(first)).toBeGreaterThan(0);
    await post(`${hub.url}/dvcqg/api/integration`, envelope(session, 'DongBoHoSoMC', [snapshot(second)]));
    expect(await eventCount(second)).toBe(0);
  });

  it('answers what it cannot read itself and forwards none of it: 400, 405 with Allow, 415, deep nesting', async () => {
    const before = (await portalRequests()).length;
    const notJson = await post(
      `${hub.url}/dvcqg/api/integration`,
      '{"session": "x", "data": [ {"MaHoSo": "trunc',
    );
    expect(notJson.status).toBe(400);
    expect(JSON.parse(notJson.text)).toMatchObject({ error_code: '-1', errors: [{ field: '/' }] });
    const get = await fetch(`${hub.url}/dvcqg/api/integration`);
    expect(get.status).toBe(405);
    expect(get.headers.get('allow')).toBe('POST');
    const xml = await post(`${hub.url}/dvcqg/th/${TH_KEY}/ThemMoi`, '<a/>', {
      'content-type': 'application/xml',
    });
    expect(xml.status).toBe(415);
    const deep = await post(`${hub.url}/dvcqg/api/integration`, `${'['.repeat(200)}${']'.repeat(200)}`);
    expect(deep.status).toBe(400);
    const { session } = await login();
    const big = await post(
      `${hub.url}/dvcqg/api/auth`,
      JSON.stringify({ username: 'x', password: 'y'.repeat(64 * 1024) }),
    );
    expect(big.status).toBe(413);
    // Nothing of it reached the portal (the one login did).
    expect((await portalRequests()).slice(before).map((r) => r.endpoint)).toEqual(['login']);
    expect(session).toBeTruthy();
    // Never a success word in isohub's own refusals.
    for (const x of [notJson, xml, deep, big]) {
      expect(x.text).not.toContain('thành công');
      expect(x.text).not.toContain('th\\u00e0nh c\\u00f4ng');
    }
  });

  it('a restarted hub still knows which sender each session was issued to', async () => {
    const { session } = await login();
    await hub.stop();
    hub = await startHub({ databaseUrl: db.url, topicPrefix: prefix, upstream: sandbox.url });
    const code = `${AGENCY}-T-0005`;
    const x = await post(
      `${hub.url}/dvcqg/api/integration`,
      envelope(session, 'DongBoHoSoMC', [snapshot(code)]),
    );
    expect(JSON.parse(x.text)).toMatchObject({ error_code: '0' });
    expect(await eventCount(code)).toBeGreaterThan(0);
  });

  it('counts per sender: forwarded, refused by the portal with its message, unanswered, and the sync rate', async () => {
    const res = await fetch(`${hub.url}/ops/tee/senders`, { headers: opsHeaders(hub) });
    expect(res.status).toBe(200);
    const body = (await res.json()) as {
      senders: {
        sender: string;
        delivered: number;
        refused: number;
        unanswered: number;
        dossiers: number;
        dossiersSynced: number;
        syncRate: number | null;
        lastRefusal: { message: string } | null;
      }[];
      national: { syncRate: number | null };
    };
    const opencps = body.senders.find((s) => s.sender === 'opencps-demo');
    // T-0001: create, progress delivered, a re-create refused; T-0003 refused (stale); T-0005 delivered.
    expect(opencps).toMatchObject({
      delivered: 3,
      refused: 2,
      unanswered: 0,
      dossiers: 3,
      dossiersSynced: 1,
    });
    expect(opencps?.syncRate).toBeCloseTo(1 / 3);
    expect(opencps?.lastRefusal?.message).toContain('Phiên làm việc');
    const thanhhoa = body.senders.find((s) => s.sender === 'thanhhoa-demo');
    expect(thanhhoa).toMatchObject({ delivered: 2, refused: 1 });
    expect(body.national.syncRate).not.toBeNull();
    expect((await fetch(`${hub.url}/ops/tee/senders`)).status).toBe(401);
    // Since the restart: one delivered OpenCPS data call, on /metrics.
    const metrics = await (await fetch(`${hub.url}/metrics`, { headers: opsHeaders(hub) })).text();
    expect(metrics).toContain('isohub_tee_calls_total{style="opencps",kind="data",outcome="delivered"} 1');
  });
});

describe('transparent tee with the upstream down', () => {
  let db: TestDatabase;
  let sql: Client;
  let hub: RunningHub;

  beforeAll(async () => {
    db = await freshDatabase();
    sql = new Client({ connectionString: db.url });
    await sql.connect();
    const port = await closedPort();
    hub = await startHub({
      databaseUrl: db.url,
      topicPrefix: uniquePrefix('teedown'),
      upstream: `http://127.0.0.1:${port}`,
      env: { TEE_RATE_PER_SECOND: '1', TEE_RATE_BURST: '3' },
    });
  });

  afterAll(async () => {
    await hub?.stop();
    await sql?.end();
    await db?.drop();
  });

  it('answers a failure the sender reads as failure, and a re-send stores nothing twice', async () => {
    const code = '000.00.00.H56-D-0001';
    const body = JSON.stringify([snapshot(code, { MaTTHC: '2.000488.000.00.00.H56' })]);
    const first = await post(`${hub.url}/dvcqg/th/${TH_KEY}/ThemMoi`, body);
    expect(first.status).toBe(502);
    const answer = JSON.parse(first.text) as { error_code: string; message: string };
    expect(answer.error_code).toBe('-1');
    expect(first.text).not.toContain('thành công');
    const count = async () =>
      Number(
        (
          (await sql.query(`SELECT count(*) AS n FROM dossier_event WHERE dossier_code = $1`, [code]))
            .rows[0] as {
            n: string;
          }
        ).n,
      );
    const stored = await count();
    expect(stored).toBeGreaterThan(0);
    const second = await post(`${hub.url}/dvcqg/th/${TH_KEY}/ThemMoi`, body);
    expect(second.status).toBe(502);
    expect(await count()).toBe(stored);
    const kept = await sql.query(`SELECT outcome FROM tee_call WHERE $1 = ANY (dossier_codes)`, [code]);
    expect(kept.rows.map((r: { outcome: string }) => r.outcome)).toEqual(['unanswered', 'unanswered']);
    // An OpenCPS login with the portal down: 502, ASCII JSON, never error_code "0".
    const login = await post(
      `${hub.url}/dvcqg/api/auth`,
      JSON.stringify({ username: DEV_SENDERS.opencps.username, password: DEV_SENDERS.opencps.password }),
    );
    expect(login.status).toBe(502);
    expect(JSON.parse(login.text)).toMatchObject({ error_code: '-1' });
    expect(login.text).toMatch(/^[\x20-\x7e]*$/);
  });

  it("limits each source's rate before reading or forwarding anything: 429 with Retry-After", async () => {
    const body = JSON.stringify({ username: 'x', password: 'y' });
    const statuses: number[] = [];
    let retryAfter: string | null = null;
    for (let i = 0; i < 6; i += 1) {
      const res = await fetch(`${hub.url}/dvcqg/api/auth`, { method: 'POST', body });
      statuses.push(res.status);
      retryAfter ??= res.headers.get('retry-after');
      await res.arrayBuffer();
    }
    expect(statuses[0]).toBe(502);
    expect(statuses).toContain(429);
    expect(Number(retryAfter)).toBeGreaterThan(0);
  });
});

describe('takeover mode: isohub answers at commit and delivers as the sender, with its own portal account', () => {
  let db: TestDatabase;
  let sandbox: { url: string; stop(): Promise<void> };
  let hub: RunningHub;

  beforeAll(async () => {
    db = await freshDatabase();
    sandbox = await startPortalSandbox({
      SANDBOX_LGSP_DOSSIERS: '0',
      SANDBOX_PORTAL_ACCOUNTS: 'h56-xa-quang-phu:own-portal-password',
    });
    const dev = JSON.parse(readFileSync(resolve(__dirname, '../../../config/senders.dev.json'), 'utf8')) as {
      senders: Record<string, unknown>[];
    };
    const senders = dev.senders.map((s) =>
      s['id'] === 'opencps-demo'
        ? {
            ...s,
            mode: 'takeover',
            upstreamAccount: { username: 'h56-xa-quang-phu', password: 'own-portal-password' },
          }
        : s,
    );
    const file = join(mkdtempSync(join(tmpdir(), 'isohub-takeover-')), 'senders.json');
    writeFileSync(file, JSON.stringify({ senders }));
    hub = await startHub({
      databaseUrl: db.url,
      topicPrefix: uniquePrefix('takeover'),
      upstream: sandbox.url,
      env: {
        SENDERS_FILE: file,
        PORTAL_BASE_URL: sandbox.url,
        PORTAL_USERNAME: 'isohub',
        PORTAL_PASSWORD: 'sandbox-portal-password',
      },
    });
  });

  afterAll(async () => {
    await hub?.stop();
    await sandbox?.stop();
    await db?.drop();
  });

  it("logs the sender in itself, answers success at commit, then delivers with the sender's own account", async () => {
    const auth = await post(
      `${hub.url}/dvcqg/api/auth`,
      JSON.stringify({ username: DEV_SENDERS.opencps.username, password: DEV_SENDERS.opencps.password }),
    );
    expect(auth.status).toBe(200);
    const { session } = JSON.parse(auth.text) as { session: string };
    const code = `${AGENCY}-K-0001`;
    const x = await post(
      `${hub.url}/dvcqg/api/integration`,
      envelope(session, 'DongBoHoSoMC', [snapshot(code)]),
    );
    expect(x.status).toBe(200);
    expect(JSON.parse(x.text)).toMatchObject({ error_code: '0' });
    let requests: RecordedPortalRequest[] = [];
    for (let i = 0; i < 100; i += 1) {
      requests = (
        (await (await fetch(`${sandbox.url}/_sandbox/portal/received`)).json()) as {
          requests: RecordedPortalRequest[];
        }
      ).requests;
      if (requests.some((r) => r.endpoint === 'integration')) {
        break;
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    const logins = requests
      .filter((r) => r.endpoint === 'login')
      .map((r) => JSON.parse(r.rawBody) as { username: string });
    expect(logins.map((l) => l.username)).toEqual(['h56-xa-quang-phu']);
    const delivered = requests.find((r) => r.endpoint === 'integration');
    expect(delivered?.rawBody).toContain(code);
    // Failed takeover logins are throttled.
    const wrong = JSON.stringify({ username: DEV_SENDERS.opencps.username, password: 'wrong' });
    const statuses: number[] = [];
    for (let i = 0; i < 6; i += 1) {
      statuses.push((await post(`${hub.url}/dvcqg/api/auth`, wrong)).status);
    }
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429]);
  });
});
