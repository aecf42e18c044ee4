import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CanonicalEvent, DossierState } from '@isohub/events';
import {
  mapDossierSync,
  mapProgressRow,
  testMappingContext,
  type MapResult,
  type TrailEntry,
} from '@isohub/mapping';
import {
  dossierToWire,
  orderDossiers,
  readActions,
  readListPage,
  type DossierWire,
} from './dossier-page.mapper';
import { OPENCPS_REST_PROFILE } from './rest-profile';
import { matchStatus, type StatusTable } from './status-table';

const fixture = (name: string): unknown =>
  JSON.parse(readFileSync(join(__dirname, '__fixtures__', name), 'utf8')) as unknown;

/** The development table of config/pull-sources.dev.json (rows are illustrative, DOMAIN.md §3.4). */
const TABLE: StatusTable = [
  { status: 'new', national: 1 },
  { status: 'processing', subStatus: 'tiep_nhan', national: 2 },
  { status: 'processing', subStatus: 'cho_thanh_toan', national: 6 },
  { status: 'processing', national: 4 },
  { status: 'waiting', national: 5 },
  { status: 'denied', national: 3 },
  { status: 'cancelled', national: 7 },
  { status: 'unresolved', national: 8 },
  { status: 'releasing', national: 9 },
  { status: 'done', national: 10 },
];

const ctx = testMappingContext({
  profile: 'opencps',
  source: { system: 'opencps-api-h56', protocol: 'opencps-rest' },
});

function listed() {
  const read = readListPage(fixture('ok/opencps-dossiers-page.json'), OPENCPS_REST_PROFILE);
  if (!read.ok) {
    throw new Error(read.reason);
  }
  return read.page;
}

function actions() {
  const read = readActions(fixture('ok/opencps-dossier-actions.json'), OPENCPS_REST_PROFILE);
  if (!read.ok) {
    throw new Error(read.reason);
  }
  return read.actions;
}

function ok(r: MapResult): Extract<MapResult, { ok: true }> {
  if (!r.ok) {
    throw new Error(JSON.stringify(r.errors));
  }
  return r;
}

/** Feeds the wire items through the real mappers in ingest order, threading the state as ingest does. */
function ingest(wire: DossierWire, start: DossierState | null = null, startTrail: TrailEntry[] = []) {
  let state = start;
  let trail = startTrail;
  const events: CanonicalEvent[] = [];
  const take = (r: Extract<MapResult, { ok: true }>) => {
    state = r.state;
    trail = r.trail ?? trail;
    events.push(...r.events);
  };
  const snap = (item: unknown) => take(ok(mapDossierSync(item, state, ctx, { trail })));
  const row = (item: unknown) => take(ok(mapProgressRow(item, state, ctx, { trail })));
  snap(wire.header);
  wire.rows.forEach(row);
  snap(wire.current);
  return { events, state: state, trail };
}

describe('status table (DOMAIN.md §3.4)', () => {
  it('lets a sub-status row win, else the status wildcard row, else nothing', () => {
    expect(matchStatus(TABLE, 'processing', 'tiep_nhan')).toBe(2);
    expect(matchStatus(TABLE, 'processing', 'cho_thanh_toan')).toBe(6);
    expect(matchStatus(TABLE, 'processing', 'something-else')).toBe(4);
    expect(matchStatus(TABLE, 'processing', '')).toBe(4);
    expect(matchStatus(TABLE, 'pausing', '')).toBeNull();
    expect(matchStatus(TABLE, null, null)).toBeNull();
  });

  it('falls back to the status first row when the status has no wildcard row (OpenCPS rule)', () => {
    const table: StatusTable = [
      { status: 'waiting', subStatus: 'cho_bo_sung', national: 5 },
      { status: 'waiting', subStatus: 'cho_nop_phi', national: 6 },
    ];
    expect(matchStatus(table, 'waiting', 'other')).toBe(5);
    expect(matchStatus(table, 'waiting', 'cho_nop_phi')).toBe(6);
  });
});

describe('OpenCPS REST profile: vendor JSON -> DVCQG wire items', () => {
  it('reads the list, collapses duplicates and orders the page by modification time, then id', () => {
    const page = listed();
    expect(page.total).toBe(2);
    const dup = { ...page.dossiers[1], raw: { ...page.dossiers[1].raw } };
    const ordered = orderDossiers([...page.dossiers, dup]);
    expect(ordered.map((d) => d.id)).toEqual(['40512', '40513']);
    expect(ordered[0]?.modifiedAt).toBe('2025-07-01T16:10:00+07:00');
  });

  it('refuses a list answer that is not the expected shape', () => {
    expect(readListPage({ total: 1, data: 'x' }, OPENCPS_REST_PROFILE).ok).toBe(false);
    expect(readListPage([1, 2], OPENCPS_REST_PROFILE).ok).toBe(false);
  });

  it('maps a dossier into OpenCPS-shaped DongBoHoSoMC and CapNhatTienDoHoSoMC items', () => {
    const d = orderDossiers(listed().dossiers)[0];
    const wire = dossierToWire(d, actions(), {
      profile: OPENCPS_REST_PROFILE,
      statusTable: TABLE,
      since: null,
    });
    expect(wire.code).toBe('000.00.01.H56-250701-0001');
    expect(wire.current).toMatchObject({
      MaHoSo: '000.00.01.H56-250701-0001',
      MaTTHC: '1.001193.000.00.00.H56',
      TenLinhVuc: 'Hộ tịch',
      KenhThucHien: '2',
      TrangThaiHoSo: '10',
      NgayNopHoSo: '20250701074000',
      NgayTiepNhan: '20250701080500',
      NgayHenTra: '20250703170000',
      NgayKetThucXuLy: '20250701152000',
      NgayTra: '20250701161000',
      HinhThuc: '1',
    });
    expect(wire.header).toMatchObject({
      TrangThaiHoSo: '',
      NgayHenTra: '20250703170000',
      ChuHoSo: 'Nguyễn Văn An',
    });
    expect(wire.header).not.toHaveProperty('NgayTra');
    const rows = wire.rows;
    // the repeated action collapses, the history is in time order
    expect(rows.map((r) => r['ThoiDiemXuLy'])).toEqual([
      '20250701074000',
      '20250701080500',
      '20250701093000',
      '20250701101500',
      '20250701140000',
      '20250701152000',
      '20250701161000',
    ]);
    expect(rows.map((r) => r['TrangThai'])).toEqual(['1', '2', '4', '5', '4', '9', '10']);
    expect(rows[2]).toEqual({
      MaHoSo: '000.00.01.H56-250701-0001',
      NguoiXuLy: 'Trần Thị Bình',
      ChucDanh: '',
      ThoiDiemXuLy: '20250701093000',
      PhongBanXuLy: 'Phòng Tư pháp',
      NoiDungXuLy: 'Chuyển xử lý-Chuyển phòng chuyên môn thẩm định',
      TrangThai: '4',
      NgayBatDau: '',
      NgayKetThucTheoQuyDinh: '20250701152000',
    });
  });

  it('yields, through the real mappers, every milestone at the action time and one handover per action', () => {
    const d = orderDossiers(listed().dossiers)[0];
    const wire = dossierToWire(d, actions(), {
      profile: OPENCPS_REST_PROFILE,
      statusTable: TABLE,
      since: null,
    });
    const { events, state } = ingest(wire);
    expect(events.map((e) => [e.data.milestone, e.time])).toEqual([
      ['DOSSIER_SUBMITTED', '2025-07-01T07:40:00+07:00'],
      ['DOSSIER_RECEIVED', '2025-07-01T08:05:00+07:00'],
      ['STEP_HANDOVER', '2025-07-01T09:30:00+07:00'],
      ['SUPPLEMENT_REQUESTED', '2025-07-01T10:15:00+07:00'],
      ['SUPPLEMENT_RECEIVED', '2025-07-01T14:00:00+07:00'],
      ['RESULT_READY', '2025-07-01T15:20:00+07:00'],
      ['RESULT_RETURNED', '2025-07-01T16:10:00+07:00'],
    ]);
    const received = events.find((e) => e.data.milestone === 'DOSSIER_RECEIVED');
    expect(received?.data.dates.dueAt).toBe('2025-07-03T17:00:00+07:00');
    expect(received?.data.procedure.nationalCode).toBe('1.001193');
    expect(events.filter((e) => e.data.milestone === 'DEADLINE_EXTENDED')).toHaveLength(0);
    expect(state?.status.national).toBe(10);
    expect(new Set(events.map((e) => e.id)).size).toBe(events.length);
  });

  it('re-reading the same dossier (overlap window, re-poll) yields no new event id', () => {
    const d = orderDossiers(listed().dossiers)[0];
    const opts = { profile: OPENCPS_REST_PROFILE, statusTable: TABLE, since: null };
    const first = ingest(dossierToWire(d, actions(), opts));
    const again = ingest(
      dossierToWire(d, [...actions()].reverse(), { ...opts, since: '2025-07-01T16:00:00+07:00' }),
      first.state,
      first.trail,
    );
    const known = new Set(first.events.map((e) => e.id));
    expect(again.events.filter((e) => !known.has(e.id))).toEqual([]);
  });

  it('polled as it moves on, re-reads never replay an old status, and a later due date is an extension', () => {
    const d = orderDossiers(listed().dossiers)[0];
    const opts = { profile: OPENCPS_REST_PROFILE, statusTable: TABLE };
    const upTo = (ms: number) => actions().filter((a) => (a['createDate'] as number) <= ms);
    const at = (raw: Record<string, unknown>) => ({
      ...d,
      raw: { ...d.raw, finishDate: '', releaseDate: '', ...raw },
    });
    const seen = new Set<string>();
    const fresh = (events: CanonicalEvent[]) => {
      const out = events.filter((e) => !seen.has(e.id));
      out.forEach((e) => seen.add(e.id));
      return out.map((e) => e.data.milestone);
    };
    // first poll while the supplement is awaited
    const first = ingest(
      dossierToWire(at({ dossierStatus: 'waiting', dossierSubStatus: 'cho_bo_sung' }), upTo(1751339700000), {
        ...opts,
        since: null,
      }),
    );
    expect(fresh(first.events).at(-1)).toBe('SUPPLEMENT_REQUESTED');
    expect(first.state?.statusAt).toBe('2025-07-01T10:15:00+07:00');
    // the supplement comes back; the next poll's overlap window still holds the request
    const resumed = at({ dossierStatus: 'processing', dossierSubStatus: '' });
    const second = ingest(
      dossierToWire(resumed, upTo(1751353200000), { ...opts, since: '2025-07-01T10:05:00+07:00' }),
      first.state,
    );
    expect(fresh(second.events)).toEqual(['SUPPLEMENT_RECEIVED']);
    // a re-poll of the same window changes nothing
    const again = ingest(
      dossierToWire(resumed, upTo(1751353200000), { ...opts, since: '2025-07-01T10:05:00+07:00' }),
      second.state,
    );
    expect(fresh(again.events)).toEqual([]);
    // the deadline is moved at the same status: an extension, the previous due date kept
    const extended = at({ dossierStatus: 'processing', dossierSubStatus: '', dueDate: '20250707100000' });
    const third = ingest(
      dossierToWire(extended, upTo(1751353200000), { ...opts, since: '2025-07-01T13:50:00+07:00' }),
      again.state,
    );
    expect(fresh(third.events)).toEqual(['DEADLINE_EXTENDED']);
    expect(third.state?.dates.previousDueAt).toBe('2025-07-03T17:00:00+07:00');
    expect(third.state?.dates.dueAt).toBe('2025-07-07T10:00:00+07:00');
  });

  it('does not apply a listed copy older than the history read after it (the dossier changed in between)', () => {
    const d = orderDossiers(listed().dossiers)[0];
    const listedEarlier = {
      ...d,
      modifiedAt: '2025-07-01T14:00:00+07:00',
      raw: {
        ...d.raw,
        dossierStatus: 'processing',
        modifiedDate: '01/07/2025 14:00:00',
        releaseDate: '',
        finishDate: '',
      },
    };
    const wire = dossierToWire(listedEarlier, actions(), {
      profile: OPENCPS_REST_PROFILE,
      statusTable: TABLE,
      since: null,
    });
    expect(wire.current['TrangThaiHoSo']).toBe('');
    expect(wire.current).not.toHaveProperty('NgayHenTra');
    const { events, state } = ingest(wire);
    expect(events.map((e) => e.data.milestone).at(-1)).toBe('RESULT_RETURNED');
    expect(state?.status.national).toBe(10);
  });

  it('holds an unmapped vendor status as "no national status" and flags it, never dropping the dossier', () => {
    const d = orderDossiers(listed().dossiers)[1];
    const reception = {
      dossierActionId: 91001,
      createDate: 1751363100000,
      actionName: 'Tiếp nhận hồ sơ',
      actionNote: '',
      actionUser: 'Phạm Văn Dũng',
      sequenceRole: 'Bộ phận một cửa',
      dossierStatus: 'processing',
      dossierSubStatus: 'tiep_nhan',
      dueDate: 0,
    };
    const wire = dossierToWire(d, [reception], {
      profile: OPENCPS_REST_PROFILE,
      statusTable: TABLE,
      since: null,
    });
    expect(wire.current['TrangThaiHoSo']).toBe('');
    // the listed copy's time: when the dossier was last seen in that status
    expect(wire.unmapped).toEqual([{ status: 'pausing', subStatus: null, at: '2025-07-01T16:50:00+07:00' }]);
    const { events, state } = ingest(wire);
    expect(events.map((e) => e.data.milestone)).toEqual(['DOSSIER_RECEIVED']);
    expect(state?.status.national).toBe(2);
  });

  it('passes an unreadable vendor date through so the mapper names the field', () => {
    const d = orderDossiers(listed().dossiers)[0];
    const bad = { ...d, raw: { ...d.raw, receiveDate: '32/13/2025 25:00:00' } };
    const wire = dossierToWire(bad, [], { profile: OPENCPS_REST_PROFILE, statusTable: TABLE, since: null });
    const r = mapDossierSync(wire.current, null, ctx);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.errors.map((e) => e.field)).toContain('/NgayTiepNhan');
  });
});
