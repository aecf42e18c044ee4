import type { DossierState } from '@isohub/events';
import { describe, expect, it } from 'vitest';
import { mapDossierSync } from './dossier-sync.mapper';
import { mapLgspDocument } from './lgsp-document.mapper';
import { lgspStatusMapProblems, lookupLgspStatus, type LgspMappingContext } from './lgsp-status';
import { mapLgspTrace } from './lgsp-trace.mapper';
import { mapProgressRow } from './progress-row.mapper';
import { testMappingContext } from './testing/context';
import { expectOk, milestonesOf } from './testing/map-helpers';

const CODE = '000.00.01.H56-260401-0001';

/** An UpdateDocumentTraces body as OpenCPSConverter.convertToDocumentTraces writes it. */
function trace(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    DocumentId: 40123,
    DocCode: CODE,
    UserName: 'Trần Thị Bình',
    UserPosition: '',
    DateCreated: '2026-04-01T03:00:00.000Z',
    Comment: 'Chuyển lãnh đạo phòng xem xét',
    Status: 0,
    OrganizationInchargeIdLevel1: '000.00.01.H56',
    OrganizationInchargeName: 'Sở Tư pháp tỉnh Thanh Hóa',
    ...overrides,
  };
}

function ctx(extra: Partial<LgspMappingContext> = {}): LgspMappingContext {
  return {
    ...testMappingContext({
      profile: 'opencps',
      source: { system: 'opencps-lgsp', protocol: 'lgsp-rest', operation: 'LgspUpdateDocumentTraces' },
    }),
    ...extra,
  };
}

/** The dossier after a SyncDocument that put it in processing (national 4). */
function processing(): DossierState {
  return expectOk(
    mapLgspDocument(
      {
        DocCode: CODE,
        DocTypeCode: '1.001193.000.00.00.H56',
        DateReceived: '2026-04-01T01:15:30.000Z',
        Status: 1,
      },
      null,
      ctx(),
    ),
  ).state;
}

describe('mapLgspTrace', () => {
  it('maps a trace to one STEP_HANDOVER: officer, level-1 organ, note, time in UTC', () => {
    const { events, state } = expectOk(mapLgspTrace(trace(), processing(), ctx()));
    expect(milestonesOf(events)).toEqual(['STEP_HANDOVER']);
    expect(events[0]?.data.handover).toEqual({
      stepFrom: null,
      stepTo: null,
      unitFrom: null,
      unitTo: { code: '000.00.01.H56', name: 'Sở Tư pháp tỉnh Thanh Hóa' },
      userFrom: null,
      userTo: { id: null, name: 'Trần Thị Bình', title: null },
      handedOverAt: '2026-04-01T10:00:00+07:00',
      stepStartedAt: null,
      stepDeadline: null,
      action: null,
      note: 'Chuyển lãnh đạo phòng xem xét',
    });
    // OpenCPS's Status 0 carries no national status: the dossier stays where it was.
    expect(state.status).toMatchObject({ national: 4, source: '0' });
  });

  it('reads DateCreated as Vietnam wall time when the sender writes it so', () => {
    const { events } = expectOk(
      mapLgspTrace(
        trace({ DateCreated: '2026-04-01T10:00:00.000Z' }),
        processing(),
        ctx({ literalZ: 'vietnam' }),
      ),
    );
    expect(events[0]?.data.handover?.handedOverAt).toBe('2026-04-01T10:00:00+07:00');
  });

  it('moves the status when the sender’s table maps the trace status', () => {
    const { events, state } = expectOk(
      mapLgspTrace(trace({ Status: 'YCBS' }), processing(), ctx({ lgspStatusMap: { YCBS: 5 } })),
    );
    expect(milestonesOf(events)).toEqual(['SUPPLEMENT_REQUESTED']);
    expect(events[0].data.handover?.unitTo?.code).toBe('000.00.01.H56');
    expect(state.dates.supplementRequestedAt).toBe('2026-04-01T10:00:00+07:00');
  });

  it('is deterministic and NFC-insensitive: the same trace re-sent in NFD has the same id', () => {
    const prev = processing();
    const a = expectOk(mapLgspTrace(trace(), prev, ctx()));
    const b = expectOk(
      mapLgspTrace(
        trace({
          UserName: 'Trần Thị Bình'.normalize('NFD'),
          Comment: 'Chuyển lãnh đạo phòng xem xét'.normalize('NFD'),
        }),
        prev,
        ctx(),
      ),
    );
    expect(b.events.map((e) => e.id)).toEqual(a.events.map((e) => e.id));
    expect(b.events[0]?.data.handover?.userTo?.name).toBe('Trần Thị Bình'.normalize('NFC'));
  });

  it('names the bad fields: DocCode, DateCreated (missing or the placeholder), a non-text Status', () => {
    const r = mapLgspTrace(
      trace({ DocCode: '', DateCreated: '0000-00-00T00:00:00.000+0700', Status: [1] }),
      null,
      ctx(),
    );
    expect(r.ok).toBe(false);
    expect(r.ok ? [] : r.errors.map((e) => [e.field, e.code])).toEqual([
      ['/DocCode', 'required'],
      ['/DateCreated', 'required'],
      ['/Status', 'type'],
    ]);
    const bad = mapLgspTrace('not an object', null, ctx());
    expect(bad.ok ? [] : bad.errors.map((e) => e.field)).toEqual(['']);
  });

  it('refuses a trace for another dossier than the state given', () => {
    const r = mapLgspTrace(trace({ DocCode: 'OTHER-1' }), processing(), ctx());
    expect(r.ok ? [] : r.errors.map((e) => e.field)).toEqual(['/DocCode']);
  });
});

describe('LGSP status table', () => {
  it('looks values up verbatim after trimming; blank and unknown are null', () => {
    expect(lookupLgspStatus(' 2 ', { '2': 9 })).toBe(9);
    expect(lookupLgspStatus('toString', { '2': 9 })).toBeNull();
    expect(lookupLgspStatus(null, { '2': 9 })).toBeNull();
  });

  it('validates a configured table', () => {
    expect(lgspStatusMapProblems({ '1': 4, '0': null })).toEqual([]);
    expect(lgspStatusMapProblems({ '1': 11, x: '4' })).toHaveLength(2);
    expect(lgspStatusMapProblems([1])).toHaveLength(1);
  });
});

describe('one action over DVCQG and LGSP is one event', () => {
  const portal = testMappingContext({
    profile: 'opencps',
    source: { system: 'opencps-dvcqg', protocol: 'dvcqg-tee', operation: 'CapNhatTienDoHoSoMC' },
  });
  /** The portal row of the trace above: Vietnam local time, `actionName-actionNote`, the department. */
  const portalRow = (overrides: Record<string, unknown> = {}) => ({
    MaHoSo: CODE,
    NguoiXuLy: 'Trần Thị Bình',
    ChucDanh: '',
    PhongBanXuLy: 'Phòng Hộ tịch',
    ThoiDiemXuLy: '20260401100000',
    NoiDungXuLy: 'Chuyển xử lý-Chuyển lãnh đạo phòng xem xét',
    TrangThai: '4',
    NgayBatDau: '',
    NgayKetThucTheoQuyDinh: '',
    ...overrides,
  });

  it('a handover: the trace (UTC, milliseconds) and the portal row (local time) share the id, either first', () => {
    const prev = processing();
    const viaLgsp = expectOk(mapLgspTrace(trace({ DateCreated: '2026-04-01T03:00:00.203Z' }), prev, ctx()));
    const viaPortal = expectOk(mapProgressRow(portalRow(), prev, portal));
    expect(viaLgsp.events.map((e) => [e.data.milestone, e.id])).toEqual(
      viaPortal.events.map((e) => [e.data.milestone, e.id]),
    );
    const portalThenLgsp = expectOk(mapLgspTrace(trace(), viaPortal.state, ctx()));
    expect(portalThenLgsp.events.map((e) => e.id)).toEqual(viaPortal.events.map((e) => e.id));
  });

  it('a receipt: a status-less trace at the snapshot’s NgayTiepNhan is that receipt, with the same id', () => {
    const received = expectOk(
      mapDossierSync(
        { MaHoSo: CODE, MaTTHC: '1.001193', TrangThaiHoSo: '2', NgayTiepNhan: '20260401081530' },
        null,
        portal,
      ),
    );
    const receipt = expectOk(
      mapLgspTrace(trace({ DateCreated: '2026-04-01T01:15:30.000Z' }), received.state, ctx()),
    );
    expect(receipt.events.map((e) => [e.data.milestone, e.id])).toEqual(
      received.events.map((e) => [e.data.milestone, e.id]),
    );
    expect(receipt.events[0].data.status.national).toBe(2);
  });
});
