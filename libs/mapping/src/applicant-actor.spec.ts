import type { DossierState, Handover } from '@isohub/events';
import { describe, expect, it } from 'vitest';
import { applicantNameKey } from './applicant';
import { mapDossierSync } from './dossier-sync.mapper';
import { handoverEventId } from './event-id';
import type { TrailEntry } from './handover-trail';
import { mapLgspTrace } from './lgsp-trace.mapper';
import { isApplicantActionText } from './profile-rules';
import { mapProgressRow, type ProgressRowOptions } from './progress-row.mapper';
import { testMappingContext, type TestContextOverrides } from './testing/context';
import { expectOk, milestonesOf } from './testing/map-helpers';

const CODE = '000.00.01.H56-260401-0001';
const APPLICANT = 'Nguyễn Thị Hồng Nhung';
const UNNAMED = { id: null, name: null, title: null, role: 'applicant' };
const thanhhoa: TestContextOverrides = {
  profile: 'thanhhoa',
  source: { system: 'thanhhoa-dvc', agency: null },
};
const opencps: TestContextOverrides = { profile: 'opencps', source: { system: 'opencps-tinh-x' } };

function row(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    MaHoSo: CODE,
    NguoiXuLy: APPLICANT,
    ChucDanh: '',
    PhongBanXuLy: '',
    ThoiDiemXuLy: '20260402091544',
    NoiDungXuLy: 'Công dân gửi bổ sung hồ sơ',
    TrangThai: '4',
    NgayBatDau: '',
    NgayKetThucTheoQuyDinh: '',
    ...overrides,
  };
}

/** A dossier received at 08:15:30 and in processing (4) since 09:00, as snapshots leave it. */
function processing(ctx: TestContextOverrides): DossierState {
  const received = expectOk(
    mapDossierSync(
      { MaHoSo: CODE, MaTTHC: '1.001193', TrangThaiHoSo: '4', NgayTiepNhan: '20260401081530' },
      null,
      testMappingContext(ctx),
    ),
  ).state;
  return { ...received, statusAt: '2026-04-01T09:00:00+07:00' };
}

function map(wire: unknown, ctx: TestContextOverrides, options: ProgressRowOptions = {}) {
  return expectOk(mapProgressRow(wire, processing(ctx), testMappingContext(ctx), options));
}

const handoverOf = (events: { data: { handover: Handover | null } }[]): Handover =>
  events.at(-1)?.data.handover as Handover;

describe('isApplicantActionText', () => {
  it('recognises the applicant actions of the research and the sandbox, accent-, case- and NFD-tolerant', () => {
    for (const text of [
      'Công dân gửi bổ sung hồ sơ',
      'Công dân thu hồi hồ sơ',
      'Công dân rút hồ sơ-Không bổ sung được giấy tờ',
      'CONG DAN RUT HO SO',
      '  công   dân thực hiện NVTC',
      'Người dân nộp lệ phí',
      'Tổ chức, cá nhân bổ sung hồ sơ',
      'Nộp hồ sơ trực tuyến',
      'Hoàn thành nghĩa vụ tài chính',
      'Công dân gửi bổ sung hồ sơ'.normalize('NFD'),
    ]) {
      expect(isApplicantActionText('thanhhoa', text), text).toBe(true);
    }
  });

  it('leaves officer actions, and words that only begin like a phrase, alone', () => {
    for (const text of [
      'Tiếp nhận hồ sơ',
      'Trả kết quả cho công dân',
      'Yêu cầu thực hiện nghĩa vụ tài chính',
      'Hoàn thành bổ sung hồ sơ',
      'Công dânxyz',
      '',
    ]) {
      expect(isApplicantActionText('opencps', text), text).toBe(false);
    }
    expect(isApplicantActionText('generic', null)).toBe(false);
  });
});

describe('applicantNameKey', () => {
  it('is NFC, lower case and whitespace-collapsed, and keeps accents', () => {
    expect(applicantNameKey(' NGUYỄN  Thị Hồng Nhung '.normalize('NFD'))).toBe(applicantNameKey(APPLICANT));
    expect(applicantNameKey('Nguyen Thi Hong Nhung')).not.toBe(applicantNameKey(APPLICANT));
  });
});

describe('mapProgressRow: rows the applicant performs', () => {
  it('names no one on a citizen supplement row, but says the applicant acted', () => {
    const { events } = map(row(), thanhhoa);
    expect(milestonesOf(events)).toEqual(['STEP_HANDOVER']);
    expect(handoverOf(events).userTo).toEqual(UNNAMED);
    expect(JSON.stringify(events)).not.toContain('Hồng Nhung');
  });

  it('maps a citizen withdrawal (Thanh Hóa "3") to WITHDRAWAL_REQUESTED with an unnamed applicant', () => {
    const wire = row({ NoiDungXuLy: 'Công dân thu hồi hồ sơ', TrangThai: '3', ChucDanh: 'Giám đốc' });
    const { events } = map(wire, thanhhoa);
    expect(milestonesOf(events)).toEqual(['WITHDRAWAL_REQUESTED']);
    expect(handoverOf(events).userTo).toEqual(UNNAMED);
    expect(JSON.stringify(events)).not.toMatch(/Hồng Nhung|Giám đốc/);
  });

  it('keeps the name, with role applicant, when applicantFields names ChuHoSo (or a matching prefix)', () => {
    for (const applicantFields of [['ChuHoSo'], ['ChuHoSo*']]) {
      const { events } = map(row({ ChucDanh: 'Giám đốc' }), { ...thanhhoa, applicantFields });
      expect(handoverOf(events).userTo).toEqual({
        id: null,
        name: APPLICANT,
        title: 'Giám đốc',
        role: 'applicant',
      });
    }
    const other = map(row(), { ...thanhhoa, applicantFields: ['SoDienThoai', 'CitizenName'] });
    expect(handoverOf(other.events).userTo).toEqual(UNNAMED);
  });

  it('recognises the applicant by name where the caller knows it, whatever the row says', () => {
    const wire = row({ NguoiXuLy: ' nguyễn  thị HỒNG nhung'.normalize('NFD'), NoiDungXuLy: 'Nộp lệ phí' });
    const known = map(wire, opencps, { applicantName: APPLICANT });
    expect(handoverOf(known.events).userTo).toEqual(UNNAMED);
    const officer = map(row({ NguoiXuLy: 'Đỗ Quang Huy', NoiDungXuLy: 'Chuyển xử lý' }), opencps, {
      applicantName: APPLICANT,
    });
    expect(handoverOf(officer.events).userTo).toEqual({ id: null, name: 'Đỗ Quang Huy', title: null });
    // Without the name, an unknown text is taken as sent: the caller must supply it for (b) to apply.
    expect(handoverOf(map(wire, opencps).events).userTo?.role).toBeUndefined();
  });

  it('never brings the name back as the next row’s userFrom', () => {
    const first = mapProgressRow(row(), processing(thanhhoa), testMappingContext(thanhhoa));
    const trail = first.ok ? (first.trail ?? []) : [];
    const next = row({
      NguoiXuLy: 'Phạm Thu Trang',
      ThoiDiemXuLy: '20260402101220',
      NoiDungXuLy: 'Hoàn thành bổ sung hồ sơ',
      TrangThai: '5',
    });
    // The applicant acting does not take the dossier over: the side it left is not the applicant.
    const after = handoverOf(map(next, thanhhoa, { trail }).events);
    expect(after.userFrom).toBeNull();
    expect(after.userTo).toEqual({ id: null, name: 'Phạm Thu Trang', title: null });

    // A holder stored with the name (by an older release) is redacted by the applicant name the caller knows.
    const legacy: TrailEntry[] = [
      {
        at: '2026-04-02T09:15:44+07:00',
        national: 4,
        holder: { unit: null, user: { id: null, name: APPLICANT, title: null }, step: null },
      },
    ];
    const fromLegacy = map(next, thanhhoa, { trail: legacy, applicantName: APPLICANT });
    expect(handoverOf(fromLegacy.events).userFrom).toEqual(UNNAMED);
    const named = { ...thanhhoa, applicantFields: ['ChuHoSo'] };
    expect(handoverOf(map(next, named, { trail: legacy, applicantName: APPLICANT }).events).userFrom).toEqual(
      { id: null, name: APPLICANT, title: null, role: 'applicant' },
    );
  });
});

describe('mapProgressRow: ids of applicant rows', () => {
  it('are the same whether names are redacted or configured, and for a re-sent (NFD, re-spaced) row', () => {
    const plain = map(row(), thanhhoa).events;
    const named = map(row(), { ...thanhhoa, applicantFields: ['ChuHoSo'] }).events;
    const resent = map(
      row({ NguoiXuLy: ` ${APPLICANT} `.normalize('NFD'), NoiDungXuLy: 'Công dân  gửi bổ sung hồ sơ' }),
      thanhhoa,
    ).events;
    expect(named.map((e) => e.id)).toEqual(plain.map((e) => e.id));
    expect(resent.map((e) => e.id)).toEqual(plain.map((e) => e.id));
  });

  it('read a marker, not the applicant’s name, on a row recognised by its text', () => {
    const { events } = map(row(), thanhhoa);
    expect(events[0].id).toBe(handoverEventId(CODE, '2026-04-02T09:15:44+07:00', 'role:applicant'));
  });

  it('do not depend on whether the caller knew the applicant’s name', () => {
    const wire = row({ NoiDungXuLy: 'Nộp lệ phí' });
    expect(map(wire, opencps, { applicantName: APPLICANT }).events.map((e) => e.id)).toEqual(
      map(wire, opencps).events.map((e) => e.id),
    );
  });
});

describe('mapLgspTrace: traces the applicant performs', () => {
  const lgsp: TestContextOverrides = {
    profile: 'opencps',
    source: { system: 'opencps-lgsp', protocol: 'lgsp-rest', operation: 'LgspUpdateDocumentTraces' },
  };
  const trace = (overrides: Record<string, unknown> = {}) => ({
    DocCode: CODE,
    UserName: APPLICANT,
    UserPosition: '',
    DateCreated: '2026-04-02T02:15:44.000Z',
    Comment: 'Công dân rút hồ sơ',
    Status: 0,
    OrganizationInchargeIdLevel1: '000.00.01.H56',
    OrganizationInchargeName: 'Sở Tư pháp tỉnh Thanh Hóa',
    ...overrides,
  });
  const mapTrace = (wire: unknown, ctx: TestContextOverrides, options: ProgressRowOptions = {}) =>
    expectOk(mapLgspTrace(wire, processing(ctx), testMappingContext(ctx), options));

  it('names no one unless CitizenName is configured', () => {
    expect(handoverOf(mapTrace(trace(), lgsp).events).userTo).toEqual(UNNAMED);
    expect(handoverOf(mapTrace(trace(), { ...lgsp, applicantFields: ['ChuHoSo'] }).events).userTo).toEqual(
      UNNAMED,
    );
    expect(
      handoverOf(mapTrace(trace(), { ...lgsp, applicantFields: ['CitizenName'] }).events).userTo,
    ).toMatchObject({ name: APPLICANT, role: 'applicant' });
  });

  it('recognises a note-only Comment by the applicant name the caller knows', () => {
    const wire = trace({ Comment: 'Không bổ sung được giấy tờ' });
    expect(handoverOf(mapTrace(wire, lgsp, { applicantName: APPLICANT }).events).userTo).toEqual(UNNAMED);
  });
});
