import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fromKafkaRecord, topicNames, validateEventData, type SequencedEvent } from '@isohub/events';
import { freshDatabase, type TestDatabase } from '../../../test/support/database';
import { DEV_SENDERS, OpenCpsClient, postJson, startHub, type RunningHub } from '../../../test/support/hub';
import { TopicRecorder, uniquePrefix } from '../../../test/support/kafka';

/**
 * Issue 9 §2, against the real PostgreSQL and Kafka: hand-written lifecycles of both sender styles (DOMAIN
 * brief §4.1, §4.7, §4.9), with the same actions also traced over the LGSP, replayed through the running
 * hub; the consumed events must equal a hand-written list, one event per real action.
 */

const LGSP_CLIENT = { id: 'opencps-lgsp-demo', secret: 'lgsp-demo-secret-change-me' };
const OPENCPS_AGENCY = '000.00.01.H56';
const THANHHOA_AGENCY = '000.00.00.H56';

/** What each consumed event must say: type, time, national status, due date and both sides of a handover. */
interface Expected {
  type: string;
  time: string;
  timeSource: 'wire' | 'arrival';
  national: number | null;
  dueAt: string | null;
  /** `[unit, officer]` the dossier left and went to; null for an event without a handover. */
  from?: [string | null, string | null];
  to?: [string | null, string | null];
}

function summary(e: SequencedEvent): Expected {
  const h = e.data.handover;
  return {
    type: e.type,
    time: e.time,
    timeSource: e.data.timeSource ?? 'wire',
    national: e.data.status.national,
    dueAt: e.data.dates.dueAt,
    ...(h
      ? {
          from: [h.unitFrom?.name ?? null, h.userFrom?.name ?? null],
          to: [h.unitTo?.name ?? null, h.userTo?.name ?? null],
        }
      : {}),
  };
}

const t = (type: string) => `vn.isohub.dossier.${type}.v1`;

function opencpsSnapshot(code: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    MaHoSo: code,
    MaTTHC: '1.001193',
    TenTTHC: 'Đăng ký khai sinh',
    MaLinhVuc: 'G14',
    TenLinhVuc: 'Hộ tịch',
    ChuHoSo: 'Nguyễn Văn An',
    Fax: '0912345678',
    NgayNopHoSo: '20260401080000',
    NgayTiepNhan: '20260401090000',
    NgayHenTra: '20260403170000',
    NgayKetThucXuLy: '',
    NgayTra: '',
    NgayTuChoi: '',
    TrangThaiHoSo: '2',
    DonViXuLy: 'UBND xã Quảng Phú',
    DanhSachHoSoBoSung: [],
    ...overrides,
  };
}

/** An OpenCPS CapNhatTienDoHoSoMC row (2021): `actionName-actionNote`, ChucDanh and NgayBatDau empty. */
function opencpsRow(code: string, at: string, status: string, who: string, unit: string, text: string) {
  return {
    MaHoSo: code,
    NguoiXuLy: who,
    ChucDanh: '',
    PhongBanXuLy: unit,
    ThoiDiemXuLy: at,
    NoiDungXuLy: text,
    TrangThai: status,
    NgayBatDau: '',
    NgayKetThucTheoQuyDinh: '',
  };
}

function thanhhoaSnapshot(code: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    MaHoSo: code,
    MaTTHC: '1.001193.000.00.00.H56',
    TenTTHC: 'Đăng ký khai sinh',
    KenhThucHien: '2',
    ChuHoSo: 'Lê Thị Hoa',
    NgayNopHoSo: '20260331200000',
    NgayTiepNhan: '20260401081530',
    NgayHenTra: '20260406170000',
    NgayKetThucXuLy: '',
    NgayTra: '',
    TrangThaiHoSo: '2',
    DanhSachHoSoBoSung: [],
    ...overrides,
  };
}

/** A Thanh Hóa progress row: NoiDungXuLy is the action (ThaoTac), title and step dates empty. */
function thanhhoaRow(code: string, at: string, status: string, who: string, unit: string, text: string) {
  return {
    MaHoSo: code,
    NguoiXuLy: who,
    ChucDanh: '',
    PhongBanXuLy: unit,
    ThoiDiemXuLy: at,
    NoiDungXuLy: text,
    TrangThai: status,
    NgayBatDau: '',
    NgayKetThucTheoQuyDinh: '',
  };
}

/** The rows PushData synthesises (DOMAIN brief §4.9): "Cán bộ một cửa", every detail empty. */
function synthetic(code: string, at: string, status: string, text: string) {
  return { ...thanhhoaRow(code, at, status, 'Cán bộ một cửa', '', text) };
}

describe('one correct event per real action (both sender styles and the LGSP)', () => {
  let db: TestDatabase;
  let hub: RunningHub;
  let recorder: TopicRecorder;
  let topics: ReturnType<typeof topicNames>;
  let lgspToken: string;
  const prefix = uniquePrefix('one-event');
  const run = randomBytes(2).toString('hex');

  const eventsOf = (code: string) =>
    recorder
      .of(topics.events)
      .filter((r) => r.key === code)
      .map((r) => fromKafkaRecord(r.headers, r.value));
  /** Waits for `n` events of the dossier, then a little longer to catch any extra one. */
  const settle = async (code: string, n: number) => {
    await recorder.waitFor(() => eventsOf(code).length >= n, 60_000);
    await new Promise((r) => setTimeout(r, 1500));
    return eventsOf(code);
  };
  const lgsp = async (path: 'SyncDocument' | 'UpdateDocumentTraces', body: unknown) => {
    const res = await fetch(`${hub.url}/lgsp/Document/${path}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/json',
        authorization: `Bearer ${lgspToken}`,
      },
      body: JSON.stringify(body),
    });
    await res.text();
    return res.status;
  };
  const thanhhoa = (path: 'ThemMoi' | 'CapNhat' | 'DongBoTienTrinh', body: unknown[]) =>
    postJson(`${hub.url}/dvcqg/th/${DEV_SENDERS.thanhhoaKey}/${path}`, body);

  beforeAll(async () => {
    db = await freshDatabase();
    hub = await startHub({ databaseUrl: db.url, topicPrefix: prefix });
    topics = topicNames(prefix);
    recorder = new TopicRecorder([topics.events]);
    await recorder.start();
    const token = await fetch(`${hub.url}/lgsp/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: LGSP_CLIENT.id,
        client_secret: LGSP_CLIENT.secret,
      }).toString(),
    });
    lgspToken = String(((await token.json()) as Record<string, unknown>)['access_token']);
  }, 120_000);

  afterAll(async () => {
    await recorder?.stop();
    await hub?.stop();
    await db?.drop();
  });

  it('OpenCPS envelope + LGSP traces of the same actions: each action once, both sides of each handover', async () => {
    const code = `${OPENCPS_AGENCY}-2604${run}-0001`;
    const client = new OpenCpsClient(hub.url);
    const ok = (r: { status: number }) => expect(r.status).toBe(200);

    // 1. receipt (snapshot), then the progress rows: the receipt row is the same action as the snapshot's
    ok(await client.send('DongBoHoSoMC', [opencpsSnapshot(code)]));
    const rows = [
      opencpsRow(code, '20260401090000', '2', 'Phạm Thu Trang', 'Bộ phận một cửa', 'Tiếp nhận hồ sơ-Đủ'),
      opencpsRow(code, '20260401100000', '4', 'Trần Thị Bình', 'Phòng Tư pháp', 'Chuyển xử lý-Thẩm định'),
    ];
    ok(await client.send('CapNhatTienDoHoSoMC', rows));
    // 2. the same handover over the LGSP: UTC with milliseconds, the level-1 organ, the note only
    expect(
      await lgsp('UpdateDocumentTraces', {
        DocumentId: 1,
        DocCode: code,
        UserName: 'Trần Thị Bình',
        UserPosition: '',
        DateCreated: '2026-04-01T03:00:00.417Z',
        Comment: 'Thẩm định',
        Status: 0,
        OrganizationInchargeIdLevel1: OPENCPS_AGENCY,
        OrganizationInchargeName: 'UBND xã Quảng Phú',
      }),
    ).toBe(200);
    // 3. supplement requested (row), then received (snapshot: its round's date), the due date moved with it
    ok(
      await client.send('CapNhatTienDoHoSoMC', [
        opencpsRow(
          code,
          '20260401140000',
          '5',
          'Trần Thị Bình',
          'Phòng Tư pháp',
          'Yêu cầu bổ sung-Thiếu tờ khai',
        ),
      ]),
    );
    const round = [{ HoSoBoSungId: '1', NgayBoSung: '20260401140000', NgayTiepNhanBoSung: '20260402080000' }];
    ok(
      await client.send(
        'DongBoHoSoMC',
        [
          opencpsSnapshot(code, {
            TrangThaiHoSo: '4',
            NgayHenTra: '20260406170000',
            DanhSachHoSoBoSung: round,
          }),
        ],
        'True',
      ),
    );
    // 4. result ready (row), then returned (snapshot only: NgayTra)
    ok(
      await client.send('CapNhatTienDoHoSoMC', [
        opencpsRow(code, '20260403100000', '9', 'Lê Văn Cường', 'Lãnh đạo UBND', 'Ký duyệt-Đồng ý'),
      ]),
    );
    const done = {
      TrangThaiHoSo: '10',
      NgayHenTra: '20260406170000',
      DanhSachHoSoBoSung: round,
      NgayKetThucXuLy: '20260403100000',
      NgayTra: '20260403150000',
    };
    ok(await client.send('DongBoHoSoMC', [opencpsSnapshot(code, done)], 'True'));
    // 5. everything re-sent: reordered keys, NFD text, the LGSP snapshot of the end state
    ok(
      await client.send(
        'CapNhatTienDoHoSoMC',
        rows.map((r) =>
          Object.fromEntries(
            Object.entries(r)
              .reverse()
              .map(([k, v]) => [k, v.normalize('NFD')]),
          ),
        ),
      ),
    );
    ok(await client.send('DongBoHoSoMC', [opencpsSnapshot(code, done)], 'True'));

    const events = await settle(code, 6);
    const due1 = '2026-04-03T17:00:00+07:00';
    const due2 = '2026-04-06T17:00:00+07:00';
    const expected: Expected[] = [
      {
        type: t('received'),
        time: '2026-04-01T09:00:00+07:00',
        timeSource: 'wire',
        national: 2,
        dueAt: due1,
      },
      {
        type: t('step-handover'),
        time: '2026-04-01T10:00:00+07:00',
        timeSource: 'wire',
        national: 4,
        dueAt: due1,
        from: ['Bộ phận một cửa', 'Phạm Thu Trang'],
        to: ['Phòng Tư pháp', 'Trần Thị Bình'],
      },
      {
        type: t('supplement-requested'),
        time: '2026-04-01T14:00:00+07:00',
        timeSource: 'wire',
        national: 5,
        dueAt: due1,
        from: ['Phòng Tư pháp', 'Trần Thị Bình'],
        to: ['Phòng Tư pháp', 'Trần Thị Bình'],
      },
      {
        type: t('supplement-received'),
        time: '2026-04-02T08:00:00+07:00',
        timeSource: 'wire',
        national: 4,
        dueAt: due2,
      },
      {
        type: t('result-ready'),
        time: '2026-04-03T10:00:00+07:00',
        timeSource: 'wire',
        national: 9,
        dueAt: due2,
        from: ['Phòng Tư pháp', 'Trần Thị Bình'],
        to: ['Lãnh đạo UBND', 'Lê Văn Cường'],
      },
      {
        type: t('result-returned'),
        time: '2026-04-03T15:00:00+07:00',
        timeSource: 'wire',
        national: 10,
        dueAt: due2,
      },
    ];
    expect(events.map(summary)).toEqual(expected);
    expect(events.map((e) => e.sequence)).toEqual([1, 2, 3, 4, 5, 6]);
    for (const e of events) {
      expect(validateEventData(e.data).errors).toEqual([]);
    }
  });

  it('the LGSP first: the portal row of the same handover is no second event', async () => {
    const code = `${OPENCPS_AGENCY}-2604${run}-0002`;
    const client = new OpenCpsClient(hub.url);
    expect(
      await lgsp('SyncDocument', {
        DocTypeCode: '1.001193.000.00.00.H56',
        DocTypeName: 'Đăng ký khai sinh',
        DocCode: code,
        DateReceived: '2026-04-01T02:00:00.000Z',
        DateAppointed: '2026-04-03T10:00:00.000Z',
        IsSuccess: false,
        IsReturned: false,
        Status: 1,
        HasSupplementary: false,
        OrganInchargeIdLevel1: OPENCPS_AGENCY,
        OrganInchargeName: 'UBND xã Quảng Phú',
      }),
    ).toBe(200);
    expect(
      await lgsp('UpdateDocumentTraces', {
        DocumentId: 2,
        DocCode: code,
        UserName: 'Trần Thị Bình',
        UserPosition: '',
        DateCreated: '2026-04-01T03:00:00.000Z',
        Comment: 'Thẩm định',
        Status: 0,
        OrganizationInchargeIdLevel1: OPENCPS_AGENCY,
        OrganizationInchargeName: 'UBND xã Quảng Phú',
      }),
    ).toBe(200);
    const received = opencpsSnapshot(code, { TrangThaiHoSo: '4' });
    expect((await client.send('DongBoHoSoMC', [received])).status).toBe(200);
    const row = opencpsRow(
      code,
      '20260401100000',
      '4',
      'Trần Thị Bình',
      'Phòng Tư pháp',
      'Chuyển xử lý-Thẩm định',
    );
    expect((await client.send('CapNhatTienDoHoSoMC', [row])).status).toBe(200);

    const events = await settle(code, 3);
    expect(events.map(summary)).toEqual([
      {
        type: t('received'),
        time: '2026-04-01T09:00:00+07:00',
        timeSource: 'wire',
        national: 2,
        dueAt: '2026-04-03T17:00:00+07:00',
      },
      // the LGSP says "processing" with no date of its own for it: arrival time stands in, and says so
      {
        type: t('status-changed'),
        time: events[1]?.time ?? '',
        timeSource: 'arrival',
        national: 4,
        dueAt: '2026-04-03T17:00:00+07:00',
      },
      {
        type: t('step-handover'),
        time: '2026-04-01T10:00:00+07:00',
        timeSource: 'wire',
        national: 4,
        dueAt: '2026-04-03T17:00:00+07:00',
        from: [null, null],
        to: ['UBND xã Quảng Phú', 'Trần Thị Bình'],
      },
    ]);
  });

  it('Thanh Hóa bare arrays: synthetic rows, chunks of 10 and one-off re-sends, every quirk read as meant', async () => {
    const code = `${THANHHOA_AGENCY}-2604${run}-0101`;
    const ok = (r: { status: number }) => expect(r.status).toBe(200);
    const OFFICE = 'Bộ phận một cửa';
    const DEPT = 'Phòng Tư pháp';
    const receipt = synthetic(code, '20260401081530', '2', 'Tiếp nhận hồ sơ');
    const real = [
      thanhhoaRow(code, '20260331200000', '1', 'Lê Thị Hoa', '', 'Nộp hồ sơ trực tuyến'),
      thanhhoaRow(code, '20260401081530', '2', 'Phạm Thu Trang', OFFICE, 'Tiếp nhận hồ sơ'),
      thanhhoaRow(code, '20260401084210', '4', 'Trần Thị Bình', DEPT, 'Chuyển xử lý'),
      thanhhoaRow(code, '20260401150102', '5', 'Trần Thị Bình', DEPT, 'Yêu cầu công dân bổ sung'),
      thanhhoaRow(code, '20260403091544', '4', 'Lê Thị Hoa', '', 'Công dân gửi bổ sung hồ sơ'),
      thanhhoaRow(code, '20260403101220', '5', 'Phạm Thu Trang', OFFICE, 'Hoàn thành bổ sung hồ sơ'),
      thanhhoaRow(code, '20260403143005', '4', 'Trần Thị Bình', DEPT, 'Chuyển xử lý'),
      thanhhoaRow(code, '20260403160000', '4', 'Nguyễn Văn Tâm', 'Lãnh đạo UBND', 'Trình ký'),
      thanhhoaRow(code, '20260404090000', '4', 'Nguyễn Văn Tâm', 'Lãnh đạo UBND', 'Ký duyệt'),
      thanhhoaRow(code, '20260404100000', '9', 'Phạm Thu Trang', OFFICE, 'Chờ trả kết quả'),
      thanhhoaRow(code, '20260404150000', '10', 'Phạm Thu Trang', OFFICE, 'Đã trả kết quả'),
    ];

    // Run 1 (after the request): the paused dossier goes out as "9" without NgayKetThucXuLy; its progress
    // is the synthetic receipt plus the first chunk, with the artefact "Kết thúc xử lý hồ sơ" dated at receipt.
    const paused = thanhhoaSnapshot(code, {
      TrangThaiHoSo: '9',
      DanhSachHoSoBoSung: [{ HoSoBoSungId: '7', NgayBoSung: '20260401150102', NgayTiepNhanBoSung: '' }],
    });
    ok(await thanhhoa('ThemMoi', [paused]));
    ok(
      await thanhhoa('DongBoTienTrinh', [
        receipt,
        real[1],
        real[2],
        real[3],
        synthetic(code, '20260401081530', '9', 'Kết thúc xử lý hồ sơ'),
      ]),
    );
    // Run 2 (done): the finished dossier, then 10 real rows after the synthetic receipt; the sender marked
    // one row off, so rows 1-3 come again, and row 0 (the online submission) only now, after newer ones.
    const finished = thanhhoaSnapshot(code, {
      TrangThaiHoSo: '10',
      NgayHenTra: '20260408170000',
      NgayKetThucXuLy: '20260404100000',
      NgayTra: '20260404150000',
      DanhSachHoSoBoSung: [
        { HoSoBoSungId: '7', NgayBoSung: '20260401150102', NgayTiepNhanBoSung: '20260403101220' },
      ],
    });
    ok(await thanhhoa('CapNhat', [finished]));
    ok(await thanhhoa('DongBoTienTrinh', [receipt, ...real.slice(1, 11)]));
    ok(
      await thanhhoa('DongBoTienTrinh', [
        receipt,
        real[0],
        synthetic(code, '20260404100000', '9', 'Kết thúc xử lý hồ sơ'),
      ]),
    );
    // a later resync re-sends the whole history, NFD
    ok(
      await thanhhoa(
        'DongBoTienTrinh',
        [receipt, ...real.slice(0, 10)].map((r) =>
          Object.fromEntries(Object.entries(r).map(([k, v]) => [k, v.normalize('NFD')])),
        ),
      ),
    );

    const events = await settle(code, 11);
    const due = '2026-04-06T17:00:00+07:00';
    const due2 = '2026-04-08T17:00:00+07:00';
    expect(events.map(summary)).toEqual([
      { type: t('received'), time: '2026-04-01T08:15:30+07:00', timeSource: 'wire', national: 2, dueAt: due },
      // the paused "9" with an unanswered supplement round is the request, at its own date
      {
        type: t('supplement-requested'),
        time: '2026-04-01T15:01:02+07:00',
        timeSource: 'wire',
        national: 5,
        dueAt: due,
      },
      {
        type: t('step-handover'),
        time: '2026-04-01T08:42:10+07:00',
        timeSource: 'wire',
        national: 4,
        dueAt: due,
        from: [OFFICE, 'Phạm Thu Trang'],
        to: [DEPT, 'Trần Thị Bình'],
      },
      // the finished snapshot moves 5 -> 10: the return, at NgayTra
      {
        type: t('result-returned'),
        time: '2026-04-04T15:00:00+07:00',
        timeSource: 'wire',
        national: 10,
        dueAt: due2,
      },
      // run 2's rows, older than the return: each at its own time and status, with both sides
      {
        type: t('step-handover'), // the citizen's upload: information, the pause goes on
        time: '2026-04-03T09:15:44+07:00',
        timeSource: 'wire',
        national: 5,
        dueAt: due2,
        from: [DEPT, 'Trần Thị Bình'],
        to: [null, null],
      },
      {
        type: t('supplement-received'), // "Hoàn thành bổ sung hồ sơ" sent as "5"
        time: '2026-04-03T10:12:20+07:00',
        timeSource: 'wire',
        national: 4,
        dueAt: due2,
        from: [DEPT, 'Trần Thị Bình'],
        to: [OFFICE, 'Phạm Thu Trang'],
      },
      {
        type: t('step-handover'),
        time: '2026-04-03T14:30:05+07:00',
        timeSource: 'wire',
        national: 4,
        dueAt: due2,
        from: [OFFICE, 'Phạm Thu Trang'],
        to: [DEPT, 'Trần Thị Bình'],
      },
      {
        type: t('step-handover'),
        time: '2026-04-03T16:00:00+07:00',
        timeSource: 'wire',
        national: 4,
        dueAt: due2,
        from: [DEPT, 'Trần Thị Bình'],
        to: ['Lãnh đạo UBND', 'Nguyễn Văn Tâm'],
      },
      {
        type: t('step-handover'),
        time: '2026-04-04T09:00:00+07:00',
        timeSource: 'wire',
        national: 4,
        dueAt: due2,
        from: ['Lãnh đạo UBND', 'Nguyễn Văn Tâm'],
        to: ['Lãnh đạo UBND', 'Nguyễn Văn Tâm'],
      },
      {
        type: t('result-ready'), // the end node's row; the synthetic "Kết thúc xử lý hồ sơ" copy is none
        time: '2026-04-04T10:00:00+07:00',
        timeSource: 'wire',
        national: 9,
        dueAt: due2,
        from: ['Lãnh đạo UBND', 'Nguyễn Văn Tâm'],
        to: [OFFICE, 'Phạm Thu Trang'],
      },
      // the online submission, synced after the receipt: at its own time, the status true then
      {
        type: t('submitted'),
        time: '2026-03-31T20:00:00+07:00',
        timeSource: 'wire',
        national: 1,
        dueAt: due2,
        from: [null, null],
        to: [null, null],
      },
    ]);
    expect(new Set(events.map((e) => e.id)).size).toBe(events.length);
  });
});
