import { AuditStore, CalendarStore, CALENDAR_CHANNEL, openDatabase } from '@isohub/persistence';
import type { CalendarYear } from '@isohub/timing';
import { DateTime } from 'luxon';
import { Client } from 'pg';
import type { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase, type TestDatabase } from './support/database';

const vn = (text: string): Date =>
  DateTime.fromFormat(text, 'yyyy-MM-dd HH:mm', { zone: 'Asia/Ho_Chi_Minh' }).toJSDate();
const show = (d: Date): string =>
  DateTime.fromJSDate(d, { zone: 'Asia/Ho_Chi_Minh' }).toFormat('yyyy-MM-dd HH:mm');

describe('CalendarStore (real PostgreSQL)', () => {
  let db: TestDatabase;
  let ds: DataSource;
  let store: CalendarStore;

  beforeAll(async () => {
    db = await freshDatabase();
    ds = await openDatabase({ url: db.url, poolMax: 4 });
    store = new CalendarStore(ds, { versionTtlMs: 0 });
  });

  afterAll(async () => {
    await ds?.destroy();
    await db?.drop();
  });

  it('is seeded with the shipped calendars as cal-1: 2026 official, 2027 provisional, 2028 the skeleton', async () => {
    expect((await store.listVersions()).map((v) => v.version)).toEqual(['cal-1']);
    const cal = await store.load({ province: 'H56', agency: 'H56.01' });
    expect(cal.version).toBe('cal-1 (VN)');
    expect(cal.statusOf(2026)).toBe('official');
    expect(cal.statusOf(2027)).toBe('provisional');
    expect(cal.yearInfo(2028)).toMatchObject({ status: 'provisional', basis: 'skeleton', missing: [] });
    expect(cal.isWorkingDay('2026-01-10')).toBe(true);
    expect(cal.dayInfo('2028-01-26')).toMatchObject({ kind: 'day_off', decidedBy: 'skeleton' });
    expect(show(cal.addWorkingMinutes(vn('2026-01-09 16:00'), 480))).toBe('2026-01-10 16:00');
    expect(await store.yearStatuses([2026, 2027, 2028])).toEqual([
      { year: 2026, status: 'official', basis: 'published' },
      { year: 2027, status: 'provisional', basis: 'published' },
      { year: 2028, status: 'provisional', basis: 'skeleton' },
    ]);
  });

  it('a province override is drafted, audited, published as cal-2 (NOTIFY) and loaded for that province only', async () => {
    const listener = new Client({ connectionString: db.url });
    await listener.connect();
    const notified = new Promise<string | undefined>((resolve) =>
      listener.on('notification', (n) => resolve(n.payload)),
    );
    await listener.query(`LISTEN ${CALENDAR_CHANNEL}`);

    const year: CalendarYear = {
      year: 2026,
      status: 'official',
      sources: ['Quyết định của UBND tỉnh'],
      days: [
        {
          date: '2026-03-10',
          kind: 'day_off',
          name: 'Ngày giải phóng tỉnh',
          source: 'QĐ UBND tỉnh',
          status: 'official',
        },
      ],
    };
    const scope = { level: 'province', province: 'H56' } as const;
    await store.saveYear('alice', scope, year);
    await store.saveWeekly('alice', scope, { sat: [{ from: '07:30', to: '11:30' }] });
    expect(await store.draftChanges()).toMatchObject({
      against: 'cal-1',
      added: ['province:H56', 'province:H56:sat', 'province:H56:2026', 'province:H56:2026-03-10'],
    });
    // Not in force before publishing.
    expect((await store.load({ province: 'H56' })).isWorkingDay('2026-03-10')).toBe(true);

    const published = await store.publish('alice', { note: 'Lịch riêng tỉnh' });
    expect(published.version).toBe('cal-2');
    expect(await notified).toBe('cal-2');
    await listener.end();

    const h56 = await store.load({ province: 'H56' });
    expect(h56.version).toBe('cal-2 (VN + H56)');
    expect(h56.isWorkingDay('2026-03-10')).toBe(false);
    expect(h56.dayInfo('2026-03-07')).toMatchObject({ working: true, decidedBy: 'H56' });
    expect((await store.load({ province: 'H26' })).isWorkingDay('2026-03-10')).toBe(true);

    const audit = await new AuditStore(ds).list({ actor: 'alice' });
    expect(audit.map((a) => a.action).sort()).toEqual([
      'calendar.publish',
      'calendar.weekly.update',
      'calendar.year.create',
    ]);
    expect((await new AuditStore(ds).verify()).ok).toBe(true);
    await expect(store.publish('alice')).rejects.toMatchObject({ code: 'CONFLICT' });
  });

  it('a watcher hears a publish from another store and drops its cached calendar at once', async () => {
    const cached = new CalendarStore(ds, { versionTtlMs: 3_600_000 });
    expect((await cached.load({})).version).toBe('cal-2 (VN)');
    const heard: string[] = [];
    const stop = await cached.watch((v) => heard.push(v));
    await store.saveDay(
      'carol',
      { level: 'national' },
      {
        date: '2026-12-31',
        kind: 'half_day',
        name: 'Chiều 31/12 nghỉ',
        source: 'giả định trong kiểm thử',
        status: 'official',
        windows: [{ from: '07:00', to: '11:30' }],
      },
    );
    const published = await store.publish('carol');
    await expect.poll(() => heard, { timeout: 10_000 }).toEqual([published.version]);
    const fresh = await cached.load({});
    expect(fresh.version).toBe(`${published.version} (VN)`);
    expect(show(fresh.addWorkingMinutes(vn('2026-12-31 11:00'), 60))).toBe('2027-01-04 07:30');
    await stop();
    await store.removeDay('carol', { level: 'national' }, '2026-12-31');
  });

  it('imports a year with a dry run, refuses a stale plan, and edits single days', async () => {
    const scope = { level: 'national' } as const;
    const y2027 = await store.getYear('draft', scope, 2027);
    expect(y2027?.days).toHaveLength(14);
    const official: CalendarYear = {
      year: 2027,
      status: 'official',
      sources: ['Thông báo của Bộ Nội vụ (giả định trong kiểm thử)'],
      days: (y2027?.days ?? [])
        .filter((d) => d.date !== '2027-09-03')
        .map((d) => ({ ...d, status: 'official' as const }))
        .concat([
          { date: '2027-09-01', kind: 'day_off', name: 'Quốc khánh', source: 'TB', status: 'official' },
        ]),
    };
    const plan = await store.planYearImport(scope, official);
    expect(plan.diff.added.map((d) => d.date)).toEqual(['2027-09-01']);
    expect(plan.diff.removed.map((d) => d.date)).toEqual(['2027-09-03']);
    expect(plan.diff.changed).toHaveLength(13);
    expect(plan.yearChanged).toBe(true);

    await store.saveDay('bob', scope, {
      date: '2027-12-24',
      kind: 'half_day',
      name: 'Nửa ngày',
      source: 'x',
      status: 'provisional',
      windows: [{ from: '07:00', to: '11:30' }],
    });
    await expect(store.commitYearImport('bob', scope, official, plan.diffHash)).rejects.toMatchObject({
      code: 'CONFLICT',
    });
    await store.removeDay('bob', scope, '2027-12-24');
    await store.commitYearImport('bob', scope, official, plan.diffHash);
    expect((await store.getYear('draft', scope, 2027))?.status).toBe('official');

    await expect(
      store.saveDay('bob', scope, {
        date: '2029-01-02',
        kind: 'day_off',
        name: 'x',
        source: 'y',
        status: 'official',
      }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(
      store.saveYear('bob', scope, {
        year: 2029,
        status: 'official',
        sources: [],
        days: [{ date: '2029-13-01' } as never],
      }),
    ).rejects.toMatchObject({ code: 'INVALID' });

    await store.publish('bob');
    expect((await store.load({})).statusOf(2027)).toBe('official');
    expect((await store.load({})).isWorkingDay('2027-09-03')).toBe(true);
  });
});
