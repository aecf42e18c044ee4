import type { LifecycleKind, LifecycleStep } from './dossier-lifecycle';
import { actorName, chunk, hasResult, type WireDossier, type WireItem, wireDate } from './sender-shared';
import type { SimRandom } from './sim-random';
import type { ThanhHoaMessage } from './simulated-traffic';

const SYNTHETIC_OFFICER = 'Cán bộ một cửa';

function truncate(text: string, max: number, fallback: string): string {
  if (text === '') {
    return fallback;
  }
  return text.length > max ? `${text.slice(0, max - 4)}...` : text;
}

/**
 * The snapshot's `TrangThaiHoSo` as Thanh Hóa sends it: paused 5/6/8 become "9" (with an empty
 * NgayKetThucXuLy) and a withdrawal "3" (wire-formats.md §2.4, DOMAIN §4.7).
 */
function snapshotStatus(status: number, quirks: boolean): string {
  if (quirks && (status === 5 || status === 6 || status === 8)) {
    return '9';
  }
  if (quirks && status === 7) {
    return '3';
  }
  return String(status);
}

/** Stored rows whose text or status Thanh Hóa sends wrong (wire-formats.md §2.4). */
const QUIRKY_ROWS: Partial<Record<LifecycleKind, { text?: string; status: string }>> = {
  refused: { text: 'Tiếp nhận hồ sơ', status: '3' },
  supplement_submitted: { status: '4' },
  supplement_completed: { status: '5' },
  withdrawn: { text: 'Công dân thu hồi hồ sơ', status: '3' },
};

function snapshot(d: WireDossier, step: LifecycleStep, quirks: boolean): WireItem {
  const { planned } = d;
  const { procedure, applicant, agency } = planned;
  const status = snapshotStatus(step.status, quirks);
  const paid =
    procedure.fee > 0 && planned.steps.some((s) => s.kind === 'payment_completed' && s.at <= step.at);
  const download = (path: string) => `https://dvc.thanhhoa.example.gov.vn/api/files/download?path=${path}`;
  const day = d.clock.format(step.dates.receivedAt ?? step.at).slice(0, 8);
  const folder = `${day.slice(0, 4)}/${day.slice(4, 6)}/${day.slice(6, 8)}`;
  const idNumber = applicant.idNumber;
  return {
    MaHoSo: d.code,
    MaTTHC: `${procedure.code}.000.00.00.H56`,
    TenTTHC: procedure.name,
    MaLinhVuc: procedure.sectorCode,
    TenLinhVuc: procedure.sectorName,
    KenhThucHien: String(planned.channel),
    SoGiayToChuHoSo: idNumber,
    ChuHoSo: d.spell(applicant.name),
    LoaiDoiTuong: applicant.kind === 'business' ? '2' : '1',
    MaDoiTuong: planned.channel === 2 ? d.techId : null,
    ThongTinKhac: '',
    Email: '',
    Fax: '',
    SoDienThoai: applicant.phone,
    TrichYeuHoSo: truncate(`${procedure.name} cho ${d.spell(applicant.name)}`, 1000, 'Dinhkem'),
    NgayTiepNhan: wireDate(d, step.dates.receivedAt),
    NgayHenTra: step.dates.dueAt === null ? null : wireDate(d, step.dates.dueAt),
    TrangThaiHoSo: status,
    NgayTra: wireDate(d, step.dates.returnedAt),
    ThongTinTra: '',
    HinhThuc: '0',
    NgayKetThucXuLy: wireDate(d, step.dates.processingEndedAt),
    DonViXuLy: agency.name,
    GhiChu: '',
    TaiLieuNop: d.documents.map((doc) => ({
      TepDinhKemId: '',
      TenTepDinhKem: truncate(doc.name, 4000, 'Dinhkem'),
      IsDeleted: 'False',
      MaThanhPhanHoSo: doc.componentCode,
      DuongDanTaiTepTin: download(`${folder}/${doc.slug}.pdf`),
      DuocSoHoa: '1',
      DuocTaiSuDung: '0',
      DuocLayTuKhoDMQG: '0',
      MaKetQuaThayThe: '',
    })),
    DanhSachLePhi:
      procedure.fee > 0
        ? [
            {
              TenPhiLePhi: `Lệ phí ${procedure.sectorName.toLowerCase()}`,
              MaPhiLePhi: '1',
              HinhThucThu: '1',
              Gia: String(procedure.fee),
              LoaiPhiLePhi: '1',
            },
          ]
        : [],
    DanhSachTepDinhKemKhac: [],
    DanhSachHoSoBoSung: [],
    DanhSachGiayToKetQua: hasResult(step)
      ? [
          {
            TenGiayTo: `${d.result.slug}.pdf`,
            MaThanhPhanHoSo: '',
            GiayToId: '',
            DuongDanTepTinKetQua: download(`${folder}/ket-qua/${d.result.slug}.pdf`),
            MaGiayToKetQua: `KQ.${procedure.code}`,
          },
        ]
      : [],
    NoiNopHoSo: '2',
    HoSoCoThanhPhanSoHoa: d.documents.length > 0 ? '1' : '0',
    TaiKhoanDuocXacThucVoiVNeID: '0',
    DuocThanhToanTrucTuyen: paid ? '1' : '0',
    NgayTuChoi: wireDate(d, step.dates.rejectedAt),
    DinhDanhCHS: [{ LoaiDinhDanh: idNumber.length === 12 ? '1' : '2', SoDinhDanh: idNumber }],
    NgayNopHoSo: wireDate(d, step.dates.receivedAt),
    DSKetNoiCSDL: [{ MaCSDL: '7' }],
  };
}

function row(
  d: WireDossier,
  fields: {
    officer: string;
    title: string;
    unit: string;
    at: string;
    text: string;
    status: string;
    deadline: string;
  },
): WireItem {
  return {
    MaHoSo: d.code,
    NguoiXuLy: truncate(fields.officer, 50, 'Chuyên viên'),
    ChucDanh: fields.title,
    ThoiDiemXuLy: fields.at,
    PhongBanXuLy: fields.unit,
    NoiDungXuLy: fields.text,
    TrangThai: fields.status,
    NgayBatDau: '',
    NgayKetThucTheoQuyDinh: fields.deadline,
  };
}

function storedRow(d: WireDossier, step: LifecycleStep, quirks: boolean): WireItem {
  const quirk = quirks ? QUIRKY_ROWS[step.kind] : undefined;
  const text = quirk?.text ?? step.action;
  const status = quirk?.status ?? String(step.status);
  return row(d, {
    officer: actorName(d, step.actor),
    title: quirks ? '' : (step.actor.title ?? ''),
    unit: quirks ? '' : (step.actor.unit ?? ''),
    at: d.clock.format(step.at),
    text,
    status,
    deadline: wireDate(d, step.stepDeadline),
  });
}

/** The rows Thanh Hóa adds on every run around the stored ones (wire-formats.md §2.4). */
function syntheticRows(
  d: WireDossier,
  step: LifecycleStep,
  sentStatus: string,
): { first: WireItem; last: WireItem | null } {
  const synthetic = (at: string, text: string, status: string) =>
    row(d, { officer: SYNTHETIC_OFFICER, title: '', unit: '', at, text, status, deadline: '' });
  const received = wireDate(d, step.dates.receivedAt);
  let last: WireItem | null = null;
  if (sentStatus === '9' || sentStatus === '10') {
    last = synthetic(wireDate(d, step.dates.processingEndedAt) || received, 'Kết thúc xử lý hồ sơ', '9');
  } else if (step.dates.dueAt === null) {
    last = synthetic(received, 'Hồ sơ không có ngày hẹn trả', '9');
  }
  return { first: synthetic(received, 'Tiếp nhận hồ sơ', '2'), last };
}

/**
 * What the Thanh Hóa one-stop system sends for one dossier. Each change re-sends the full snapshot to
 * ThemMoi; after success, the progress rows not yet sent go to DongBoTienTrinh in chunks of 10. With
 * quirks, that list is framed by synthetic rows on every run and carries the known wrong statuses.
 * A dossier still waiting online (status 1) is not synced; its row goes with the next run.
 */
export function thanhHoaMessages(
  d: WireDossier,
  rng: SimRandom,
  quirks: boolean,
): { atSecond: number; message: ThanhHoaMessage }[] {
  const out: { atSecond: number; message: ThanhHoaMessage }[] = [];
  const unsent: WireItem[] = [];
  const push = (atSecond: number, operation: ThanhHoaMessage['operation'], body: WireItem[]) =>
    out.push({
      atSecond,
      message: {
        sender: 'thanhhoa',
        at: d.clock.format(atSecond),
        atEpochMs: d.clock.epochMs(atSecond),
        dossierCode: d.code,
        operation,
        body,
      },
    });
  d.planned.steps.forEach((step, i) => {
    unsent.push(storedRow(d, step, quirks));
    const isLast = i === d.planned.steps.length - 1;
    if (step.status === 1 || (quirks && !isLast && rng.chance(0.1))) {
      return;
    }
    const item = snapshot(d, step, quirks);
    push(step.at, 'create', [item]);
    const rows = [...unsent];
    if (quirks) {
      const { first, last } = syntheticRows(d, step, snapshotStatus(step.status, quirks));
      rows.unshift(first);
      if (last) {
        rows.push(last);
      }
    }
    for (const part of chunk(rows, 10)) {
      push(step.at, 'progress', part);
    }
    unsent.length = 0;
  });
  return out;
}
