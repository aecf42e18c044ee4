import { Client } from 'pg';
import type { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  fromKafkaRecord,
  topicNames,
  validateEventData,
  validateStepTiming,
  type StepTiming,
} from '@isohub/events';
import { MappingStore, StepTimingStore, openDatabase, type IsoProcess } from '@isohub/persistence';
import { freshDatabase, type TestDatabase } from '../../../test/support/database';
import { OpenCpsClient, startHub, type RunningHub } from '../../../test/support/hub';
import { TopicRecorder, uniquePrefix } from '../../../test/support/kafka';

const AGENCY = '000.00.01.H56';
const CODE = `${AGENCY}-260401-0901`;
const at = (local: string): string => `${local.replace(' ', 'T')}:00+07:00`;

const process: IsoProcess = {
  agencyCode: AGENCY,
  procedureCode: '1.001193',
  caseCode: '',
  isoCode: 'QT 01/TP',
  name: 'Đăng ký khai sinh',
  statutory: { inPerson: { value: 3, unit: 'working_days', hours: 24 } },
  steps: [
    {
      stepNo: 1,
      code: null,
      name: 'Tiếp nhận và kiểm tra hồ sơ',
      responsibleUnit: null,
      allowanceHours: 2,
      nationalStatus: 2,
      formCodes: [],
    },
    {
      stepNo: 2,
      code: null,
      name: 'Thẩm định',
      responsibleUnit: 'Phòng Tư pháp',
      allowanceHours: 12,
      nationalStatus: null,
      formCodes: [],
    },
    {
      stepNo: 3,
      code: null,
      name: 'Phê duyệt',
      responsibleUnit: null,
      allowanceHours: 4,
      nationalStatus: 9,
      formCodes: [],
    },
  ],
};

const row = (department: string, when: string): Record<string, unknown> => ({
  MaHoSo: CODE,
  NguoiXuLy: 'Trần Thị Bình',
  ChucDanh: 'Chuyên viên',
  PhongBanXuLy: department,
  ThoiDiemXuLy: when,
  NoiDungXuLy: 'Chuyển xử lý',
  TrangThai: '4',
});

/** Issue 11 §2–3: handovers timed against the ISO process in force at reception, through ingest to Kafka. */
describe('ISO time on the ingest path', () => {
  let db: TestDatabase;
  let ds: DataSource;
  let hub: RunningHub;
  let recorder: TopicRecorder;
  const prefix = uniquePrefix('isotime');
  const topics = topicNames(prefix);

  beforeAll(async () => {
    db = await freshDatabase();
    ds = await openDatabase({ url: db.url, poolMax: 2 });
    const mappings = new MappingStore(ds);
    await mappings.save('test', 'process', process);
    await mappings.publish('test', { effectiveFrom: new Date(at('2026-01-01 00:00')) });
    await new StepTimingStore(ds).saveMatchRule(
      {
        sourceSystem: 'opencps-demo',
        procedureCode: '*',
        senderStep: '  PHÒNG TƯ PHÁP ',
        isoStepNo: 2,
        note: null,
      },
      'test',
    );
    hub = await startHub({ databaseUrl: db.url, topicPrefix: prefix });
    recorder = new TopicRecorder([topics.events, topics.stepTiming]);
    await recorder.start();
  });

  afterAll(async () => {
    await recorder?.stop();
    await hub?.stop();
    await ds?.destroy();
    await db?.drop();
  });

  it('opens, closes and judges step instances; unmatched steps fall back and are queued', async () => {
    const client = new OpenCpsClient(hub.url);
    const snapshot = {
      MaHoSo: CODE,
      MaTTHC: '1.001193',
      TenTTHC: 'Đăng ký khai sinh',
      KenhThucHien: '1',
      NgayTiepNhan: '20260401090000',
      NgayHenTra: '20260406090000',
      TrangThaiHoSo: '2',
    };
    expect((await client.send('DongBoHoSoMC', [snapshot])).body.error_code).toBe('0');
    expect(
      (await client.send('CapNhatTienDoHoSoMC', [row('Phòng Tư pháp', '20260401100000')])).body.error_code,
    ).toBe('0');
    expect(
      (await client.send('CapNhatTienDoHoSoMC', [row('Văn phòng Sở', '20260403090000')])).body.error_code,
    ).toBe('0');

    const latest = (): Map<string, StepTiming> =>
      new Map(
        recorder.records
          .filter((r) => r.topic === topics.stepTiming && r.value)
          .map((r) => [r.key as string, JSON.parse((r.value as Buffer).toString('utf8')) as StepTiming]),
      );
    await recorder.waitFor(
      () => latest().get(`${CODE}/3`) !== undefined && latest().get(`${CODE}/2`)?.outcome !== null,
    );
    const steps = latest();
    for (const s of steps.values()) {
      expect(validateStepTiming(s).errors).toEqual([]);
    }
    // Tiếp nhận 2 h from Wed 01/04 09:00, handed on at 10:00: 1 h used, early.
    expect(steps.get(`${CODE}/1`)).toMatchObject({
      isoStep: { stepNo: 1 },
      deadline: at('2026-04-01 11:00'),
      deadlineSource: 'iso_process',
      processVersion: 'm-1',
      endedAt: at('2026-04-01 10:00'),
      elapsedWorkingHours: 1,
      outcome: 'early',
    });
    // "Phòng Tư pháp" is Thẩm định by the source's rule: 12 h from 10:00 is Thu 02/04 16:00; handed on Fri 09:00 after 15 h.
    expect(steps.get(`${CODE}/2`)).toMatchObject({
      step: 'Phòng Tư pháp',
      isoStep: { stepNo: 2, name: 'Thẩm định' },
      allowanceHours: 12,
      deadline: at('2026-04-02 16:00'),
      elapsedWorkingHours: 15,
      outcome: 'late',
      outcomeRule: 'minute',
    });
    expect(steps.get(`${CODE}/3`)).toMatchObject({
      step: 'Văn phòng Sở',
      isoStep: null,
      deadlineSource: 'none',
      outcome: null,
    });

    // the handover events carry the timing, valid within v1
    const handovers = recorder.records
      .filter((r) => r.topic === topics.events)
      .map((r) => fromKafkaRecord(r.headers, r.value))
      .filter((e) => e.data.milestone === 'STEP_HANDOVER');
    expect(handovers.length).toBeGreaterThanOrEqual(2);
    for (const e of handovers) {
      expect(validateEventData(e.data).errors).toEqual([]);
    }
    expect(handovers.at(-1)?.data.timing).toMatchObject({
      closed: { instance: 2, outcome: 'late' },
      opened: { instance: 3 },
    });

    // the console's store reads the same rows; the unmatched step is queued for the source
    const store = new StepTimingStore(ds);
    expect((await store.listForDossier(CODE)).map((s) => s.instance)).toEqual([1, 2, 3]);
    expect(await store.listUnmatched()).toEqual([
      expect.objectContaining({
        sourceSystem: 'opencps-demo',
        procedureCode: '1.001193',
        senderStep: 'văn phòng sở',
      }),
    ]);
    const sql = new Client({ connectionString: db.url });
    await sql.connect();
    try {
      const { rows } = await sql.query<{ process_version: string }>(
        `SELECT process_version FROM dossier_timing WHERE dossier_code = $1`,
        [CODE],
      );
      expect(rows).toEqual([{ process_version: 'm-1' }]);
    } finally {
      await sql.end();
    }
  });
});
