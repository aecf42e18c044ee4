import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { CanonicalEvent, DossierState } from '@isohub/events';
import { describe, expect, it } from 'vitest';
import { mapDossierSync } from './dossier-sync.mapper';
import type { TrailEntry } from './handover-trail';
import type { MapOptions, MapResult, MappingContext } from './mapping.contract';
import { mapProgressRow } from './progress-row.mapper';
import { testMappingContext } from './testing/context';
import { expectOk, milestonesOf } from './testing/map-helpers';

/** Recorded sender bodies kept by the portal adapter (see its __fixtures__/README.md). */
const FIXTURES = resolve(__dirname, '../../adapters/portal/src/__fixtures__');

function body(path: string): unknown {
  return JSON.parse(readFileSync(join(FIXTURES, path), 'utf8')) as unknown;
}

/** OpenCPS wraps items in `{ data: [...] }`; Thanh Hóa posts bare arrays. */
function items(path: string): unknown[] {
  const b = body(path);
  return Array.isArray(b) ? b : ((b as { data: unknown[] }).data ?? []);
}

const opencps = testMappingContext({
  profile: 'opencps',
  source: { system: 'opencps-tinh-x', agency: '000.00.01.H56', operation: 'DongBoHoSoMC' },
  receivedAt: new Date('2025-07-05T02:00:00Z'),
});
const thanhhoa = testMappingContext({
  profile: 'thanhhoa',
  source: { system: 'thanhhoa-dvc', agency: null, operation: null },
  receivedAt: new Date('2025-07-05T02:00:00Z'),
});

/** Folds a sequence of wire items into one dossier's events and final state, as the sync service would. */
function fold(
  mapper: (wire: unknown, prev: DossierState | null, ctx: MappingContext, options: MapOptions) => MapResult,
  list: unknown[],
  ctx: MappingContext,
  start: DossierState | null = null,
  startTrail: TrailEntry[] = [],
): { events: CanonicalEvent[]; state: DossierState | null; trail: TrailEntry[] } {
  const events: CanonicalEvent[] = [];
  let state = start;
  let trail = startTrail;
  for (const wire of list) {
    const result = mapper(wire, state, ctx, { trail });
    const r = expectOk(result);
    events.push(...r.events);
    state = r.state;
    trail = (result.ok ? result.trail : undefined) ?? trail;
  }
  return { events, state, trail };
}

describe('OpenCPS DongBoHoSoMC + CapNhatTienDoHoSoMC', () => {
  const dossiers = items('ok/opencps-dongbohoso.json');
  const mapped = dossiers.map((wire) => expectOk(mapDossierSync(wire, null, opencps)));

  it('maps each first snapshot, replaying the reception before later statuses', () => {
    expect(mapped.map((m) => milestonesOf(m.events))).toEqual([
      ['DOSSIER_RECEIVED'],
      ['DOSSIER_RECEIVED', 'STATUS_CHANGED'],
      ['DOSSIER_RECEIVED', 'RESULT_RETURNED'],
    ]);
    expect(mapped[2].events[1].data).toMatchObject({
      timeSource: 'wire',
      occurredAt: '2025-07-02T09:03:11+07:00',
      dates: { processingEndedAt: '2025-07-01T16:15:40+07:00', dueAt: '2025-07-02T14:22:05+07:00' },
    });
    expect(mapped[0].events[0].source).toBe('isohub://opencps-tinh-x/000.00.01.H56');
  });

  it('normalises the NFD texts of item 1 and reads no KenhThucHien as null', () => {
    const data = mapped[0].events[0].data;
    expect(data.procedure).toEqual({
      nationalCode: '1.001193',
      localCode: '1.001193',
      name: 'Thủ tục đăng ký khai sinh',
      mappingStatus: 'mapped',
    });
    expect(data.channel).toBeNull();
    expect(JSON.stringify(mapped)).toBe(JSON.stringify(mapped).normalize('NFC'));
  });

  it('treats the all-zero NgayTra of item 2 as no date', () => {
    expect(mapped[1].state.dates.returnedAt).toBeNull();
  });

  it('keeps the applicant, the phone in Fax and the file URLs out of events', () => {
    const text = JSON.stringify(mapped);
    for (const personal of ['0912345678', 'nhung.nguyen@example.com', 'Hồng Nhung', 'Sông Mã', '?t=']) {
      expect(text).not.toContain(personal);
    }
  });

  it('gives a re-send with fresh ?t= URLs and another key order the same ids', () => {
    const resent = JSON.parse(
      JSON.stringify(dossiers).replace(/\?t=\d+/g, '?t=1751999999999'),
      (_k, v: unknown) =>
        v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).reverse()) : v,
    ) as unknown[];
    const again = resent.map((wire) => expectOk(mapDossierSync(wire, null, opencps)));
    expect(again.map((m) => m.events.map((e) => e.id))).toEqual(mapped.map((m) => m.events.map((e) => e.id)));
    expect(resent.map((wire, i) => expectOk(mapDossierSync(wire, mapped[i].state, opencps)).events)).toEqual([
      [],
      [],
      [],
    ]);
  });

  it('maps the progress rows onto those dossiers as handovers without repeating statuses', () => {
    const rows = items('ok/opencps-capnhattiendo.json');
    const byCode = new Map(mapped.map((m) => [m.state.dossierCode, m.state]));
    const results = rows.map((wire) => {
      const code = (wire as { MaHoSo: string }).MaHoSo;
      return expectOk(mapProgressRow(wire, byCode.get(code) ?? null, opencps));
    });
    expect(results.map((r) => milestonesOf(r.events))).toEqual([
      ['DOSSIER_RECEIVED'], // the receipt row repeats the snapshot's receipt: the same event, same id
      ['STEP_HANDOVER'],
      ['WITHDRAWAL_REQUESTED'], // the citizen's own withdrawal
    ]);
    expect(results[0].events[0].id).toBe(mapped[0].events[0].id);
    expect(results[0].events[0].data.handover).toMatchObject({
      unitTo: { code: null, name: 'CBTN' },
      userTo: { id: null, name: 'Phạm Thu Trang', title: null },
      handedOverAt: '2025-07-01T08:15:30+07:00',
      stepDeadline: '2025-07-01T16:30:00+07:00',
      action: 'Tiếp nhận hồ sơ-Hồ sơ đầy đủ, hợp lệ',
      note: 'Tiếp nhận hồ sơ-Hồ sơ đầy đủ, hợp lệ',
    });
  });

  it('names no one on the citizen withdrawal row (its NguoiXuLy is the applicant), unless configured', () => {
    const withdrawal = items('ok/opencps-capnhattiendo.json')[2];
    const state = mapped[1].state;
    const redacted = expectOk(mapProgressRow(withdrawal, state, opencps));
    expect(redacted.events.at(-1)?.data.handover?.userTo).toEqual({
      id: null,
      name: null,
      title: null,
      role: 'applicant',
    });
    expect(JSON.stringify(redacted)).not.toContain('Lê Văn Bình');
    const named = expectOk(mapProgressRow(withdrawal, state, { ...opencps, applicantFields: ['ChuHoSo'] }));
    expect(named.events.at(-1)?.data.handover?.userTo).toMatchObject({
      name: 'Lê Văn Bình',
      role: 'applicant',
    });
    expect(named.events.map((e) => e.id)).toEqual(redacted.events.map((e) => e.id));
  });

  it('keeps the status for a patched TrangThaiHoSo "" (no mapping row), without an error', () => {
    const patched = { ...(dossiers[1] as Record<string, unknown>), TrangThaiHoSo: '' };
    const { events, state } = expectOk(mapDossierSync(patched, mapped[1].state, opencps));
    expect(events).toEqual([]);
    expect(state.status).toEqual({ national: 4, label: 'Đang xử lý', source: '4' });
  });
});

describe('Thanh Hóa ThemMoi + DongBoTienTrinh', () => {
  const created = expectOk(mapDossierSync(items('ok/thanhhoa-themmoi.json')[0], null, thanhhoa));
  const rows = items('ok/thanhhoa-tientrinh.json');
  const flow = fold(mapProgressRow, rows, thanhhoa, created.state);

  it('reads the paused dossier sent as "9" with no NgayKetThucXuLy as "no status yet"', () => {
    expect(created.events).toEqual([]);
    expect(created.state).toMatchObject({
      status: { national: null, source: '9' },
      channel: 'in_person',
      procedure: { nationalCode: '1.001193', localCode: '1.001193.000.00.00.H56' },
      dates: { receivedAt: '2025-07-01T08:15:30+07:00', dueAt: null },
    });
  });

  it('turns the chunk into one handover per row and the true milestones', () => {
    // The synthetic "Tiếp nhận hồ sơ" (first) and "Kết thúc xử lý hồ sơ" dated at receipt (last) are no events.
    expect(milestonesOf(flow.events)).toEqual([
      'DOSSIER_RECEIVED', // the real reception row
      'STEP_HANDOVER', // Chuyển xử lý, 2 -> 4
      'SUPPLEMENT_REQUESTED',
      'STEP_HANDOVER', // Công dân gửi bổ sung hồ sơ, empty status sent as "4": information
      'SUPPLEMENT_RECEIVED', // Hoàn thành bổ sung hồ sơ, sent as "5"
      'STEP_HANDOVER', // Trình phê duyệt
      'PAYMENT_REQUESTED',
    ]);
    expect(flow.events.map((e) => e.data.handover?.userFrom?.name ?? null)).toEqual([
      null,
      'Phạm Thu Trang',
      'Phạm Thu Trang',
      'Lê Hoàng Phương Thảo Nguyên - Phòng Hộ tịch, Q...',
      'Lê Hoàng Phương Thảo Nguyên - Phòng Hộ tịch, Q...', // the applicant's upload took nothing over
      'Phạm Thu Trang',
      'Chuyên viên',
    ]);
    expect(flow.state).toMatchObject({
      status: { national: 6, source: '6' },
      statusAt: '2025-07-04T09:00:00+07:00',
      supplementRequests: 1,
      dates: {
        receivedAt: '2025-07-01T08:15:30+07:00',
        supplementRequestedAt: '2025-07-01T15:01:02+07:00',
        supplementReceivedAt: '2025-07-03T10:12:20+07:00',
      },
    });
  });

  it('names no one on "Công dân gửi bổ sung hồ sơ": its NguoiXuLy is the applicant (ChuHoSo)', () => {
    const supplement = flow.events.find((e) => e.data.handover?.action === 'Công dân gửi bổ sung hồ sơ');
    expect(supplement?.data.handover?.userTo).toEqual({
      id: null,
      name: null,
      title: null,
      role: 'applicant',
    });
    expect(JSON.stringify(flow)).not.toContain('Hồng Nhung');
  });

  it('keeps the truncated officer name as sent', () => {
    const names = flow.events.map((e) => e.data.handover?.userTo?.name).filter(Boolean);
    expect(names).toContain('Lê Hoàng Phương Thảo Nguyên - Phòng Hộ tịch, Q...');
  });

  it('re-sent rows (chunk re-sends, after newer ones) give the same events with the same ids', () => {
    const again = fold(mapProgressRow, rows, thanhhoa, flow.state, flow.trail);
    expect(again.events.map((e) => [e.data.milestone, e.id])).toEqual(
      flow.events.map((e) => [e.data.milestone, e.id]),
    );
    expect(again.state).toMatchObject({ status: flow.state?.status, statusAt: flow.state?.statusAt });
  });

  it('a later re-send of the paused snapshot leaves the payment pause in place', () => {
    const { events, state } = expectOk(
      mapDossierSync(items('ok/thanhhoa-themmoi.json')[0], flow.state, thanhhoa),
    );
    expect(events).toEqual([]);
    expect(state.status).toEqual({ national: 6, label: 'Yêu cầu thực hiện nghĩa vụ tài chính', source: '9' });
  });

  it('maps the CapNhat body of a finished online dossier', () => {
    const { events, state } = expectOk(mapDossierSync(items('ok/thanhhoa-capnhat.json')[0], null, thanhhoa));
    expect(milestonesOf(events)).toEqual(['DOSSIER_RECEIVED', 'RESULT_RETURNED']);
    expect(state).toMatchObject({ channel: 'online', dates: { returnedAt: '2025-07-02T09:03:11+07:00' } });
    expect(JSON.stringify(events)).not.toContain('c0a8e1f2-7b3d-4c5e-9f10-2a3b4c5d6e7f'); // MaDoiTuong (TechID)
  });
});

describe('bad fixtures', () => {
  const EXPECTED: Record<string, { field: string; code: string }> = {
    'missing-mahoso': { field: '/MaHoSo', code: 'required' },
    'impossible-date': { field: '/NgayTiepNhan', code: 'format' },
    'unknown-status': { field: '/TrangThaiHoSo', code: 'range' },
  };
  const files = readdirSync(join(FIXTURES, 'bad')).filter((f) => f.endsWith('.json'));

  it.each(files.filter((f) => !f.includes('non-object')))(
    '%s is rejected with the bad field named',
    (file) => {
      const kind = Object.keys(EXPECTED).find((k) => file.includes(k));
      expect(kind).toBeDefined();
      const ctx = file.startsWith('thanhhoa') ? thanhhoa : opencps;
      const results = items(`bad/${file}`).map((wire) => mapDossierSync(wire, null, ctx));
      expect(results).toHaveLength(1);
      // Thanh Hóa copies NgayTiepNhan into NgayNopHoSo, so its bad date is named twice.
      const [result] = results;
      const { field, code } = EXPECTED[kind as string];
      expect(result.ok).toBe(false);
      expect(!result.ok && result.errors.map((e) => [e.field, e.code])).toContainEqual([field, code]);
    },
  );

  it.each(files.filter((f) => f.includes('non-object')))(
    '%s: the valid item maps, each non-object is rejected alone',
    (file) => {
      const ctx = file.startsWith('thanhhoa') ? thanhhoa : opencps;
      const [first, ...rest] = items(`bad/${file}`).map((wire) => mapDossierSync(wire, null, ctx));
      expect(first.ok).toBe(true);
      expect(rest.length).toBeGreaterThan(0);
      for (const r of rest) {
        expect(r).toMatchObject({ ok: false, dossierCode: null, errors: [{ field: '', code: 'type' }] });
      }
    },
  );
});
