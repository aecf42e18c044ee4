import type { LifecycleStep } from './dossier-lifecycle';
import { actorName, hasResult, type WireDossier, type WireItem, wireDate } from './sender-shared';
import type { SimRandom } from './sim-random';
import type { OpenCpsEnvelope, OpenCpsMessage } from './simulated-traffic';

/**
 * The DongBoHoSoMC item as OpenCPS builds it (wire-formats.md §1.7): every value a string, the phone
 * also in `Fax`, no `KenhThucHien`/`NgayNopHoSo`, empty supplement and fee lists, file links with a
 * fresh `?t=<millis>` on every send. Without quirks the optional fields are filled in honestly.
 */
function snapshot(
  d: WireDossier,
  step: LifecycleStep,
  status: string,
  sentAtMs: number,
  quirks: boolean,
): WireItem {
  const { planned } = d;
  const { procedure, applicant, agency } = planned;
  const link = (doc: WireDossier['result'], offset: number) =>
    `https://motcua.thanhhoa.example.gov.vn/documents/20121/0/${doc.slug}.pdf/${doc.fileKey}?t=${sentAtMs + offset}&download=true`;
  const item: WireItem = {
    MaHoSo: d.code,
    MaTTHC: procedure.code,
    TenTTHC: procedure.name,
    MaLinhVuc: procedure.sectorCode,
    TenLinhVuc: procedure.sectorName,
    ChuHoSo: d.spell(applicant.name),
    LoaiDoiTuong: applicant.kind === 'business' ? '2' : '1',
    MaDoiTuong: planned.channel === 2 ? d.techId : '',
    ThongTinKhac: '',
    Email: '',
    Fax: quirks ? applicant.phone : '',
    SoDienThoai: applicant.phone,
    TrichYeuHoSo: `${procedure.name} - ${d.spell(applicant.name)}`,
    NgayTiepNhan: wireDate(d, step.dates.receivedAt),
    NgayHenTra: wireDate(d, step.dates.dueAt),
    TrangThaiHoSo: status,
    NgayTra: wireDate(d, step.dates.returnedAt),
    ThongTinTra: '',
    HinhThuc: '0',
    NgayKetThucXuLy: wireDate(d, step.dates.processingEndedAt),
    DonViXuLy: agency.name,
    DanhSachLePhi: [],
    DanhSachTepDinhKemKhac: [],
    DanhSachHoSoBoSung: [],
    DanhSachGiayToKetQua: hasResult(step)
      ? [
          {
            TenGiayTo: d.result.name,
            MaThanhPhanHoSo: d.result.componentCode,
            GiayToId: d.result.id,
            DuongDanTepTinKetQua: link(d.result, 99),
          },
        ]
      : [],
    TaiLieuNop: d.documents.map((doc, i) => ({
      TenTepDinhKem: doc.name,
      MaThanhPhanHoSo: doc.componentCode,
      TepDinhKemId: doc.id,
      DuongDanTaiTepTin: link(doc, i),
      IsDeleted: 'False',
    })),
  };
  if (!quirks) {
    Object.assign(item, {
      KenhThucHien: String(planned.channel),
      NgayNopHoSo: wireDate(d, step.dates.submittedAt),
      NgayTuChoi: wireDate(d, step.dates.rejectedAt),
      DanhSachLePhi:
        procedure.fee > 0
          ? [
              {
                TenPhiLePhi: 'Lệ phí',
                MaPhiLePhi: '1',
                HinhThucThu: '1',
                Gia: String(procedure.fee),
                LoaiPhiLePhi: '1',
              },
            ]
          : [],
    });
  }
  return item;
}

/** The one progress row OpenCPS sends per sync: the current action (OpenCPS 2021 field use). */
function progressRow(d: WireDossier, step: LifecycleStep, status: string, quirks: boolean): WireItem {
  return {
    MaHoSo: d.code,
    NguoiXuLy: actorName(d, step.actor),
    ChucDanh: quirks ? '' : (step.actor.title ?? ''),
    ThoiDiemXuLy: d.clock.format(step.at),
    PhongBanXuLy: quirks ? (step.actor.roleCode ?? '') : (step.actor.unit ?? ''),
    NoiDungXuLy: step.note ? `${step.action}-${step.note}` : step.action,
    TrangThai: status,
    NgayBatDau: '',
    NgayKetThucTheoQuyDinh: wireDate(d, step.stepDeadline),
  };
}

/**
 * What an OpenCPS site sends for one dossier. Each action triggers a sync of the *current* state:
 * TraCuuHoSo, then DongBoHoSoMC (isUpdating from what it sent before), then one CapNhatTienDoHoSoMC row.
 * With quirks, two actions sometimes fall into one scheduler run (the first one's row is never sent),
 * a sync is sometimes repeated, and a payment request may have no status mapping (`""`).
 */
export function openCpsMessages(
  d: WireDossier,
  rng: SimRandom,
  quirks: boolean,
): { atSecond: number; message: OpenCpsMessage }[] {
  const out: { atSecond: number; message: OpenCpsMessage }[] = [];
  const madonvi = d.planned.agency.code;
  const unmappedPayment = quirks && rng.chance(0.5);
  let sentBefore = false;
  d.planned.steps.forEach((step, i) => {
    const isLast = i === d.planned.steps.length - 1;
    if (quirks && !isLast && rng.chance(0.1)) {
      return;
    }
    const status = step.status === 6 && unmappedPayment ? '' : String(step.status);
    const repeats = quirks && rng.chance(0.05) ? 2 : 1;
    for (let r = 0; r < repeats; r++) {
      const atSecond = step.at;
      const sentAtMs = d.clock.epochMs(atSecond) + rng.int(0, 900);
      const envelopes: OpenCpsEnvelope[] = [
        { madonvi, service: 'TraCuuHoSo', mahoso: d.code },
        {
          madonvi,
          service: 'DongBoHoSoMC',
          isUpdating: sentBefore ? 'True' : 'False',
          data: [snapshot(d, step, status, sentAtMs, quirks)],
        },
        { madonvi, service: 'CapNhatTienDoHoSoMC', data: [progressRow(d, step, status, quirks)] },
      ];
      for (const body of envelopes) {
        out.push({
          atSecond,
          message: {
            sender: 'opencps',
            at: d.clock.format(atSecond),
            atEpochMs: d.clock.epochMs(atSecond),
            dossierCode: d.code,
            service: body.service,
            body,
          },
        });
      }
      sentBefore = true;
    }
  });
  return out;
}
