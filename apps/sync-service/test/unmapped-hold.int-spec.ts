import { Client } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fromKafkaRecord, topicNames, validateEventData } from '@isohub/events';
import { MappingStore, openDatabase } from '@isohub/persistence';
import { freshDatabase, type TestDatabase } from '../../../test/support/database';
import { OpenCpsClient, startHub, type RunningHub } from '../../../test/support/hub';
import { TopicRecorder, uniquePrefix } from '../../../test/support/kafka';

const AGENCY = '000.00.01.H56';
const LOCAL_CODE = 'TT-NOIBO-0042.H56';

const snapshot = (code: string, procedure: string, status = '2'): Record<string, unknown> => ({
  MaHoSo: code,
  MaTTHC: procedure,
  TenTTHC: 'Thủ tục nội bộ chưa ánh xạ',
  KenhThucHien: '1',
  NgayTiepNhan: '20260401090000',
  NgayHenTra: '20260403170000',
  TrangThaiHoSo: status,
});

const row = (code: string, at: string): Record<string, unknown> => ({
  MaHoSo: code,
  NguoiXuLy: 'Trần Thị Bình',
  ChucDanh: 'Chuyên viên',
  PhongBanXuLy: 'Phòng Tư pháp',
  ThoiDiemXuLy: at,
  NoiDungXuLy: 'Chuyển xử lý',
  TrangThai: '4',
});

/** Issue 4 §3: events held for an unmapped code are released in order, once, when it is mapped. */
describe('UNMAPPED_POLICY=hold', () => {
  let db: TestDatabase;
  let hub: RunningHub;
  let recorder: TopicRecorder;
  const prefix = uniquePrefix('hold');
  const topics = topicNames(prefix);

  beforeAll(async () => {
    db = await freshDatabase();
    hub = await startHub({
      databaseUrl: db.url,
      topicPrefix: prefix,
      env: { UNMAPPED_POLICY: 'hold', MAPPING_RELOAD_MS: '300' },
    });
    recorder = new TopicRecorder([topics.events, topics.state]);
    await recorder.start();
  });

  afterAll(async () => {
    await recorder?.stop();
    await hub?.stop();
    await db?.drop();
  });

  it('holds a dossier with an unknown code, then releases its events in order once mapped', async () => {
    const client = new OpenCpsClient(hub.url);
    const heldCode = `${AGENCY}-260401-0101`;
    const freeCode = `${AGENCY}-260401-0102`;
    expect(
      (await client.send('DongBoHoSoMC', [snapshot(heldCode, LOCAL_CODE), snapshot(freeCode, '1.001193')]))
        .body.error_code,
    ).toBe('0');
    expect(
      (await client.send('CapNhatTienDoHoSoMC', [row(heldCode, '20260401100000')])).body.error_code,
    ).toBe('0');

    // the mapped dossier flows; the held one does not, and its code is in the unmapped queue
    await recorder.waitFor((rs) => rs.some((r) => r.topic === topics.events && r.key === freeCode));
    await new Promise((r) => setTimeout(r, 1500));
    expect(recorder.records.filter((r) => r.key === heldCode)).toHaveLength(0);
    const sql = new Client({ connectionString: db.url });
    await sql.connect();
    try {
      const queue = await sql.query<{ occurrences: number; sample_dossiers: string[] }>(
        `SELECT occurrences, sample_dossiers FROM unmapped_code WHERE source_system = 'opencps-demo' AND code = $1`,
        [LOCAL_CODE],
      );
      expect(queue.rows[0]?.sample_dossiers).toContain(heldCode);

      // an admin maps the code (what the console writes)
      await sql.query(
        `INSERT INTO procedure_mapping (source_system, local_code, national_code, version) VALUES ($1, $2, $3, 'test')`,
        ['opencps-demo', LOCAL_CODE, '1.001193'],
      );
    } finally {
      await sql.end();
    }

    // RECEIVED and the row's handover (one event per action)
    await recorder.waitFor(
      (rs) => rs.filter((r) => r.topic === topics.events && r.key === heldCode).length >= 2,
    );
    // and a change after the release follows the released ones
    expect(
      (await client.send('CapNhatTienDoHoSoMC', [row(heldCode, '20260402100000')])).body.error_code,
    ).toBe('0');
    await recorder.waitFor(
      (rs) => rs.filter((r) => r.topic === topics.events && r.key === heldCode).length >= 3,
    );
    await new Promise((r) => setTimeout(r, 500));

    const events = recorder
      .of(topics.events)
      .filter((r) => r.key === heldCode)
      .map((r) => fromKafkaRecord(r.headers, r.value));
    expect(events.map((e) => e.sequence)).toEqual([1, 2, 3]);
    expect(new Set(events.map((e) => e.id)).size).toBe(3);
    expect(events[0]?.data.milestone).toBe('DOSSIER_RECEIVED');
    for (const e of events) {
      expect(e.data.procedure).toMatchObject({
        nationalCode: '1.001193',
        localCode: LOCAL_CODE,
        mappingStatus: 'mapped',
      });
      expect(validateEventData(e.data).valid).toBe(true);
    }
    const lastState = recorder
      .of(topics.state)
      .filter((r) => r.key === heldCode)
      .at(-1);
    const state = JSON.parse(lastState?.value?.toString() ?? '{}') as {
      procedure?: { nationalCode?: string };
    };
    expect(state.procedure?.nationalCode).toBe('1.001193');
  });

  it('releases when an admin maps the code in the console and publishes; events carry that version', async () => {
    const client = new OpenCpsClient(hub.url);
    const code = `${AGENCY}-260401-0201`;
    const local = 'TT-NOIBO-0077.H56';
    expect((await client.send('DongBoHoSoMC', [snapshot(code, local)])).body.error_code).toBe('0');
    await new Promise((r) => setTimeout(r, 1200));
    expect(recorder.records.filter((r) => r.key === code)).toHaveLength(0);

    const ds = await openDatabase({ url: db.url, poolMax: 2 });
    try {
      const store = new MappingStore(ds);
      await store.save('admin', 'local_code', {
        sourceSystem: 'opencps-demo',
        localCode: local,
        nationalCode: '1.001193',
        agencyCode: AGENCY,
        note: null,
      });
      // a draft is not in force: nothing is released yet
      await new Promise((r) => setTimeout(r, 1200));
      expect(recorder.records.filter((r) => r.key === code)).toHaveLength(0);
      const published = await store.publish('admin', { note: 'map the internal code' });
      await recorder.waitFor((rs) => rs.some((r) => r.topic === topics.events && r.key === code));
      expect((await client.send('DongBoHoSoMC', [snapshot(code, local, '4')], 'True')).body.error_code).toBe(
        '0',
      );
      await recorder.waitFor(
        (rs) => rs.filter((r) => r.topic === topics.events && r.key === code).length >= 2,
      );
      const events = recorder
        .of(topics.events)
        .filter((r) => r.key === code)
        .map((r) => fromKafkaRecord(r.headers, r.value));
      expect(events.map((e) => e.sequence)).toEqual([1, 2]);
      expect(events.every((e) => e.data.procedure.nationalCode === '1.001193')).toBe(true);
      // the event written after the publish carries the published version
      expect(events[1]?.data.mappingVersion).toBe(published.version);
    } finally {
      await ds.destroy();
    }
  });
});
