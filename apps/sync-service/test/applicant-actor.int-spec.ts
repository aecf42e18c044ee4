import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fromKafkaRecord, topicNames, type DossierEventData } from '@isohub/events';
import { freshDatabase, type TestDatabase } from '../../../test/support/database';
import { DEV_SENDERS, OpenCpsClient, postJson, startHub, type RunningHub } from '../../../test/support/hub';
import { TopicRecorder, uniquePrefix } from '../../../test/support/kafka';

const AGENCY = '000.00.01.H56';
const APPLICANT = 'Nguyễn Văn An';
const OFFICER = 'Trần Thị Bình';
const UNNAMED = { id: null, name: null, title: null, role: 'applicant' };

/** The dev senders, plus one of each style whose configuration allows the applicant's name. */
const NAMED = {
  opencps: { id: 'opencps-named', username: 'opencps-named', password: 'named-password-change-me' },
  lgsp: { id: 'lgsp-named', secret: 'lgsp-named-secret-change-me' },
};
const DEV_LGSP = { id: 'opencps-lgsp-demo', secret: 'lgsp-demo-secret-change-me' };

function sendersFile(): string {
  const dev = JSON.parse(readFileSync(resolve(__dirname, '../../../config/senders.dev.json'), 'utf8')) as {
    senders: unknown[];
  };
  const named = [
    { ...NAMED.opencps, style: 'opencps', agency: AGENCY, applicantFields: ['ChuHoSo'] },
    {
      id: NAMED.lgsp.id,
      style: 'lgsp',
      agency: AGENCY,
      clientId: NAMED.lgsp.id,
      clientSecret: NAMED.lgsp.secret,
      applicantFields: ['CitizenName'],
    },
  ];
  const path = join(mkdtempSync(join(tmpdir(), 'isohub-applicant-')), 'senders.json');
  writeFileSync(path, JSON.stringify({ ...dev, senders: [...dev.senders, ...named] }));
  return path;
}

function lgspDocument(code: string): Record<string, unknown> {
  return {
    DocTypeCode: '1.001193.000.00.00.H56',
    DocCode: code,
    CitizenName: APPLICANT,
    ApplicantsId: '038190012345',
    DateReceived: '2026-04-01T02:00:00.000Z',
    DateAppointed: '2026-04-03T10:00:00.000Z',
    Status: 1,
    OrganInchargeIdLevel1: AGENCY,
    OrganInchargeName: 'UBND xã Quảng Phú',
  };
}

function lgspTrace(code: string, user: string, at: string, comment: string): Record<string, unknown> {
  return {
    DocumentId: 40123,
    DocCode: code,
    UserName: user,
    UserPosition: 'Chuyên viên',
    DateCreated: at,
    Comment: comment,
    Status: 0,
    OrganizationInchargeIdLevel1: AGENCY,
    OrganizationInchargeName: 'UBND xã Quảng Phú',
  };
}

function snapshot(code: string): Record<string, unknown> {
  return {
    MaHoSo: code,
    MaTTHC: '1.001193',
    TenTTHC: 'Đăng ký khai sinh',
    KenhThucHien: '2',
    ChuHoSo: APPLICANT,
    NgayNopHoSo: '20260401080000',
    NgayTiepNhan: '20260401090000',
    NgayHenTra: '20260403170000',
    TrangThaiHoSo: '2',
    DonViXuLy: 'UBND xã Quảng Phú',
  };
}

function progressRow(code: string, at: string, who: string, text: string): Record<string, unknown> {
  return {
    MaHoSo: code,
    NguoiXuLy: who,
    ChucDanh: 'Chuyên viên',
    PhongBanXuLy: 'Bộ phận một cửa',
    ThoiDiemXuLy: at,
    NoiDungXuLy: text,
    TrangThai: '2',
    NgayBatDau: at,
    NgayKetThucTheoQuyDinh: '20260403170000',
  };
}

/** Handovers in Kafka order: who acted, with the note or action the row carried. */
function handovers(events: DossierEventData[]) {
  return events
    .filter((e) => e.milestone === 'STEP_HANDOVER')
    .map((e) => ({ userTo: e.handover?.userTo, text: e.handover?.note ?? e.handover?.action }));
}

describe('an actor who is the dossier applicant, recognised by a keyed name the hub keeps per dossier', () => {
  let db: TestDatabase;
  let hub: RunningHub;
  let recorder: TopicRecorder;
  let topics: ReturnType<typeof topicNames>;
  const tokens = new Map<string, string>();
  const prefix = uniquePrefix('applicant');
  const run = randomBytes(2).toString('hex');
  const codeOf = (n: number) => `${AGENCY}-2604${run}-${String(n).padStart(4, '0')}`;

  const lgsp = async (sender: string, path: 'SyncDocument' | 'UpdateDocumentTraces', body: unknown) => {
    const res = await fetch(`${hub.url}/lgsp/Document/${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${tokens.get(sender)}` },
      body: JSON.stringify(body),
    });
    expect(res.status, await res.text()).toBe(200);
  };
  const recordsOf = (topic: string, code: string) => recorder.of(topic).filter((r) => r.key === code);
  const eventsOf = (code: string) =>
    recordsOf(topics.events, code).map((r) => fromKafkaRecord(r.headers, r.value).data);
  const handoversOf = async (code: string, n: number) => {
    await recorder.waitFor(() => handovers(eventsOf(code)).length >= n);
    return handovers(eventsOf(code));
  };
  /** Every byte isohub published about the dossier: event and state records, values and headers. */
  const publishedAbout = (code: string) =>
    [...recordsOf(topics.events, code), ...recordsOf(topics.state, code)]
      .map((r) => `${r.value?.toString('utf8')} ${JSON.stringify(r.headers)}`)
      .join('\n');
  const sql = async <T extends object>(text: string, params: unknown[]): Promise<T[]> => {
    const pg = new Client({ connectionString: db.url });
    await pg.connect();
    try {
      return (await pg.query<T>(text, params)).rows;
    } finally {
      await pg.end();
    }
  };

  beforeAll(async () => {
    db = await freshDatabase();
    hub = await startHub({
      databaseUrl: db.url,
      topicPrefix: prefix,
      env: { SENDERS_FILE: sendersFile(), APPLICANT_KEY_SECRET: randomBytes(24).toString('hex') },
      // The senders log in to the (sandbox) portal and bus through the transparent tee with their own accounts.
      upstreamEnv: {
        SANDBOX_PORTAL_ACCOUNTS: `${DEV_SENDERS.opencps.username}:${DEV_SENDERS.opencps.password},${NAMED.opencps.username}:${NAMED.opencps.password}`,
        SANDBOX_LGSP_CLIENTS: `${DEV_LGSP.id}:${DEV_LGSP.secret},${NAMED.lgsp.id}:${NAMED.lgsp.secret}`,
      },
    });
    topics = topicNames(prefix);
    recorder = new TopicRecorder([topics.events, topics.state]);
    await recorder.start();
    for (const s of [DEV_LGSP, NAMED.lgsp]) {
      const res = await fetch(`${hub.url}/lgsp/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          grant_type: 'client_credentials',
          client_id: s.id,
          client_secret: s.secret,
        }).toString(),
      });
      tokens.set(s.id, String(((await res.json()) as Record<string, unknown>)['access_token']));
    }
  });

  afterAll(async () => {
    await recorder?.stop();
    await hub?.stop();
    await db?.drop();
  });

  it('LGSP: a trace by the CitizenName of the SyncDocument, with a plain note, names no one; officers stay named', async () => {
    const code = codeOf(1);
    await lgsp(DEV_LGSP.id, 'SyncDocument', lgspDocument(code));
    const citizen = lgspTrace(
      code,
      '  NGUYỄN văn  An '.normalize('NFD'),
      '2026-04-01T03:00:00.000Z',
      'Đã nhận phiếu hẹn',
    );
    await lgsp(DEV_LGSP.id, 'UpdateDocumentTraces', [
      citizen,
      lgspTrace(code, OFFICER, '2026-04-01T04:00:00.000Z', 'Chuyển lãnh đạo xem xét'),
    ]);

    expect(await handoversOf(code, 2)).toEqual([
      { userTo: UNNAMED, text: 'Đã nhận phiếu hẹn' },
      { userTo: { id: null, name: OFFICER, title: 'Chuyên viên' }, text: 'Chuyển lãnh đạo xem xét' },
    ]);
    await recorder.waitFor(() => recordsOf(topics.state, code).length >= 2);
    const published = publishedAbout(code);
    for (const spelling of [APPLICANT, APPLICANT.toLowerCase(), 'NGUYỄN', '038190012345']) {
      expect(published).not.toContain(spelling);
    }
    expect(published).not.toMatch(/applicant_?key/i);

    // stored as a 32-byte keyed hash only: neither the state nor the events hold the name
    const [row] = await sql<{ key_length: number; state: string }>(
      'SELECT octet_length(applicant_key) AS key_length, state::text AS state FROM dossier_state WHERE dossier_code = $1',
      [code],
    );
    expect(row?.key_length).toBe(32);
    expect(row?.state).not.toContain(APPLICANT);
    const named = await sql('SELECT 1 FROM dossier_event WHERE dossier_code = $1 AND data::text LIKE $2', [
      code,
      '%Nguyễn%',
    ]);
    expect(named).toEqual([]);

    // a re-send of the citizen's trace is the same change: same id, nothing new
    const before = recordsOf(topics.events, code).length;
    await lgsp(DEV_LGSP.id, 'UpdateDocumentTraces', citizen);
    await new Promise((r) => setTimeout(r, 1500));
    expect(recordsOf(topics.events, code)).toHaveLength(before);
  });

  it('LGSP: a trace before any SyncDocument has no key to match (the text rule still applies); its re-send after keeps its id', async () => {
    const code = codeOf(2);
    const plain = lgspTrace(code, APPLICANT, '2026-04-01T03:00:00.000Z', 'Đã nhận phiếu hẹn');
    await lgsp(DEV_LGSP.id, 'UpdateDocumentTraces', [
      plain,
      lgspTrace(code, APPLICANT, '2026-04-01T05:00:00.000Z', 'Công dân rút hồ sơ'),
    ]);
    const first = await handoversOf(code, 2);
    expect(first.map((h) => h.userTo)).toEqual([
      { id: null, name: APPLICANT, title: 'Chuyên viên' },
      UNNAMED,
    ]);
    await lgsp(DEV_LGSP.id, 'SyncDocument', lgspDocument(code));
    await recorder.waitFor(() => eventsOf(code).some((e) => e.milestone === 'DOSSIER_RECEIVED'));
    const ids = () => new Set(recordsOf(topics.events, code).map((r) => r.headers['ce_id']));
    const before = ids();
    await lgsp(DEV_LGSP.id, 'UpdateDocumentTraces', plain);
    await new Promise((r) => setTimeout(r, 1500));
    expect(ids()).toEqual(before);
    expect(handovers(eventsOf(code))).toHaveLength(2);
  });

  it('OpenCPS tee: a CapNhatTienDoHoSoMC row by the ChuHoSo of the snapshot, with a neutral text, names no one', async () => {
    const code = codeOf(3);
    const client = new OpenCpsClient(hub.url);
    expect((await client.send('DongBoHoSoMC', [snapshot(code)])).body.error_code).toBe('0');
    const rows = [
      progressRow(code, '20260401100000', OFFICER, 'Tiếp nhận hồ sơ'),
      progressRow(code, '20260401110000', APPLICANT.normalize('NFD'), 'Cập nhật thông tin liên hệ'),
    ];
    expect((await client.send('CapNhatTienDoHoSoMC', rows)).body.error_code).toBe('0');

    expect(await handoversOf(code, 2)).toEqual([
      { userTo: { id: null, name: OFFICER, title: 'Chuyên viên' }, text: 'Tiếp nhận hồ sơ' },
      { userTo: UNNAMED, text: 'Cập nhật thông tin liên hệ' },
    ]);
    await recorder.waitFor(() => recordsOf(topics.state, code).length >= 2);
    expect(publishedAbout(code)).not.toContain(APPLICANT);
  });

  it('with applicantFields naming ChuHoSo / CitizenName, the applicant keeps the name, marked as the applicant', async () => {
    const lgspCode = codeOf(4);
    await lgsp(NAMED.lgsp.id, 'SyncDocument', lgspDocument(lgspCode));
    await lgsp(
      NAMED.lgsp.id,
      'UpdateDocumentTraces',
      lgspTrace(lgspCode, APPLICANT, '2026-04-01T03:00:00.000Z', 'Đã nhận phiếu hẹn'),
    );
    expect((await handoversOf(lgspCode, 1))[0]?.userTo).toEqual({
      id: null,
      name: APPLICANT,
      title: 'Chuyên viên',
      role: 'applicant',
    });

    const teeCode = codeOf(5);
    const login = await postJson(`${hub.url}/dvcqg/api/auth`, {
      username: NAMED.opencps.username,
      password: NAMED.opencps.password,
    });
    const send = (service: string, data: unknown[]) =>
      postJson(`${hub.url}/dvcqg/api/integration`, {
        session: login.body.session,
        madonvi: AGENCY,
        service,
        isUpdating: 'False',
        data,
      });
    expect((await send('DongBoHoSoMC', [snapshot(teeCode)])).body.error_code).toBe('0');
    const row = progressRow(teeCode, '20260401110000', APPLICANT, 'Cập nhật thông tin liên hệ');
    expect((await send('CapNhatTienDoHoSoMC', [row])).body.error_code).toBe('0');
    expect((await handoversOf(teeCode, 1))[0]?.userTo).toEqual({
      id: null,
      name: APPLICANT,
      title: 'Chuyên viên',
      role: 'applicant',
    });
    expect(eventsOf(teeCode)[0]?.applicant).toEqual({ ChuHoSo: APPLICANT });
  });
});
