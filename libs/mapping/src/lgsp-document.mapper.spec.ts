import type { DossierState } from '@isohub/events';
import { describe, expect, it } from 'vitest';
import { mapDossierSync } from './dossier-sync.mapper';
import { mapLgspDocument } from './lgsp-document.mapper';
import type { LgspMappingContext } from './lgsp-status';
import { LGSP_APPLICANT_WIRE_FIELDS } from './lgsp-wire';
import { testMappingContext, type TestContextOverrides } from './testing/context';
import { expectOk, milestonesOf } from './testing/map-helpers';

const CODE = '000.00.01.H56-260401-0001';
const NO_DATE = '0000-00-00T00:00:00.000+0700'; // OpenCPS ConverterTerm.SUCCESS_DATE_DEFAULT
const BASE64 = 'JVBERi0xLjQKJcfsj6IK'.repeat(8);

/** A SyncDocument body as OpenCPSConverter.convertDossierToLGSPJSON writes it for a dossier in processing. */
function doc(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    DocTypeCode: '1.001193.000.00.00.H56',
    DocTypeName: 'Thủ tục đăng ký khai sinh',
    DocCode: CODE,
    CitizenName: 'Nguyễn Thị Hồng Nhung',
    CitizenInfo: '',
    ApplicantsId: '038190012345',
    ApplicantsType: 1,
    Address: 'Số 1 Lê Lợi, TP Thanh Hóa',
    Email: 'nhung@example.com',
    Phone: '0912345678',
    Compendium: 'Đăng ký khai sinh cho con',
    DateReceived: '2026-04-01T01:15:30.203Z',
    DateAppointed: '2026-04-03T09:30:00.000Z',
    IsSuccess: false,
    SuccessDate: NO_DATE,
    ApproverName: '',
    IsReturned: false,
    // OpenCPS writes the due date here until the result is returned.
    ReturnedDate: '2026-04-03T09:30:00.000Z',
    ReturnedType: 0,
    Status: 1,
    ProcessingOrganName: 'Sở Tư pháp tỉnh Thanh Hóa',
    HasSupplementary: false,
    Note: '',
    Attachments: [
      { AttachmentId: 101, AttachmentName: 'Tờ khai', IsDeleted: false, IsVerified: true, Base64: BASE64 },
    ],
    DocFees: [{ FeeName: 'Lệ phí', FeeType: 4, Price: 0 }],
    OrganInchargeIdLevel1: '000.00.01.H56',
    OrganInchargeName: 'Sở Tư pháp tỉnh Thanh Hóa',
    ...overrides,
  };
}

function lgspCtx(overrides: TestContextOverrides & Partial<LgspMappingContext> = {}): LgspMappingContext {
  const { lgspStatusMap, ...rest } = overrides;
  return {
    ...testMappingContext({
      profile: 'opencps',
      ...rest,
      source: {
        system: 'opencps-lgsp',
        protocol: 'lgsp-rest',
        operation: 'LgspSyncDocument',
        ...rest.source,
      },
    }),
    ...(lgspStatusMap ? { lgspStatusMap } : {}),
  };
}

function map(wire: unknown, prev: DossierState | null = null, ctx: LgspMappingContext = lgspCtx()) {
  return expectOk(mapLgspDocument(wire, prev, ctx));
}

function errorsOf(wire: unknown, ctx: LgspMappingContext = lgspCtx()) {
  const r = mapLgspDocument(wire, null, ctx);
  if (r.ok) {
    throw new Error('expected the item to be rejected');
  }
  return r;
}

describe('mapLgspDocument: first sight', () => {
  it('replays the reception, then "1" = being processed, with the local code resolved and the organ as unit', () => {
    const { events, state } = map(doc());
    expect(milestonesOf(events)).toEqual(['DOSSIER_RECEIVED', 'STATUS_CHANGED']);
    const [received, processing] = events;
    expect(received?.data.occurredAt).toBe('2026-04-01T08:15:30+07:00');
    expect(received?.source).toBe('isohub://opencps-lgsp/000.00.00.H56');
    expect(processing?.data.status).toEqual({ national: 4, label: 'Đang xử lý', source: '1' });
    expect(processing?.data.previousStatus).toBe(2);
    expect(state.procedure).toEqual({
      nationalCode: '1.001193',
      localCode: '1.001193.000.00.00.H56',
      name: 'Thủ tục đăng ký khai sinh',
      mappingStatus: 'mapped',
    });
    expect(state.processingUnit).toEqual({ code: '000.00.01.H56', name: 'Sở Tư pháp tỉnh Thanh Hóa' });
    expect(state.dates).toMatchObject({
      receivedAt: '2026-04-01T08:15:30+07:00',
      dueAt: '2026-04-03T16:30:00+07:00',
      processingEndedAt: null,
      returnedAt: null,
    });
    expect(state.source.protocol).toBe('lgsp-rest');
  });

  it('keeps an unmapped local code for the admins’ queue', () => {
    const { state } = map(doc({ DocTypeCode: 'KS-TINH-X-01' }));
    expect(state.procedure).toMatchObject({
      localCode: 'KS-TINH-X-01',
      nationalCode: null,
      mappingStatus: 'unmapped',
    });
  });

  it('gives the same milestones and event ids as the same change through the portal', () => {
    const ctx = lgspCtx();
    const lgsp = map(doc(), null, ctx);
    const portal = expectOk(
      mapDossierSync(
        {
          MaHoSo: CODE,
          MaTTHC: '1.001193.000.00.00.H56',
          TenTTHC: 'Thủ tục đăng ký khai sinh',
          NgayTiepNhan: '20260401081530',
          NgayHenTra: '20260403163000',
          TrangThaiHoSo: '4',
          DonViXuLy: 'Sở Tư pháp tỉnh Thanh Hóa',
        },
        null,
        ctx,
      ),
    );
    expect(lgsp.events.map((e) => e.id)).toEqual(portal.events.map((e) => e.id));
    expect(lgsp.events.map((e) => e.data.status.national)).toEqual(
      portal.events.map((e) => e.data.status.national),
    );
  });
});

describe('mapLgspDocument: dates', () => {
  it('reads the literal Z as UTC by default (the same action as 20260401100548 on the portal)', () => {
    const { state } = map(doc({ DateReceived: '2026-04-01T03:05:48.203Z' }));
    expect(state.dates.receivedAt).toBe('2026-04-01T10:05:48+07:00');
  });

  it('reads the literal Z as Vietnam wall time when the sender is configured so', () => {
    const { state } = map(
      doc({ DateReceived: '2026-04-01T10:05:48.203Z' }),
      null,
      lgspCtx({ literalZ: 'vietnam' }),
    );
    expect(state.dates.receivedAt).toBe('2026-04-01T10:05:48+07:00');
    expect(state.dates.dueAt).toBe('2026-04-03T09:30:00+07:00');
  });

  it('treats the OpenCPS placeholder, blanks and zeros as "no date"', () => {
    const { state } = map(doc({ SuccessDate: NO_DATE, FinishedDate: '', DateAppointed: NO_DATE }));
    expect(state.dates.processingEndedAt).toBeNull();
    expect(state.dates.dueAt).toBeNull();
  });

  it('never reads ReturnedDate (the due date) as a return while IsReturned is false', () => {
    const { state } = map(doc({ ReturnedDate: '2026-04-02T02:00:00.000Z' }));
    expect(state.dates.returnedAt).toBeNull();
    expect(state.status.national).toBe(4);
  });
});

describe('mapLgspDocument: flags describe the moment', () => {
  const first = () => map(doc()).state;

  it('IsSuccess = result waiting: RESULT_READY at SuccessDate', () => {
    const r = map(doc({ IsSuccess: true, Status: 2, SuccessDate: '2026-04-02T08:00:00.000Z' }), first());
    expect(milestonesOf(r.events)).toEqual(['RESULT_READY']);
    expect(r.events[0]?.data.occurredAt).toBe('2026-04-02T15:00:00+07:00');
    expect(r.state.dates.processingEndedAt).toBe('2026-04-02T15:00:00+07:00');
  });

  it('IsReturned with IsSuccess back to false is the return, dated ReturnedDate; SuccessDate stays history', () => {
    const ready = map(doc({ IsSuccess: true, Status: 2, SuccessDate: '2026-04-02T08:00:00.000Z' }), first());
    const r = map(
      doc({
        IsSuccess: false,
        IsReturned: 'True',
        Status: 1,
        SuccessDate: '2026-04-02T08:00:00.000Z',
        ReturnedDate: '2026-04-03T02:00:00.000Z',
        FinishedDate: '2026-04-03T02:00:00.000Z',
      }),
      ready.state,
    );
    expect(milestonesOf(r.events)).toEqual(['RESULT_RETURNED']);
    expect(r.state.status).toMatchObject({ national: 10, source: '1' });
    expect(r.state.dates).toMatchObject({
      processingEndedAt: '2026-04-02T15:00:00+07:00',
      returnedAt: '2026-04-03T09:00:00+07:00',
    });
  });

  it('a returned dossier seen first replays its reception, then the return', () => {
    const r = map(doc({ IsReturned: true, ReturnedDate: NO_DATE, FinishedDate: '2026-04-03T02:00:00.000Z' }));
    expect(milestonesOf(r.events)).toEqual(['DOSSIER_RECEIVED', 'RESULT_RETURNED']);
    expect(r.state.dates.returnedAt).toBe('2026-04-03T09:00:00+07:00');
  });

  it('HasSupplementary = waiting for the applicant; clearing it is the supplement received', () => {
    const asked = map(
      doc({ HasSupplementary: true, RequireSupplementaryDate: '2026-04-01T07:00:00.000Z' }),
      first(),
    );
    expect(milestonesOf(asked.events)).toEqual(['SUPPLEMENT_REQUESTED']);
    expect(asked.state.supplementRequests).toBe(1);
    expect(asked.state.dates.supplementRequestedAt).toBe('2026-04-01T14:00:00+07:00');
    const back = map(doc({ HasSupplementary: false }), asked.state);
    expect(milestonesOf(back.events)).toEqual(['SUPPLEMENT_RECEIVED']);
  });

  it('a dossier finished without return or release (cancelled/denied) holds its status', () => {
    const r = map(doc({ FinishedDate: '2026-04-02T03:00:00.000Z' }), first());
    expect(r.events).toEqual([]);
    expect(r.state.status).toMatchObject({ national: 4, source: '1' });
  });

  it('"1" before the counter received the dossier is no national status', () => {
    const r = map(doc({ DateReceived: NO_DATE }));
    expect(r.events).toEqual([]);
    expect(r.state.status).toEqual({ national: null, label: null, source: '1' });
  });
});

describe('mapLgspDocument: the status table', () => {
  it('maps by the sender’s own table', () => {
    const ctx = lgspCtx({ lgspStatusMap: { DXL: 4, CBS: 5, DONE: 10 } });
    const processing = map(doc({ Status: 'DXL' }), null, ctx);
    const asked = map(doc({ Status: 'CBS' }), processing.state, ctx);
    expect(milestonesOf(asked.events)).toEqual(['SUPPLEMENT_REQUESTED']);
    expect(asked.state.status).toMatchObject({ national: 5, source: 'CBS' });
  });

  it('holds an unknown status as "no national status": accepted, nothing invented, the value kept', () => {
    const r = map(doc({ Status: 'LẠ' }));
    expect(r.events).toEqual([]);
    expect(r.state.status).toEqual({ national: null, label: null, source: 'LẠ' });
    const known = map(doc(), null);
    const later = map(doc({ Status: 77 }), known.state);
    expect(later.events).toEqual([]);
    expect(later.state.status).toMatchObject({ national: 4, source: '77' });
  });

  it('a table entry of null means "no national status" too', () => {
    const r = map(doc(), null, lgspCtx({ lgspStatusMap: { '1': null } }));
    expect(r.state.status.national).toBeNull();
  });
});

describe('mapLgspDocument: personal data, attachments, text', () => {
  it('keeps applicant fields and attachments out of events by default', () => {
    const { events } = map(doc());
    const json = JSON.stringify(events);
    for (const needle of [
      'Nguyễn Thị Hồng Nhung',
      '038190012345',
      '0912345678',
      'nhung@example.com',
      'Lê Lợi',
    ]) {
      expect(json).not.toContain(needle);
    }
    expect(json).not.toContain(BASE64);
    expect(events.every((e) => e.data.applicant === undefined)).toBe(true);
  });

  it('emits only the applicant fields configuration names, and never Attachments', () => {
    const ctx = lgspCtx({ applicantFields: ['CitizenName', 'Phone', 'Attachments'] });
    const { events } = map(doc(), null, ctx);
    expect(events[0]?.data.applicant).toEqual({ CitizenName: 'Nguyễn Thị Hồng Nhung', Phone: '0912345678' });
    expect(JSON.stringify(events)).not.toContain(BASE64);
  });

  it('lists the personal SyncDocument fields', () => {
    expect(LGSP_APPLICANT_WIRE_FIELDS).toEqual(
      expect.arrayContaining(['CitizenName', 'ApplicantsId', 'Address', 'Email', 'Phone']),
    );
  });

  it('normalises NFD text to NFC, so both spellings are one dossier and one name', () => {
    const nfd = map(
      doc({ DocCode: CODE.normalize('NFD'), DocTypeName: 'Thủ tục đăng ký khai sinh'.normalize('NFD') }),
    );
    expect(nfd.state.procedure.name).toBe('Thủ tục đăng ký khai sinh'.normalize('NFC'));
    expect(nfd.state.processingUnit?.name).toBe('Sở Tư pháp tỉnh Thanh Hóa'.normalize('NFC'));
    expect(nfd.events.map((e) => e.id)).toEqual(map(doc()).events.map((e) => e.id));
  });

  it('a re-send against the state it produced yields nothing new', () => {
    const first = map(doc());
    expect(map(doc(), first.state).events).toEqual([]);
  });
});

describe('mapLgspDocument: bad items name their fields', () => {
  it('rejects a non-object item', () => {
    expect(errorsOf([doc()]).errors).toEqual([
      { field: '', code: 'type', message: 'A SyncDocument item must be a JSON object' },
    ]);
  });

  it('requires DocCode', () => {
    const r = errorsOf(doc({ DocCode: '  ' }));
    expect(r.dossierCode).toBeNull();
    expect(r.errors.map((e) => [e.field, e.code])).toEqual([['/DocCode', 'required']]);
  });

  it('names every bad field at once: impossible date, a flag that is not a boolean, a Status object', () => {
    const r = errorsOf(
      doc({ DateReceived: '2026-13-45T99:00:00.000Z', IsSuccess: 'maybe', Status: { code: 1 } }),
    );
    expect(r.dossierCode).toBe(CODE);
    expect(r.errors.map((e) => [e.field, e.code])).toEqual([
      ['/Status', 'type'],
      ['/DateReceived', 'format'],
      ['/IsSuccess', 'format'],
    ]);
  });

  it('refuses an item for another dossier than the state given', () => {
    const other = map(doc({ DocCode: 'OTHER-1' })).state;
    const r = mapLgspDocument(doc(), other, lgspCtx());
    expect(r.ok).toBe(false);
    expect(r.ok ? [] : r.errors.map((e) => e.field)).toEqual(['/DocCode']);
  });
});
