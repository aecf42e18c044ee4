import type { DossierState, Handover } from '@isohub/events';
import { describe, expect, it } from 'vitest';
import { mapDossierSync } from './dossier-sync.mapper';
import { deriveEventId } from './event-id';
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
  lastHandover?: Handover,
) {
  return expectOk(mapProgressRow(wire, prev, testMappingContext(ctx), { lastHandover }));
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

  it('derives the handover id from the row meaning', () => {
    const { events } = mapRow(row(), dossierAt(4));
    expect(events[0].id).toBe(
      deriveEventId([
        'test-onestop',
        CODE,
        'handover',
        '2026-04-01T10:33:44+07:00',
        'Đỗ Quang Huy',
        'Phòng Hộ tịch',
        '4',
        'Chuyển xử lý',
      ]),
    );
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

  it('takes the sender from the last handover when the caller knows it and the row is not older', () => {
    const last = mapRow(row(), dossierAt(4)).events[0].data.handover as Handover;
    const next = row({
      NguoiXuLy: 'Lê Thị Mai',
      PhongBanXuLy: 'Lãnh đạo Sở',
      ThoiDiemXuLy: '20260401150000',
      NoiDungXuLy: 'Trình ký',
    });
    expect(mapRow(next, dossierAt(4), {}, last).events[0].data.handover).toMatchObject({
      unitFrom: { code: null, name: 'Phòng Hộ tịch' },
      userFrom: { id: null, name: 'Đỗ Quang Huy', title: 'Chuyên viên' },
      userTo: { name: 'Lê Thị Mai' },
    });
    const older = row({ ThoiDiemXuLy: '20260401100000' });
    expect(mapRow(older, dossierAt(4), {}, last).events[0].data.handover).toMatchObject({
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

describe('mapProgressRow: status milestones', () => {
  it('emits the milestone of a newer status change before the handover', () => {
    const { events, state } = mapRow(
      row({ TrangThai: '5', NoiDungXuLy: 'Yêu cầu bổ sung hồ sơ' }),
      dossierAt(4),
    );
    expect(milestonesOf(events)).toEqual(['SUPPLEMENT_REQUESTED', 'STEP_HANDOVER']);
    expect(events[0].data).toMatchObject({
      occurredAt: '2026-04-01T10:33:44+07:00',
      previousStatus: 4,
      status: { national: 5 },
    });
    expect(events[1].data).toMatchObject({ previousStatus: 5, status: { national: 5 } });
    expect(state).toMatchObject({
      status: { national: 5, source: '5' },
      statusAt: '2026-04-01T10:33:44+07:00',
      supplementRequests: 1,
      dates: { supplementRequestedAt: '2026-04-01T10:33:44+07:00' },
    });
  });

  it.each([
    [2, '4', 'STATUS_CHANGED'],
    [4, '6', 'PAYMENT_REQUESTED'],
    [6, '4', 'PAYMENT_COMPLETED'],
    [5, '4', 'SUPPLEMENT_RECEIVED'],
    [4, '7', 'WITHDRAWAL_REQUESTED'],
    [4, '8', 'PROCESSING_STOPPED'],
    [4, '9', 'RESULT_READY'],
    [9, '10', 'RESULT_RETURNED'],
    [4, '3', 'DOSSIER_REJECTED_AT_INTAKE'],
  ])('%i -> %s is %s', (from, to, milestone) => {
    expect(milestonesOf(mapRow(row({ TrangThai: to }), dossierAt(from)).events)).toEqual([
      milestone,
      'STEP_HANDOVER',
    ]);
  });

  it('sets the date a result row defines only when the snapshot has not', () => {
    const { state } = mapRow(row({ TrangThai: '9', NoiDungXuLy: 'Trả kết quả' }), dossierAt(4));
    expect(state.dates.processingEndedAt).toBe('2026-04-01T10:33:44+07:00');
  });

  it('gives a reception row with no state the reception milestone', () => {
    const { events, state } = mapRow(row({ TrangThai: '2', ThoiDiemXuLy: '20260401081530' }), null);
    expect(milestonesOf(events)).toEqual(['DOSSIER_RECEIVED', 'STEP_HANDOVER']);
    expect(state.dates.receivedAt).toBe(RECEIVED);
  });

  it('yields only the handover for a row older than the current status (out-of-order chunks)', () => {
    const prev = dossierAt(6);
    const { events, state } = mapRow(row({ TrangThai: '4', ThoiDiemXuLy: '20260401084210' }), prev);
    expect(milestonesOf(events)).toEqual(['STEP_HANDOVER']);
    expect(events[0].data.status).toEqual(prev.status);
    expect(state.status).toEqual(prev.status);
    expect(state.statusAt).toBe(prev.statusAt);
  });
});

describe('mapProgressRow: Thanh Hóa rows', () => {
  it('"Hoàn thành bổ sung hồ sơ" with "5" after 5 ends the pause', () => {
    const completion = row({
      NoiDungXuLy: 'Hoàn thành bổ sung hồ sơ',
      TrangThai: '5',
      ThoiDiemXuLy: '20260403101220',
    });
    const { events, state } = mapRow(completion, dossierAt(5, thanhhoa), thanhhoa);
    expect(milestonesOf(events)).toEqual(['SUPPLEMENT_RECEIVED', 'STEP_HANDOVER']);
    expect(state).toMatchObject({
      status: { national: 4, label: 'Đang xử lý', source: '5' },
      supplementRequests: 0,
      dates: { supplementReceivedAt: '2026-04-03T10:12:20+07:00' },
    });
    expect(milestonesOf(mapRow(completion, dossierAt(5)).events)).toEqual(['STEP_HANDOVER']);
  });

  it('"Công dân gửi bổ sung hồ sơ" (empty status sent as "4") does not end the pause', () => {
    const sent = row({
      NoiDungXuLy: 'Công dân gửi bổ sung hồ sơ',
      TrangThai: '4',
      ThoiDiemXuLy: '20260403091544',
    });
    const { events, state } = mapRow(sent, dossierAt(5, thanhhoa), thanhhoa);
    expect(milestonesOf(events)).toEqual(['STEP_HANDOVER']);
    expect(state.status.national).toBe(5);
  });

  it('a synthetic "Kết thúc xử lý hồ sơ" row with "9" dated at receipt is not a result', () => {
    const synthetic = row({
      NguoiXuLy: 'Cán bộ một cửa',
      PhongBanXuLy: '',
      NoiDungXuLy: 'Kết thúc xử lý hồ sơ',
      TrangThai: '9',
      ThoiDiemXuLy: '20260401081530',
    });
    const paused: DossierState = { ...dossierAt(6, thanhhoa), statusAt: null };
    const { events, state } = mapRow(synthetic, paused, thanhhoa);
    expect(milestonesOf(events)).toEqual(['STEP_HANDOVER']);
    expect(state.status).toEqual({ national: 6, label: 'Yêu cầu thực hiện nghĩa vụ tài chính', source: '9' });
    expect(milestonesOf(mapRow(synthetic, paused).events)).toEqual(['RESULT_READY', 'STEP_HANDOVER']);
  });

  it('a "Kết thúc xử lý hồ sơ" row dated after receipt is a real result', () => {
    const real = row({ NoiDungXuLy: 'Kết thúc xử lý hồ sơ', TrangThai: '9', ThoiDiemXuLy: '20260402100000' });
    expect(milestonesOf(mapRow(real, dossierAt(4, thanhhoa), thanhhoa).events)).toEqual([
      'RESULT_READY',
      'STEP_HANDOVER',
    ]);
  });

  it('the synthetic "Tiếp nhận hồ sơ" row sent on every run dedupes by id and never re-receives', () => {
    const synthetic = row({
      NguoiXuLy: 'Cán bộ một cửa',
      ChucDanh: '',
      PhongBanXuLy: '',
      NoiDungXuLy: 'Tiếp nhận hồ sơ',
      TrangThai: '2',
      ThoiDiemXuLy: '20260401081530',
      NgayBatDau: '',
      NgayKetThucTheoQuyDinh: '',
    });
    const processing = { ...dossierAt(4, thanhhoa), statusAt: RECEIVED };
    const run1 = mapRow(synthetic, processing, thanhhoa);
    const run2 = mapRow(synthetic, run1.state, { ...thanhhoa, receivedAt: new Date('2026-04-05T01:00:00Z') });
    expect(milestonesOf(run1.events)).toEqual(['STEP_HANDOVER']);
    expect(run2.events.map((e) => e.id)).toEqual(run1.events.map((e) => e.id));
    expect(run2.state.status.national).toBe(4);
  });

  it('"Công dân thu hồi hồ sơ" sent as "3" is a withdrawal', () => {
    const withdrawal = row({ NoiDungXuLy: 'Công dân thu hồi hồ sơ', TrangThai: '3' });
    const { events, state } = mapRow(withdrawal, dossierAt(4, thanhhoa), thanhhoa);
    expect(milestonesOf(events)).toEqual(['WITHDRAWAL_REQUESTED', 'STEP_HANDOVER']);
    expect(state.status).toEqual({ national: 7, label: 'Công dân yêu cầu rút hồ sơ', source: '3' });
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

  it('accepts an empty TrangThai as "no status"', () => {
    const { events } = mapRow(row({ TrangThai: '' }), dossierAt(4));
    expect(milestonesOf(events)).toEqual(['STEP_HANDOVER']);
  });
});

describe('Thanh Hóa synthetic rows without a time', () => {
  const synthetic = (text: string, status: string) =>
    row({
      NguoiXuLy: 'Cán bộ một cửa',
      ChucDanh: '',
      PhongBanXuLy: '',
      ThoiDiemXuLy: '',
      NoiDungXuLy: text,
      TrangThai: status,
    });

  it('records nothing before the reception time is known, and is not an error', () => {
    const result = mapRow(synthetic('Tiếp nhận hồ sơ', '2'), null, thanhhoa);
    expect(result.events).toEqual([]);
  });

  it('is dated at reception once the dossier is known', () => {
    const prev = expectOk(
      mapDossierSync(
        { MaHoSo: CODE, MaTTHC: '1.001193', TrangThaiHoSo: '2', NgayTiepNhan: '20260401081530' },
        null,
        testMappingContext(thanhhoa),
      ),
    ).state;
    const result = mapRow(synthetic('Hồ sơ không có ngày hẹn trả', '9'), prev, thanhhoa);
    expect(milestonesOf(result.events)).toEqual(['STEP_HANDOVER']);
    expect(result.events[0]?.data.handover?.handedOverAt).toBe(RECEIVED);
  });

  it('an ordinary row without ThoiDiemXuLy is still refused, naming the field', () => {
    const result = mapProgressRow(row({ ThoiDiemXuLy: '' }), null, testMappingContext(thanhhoa));
    expect(result.ok).toBe(false);
    expect(result.ok ? [] : result.errors.map((e) => e.field)).toEqual(['/ThoiDiemXuLy']);
  });
});
