import type { DossierState } from '@isohub/events';
import { describe, expect, it } from 'vitest';
import { mapDossierSync } from './dossier-sync.mapper';
import { APPLICANT_WIRE_FIELDS } from './applicant';
import type { MappingContext } from './mapping.contract';
import { testMappingContext, type TestContextOverrides } from './testing/context';
import { expectOk, milestonesOf } from './testing/map-helpers';

const CODE = '000.00.01.H56-260401-0001';
const ARRIVAL = '2026-04-01T12:00:00+07:00'; // testMappingContext's receivedAt
const RECEIVED = '2026-04-01T08:15:30+07:00';

function item(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    MaHoSo: CODE,
    MaTTHC: '1.001193.000.00.00.H56',
    TenTTHC: 'Thủ tục đăng ký khai sinh',
    MaLinhVuc: 'G09-TP03',
    TenLinhVuc: 'Hộ tịch',
    KenhThucHien: '2',
    ChuHoSo: 'Nguyễn Thị Hồng Nhung',
    SoGiayToChuHoSo: '038190012345',
    DinhDanhCHS: [{ LoaiDinhDanh: '1', SoDinhDanh: '038190012345' }],
    SoDienThoai: '0912345678',
    Email: 'nhung@example.com',
    Fax: '0912345678',
    DiaChiThuongTru: 'Số 1 Lê Lợi, TP Thanh Hóa',
    NgayNopHoSo: '20260401080000',
    NgayTiepNhan: '20260401081530',
    NgayHenTra: '20260403163000',
    NgayKetThucXuLy: '',
    NgayTra: '',
    NgayTuChoi: '',
    TrangThaiHoSo: '2',
    DonViXuLy: 'Sở Tư pháp tỉnh Thanh Hóa',
    TaiLieuNop: [
      {
        TenTepDinhKem: 'Tờ khai',
        DuongDanTaiTepTin: 'https://motcua.example.gov.vn/to-khai.pdf?t=1751343330123&download=true',
        Base64: 'JVBERi0xLjQK',
      },
    ],
    ...overrides,
  };
}

function map(wire: unknown, prev: DossierState | null = null, ctx: TestContextOverrides = {}) {
  return expectOk(mapDossierSync(wire, prev, testMappingContext(ctx)));
}

/** State of the test dossier after a first snapshot at `status` (plus whatever dates that status needs). */
function stateAt(status: number, extra: Record<string, unknown> = {}): DossierState {
  return map(item({ TrangThaiHoSo: String(status), ...DATES_FOR[status], ...extra })).state;
}

const DATES_FOR: Record<number, Record<string, string>> = {
  3: { NgayTuChoi: '20260401090000' },
  9: { NgayKetThucXuLy: '20260402100000' },
  10: { NgayKetThucXuLy: '20260402100000', NgayTra: '20260403090000' },
};

describe('mapDossierSync: first snapshot', () => {
  it('maps a received dossier to DOSSIER_RECEIVED with CloudEvents attributes and the full data', () => {
    const { events, state } = map(item());
    expect(events).toHaveLength(1);
    const [e] = events;
    expect(e.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(e).toMatchObject({
      type: 'vn.isohub.dossier.received.v1',
      source: 'isohub://test-onestop/000.00.00.H56',
      subject: CODE,
      time: RECEIVED,
    });
    expect(e.data).toEqual({
      dossierCode: CODE,
      milestone: 'DOSSIER_RECEIVED',
      occurredAt: RECEIVED,
      procedure: {
        nationalCode: '1.001193',
        localCode: '1.001193.000.00.00.H56',
        name: 'Thủ tục đăng ký khai sinh',
        mappingStatus: 'mapped',
      },
      sector: { code: 'G09-TP03', name: 'Hộ tịch' },
      receivingUnit: null,
      processingUnit: { code: null, name: 'Sở Tư pháp tỉnh Thanh Hóa' },
      channel: 'online',
      status: { national: 2, label: 'Được tiếp nhận', source: '2' },
      previousStatus: null,
      dates: {
        submittedAt: '2026-04-01T08:00:00+07:00',
        receivedAt: RECEIVED,
        dueAt: '2026-04-03T16:30:00+07:00',
        previousDueAt: null,
        supplementRequestedAt: null,
        supplementReceivedAt: null,
        processingEndedAt: null,
        returnedAt: null,
        rejectedAt: null,
      },
      handover: null,
      source: {
        system: 'test-onestop',
        agency: '000.00.00.H56',
        protocol: 'dvcqg-tee',
        operation: 'DongBoHoSoMC',
      },
      mappingVersion: 'test-1',
      timeSource: 'wire',
    });
    expect(state).toMatchObject({
      dossierCode: CODE,
      lastSequence: 0,
      lastEventId: e.id,
      status: { national: 2, label: 'Được tiếp nhận', source: '2' },
      statusAt: RECEIVED,
      supplementRequests: 0,
      extensions: 0,
      updatedAt: ARRIVAL,
    });
  });

  it.each([
    [4, ['DOSSIER_RECEIVED', 'STATUS_CHANGED'], [RECEIVED, ARRIVAL]],
    [5, ['DOSSIER_RECEIVED', 'SUPPLEMENT_REQUESTED'], [RECEIVED, ARRIVAL]],
    [7, ['DOSSIER_RECEIVED', 'WITHDRAWAL_REQUESTED'], [RECEIVED, ARRIVAL]],
    [9, ['DOSSIER_RECEIVED', 'RESULT_READY'], [RECEIVED, '2026-04-02T10:00:00+07:00']],
    [10, ['DOSSIER_RECEIVED', 'RESULT_RETURNED'], [RECEIVED, '2026-04-03T09:00:00+07:00']],
  ])('replays the reception before a first sight at status %i', (status, milestones, times) => {
    const { events } = map(item({ TrangThaiHoSo: String(status), ...DATES_FOR[status] }));
    expect(milestonesOf(events)).toEqual(milestones);
    expect(events.map((e) => e.data.occurredAt)).toEqual(times);
    expect(events.map((e) => [e.data.previousStatus, e.data.status.national])).toEqual([
      [null, 2],
      [2, status],
    ]);
    expect(events.map((e) => e.data.timeSource)).toEqual(
      times.map((t) => (t === ARRIVAL ? 'arrival' : 'wire')),
    );
  });

  it('a Thanh Hóa pause sent as "9" with an unanswered round is the supplement request at its date', () => {
    const paused = item({
      TrangThaiHoSo: '9',
      NgayKetThucXuLy: '',
      DanhSachHoSoBoSung: [{ NgayBoSung: '20260401140000', NgayTiepNhanBoSung: '' }],
    });
    const th = expectOk(mapDossierSync(paused, null, testMappingContext({ profile: 'thanhhoa' })));
    expect(th.events.map((e) => [e.data.milestone, e.time, e.data.status.national])).toEqual([
      ['DOSSIER_RECEIVED', RECEIVED, 2],
      ['SUPPLEMENT_REQUESTED', '2026-04-01T14:00:00+07:00', 5],
    ]);
    const noRound = item({ TrangThaiHoSo: '9', NgayKetThucXuLy: '' });
    expect(
      expectOk(mapDossierSync(noRound, null, testMappingContext({ profile: 'thanhhoa' }))).events,
    ).toEqual([]);
  });

  it('emits only the status milestone when the first sight has no NgayTiepNhan', () => {
    const { events } = map(item({ TrangThaiHoSo: '4', NgayTiepNhan: '' }));
    expect(milestonesOf(events)).toEqual(['STATUS_CHANGED']);
  });

  it('replays the reception for a dossier last seen as submitted that comes back past reception', () => {
    const { events } = map(item({ TrangThaiHoSo: '9', ...DATES_FOR[9] }), stateAt(1));
    expect(milestonesOf(events)).toEqual(['DOSSIER_RECEIVED', 'RESULT_READY']);
  });

  it('keeps the sequence to the caller', () => {
    const prev = { ...stateAt(2), lastSequence: 7 };
    expect(map(item({ TrangThaiHoSo: '4' }), prev).state.lastSequence).toBe(7);
  });
});

describe('mapDossierSync: transitions', () => {
  it.each([
    [null, 1, 'DOSSIER_SUBMITTED', '2026-04-01T08:00:00+07:00'],
    [null, 2, 'DOSSIER_RECEIVED', RECEIVED],
    [null, 3, 'DOSSIER_REJECTED_AT_INTAKE', '2026-04-01T09:00:00+07:00'],
    [1, 2, 'DOSSIER_RECEIVED', RECEIVED],
    [1, 3, 'DOSSIER_REJECTED_AT_INTAKE', '2026-04-01T09:00:00+07:00'],
    [2, 4, 'STATUS_CHANGED', ARRIVAL],
    [4, 5, 'SUPPLEMENT_REQUESTED', ARRIVAL],
    [5, 4, 'SUPPLEMENT_RECEIVED', ARRIVAL],
    [4, 6, 'PAYMENT_REQUESTED', ARRIVAL],
    [6, 4, 'PAYMENT_COMPLETED', ARRIVAL],
    [4, 7, 'WITHDRAWAL_REQUESTED', ARRIVAL],
    [4, 8, 'PROCESSING_STOPPED', ARRIVAL],
    [8, 4, 'STATUS_CHANGED', ARRIVAL],
    [4, 9, 'RESULT_READY', '2026-04-02T10:00:00+07:00'],
    [9, 10, 'RESULT_RETURNED', '2026-04-03T09:00:00+07:00'],
    [2, 1, 'STATUS_CHANGED', ARRIVAL],
  ])('%s -> %i is %s at %s', (from, to, milestone, occurredAt) => {
    const prev = from === null ? null : stateAt(from);
    const { events, state } = map(item({ TrangThaiHoSo: String(to), ...DATES_FOR[to] }), prev);
    expect(milestonesOf(events)).toEqual([milestone]);
    expect(events[0].data).toMatchObject({
      occurredAt,
      previousStatus: from,
      status: { national: to, source: String(to) },
    });
    expect(events[0].time).toBe(occurredAt);
    expect(state.status.national).toBe(to);
  });

  it('emits nothing when the status is unchanged', () => {
    const prev = stateAt(4);
    const { events, state } = map(item({ TrangThaiHoSo: '4' }), prev);
    expect(events).toEqual([]);
    expect(state.lastEventId).toBe(prev.lastEventId);
  });

  it('counts supplement requests', () => {
    const asked = map(item({ TrangThaiHoSo: '5' }), stateAt(4)).state;
    const answered = map(item({ TrangThaiHoSo: '4' }), asked).state;
    const again = map(item({ TrangThaiHoSo: '5' }), answered);
    expect(milestonesOf(again.events)).toEqual(['SUPPLEMENT_REQUESTED']);
    expect(again.state.supplementRequests).toBe(2);
  });

  it('gives a second round of the same transition its own id', () => {
    const first = map(item({ TrangThaiHoSo: '5' }), stateAt(4));
    const back = map(item({ TrangThaiHoSo: '4' }), first.state);
    const second = map(item({ TrangThaiHoSo: '5' }), back.state);
    expect(second.events[0].id).not.toBe(first.events[0].id);
  });
});

describe('mapDossierSync: deadline extension', () => {
  const prev = () => stateAt(4);

  it('emits DEADLINE_EXTENDED for a new NgayHenTra at an unchanged status and keeps the previous one', () => {
    const { events, state } = map(item({ TrangThaiHoSo: '4', NgayHenTra: '20260407163000' }), prev());
    expect(milestonesOf(events)).toEqual(['DEADLINE_EXTENDED']);
    expect(events[0].data).toMatchObject({
      occurredAt: ARRIVAL,
      previousStatus: 4,
      status: { national: 4 },
      dates: { dueAt: '2026-04-07T16:30:00+07:00', previousDueAt: '2026-04-03T16:30:00+07:00' },
    });
    expect(state.extensions).toBe(1);
  });

  it('gives the extension the same id whenever the same change is mapped again', () => {
    const wire = item({ TrangThaiHoSo: '4', NgayHenTra: '20260407163000' });
    const a = map(wire, prev(), { receivedAt: new Date('2026-04-02T01:00:00Z') });
    const b = map(wire, prev(), { receivedAt: new Date('2026-04-02T03:30:00Z') });
    expect(a.events[0].id).toBe(b.events[0].id);
  });

  it('records a second extension against the one before it', () => {
    const once = map(item({ TrangThaiHoSo: '4', NgayHenTra: '20260407163000' }), prev()).state;
    const { events, state } = map(item({ TrangThaiHoSo: '4', NgayHenTra: '20260410163000' }), once);
    expect(milestonesOf(events)).toEqual(['DEADLINE_EXTENDED']);
    expect(state.dates).toMatchObject({
      dueAt: '2026-04-10T16:30:00+07:00',
      previousDueAt: '2026-04-07T16:30:00+07:00',
    });
    expect(state.extensions).toBe(2);
  });

  it('ignores a re-sent extension, a late copy with the old date and a null NgayHenTra (Thanh Hóa)', () => {
    const extended = map(item({ TrangThaiHoSo: '4', NgayHenTra: '20260407163000' }), prev()).state;
    for (const NgayHenTra of ['20260407163000', '20260403163000', null]) {
      const { events, state } = map(item({ TrangThaiHoSo: '4', NgayHenTra }), extended);
      expect(events).toEqual([]);
      expect(state.dates.dueAt).toBe('2026-04-07T16:30:00+07:00');
    }
  });

  it('sets a first NgayHenTra silently', () => {
    const noDue = map(item({ NgayHenTra: null })).state;
    const { events, state } = map(item(), noDue);
    expect(events).toEqual([]);
    expect(state.dates.dueAt).toBe('2026-04-03T16:30:00+07:00');
  });

  it('moves the due date without an extension when the status changes with it', () => {
    const asked = map(item({ TrangThaiHoSo: '5' }), prev()).state;
    const { events, state } = map(item({ TrangThaiHoSo: '4', NgayHenTra: '20260406163000' }), asked);
    expect(milestonesOf(events)).toEqual(['SUPPLEMENT_RECEIVED']);
    expect(state.dates).toMatchObject({ dueAt: '2026-04-06T16:30:00+07:00', previousDueAt: null });
    expect(state.extensions).toBe(0);
  });
});

describe('mapDossierSync: sender quirks', () => {
  const thanhhoa: TestContextOverrides = { profile: 'thanhhoa' };

  it('Thanh Hóa: "9" without NgayKetThucXuLy is a pause, not a result', () => {
    const paused = stateAt(5);
    const { events, state } = map(item({ TrangThaiHoSo: '9', NgayKetThucXuLy: '' }), paused, thanhhoa);
    expect(events).toEqual([]);
    expect(state.status).toEqual({ national: 5, label: 'Yêu cầu bổ sung giấy tờ', source: '9' });
  });

  it('Thanh Hóa: "9" with NgayKetThucXuLy is a result', () => {
    const { events } = map(item({ TrangThaiHoSo: '9', ...DATES_FOR[9] }), stateAt(4), thanhhoa);
    expect(milestonesOf(events)).toEqual(['RESULT_READY']);
  });

  it('other senders: "9" without NgayKetThucXuLy is still a result, at arrival time', () => {
    const { events } = map(item({ TrangThaiHoSo: '9' }), stateAt(4));
    expect(milestonesOf(events)).toEqual(['RESULT_READY']);
    expect(events[0].data.occurredAt).toBe(ARRIVAL);
  });

  it('Thanh Hóa: a paused dossier still gets its extension', () => {
    const paused = map(item({ TrangThaiHoSo: '9' }), stateAt(6), thanhhoa).state;
    const { events } = map(item({ TrangThaiHoSo: '9', NgayHenTra: '20260408163000' }), paused, thanhhoa);
    expect(milestonesOf(events)).toEqual(['DEADLINE_EXTENDED']);
  });

  it('OpenCPS: TrangThaiHoSo "" (no mapping row) keeps the previous status, without a milestone or an error', () => {
    const prev = stateAt(4);
    const result = mapDossierSync(
      item({ TrangThaiHoSo: '' }),
      prev,
      testMappingContext({ profile: 'opencps' }),
    );
    const { events, state } = expectOk(result);
    expect(events).toEqual([]);
    expect(state.status).toEqual(prev.status);
  });

  it('accepts numbers for codes and dates', () => {
    const { events } = map(item({ TrangThaiHoSo: 2, KenhThucHien: 1, NgayTiepNhan: 20260401081530 }));
    expect(events[0].data).toMatchObject({ occurredAt: RECEIVED, channel: 'in_person' });
  });
});

describe('mapDossierSync: out-of-order snapshots', () => {
  it('does not move the status back for a snapshot older than the current status', () => {
    const returned = stateAt(10);
    const older = item({
      TrangThaiHoSo: '9',
      NgayKetThucXuLy: '20260402100000',
      NgayHenTra: '20260409163000',
    });
    const { events, state } = map(older, returned);
    expect(events).toEqual([]);
    expect(state.status).toEqual(returned.status);
    expect(state.statusAt).toBe('2026-04-03T09:00:00+07:00');
    expect(state.dates.dueAt).toBe('2026-04-03T16:30:00+07:00');
  });

  it('lets an older snapshot fill dates isohub did not know', () => {
    const returned = map(item({ TrangThaiHoSo: '10', NgayTra: '20260403090000', NgayNopHoSo: '' })).state;
    const older = item({ TrangThaiHoSo: '9', NgayKetThucXuLy: '20260402100000', NgayTra: '' });
    expect(map(older, returned).state.dates).toMatchObject({
      submittedAt: '2026-04-01T08:00:00+07:00',
      processingEndedAt: '2026-04-02T10:00:00+07:00',
      returnedAt: '2026-04-03T09:00:00+07:00',
    });
  });
});

describe('mapDossierSync: identity of re-sent changes', () => {
  it('gives NFD and NFC spellings NFC output and the same ids', () => {
    const nfcCode = 'Hồ-sơ-Đăng-001';
    const nfd = item({
      MaHoSo: nfcCode.normalize('NFD'),
      TenTTHC: 'Thủ tục đăng ký khai sinh'.normalize('NFD'),
      TenLinhVuc: 'Hộ tịch'.normalize('NFD'),
    });
    const a = map(nfd);
    const b = map(item({ MaHoSo: nfcCode }));
    expect(a.events).toEqual(b.events);
    expect(a.events[0].data).toMatchObject({
      dossierCode: nfcCode,
      procedure: { name: 'Thủ tục đăng ký khai sinh' },
    });
    expect(JSON.stringify(a)).toBe(JSON.stringify(a).normalize('NFC'));
  });

  it('gives a re-send with other key order, whitespace and ?t= file URLs the same events', () => {
    const first = item({ TrangThaiHoSo: '4' });
    const resent = Object.fromEntries(
      Object.entries(
        item({
          TrangThaiHoSo: ' 4 ',
          MaHoSo: ` ${CODE} `,
          TaiLieuNop: [
            {
              TenTepDinhKem: 'Tờ khai',
              DuongDanTaiTepTin: 'https://motcua.example.gov.vn/to-khai.pdf?t=1751343399999&download=true',
            },
          ],
        }),
      ).reverse(),
    );
    const prev = stateAt(2);
    const a = map(first, prev);
    const b = map(resent, prev, { receivedAt: new Date('2026-04-01T06:00:00Z') });
    expect(b.events.map((e) => e.id)).toEqual(a.events.map((e) => e.id));
    expect(milestonesOf(a.events)).toEqual(['STATUS_CHANGED']);
    expect(map(resent, a.state).events).toEqual([]);
  });
});

describe('mapDossierSync: applicant data', () => {
  const personal = [
    'Nguyễn Thị Hồng Nhung',
    '038190012345',
    '0912345678',
    'nhung@example.com',
    'Lê Lợi',
    'JVBERi0xLjQK',
  ];

  it('keeps every applicant field out of events by default', () => {
    const { events, state } = map(item({ TrangThaiHoSo: '10', ...DATES_FOR[10] }));
    const text = JSON.stringify({ events, state });
    for (const value of personal) {
      expect(text).not.toContain(value);
    }
    expect(events.every((e) => !('applicant' in e.data))).toBe(true);
    expect(APPLICANT_WIRE_FIELDS).toContain('Fax');
  });

  it('OpenCPS: the phone number in Fax stays out too', () => {
    const ctx = { profile: 'opencps' as const };
    const text = JSON.stringify(map(item({ SoDienThoai: '', Fax: '0988777666' }), null, ctx));
    expect(text).not.toContain('0988777666');
  });

  it('includes exactly the configured fields under data.applicant', () => {
    const { events } = map(item(), null, { applicantFields: ['ChuHoSo', 'SoDienThoai', 'DiaChi*'] });
    expect(events[0].data.applicant).toEqual({
      ChuHoSo: 'Nguyễn Thị Hồng Nhung',
      SoDienThoai: '0912345678',
      DiaChiThuongTru: 'Số 1 Lê Lợi, TP Thanh Hóa',
    });
  });

  it('never includes attachments, even when configured', () => {
    const { events } = map(item(), null, { applicantFields: ['TaiLieuNop', 'DinhDanhCHS'] });
    expect(events[0].data.applicant).toEqual({
      DinhDanhCHS: [{ LoaiDinhDanh: '1', SoDinhDanh: '038190012345' }],
    });
    expect(JSON.stringify(events)).not.toContain('JVBERi0xLjQK');
  });
});

describe('mapDossierSync: validation', () => {
  const ctx: MappingContext = testMappingContext();

  it('rejects an item that is not an object', () => {
    for (const bad of ['HS-1', null, 42, [item()]]) {
      expect(mapDossierSync(bad, null, ctx)).toEqual({
        ok: false,
        dossierCode: null,
        errors: [expect.objectContaining({ field: '', code: 'type' })],
      });
    }
  });

  it('names every bad field at once', () => {
    const result = mapDossierSync(
      item({
        MaHoSo: '',
        TrangThaiHoSo: '42',
        NgayHenTra: '20261399250000',
        NgayTiepNhan: '20260230100000',
        KenhThucHien: '4',
        MaTTHC: { code: 1 },
        DanhSachHoSoBoSung: [{ NgayBoSung: 'hôm qua' }],
      }),
      null,
      ctx,
    );
    expect(result.ok).toBe(false);
    expect(!result.ok && result.errors.map((e) => [e.field, e.code])).toEqual([
      ['/MaHoSo', 'required'],
      ['/TrangThaiHoSo', 'range'],
      ['/KenhThucHien', 'range'],
      ['/MaTTHC', 'type'],
      ['/NgayTiepNhan', 'format'],
      ['/NgayHenTra', 'format'],
      ['/DanhSachHoSoBoSung/0/NgayBoSung', 'format'],
    ]);
  });

  it.each([
    [{ MaHoSo: 'x'.repeat(101) }, '/MaHoSo', 'range'],
    [{ MaHoSo: 12345 }, '/MaHoSo', 'type'],
    [{ MaHoSo: undefined }, '/MaHoSo', 'required'],
    [{ TrangThaiHoSo: '0' }, '/TrangThaiHoSo', 'range'],
    [{ TrangThaiHoSo: 'Đang xử lý' }, '/TrangThaiHoSo', 'format'],
    [{ NgayKetThucXuLy: '2026-04-01T25:00:00Z' }, '/NgayKetThucXuLy', 'format'],
    [{ DanhSachHoSoBoSung: 'none' }, '/DanhSachHoSoBoSung', 'type'],
  ])('rejects %j at %s (%s)', (overrides, field, code) => {
    const result = mapDossierSync(item(overrides), null, ctx);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.errors).toEqual([expect.objectContaining({ field, code })]);
  });

  it('accepts a 100-character MaHoSo and reports the code of an invalid item', () => {
    expect(mapDossierSync(item({ MaHoSo: 'x'.repeat(100) }), null, ctx).ok).toBe(true);
    expect(mapDossierSync(item({ NgayTra: 'x' }), null, ctx)).toMatchObject({ ok: false, dossierCode: CODE });
  });

  it('refuses a state that belongs to another dossier', () => {
    const other = { ...stateAt(2), dossierCode: 'OTHER' };
    expect(mapDossierSync(item(), other, ctx)).toMatchObject({
      ok: false,
      errors: [{ field: '/MaHoSo', code: 'format' }],
    });
  });
});

describe('mapDossierSync: procedure and supplements', () => {
  it('keeps an unmapped procedure code with the sender name', () => {
    const { events } = map(item({ MaTTHC: 'TT-NOI-BO-01' }));
    expect(events[0].data.procedure).toEqual({
      nationalCode: null,
      localCode: 'TT-NOI-BO-01',
      name: 'Thủ tục đăng ký khai sinh',
      mappingStatus: 'unmapped',
    });
  });

  it('reads supplement times from the latest supplement round (still unanswered here)', () => {
    const rounds = [
      { NgayBoSung: '20260401150000', NgayTiepNhanBoSung: '20260402090000' },
      { NgayBoSung: '20260403150000', NgayTiepNhanBoSung: '' },
    ];
    const { state } = map(item({ TrangThaiHoSo: '5', DanhSachHoSoBoSung: rounds }), stateAt(4));
    expect(state.dates).toMatchObject({
      supplementRequestedAt: '2026-04-03T15:00:00+07:00',
      supplementReceivedAt: null,
    });
  });
});
