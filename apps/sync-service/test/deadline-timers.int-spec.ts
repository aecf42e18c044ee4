import type { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fromKafkaRecord, topicNames, validateEventData, type SequencedEvent } from '@isohub/events';
import {
  CalendarStore,
  DeadlineTimerStore,
  MappingStore,
  StepTimingStore,
  openDatabase,
  type IsoProcess,
} from '@isohub/persistence';
import { freshDatabase, type TestDatabase } from '../../../test/support/database';
import { OpenCpsClient, startHub, type RunningHub } from '../../../test/support/hub';
import { TopicRecorder, uniquePrefix } from '../../../test/support/kafka';
import { DeadlineScheduler, TIMING_CLOCK, type Clock } from '../src/timing/deadline-scheduler.service';

const AGENCY = '000.00.01.H56';
const LATE = `${AGENCY}-260401-0951`;
const EXTENDED = `${AGENCY}-260401-0952`;
const REPUBLISHED = `${AGENCY}-260401-0953`;
const at = (local: string): string => `${local.replace(' ', 'T')}:00+07:00`;

const process: IsoProcess = {
  agencyCode: AGENCY,
  procedureCode: '1.001193',
  caseCode: '',
  isoCode: null,
  name: 'Đăng ký khai sinh',
  statutory: {},
  steps: [
    {
      stepNo: 1,
      code: null,
      name: 'Tiếp nhận',
      responsibleUnit: null,
      allowanceHours: 2,
      nationalStatus: 2,
      formCodes: [],
    },
    {
      stepNo: 2,
      code: null,
      name: 'Phòng Tư pháp',
      responsibleUnit: null,
      allowanceHours: 12,
      nationalStatus: null,
      formCodes: [],
    },
  ],
};
const snapshot = (code: string, due: string) => ({
  MaHoSo: code,
  MaTTHC: '1.001193',
  TenTTHC: 'Đăng ký khai sinh',
  KenhThucHien: '1',
  NgayTiepNhan: '20260401090000',
  NgayHenTra: due,
  TrangThaiHoSo: '2',
});
const row = (code: string, department: string, when: string) => ({
  MaHoSo: code,
  NguoiXuLy: 'Trần Thị Bình',
  ChucDanh: 'Chuyên viên',
  PhongBanXuLy: department,
  ThoiDiemXuLy: when,
  NoiDungXuLy: 'Chuyển xử lý',
  TrangThai: '4',
});

/** Issue 11 §4: overdue events once, at the deadline instant, across restarts and replicas. */
describe('deadline timers', () => {
  let db: TestDatabase;
  let ds: DataSource;
  const hubs: RunningHub[] = [];
  let recorder: TopicRecorder;
  let first: { hub: RunningHub; clock: Clock; scheduler: DeadlineScheduler };
  const prefix = uniquePrefix('deadline');
  const topics = topicNames(prefix);

  const boot = async (): Promise<{ hub: RunningHub; clock: Clock; scheduler: DeadlineScheduler }> => {
    const hub = await startHub({ databaseUrl: db.url, topicPrefix: prefix });
    hubs.push(hub);
    return { hub, clock: hub.app.get<Clock>(TIMING_CLOCK), scheduler: hub.app.get(DeadlineScheduler) };
  };
  const timerEvents = (code: string): SequencedEvent[] =>
    recorder.records
      .filter((r) => r.topic === topics.events && r.key === code)
      .map((r) => fromKafkaRecord(r.headers, r.value))
      .filter((e) => e.data.overdue !== undefined);
  const settle = async (code: string, count: number): Promise<SequencedEvent[]> => {
    await recorder.waitFor(() => timerEvents(code).length >= count);
    await new Promise((r) => setTimeout(r, 800));
    return timerEvents(code);
  };

  beforeAll(async () => {
    db = await freshDatabase();
    ds = await openDatabase({ url: db.url, poolMax: 2 });
    const mappings = new MappingStore(ds);
    await mappings.save('test', 'process', process);
    await mappings.publish('test', { effectiveFrom: new Date(at('2026-01-01 00:00')) });
    first = await boot();
    recorder = new TopicRecorder([topics.events]);
    await recorder.start();
  });

  afterAll(async () => {
    await recorder?.stop();
    for (const hub of hubs) {
      await hub.stop();
    }
    await ds?.destroy();
    await db?.drop();
  });

  it('warns a working day before, and after a restart past the deadline fires once, stamped with the deadline', async () => {
    const client = new OpenCpsClient(first.hub.url);
    expect((await client.send('DongBoHoSoMC', [snapshot(LATE, '20260403170000')])).body.error_code).toBe('0');
    expect(
      (await client.send('CapNhatTienDoHoSoMC', [row(LATE, 'Phòng Tư pháp', '20260401100000')])).body
        .error_code,
    ).toBe('0');
    // Phòng Tư pháp: 12 h from Wed 01/04 10:00 is due Thu 02/04 16:00; the warning is Wed 16:00.
    first.clock.now = () => new Date(at('2026-04-02 15:00'));
    expect(await first.scheduler.tick()).toBe(1);
    const warned = await settle(LATE, 1);
    expect(warned.map((e) => [e.data.milestone, e.data.occurredAt, e.data.overdue?.instance])).toEqual([
      ['DEADLINE_APPROACHING', at('2026-04-01 16:00'), 2],
    ]);

    await first.hub.stop();
    const second = await boot();
    second.clock.now = () => new Date(at('2026-04-02 18:00'));
    expect(await second.scheduler.tick()).toBe(2);
    expect(await second.scheduler.tick()).toBe(0);
    const events = await settle(LATE, 3);
    expect(
      events.slice(1).map((e) => [e.data.milestone, e.data.occurredAt, e.data.overdue?.detectedAt]),
    ).toEqual([
      ['STEP_OVERDUE', at('2026-04-02 16:00'), at('2026-04-02 18:00')],
      ['DEADLINE_APPROACHING', at('2026-04-02 17:00'), at('2026-04-02 18:00')],
    ]);
    for (const e of events) {
      expect(validateEventData(e.data).errors).toEqual([]);
    }
    expect(new Set(events.map((e) => e.sequence)).size).toBe(events.length);
  });

  it('two instances fire the dossier timer once', async () => {
    const a = hubs.at(-1) as RunningHub;
    const b = await boot();
    const now = () => new Date(at('2026-04-03 18:00'));
    a.app.get<Clock>(TIMING_CLOCK).now = now;
    b.clock.now = now;
    const fired = await Promise.all([a.app.get(DeadlineScheduler).tick(), b.scheduler.tick()]);
    expect(fired[0] + fired[1]).toBe(1);
    const events = await settle(LATE, 4);
    expect(
      events.filter((e) => e.data.milestone === 'DOSSIER_OVERDUE').map((e) => e.data.occurredAt),
    ).toEqual([at('2026-04-03 17:00')]);
  });

  it('a completion that arrives late with an earlier time retracts the step overdue', async () => {
    const hub = hubs[1]; // the lease holder (the second hub led the passes above)
    const client = new OpenCpsClient(hub.url);
    const overdue = timerEvents(LATE).find((e) => e.data.milestone === 'STEP_OVERDUE');
    expect(
      (await client.send('CapNhatTienDoHoSoMC', [row(LATE, 'Văn phòng Sở', '20260402150000')])).body
        .error_code,
    ).toBe('0');
    expect(await hub.app.get(DeadlineScheduler).tick()).toBe(1);
    const events = await settle(LATE, 5);
    expect(events.at(-1)?.data).toMatchObject({
      milestone: 'OVERDUE_RETRACTED',
      overdue: { kind: 'step', instance: 2, retractsEventId: overdue?.id },
    });
    expect((await new StepTimingStore(ds).listForDossier(LATE))[1]).toMatchObject({ outcome: 'early' });
  });

  it('an extension before the deadline moves the timer: nothing then, one event at the new deadline', async () => {
    const hub = hubs[1];
    const clock = hub.app.get<Clock>(TIMING_CLOCK);
    const scheduler = hub.app.get(DeadlineScheduler);
    const client = new OpenCpsClient(hub.url);
    expect((await client.send('DongBoHoSoMC', [snapshot(EXTENDED, '20260403170000')])).body.error_code).toBe(
      '0',
    );
    // The sandbox portal answers a re-sent dossier with its own error code; isohub has taken the extension all the same.
    await client.send('DongBoHoSoMC', [snapshot(EXTENDED, '20260407170000')]);
    clock.now = () => new Date(at('2026-04-03 18:00'));
    await scheduler.tick();
    expect((await new DeadlineTimerStore(ds).list(EXTENDED)).find((t) => t.kind === 'dossier')).toMatchObject(
      {
        state: 'armed',
        dueAt: new Date(at('2026-04-07 17:00')),
      },
    );
    clock.now = () => new Date(at('2026-04-07 17:30'));
    await scheduler.tick();
    const events = await settle(EXTENDED, 1);
    expect(
      events.filter((e) => e.data.milestone === 'DOSSIER_OVERDUE').map((e) => e.data.occurredAt),
    ).toEqual([at('2026-04-07 17:00')]);
  });

  it('a calendar republished with a new day off re-derives the armed step deadlines', async () => {
    const hub = hubs[1];
    const clock = hub.app.get<Clock>(TIMING_CLOCK);
    const scheduler = hub.app.get(DeadlineScheduler);
    const client = new OpenCpsClient(hub.url);
    await client.send('DongBoHoSoMC', [snapshot(REPUBLISHED, '20260410170000')]);
    await client.send('CapNhatTienDoHoSoMC', [row(REPUBLISHED, 'Phòng Tư pháp', '20260401100000')]);
    const timers = new DeadlineTimerStore(ds);
    const stepTimer = async () =>
      (await timers.list(REPUBLISHED)).find((t) => t.kind === 'step' && t.instance === 2);
    expect((await stepTimer())?.dueAt).toEqual(new Date(at('2026-04-02 16:00')));

    const calendars = new CalendarStore(ds);
    await calendars.saveDay(
      'test',
      { level: 'national' },
      {
        date: '2026-04-02',
        kind: 'day_off',
        name: 'Nghỉ (thử nghiệm)',
        source: 'test',
        status: 'official',
      },
    );
    await calendars.publish('test');
    clock.now = () => new Date(at('2026-04-01 12:00'));
    await scheduler.tick();
    // Thursday 02/04 is now off: 5 h on Wednesday from 10:00, then 7 h on Friday (4.5 h + 2.5 h) ⇒ Fri 16:00.
    expect((await stepTimer())?.dueAt).toEqual(new Date(at('2026-04-03 16:00')));
    const [, step] = await new StepTimingStore(ds).listForDossier(REPUBLISHED);
    expect(step).toMatchObject({ deadline: at('2026-04-03 16:00') });
    expect(step.calendarVersion).not.toBe(
      (await new StepTimingStore(ds).listForDossier(LATE))[1].calendarVersion,
    );
    clock.now = () => new Date(at('2026-04-02 18:00'));
    await scheduler.tick();
    expect(timerEvents(REPUBLISHED).filter((e) => e.data.milestone === 'STEP_OVERDUE')).toEqual([]);
  });
});
