import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { topicNames, validateEventData, fromKafkaRecord, MILESTONES } from '@isohub/events';
import { freshDatabase, type TestDatabase } from '../../../test/support/database';
import { DEV_SENDERS, OpenCpsClient, postJson, startHub, type RunningHub } from '../../../test/support/hub';
import { TopicRecorder, uniquePrefix, type ConsumedRecord } from '../../../test/support/kafka';

const AGENCY = '000.00.01.H56';
const NFD_NAME = 'Đăng ký khai sinh'.normalize('NFD');

function snapshot(code: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    MaHoSo: code,
    MaTTHC: '1.001193',
    TenTTHC: NFD_NAME,
    MaLinhVuc: 'G14',
    TenLinhVuc: 'Hộ tịch'.normalize('NFD'),
    KenhThucHien: '2',
    ChuHoSo: 'Nguyễn Văn An',
    SoDienThoai: '0912345678',
    NgayNopHoSo: '20260401080000',
    NgayTiepNhan: '20260401090000',
    NgayHenTra: '20260403170000',
    NgayKetThucXuLy: '',
    NgayTra: '00000000000000',
    TrangThaiHoSo: '2',
    DonViXuLy: 'UBND xã Quảng Phú',
    ...overrides,
  };
}

function progressRow(code: string, at: string, status: string, who: string, unit: string, text: string) {
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

function eventsOf(records: ConsumedRecord[], code: string) {
  return records.filter((r) => r.key === code).map((r) => fromKafkaRecord(r.headers, r.value));
}

describe('national-portal tee -> canonical events on Kafka', () => {
  let db: TestDatabase;
  let hub: RunningHub;
  let recorder: TopicRecorder;
  let topics: ReturnType<typeof topicNames>;
  const prefix = uniquePrefix('tee');

  beforeAll(async () => {
    db = await freshDatabase();
    hub = await startHub({ databaseUrl: db.url, topicPrefix: prefix });
    topics = topicNames(prefix);
    recorder = new TopicRecorder([topics.events, topics.state, topics.deadLetters]);
    await recorder.start();
  });

  afterAll(async () => {
    await recorder?.stop();
    await hub?.stop();
    await db?.drop();
  });

  it('turns an OpenCPS lifecycle into ordered, schema-valid CloudEvents keyed by dossier', async () => {
    const client = new OpenCpsClient(hub.url);
    const code = `${AGENCY}-260401-0001`;
    const r1 = await client.send('DongBoHoSoMC', [snapshot(code)]);
    expect(r1.status).toBe(200);
    expect(r1.body.error_code).toBe('0');
    expect(r1.body.message).toContain('thành công');

    const rows = [
      progressRow(code, '20260401100000', '4', 'Trần Thị Bình', 'Phòng Tư pháp', 'Chuyển xử lý'),
      progressRow(code, '20260402090000', '4', 'Lê Văn Cường', 'Lãnh đạo UBND', 'Trình ký'),
    ];
    expect((await client.send('CapNhatTienDoHoSoMC', rows)).body.error_code).toBe('0');
    const r3 = await client.send(
      'DongBoHoSoMC',
      [snapshot(code, { TrangThaiHoSo: '9', NgayKetThucXuLy: '20260402150000' })],
      'True',
    );
    expect(r3.body.error_code).toBe('0');

    await recorder.waitFor((rs) => rs.filter((r) => r.topic === topics.events && r.key === code).length >= 4);
    const records = recorder.of(topics.events).filter((r) => r.key === code);
    const events = eventsOf(records, code);
    const milestones = events.map((e) => e.data.milestone);
    expect(milestones[0]).toBe('DOSSIER_RECEIVED');
    expect(milestones.filter((m) => m === 'STEP_HANDOVER')).toHaveLength(2);
    expect(milestones.at(-1)).toBe('RESULT_READY');

    // contiguous per-dossier sequence, in Kafka order, one partition
    expect(events.map((e) => e.sequence)).toEqual(events.map((_, i) => i + 1));
    expect(new Set(records.map((r) => r.partition)).size).toBe(1);
    for (const r of records) {
      expect(r.headers['ce_specversion']).toBe('1.0');
      expect(r.headers['ce_subject']).toBe(code);
      expect(r.headers['ce_partitionkey']).toBe(code);
      expect(r.headers['ce_source']).toContain('opencps-demo');
      expect(r.headers['ce_time']).toMatch(/\+07:00$/);
      expect(r.headers['content-type']).toContain('application/json');
      expect(r.headers['ce_dataschema']).toMatch(/^https?:\/\//);
      expect(r.headers['ce_sequence']).toMatch(/^\d{12}$/);
    }
    for (const e of events) {
      expect(validateEventData(e.data).valid, JSON.stringify(validateEventData(e.data).errors)).toBe(true);
      expect(MILESTONES).toContain(e.data.milestone);
      // NFD in, NFC out; national code and name resolved from the catalogue
      expect(e.data.sector?.name).toBe('Hộ tịch'.normalize('NFC'));
      expect(e.data.procedure.name).toBe('Thủ tục đăng ký khai sinh');
      expect(e.data.procedure.nationalCode).toBe('1.001193');
      // personal data stays out unless configured
      expect(JSON.stringify(e.data)).not.toContain('Nguyễn Văn An');
      expect(JSON.stringify(e.data)).not.toContain('0912345678');
    }
    const received = events[0];
    expect(received?.data.dates.receivedAt).toBe('2026-04-01T09:00:00+07:00');
    expect(received?.data.dates.dueAt).toBe('2026-04-03T17:00:00+07:00');
    const handover = events.find((e) => e.data.milestone === 'STEP_HANDOVER');
    expect(handover?.data.handover?.unitTo?.name).toBe('Phòng Tư pháp');
    expect(handover?.data.handover?.handedOverAt).toBe('2026-04-01T10:00:00+07:00');

    // the compacted state topic carries the latest snapshot
    await recorder.waitFor((rs) =>
      rs.some(
        (r) => r.topic === topics.state && r.key === code && r.value?.toString().includes('"national":9'),
      ),
    );
  });

  it('re-sends yield no new events: one event per id', async () => {
    const client = new OpenCpsClient(hub.url);
    const code = `${AGENCY}-260401-0002`;
    const batch = [snapshot(code)];
    await client.send('DongBoHoSoMC', batch);
    const rows = [progressRow(code, '20260401100000', '4', 'Trần Thị Bình', 'Phòng Tư pháp', 'Chuyển xử lý')];
    await client.send('CapNhatTienDoHoSoMC', rows);
    // RECEIVED, then the handover (one event, carrying the 2 -> 4 status change)
    await recorder.waitFor((rs) => rs.filter((r) => r.key === code && r.topic === topics.events).length >= 2);
    await new Promise((r) => setTimeout(r, 500));
    const before = recorder.of(topics.events).filter((r) => r.key === code).length;
    expect(before).toBe(2);
    // the same changes again, reordered keys and NFD text: same meaning, same ids
    const again = await client.send('DongBoHoSoMC', [
      Object.fromEntries(Object.entries(snapshot(code)).reverse()),
    ]);
    // The portal already has it and says so; relayed as it is, so the sender re-sends it as an update.
    expect(again.body.error_code).toBe('3');
    expect(again.body.message).toContain('đã tồn tại');
    await client.send(
      'CapNhatTienDoHoSoMC',
      rows.map((r) => ({ ...r, PhongBanXuLy: r.PhongBanXuLy.normalize('NFD') })),
    );
    await new Promise((r) => setTimeout(r, 1500));
    const events = recorder.of(topics.events).filter((r) => r.key === code);
    const ids = events.map((r) => r.headers['ce_id']);
    expect(new Set(ids).size).toBe(ids.length);
    expect(events).toHaveLength(before);
  });

  it("a bad item is dead-lettered without losing the rest of the batch; the portal's answer is relayed", async () => {
    const client = new OpenCpsClient(hub.url);
    const good = `${AGENCY}-260401-0003`;
    const bad = `${AGENCY}-260401-0004`;
    const r = await client.send('DongBoHoSoMC', [
      snapshot(good),
      snapshot(bad, { NgayTiepNhan: '20261399250000' }),
      { TenTTHC: 'no dossier code' },
    ]);
    // The (sandbox) portal refuses the batch for its item without MaHoSo, in its own words.
    expect(r.status).toBe(200);
    expect(r.body.error_code).toBe('-1');
    expect(r.body.message).toContain('thiếu MaHoSo');

    await recorder.waitFor((rs) => rs.some((x) => x.topic === topics.events && x.key === good));
    await recorder.waitFor((rs) => rs.filter((x) => x.topic === topics.deadLetters).length >= 2);
    const dlq = recorder.of(topics.deadLetters);
    const forBad = dlq.find((x) => x.headers['dlq_field'] === '/NgayTiepNhan');
    expect(forBad).toBeDefined();
    expect((JSON.parse(forBad?.value?.toString() ?? '{}') as { NgayTiepNhan?: string }).NgayTiepNhan).toBe(
      '20261399250000',
    );
    expect(forBad?.headers['dlq_source_system']).toBe('opencps-demo');
    expect(recorder.of(topics.events).some((x) => x.key === bad)).toBe(false);
  });

  it('an unreadable body is a 400 problem+json and a dead letter with the original bytes', async () => {
    const client = new OpenCpsClient(hub.url);
    await client.login();
    const res = await fetch(`${hub.url}/dvcqg/api/integration`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"session": "x", "data": [ {"MaHoSo": "trunc',
    });
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    const body = (await res.json()) as { errors: { field: string }[]; error_code: string };
    expect(body.errors[0]?.field).toBe('/');
    expect(body.error_code).toBe('-1');
    await recorder.waitFor((rs) =>
      rs.some((x) => x.topic === topics.deadLetters && x.value?.toString().includes('"MaHoSo": "trunc')),
    );
  });

  it("relays the portal's refusal of a forged session and of a wrong password, and stores nothing", async () => {
    const code = `${AGENCY}-260401-0009`;
    const r = await postJson(`${hub.url}/dvcqg/api/integration`, {
      session: 'opencps-demo.abc.forged',
      madonvi: AGENCY,
      service: 'DongBoHoSoMC',
      data: [snapshot(code)],
    });
    expect(r.body.error_code).toBe('-1');
    expect(r.body.message).toContain('Phiên làm việc');
    const login = await postJson(`${hub.url}/dvcqg/api/auth`, {
      username: 'opencps-demo',
      password: 'wrong',
    });
    expect(login.body.error_code).toBe('-1');
    expect(login.body.session).toBeUndefined();
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(recorder.of(topics.events).some((x) => x.key === code)).toBe(false);
  });

  it('accepts Thanh Hóa-style bare arrays on the keyed URLs and refuses unknown keys', async () => {
    const code = '000.00.00.H56-260401-0001';
    const ok = await postJson(`${hub.url}/dvcqg/th/${DEV_SENDERS.thanhhoaKey}/ThemMoi`, [
      snapshot(code, { MaTTHC: '2.000488.000.00.00.H56', NgayHenTra: null }),
    ]);
    expect(ok.status).toBe(200);
    expect(ok.body.message).toContain('thành công');
    const denied = await postJson(`${hub.url}/dvcqg/th/not-the-key-at-all/ThemMoi`, [snapshot(code)]);
    expect(denied.status).toBe(404);
    await recorder.waitFor((rs) => rs.some((x) => x.topic === topics.events && x.key === code));
    const [event] = eventsOf(recorder.of(topics.events), code);
    // configured local -> national mapping (the replaced criminal-record code)
    expect(event?.data.procedure.localCode).toBe('2.000488.000.00.00.H56');
    expect(event?.data.procedure.nationalCode).toBe('3.000333');
    expect(event?.data.source.system).toBe('thanhhoa-demo');
  });
});
