import type { DossierState } from '@isohub/events';
import { describe, expect, it } from 'vitest';
import { mapDossierSync } from './dossier-sync.mapper';
import { handoverEventId, milestoneEventId } from './event-id';
import type { TrailEntry } from './handover-trail';
import { mapProgressRow } from './progress-row.mapper';
import { testMappingContext, type TestContextOverrides } from './testing/context';
import { expectOk, milestonesOf } from './testing/map-helpers';

const CODE = '000.00.01.H56-260401-0001';
const RECEIVED = '2026-04-01T08:15:30+07:00';
const thanhhoa: TestContextOverrides = {
  profile: 'thanhhoa',
  source: { system: 'thanhhoa-dvc', agency: null },
};

function row(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    MaHoSo: CODE,
    NguoiXuLy: 'Đỗ Quang Huy',
    ChucDanh: 'Chuyên viên',
    PhongBanXuLy: 'Phòng Hộ tịch',
    ThoiDiemXuLy: '20260401103344',
    NoiDungXuLy: 'Chuyển xử lý',
    TrangThai: '4',
    NgayBatDau: '20260401103344',
    NgayKetThucTheoQuyDinh: '20260402170000',
    ...overrides,
  };
}

function mapRow(
  wire: unknown,
  prev: DossierState | null,
  ctx: TestContextOverrides = {},
  trail: readonly TrailEntry[] = [],
) {
  return expectOk(mapProgressRow(wire, prev, testMappingContext(ctx), { trail }));
}

/** A dossier received at 08:15:30 and then at `status` since `statusAt` (from snapshots, as in production). */
function dossierAt(status: number, ctx: TestContextOverrides = {}): DossierState {
  const received = expectOk(
    mapDossierSync(
      {
        MaHoSo: CODE,
        MaTTHC: '1.001193',
        TrangThaiHoSo: '2',
        NgayTiepNhan: '20260401081530',
        NgayHenTra: '20260403163000',
      },
      null,
      testMappingContext(ctx),
    ),
  ).state;
  return status === 2
    ? received
    : {
        ...received,
        status: { ...received.status, national: status },
        statusAt: '2026-04-01T09:00:00+07:00',
      };
}

describe('mapProgressRow: the handover', () => {
  it('always emits STEP_HANDOVER with the control-sheet fields', () => {
    const { events, state } = mapRow(row(), dossierAt(4));
    expect(milestonesOf(events)).toEqual(['STEP_HANDOVER']);
    const [e] = events;
    expect(e).toMatchObject({
      type: 'vn.isohub.dossier.step-handover.v1',
      subject: CODE,
      time: '2026-04-01T10:33:44+07:00',
    });
    expect(e.data.handover).toEqual({
      stepFrom: null,
      stepTo: null,
      unitFrom: null,
      unitTo: { code: null, name: 'Phòng Hộ tịch' },
      userFrom: null,
      userTo: { id: null, name: 'Đỗ Quang Huy', title: 'Chuyên viên' },
      handedOverAt: '2026-04-01T10:33:44+07:00',
      stepStartedAt: '2026-04-01T10:33:44+07:00',
      stepDeadline: '2026-04-02T17:00:00+07:00',
      action: 'Chuyển xử lý',
      note: 'Chuyển xử lý',
    });
    expect(e.data).toMatchObject({
      occurredAt: '2026-04-01T10:33:44+07:00',
      status: { national: 4 },
      previousStatus: 4,
    });
    expect(e.data.procedure.nationalCode).toBe('1.001193');
    expect(state.lastEventId).toBe(e.id);
  });

  it('derives the handover id from the meaning only: dossier, instant and actor', () => {
    const { events } = mapRow(row(), dossierAt(4));
    expect(events[0].id).toBe(handoverEventId(CODE, '2026-04-01T10:33:44+07:00', 'Đỗ Quang Huy'));
    const otherSender = mapRow(row(), dossierAt(4), { source: { system: 'lgsp-h56', protocol: 'lgsp' } });
    expect(otherSender.events[0].id).toBe(events[0].id);
    expect(events[0].data.timeSource).toBe('wire');
  });
  it('gives an NFD, re-ordered, re-spaced copy of the row the same id and NFC text', () => {
    const nfd = Object.fromEntries(
      Object.entries(
        row({
          NguoiXuLy: ' Đỗ Quang Huy '.normalize('NFD'),
          NoiDungXuLy: 'Chuyển  xử lý'.normalize('NFD'),
          TrangThai: 4,
        }),
      ).reverse(),
    );
    const a = mapRow(nfd, dossierAt(4));
    const b = mapRow(row(), dossierAt(4));
    expect(a.events[0].id).toBe(b.events[0].id);
    expect(a.events[0].data.handover?.userTo?.name).toBe('Đỗ Quang Huy');
    expect(JSON.stringify(a.events)).toBe(JSON.stringify(a.events).normalize('NFC'));
  });

  it('takes the side it left from the trail: the holder of the latest handover before the row', () => {
    const first = mapProgressRow(row(), dossierAt(4), testMappingContext());
    const trail = first.ok ? (first.trail ?? []) : [];
    const state = expectOk(first).state;
    const next = row({
      NguoiXuLy: 'Lê Thị Mai',
      ChucDanh: 'Phó Giám đốc',
      PhongBanXuLy: 'Lãnh đạo Sở',
      ThoiDiemXuLy: '20260401150000',
      NoiDungXuLy: 'Trình ký',
    });
    expect(mapRow(next, state, {}, trail).events[0].data.handover).toMatchObject({
      unitFrom: { code: null, name: 'Phòng Hộ tịch' },
      userFrom: { id: null, name: 'Đỗ Quang Huy', title: 'Chuyên viên' },
      unitTo: { code: null, name: 'Lãnh đạo Sở' },
      userTo: { name: 'Lê Thị Mai' },
    });
    const older = row({ ThoiDiemXuLy: '20260401100000' });
    expect(mapRow(older, state, {}, trail).events[0].data.handover).toMatchObject({
      unitFrom: null,
      userFrom: null,
    });
  });
  it('reads NoiDungXuLy as the action for Thanh Hóa (its ThaoTac) and as both for OpenCPS', () => {
    expect(mapRow(row(), dossierAt(4), thanhhoa).events[0].data.handover).toMatchObject({
      action: 'Chuyển xử lý',
      note: null,
    });
    const opencps = row({ NoiDungXuLy: 'Chuyển xử lý-Hồ sơ hợp lệ' });
    expect(mapRow(opencps, dossierAt(4), { profile: 'opencps' }).events[0].data.handover).toMatchObject({
      action: 'Chuyển xử lý-Hồ sơ hợp lệ',
      note: 'Chuyển xử lý-Hồ sơ hợp lệ',
    });
  });

  it('keeps empty OpenCPS fields as null', () => {
    const { events } = mapRow(
      row({ ChucDanh: '', PhongBanXuLy: '', NgayBatDau: '', NgayKetThucTheoQuyDinh: '' }),
      dossierAt(4),
    );
    expect(events[0].data.handover).toMatchObject({
      unitTo: null,
      userTo: { name: 'Đỗ Quang Huy', title: null },
      stepStartedAt: null,
      stepDeadline: null,
    });
  });
});

describe('mapProgressRow: one event per row', () => {
  it('a milestone row is ONE event of that milestone carrying the row handover', () => {
    const { events, state } = mapRow(
      row({ TrangThai: '5', NoiDungXuLy: 'Yêu cầu bổ sung hồ sơ' }),
      dossierAt(4),
    );
    expect(milestonesOf(events)).toEqual(['SUPPLEMENT_REQUESTED']);
    expect(events[0].id).toBe(milestoneEventId(CODE, 'SUPPLEMENT_REQUESTED', '2026-04-01T10:33:44+07:00'));
    expect(events[0].data).toMatchObject({
      occurredAt: '2026-04-01T10:33:44+07:00',
      timeSource: 'wire',
      previousStatus: 4,
      status: { national: 5 },
      handover: {
        unitTo: { name: 'Phòng Hộ tịch' },
        userTo: { name: 'Đỗ Quang Huy' },
        action: 'Yêu cầu bổ sung hồ sơ',
      },
    });
    expect(state).toMatchObject({
      status: { national: 5, source: '5' },
      statusAt: '2026-04-01T10:33:44+07:00',
      supplementRequests: 1,
      dates: { supplementRequestedAt: '2026-04-01T10:33:44+07:00' },
    });
  });

  it.each([
    [2, '4', 'STEP_HANDOVER'],
    [4, '4', 'STEP_HANDOVER'],
    [4, '6', 'PAYMENT_REQUESTED'],
    [6, '4', 'PAYMENT_COMPLETED'],
    [5, '4', 'SUPPLEMENT_RECEIVED'],
    [4, '7', 'WITHDRAWAL_REQUESTED'],
    [4, '8', 'PROCESSING_STOPPED'],
    [4, '9', 'RESULT_READY'],
    [9, '10', 'RESULT_RETURNED'],
    [4, '3', 'DOSSIER_REJECTED_AT_INTAKE'],
  ])('%i -> %s is one %s', (from, to, milestone) => {
    const { events } = mapRow(row({ TrangThai: to }), dossierAt(from));
    expect(milestonesOf(events)).toEqual([milestone]);
    expect(events[0].data.previousStatus).toBe(from);
    expect(events[0].data.handover?.userTo?.name).toBe('Đỗ Quang Huy');
  });

  it('sets the date a result row defines only when the snapshot has not', () => {
    const { state } = mapRow(row({ TrangThai: '9', NoiDungXuLy: 'Trả kết quả' }), dossierAt(4));
    expect(state.dates.processingEndedAt).toBe('2026-04-01T10:33:44+07:00');
  });

  it('gives a reception row with no state the one reception milestone', () => {
    const { events, state } = mapRow(row({ TrangThai: '2', ThoiDiemXuLy: '20260401081530' }), null);
    expect(milestonesOf(events)).toEqual(['DOSSIER_RECEIVED']);
    expect(events[0].data.handover?.userTo?.name).toBe('Đỗ Quang Huy');
    expect(state.dates.receivedAt).toBe(RECEIVED);
  });

  it('a receipt row after the snapshot dated the receipt is the same event (same id)', () => {
    const prev = dossierAt(2);
    const snapshotId = milestoneEventId(CODE, 'DOSSIER_RECEIVED', RECEIVED);
    const { events, state } = mapRow(row({ TrangThai: '2', ThoiDiemXuLy: '20260401081530' }), prev);
    expect(events.map((e) => [e.data.milestone, e.id])).toEqual([['DOSSIER_RECEIVED', snapshotId]]);
    expect(state.status).toEqual(prev.status);
  });

  it('a row arriving after newer ones gets the status true at its own time, and moves nothing', () => {
    const prev = dossierAt(6);
    const trail: TrailEntry[] = [
      { at: RECEIVED, national: 2 },
      { at: '2026-04-01T08:30:00+07:00', national: 4, holder: { unit: null, user: null, step: null } },
      { at: '2026-04-01T09:00:00+07:00', national: 6 },
    ];
    const { events, state } = mapRow(
      row({ TrangThai: '4', ThoiDiemXuLy: '20260401084210' }),
      prev,
      {},
      trail,
    );
    expect(milestonesOf(events)).toEqual(['STEP_HANDOVER']);
    expect(events[0].data).toMatchObject({ status: { national: 4 }, previousStatus: 4 });
    expect(state.status).toEqual(prev.status);
    expect(state.statusAt).toBe(prev.statusAt);
    const lateRequest = mapRow(row({ TrangThai: '5', ThoiDiemXuLy: '20260401084500' }), prev, {}, trail);
    expect(milestonesOf(lateRequest.events)).toEqual(['SUPPLEMENT_REQUESTED']);
    expect(lateRequest.events[0].data).toMatchObject({ status: { national: 5 }, previousStatus: 4 });
    expect(lateRequest.state.status.national).toBe(6);
  });

  it('a late row repeating a once-only status dated elsewhere is a handover, not a second milestone', () => {
    const { events } = mapRow(row({ TrangThai: '2', ThoiDiemXuLy: '20260401084210' }), dossierAt(4));
    expect(milestonesOf(events)).toEqual(['STEP_HANDOVER']);
  });
});

describe('mapProgressRow: Thanh Hóa rows (DOMAIN.md §4.9)', () => {
  const synthetic = (text: string, status: string, at: string) =>
    row({
      NguoiXuLy: 'Cán bộ một cửa',
      ChucDanh: '',
      PhongBanXuLy: '',
      NoiDungXuLy: text,
      TrangThai: status,
      ThoiDiemXuLy: at,
      NgayBatDau: '',
      NgayKetThucTheoQuyDinh: '',
    });

  it.each([
    ['Tiếp nhận hồ sơ', '2', '20260401081530'],
    ['Kết thúc xử lý hồ sơ', '9', '20260401081530'],
    ['Kết thúc xử lý hồ sơ', '9', '20260403160000'],
    ['Hồ sơ không có ngày hẹn trả', '9', '20260401081530'],
  ])('the synthetic "%s" row (%s) is never an event', (text, status, at) => {
    const prev = dossierAt(4, thanhhoa);
    const { events, state } = mapRow(synthetic(text, status, at), prev, thanhhoa);
    expect(events).toEqual([]);
    expect(state).toEqual(prev);
  });

  it('the same text by a real officer with its details is a real row', () => {
    const real = row({ NoiDungXuLy: 'Kết thúc xử lý hồ sơ', TrangThai: '9', ThoiDiemXuLy: '20260402100000' });
    expect(milestonesOf(mapRow(real, dossierAt(4, thanhhoa), thanhhoa).events)).toEqual(['RESULT_READY']);
  });

  it('the end-node row ("Chờ trả kết quả", 9) is RESULT_READY, once with the snapshot NgayKetThucXuLy', () => {
    const ready = row({ NoiDungXuLy: 'Chờ trả kết quả', TrangThai: '9', ThoiDiemXuLy: '20260403160000' });
    const first = mapRow(ready, dossierAt(4, thanhhoa), thanhhoa);
    expect(milestonesOf(first.events)).toEqual(['RESULT_READY']);
    const afterSnapshot: DossierState = {
      ...first.state,
      dates: { ...first.state.dates, processingEndedAt: '2026-04-03T16:00:00+07:00' },
    };
    const again = mapRow(ready, afterSnapshot, thanhhoa);
    expect(again.events.map((e) => e.id)).toEqual(first.events.map((e) => e.id));
  });

  it('"Hoàn thành bổ sung hồ sơ" with "5" is SUPPLEMENT_RECEIVED, not a second request', () => {
    const completion = row({
      NoiDungXuLy: 'Hoàn thành bổ sung hồ sơ',
      TrangThai: '5',
      ThoiDiemXuLy: '20260403101220',
    });
    const { events, state } = mapRow(completion, dossierAt(5, thanhhoa), thanhhoa);
    expect(milestonesOf(events)).toEqual(['SUPPLEMENT_RECEIVED']);
    expect(events[0].data).toMatchObject({ status: { national: 4 }, previousStatus: 5 });
    expect(state).toMatchObject({
      status: { national: 4, label: 'Đang xử lý', source: '5' },
      supplementRequests: 0,
      dates: { supplementReceivedAt: '2026-04-03T10:12:20+07:00' },
    });
    expect(milestonesOf(mapRow(completion, dossierAt(4)).events)).toEqual(['SUPPLEMENT_REQUESTED']);
  });

  it('"Công dân gửi bổ sung hồ sơ" (sent as "4") is information: no milestone, the pause goes on', () => {
    const sent = row({
      NguoiXuLy: 'Nguyễn Văn An',
      ChucDanh: '',
      PhongBanXuLy: '',
      NoiDungXuLy: 'Công dân gửi bổ sung hồ sơ',
      TrangThai: '4',
      ThoiDiemXuLy: '20260403091544',
    });
    const { events, state } = mapRow(sent, dossierAt(5, thanhhoa), thanhhoa);
    expect(milestonesOf(events)).toEqual(['STEP_HANDOVER']);
    expect(events[0].data.status.national).toBe(5);
    expect(state.status.national).toBe(5);
  });

  it('"Công dân thu hồi hồ sơ" sent as "3" is a withdrawal (national 7)', () => {
    const withdrawal = row({ NoiDungXuLy: 'Công dân thu hồi hồ sơ', TrangThai: '3' });
    const { events, state } = mapRow(withdrawal, dossierAt(4, thanhhoa), thanhhoa);
    expect(milestonesOf(events)).toEqual(['WITHDRAWAL_REQUESTED']);
    expect(state.status).toEqual({ national: 7, label: 'Công dân yêu cầu rút hồ sơ', source: '3' });
  });

  it('a "3" row with the text "Tiếp nhận hồ sơ" after an unanswered supplement is a refusal', () => {
    const refusal = row({ NoiDungXuLy: 'Tiếp nhận hồ sơ', TrangThai: '3', ThoiDiemXuLy: '20260410170000' });
    const { events, state } = mapRow(refusal, dossierAt(5, thanhhoa), thanhhoa);
    expect(milestonesOf(events)).toEqual(['DOSSIER_REJECTED_AT_INTAKE']);
    expect(events[0].data.previousStatus).toBe(5);
    expect(state).toMatchObject({
      status: { national: 3 },
      dates: { rejectedAt: '2026-04-10T17:00:00+07:00' },
    });
  });

  it('the online submission row synced after the receipt is DOSSIER_SUBMITTED at its own time', () => {
    const submitted = row({
      NguoiXuLy: 'Nguyễn Văn An',
      ChucDanh: '',
      PhongBanXuLy: '',
      NoiDungXuLy: 'Nộp hồ sơ trực tuyến',
      TrangThai: '1',
      ThoiDiemXuLy: '20260331200000',
    });
    const prev = dossierAt(4, thanhhoa);
    const { events, state } = mapRow(submitted, prev, thanhhoa);
    expect(milestonesOf(events)).toEqual(['DOSSIER_SUBMITTED']);
    expect(events[0].data).toMatchObject({
      occurredAt: '2026-03-31T20:00:00+07:00',
      status: { national: 1 },
    });
    expect(state.status).toEqual(prev.status);
    expect(state.dates.submittedAt).toBe('2026-03-31T20:00:00+07:00');
  });
});

describe('mapProgressRow: validation', () => {
  const ctx = testMappingContext();

  it.each([
    [{ ThoiDiemXuLy: '' }, '/ThoiDiemXuLy', 'required'],
    [{ ThoiDiemXuLy: undefined }, '/ThoiDiemXuLy', 'required'],
    [{ ThoiDiemXuLy: '20261301000000' }, '/ThoiDiemXuLy', 'format'],
    [{ TrangThai: '11' }, '/TrangThai', 'range'],
    [{ NgayBatDau: '31/02/2026' }, '/NgayBatDau', 'format'],
    [{ NguoiXuLy: ['a'] }, '/NguoiXuLy', 'type'],
    [{ MaHoSo: '  ' }, '/MaHoSo', 'required'],
  ])('rejects %j at %s (%s)', (overrides, field, code) => {
    const result = mapProgressRow(row(overrides), null, ctx);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.errors).toEqual([expect.objectContaining({ field, code })]);
  });

  it('rejects a row that is not an object', () => {
    expect(mapProgressRow('row', null, ctx)).toMatchObject({
      ok: false,
      errors: [{ field: '', code: 'type' }],
    });
  });

  it('a blank TrangThai (an unmapped vendor status) at a dated milestone stays a handover', () => {
    const prev = dossierAt(4);
    const ended = { ...prev, dates: { ...prev.dates, processingEndedAt: '2026-04-01T10:33:44+07:00' } };
    const { events } = mapRow(row({ TrangThai: '' }), ended);
    expect(milestonesOf(events)).toEqual(['STEP_HANDOVER']);
  });

  it('accepts an empty TrangThai as "no status"', () => {
    const { events } = mapRow(row({ TrangThai: '' }), dossierAt(4));
    expect(milestonesOf(events)).toEqual(['STEP_HANDOVER']);
  });
});

describe('Thanh Hóa synthetic rows without a time', () => {
  it('are accepted and record nothing', () => {
    const synthetic = row({
      NguoiXuLy: 'Cán bộ một cửa',
      ChucDanh: '',
      PhongBanXuLy: '',
      ThoiDiemXuLy: '',
      NgayBatDau: '',
      NgayKetThucTheoQuyDinh: '',
      NoiDungXuLy: 'Tiếp nhận hồ sơ',
      TrangThai: '2',
    });
    expect(mapRow(synthetic, null, thanhhoa).events).toEqual([]);
  });

  it('an ordinary row without ThoiDiemXuLy is still refused, naming the field', () => {
    const result = mapProgressRow(row({ ThoiDiemXuLy: '' }), null, testMappingContext(thanhhoa));
    expect(result.ok).toBe(false);
    expect(result.ok ? [] : result.errors.map((e) => e.field)).toEqual(['/ThoiDiemXuLy']);
  });
});
