// What the benchmark sends through the tee: OpenCPS-style dossier lifecycles with realistic items.
// Each dossier is three requests, in order:
//   1. DongBoHoSoMC [snapshot, TrangThaiHoSo 2]            -> DOSSIER_RECEIVED
//   2. CapNhatTienDoHoSoMC [two progress rows, TrangThai 4] -> STEP_HANDOVER x2 (the first carries 2 -> 4)
//   3. DongBoHoSoMC [closing snapshot, TrangThaiHoSo 9], isUpdating "True" -> RESULT_READY
// The exact event count is not assumed: the benchmark reads it from the hub's database.
import { randomBytes } from 'node:crypto';

export const AGENCY = '000.00.01.H56';
export const OPENCPS = { username: 'opencps-demo', password: 'demo-password-change-me' };

/** Procedures from the national catalogue (resolved by the hub), with their sector. */
const PROCEDURES = [
  ['1.001193', 'Thủ tục đăng ký khai sinh'],
  ['1.000894', 'Thủ tục đăng ký kết hôn'],
  ['1.001022', 'Thủ tục đăng ký nhận cha, mẹ, con'],
  ['1.003583', 'Thủ tục đăng ký khai sinh lưu động'],
  ['1.000656', 'Thủ tục đăng ký khai tử'],
];
const APPLICANTS = [
  'Nguyễn Văn An',
  'Trần Thị Bích Ngọc',
  'Lê Hoàng Phúc',
  'Phạm Thị Thu Hà',
  'Đỗ Minh Quân',
];
const OFFICERS = [
  ['Trần Thị Bình', 'Chuyên viên', 'Bộ phận Tiếp nhận và Trả kết quả'],
  ['Lê Văn Cường', 'Công chức Tư pháp - Hộ tịch', 'Phòng Tư pháp'],
  ['Hoàng Thị Dung', 'Phó Chủ tịch', 'Lãnh đạo UBND'],
];
const COMMUNES = ['UBND xã Quảng Phú', 'UBND phường Điện Biên', 'UBND xã Hoằng Quang', 'UBND xã Đông Tiến'];

/** yyyyMMddHHmmss in Vietnam time (UTC+7, no DST), as the senders write dates. */
export function vnStamp(epochMs) {
  return new Date(epochMs + 7 * 3600_000).toISOString().replace(/\D/g, '').slice(0, 14);
}

export function dossierCode(n, day) {
  return `${AGENCY}-${vnStamp(day).slice(2, 8)}-${String(n).padStart(5, '0')}`;
}

/**
 * The three requests of dossier `n`. `base` is an epoch ms a couple of hours back, so that the dates
 * are today's, ordered, and in the past.
 */
export function lifecycle(n, base) {
  const code = dossierCode(n, base);
  const [procCode, procName] = PROCEDURES[n % PROCEDURES.length];
  const t = (minutes) => vnStamp(base + (n % 600) * 1000 + minutes * 60_000);
  const due = vnStamp(base + 3 * 86_400_000);
  const snapshot = {
    MaHoSo: code,
    MaTTHC: procCode,
    TenTTHC: procName,
    MaLinhVuc: 'G14',
    TenLinhVuc: 'Hộ tịch',
    KenhThucHien: String(1 + (n % 3)),
    ChuHoSo: APPLICANTS[n % APPLICANTS.length],
    SoDienThoai: `09${String(10_000_000 + ((n * 7919) % 89_999_999)).padStart(8, '0')}`,
    EmailChuHoSo: '',
    SoGiayToChuHoSo: String(1_000_000_000 + n).padStart(12, '0'),
    DiaChiChuHoSo: 'Thôn 3, xã Quảng Phú, tỉnh Thanh Hóa',
    NgayNopHoSo: t(0),
    NgayTiepNhan: t(10),
    NgayHenTra: due,
    NgayKetThucXuLy: '',
    NgayTra: '00000000000000',
    TrangThaiHoSo: '2',
    DonViXuLy: COMMUNES[n % COMMUNES.length],
  };
  const row = (minutes, [who, title, unit], text) => ({
    MaHoSo: code,
    NguoiXuLy: who,
    ChucDanh: title,
    PhongBanXuLy: unit,
    ThoiDiemXuLy: t(minutes),
    NoiDungXuLy: text,
    TrangThai: '4',
    NgayBatDau: t(minutes),
    NgayKetThucTheoQuyDinh: due,
  });
  return [
    { service: 'DongBoHoSoMC', isUpdating: 'False', data: [snapshot] },
    {
      service: 'CapNhatTienDoHoSoMC',
      isUpdating: 'False',
      data: [
        row(20, OFFICERS[1], 'Chuyển xử lý hồ sơ'),
        row(45, OFFICERS[2], 'Trình lãnh đạo ký duyệt kết quả'),
      ],
    },
    {
      service: 'DongBoHoSoMC',
      isUpdating: 'True',
      data: [{ ...snapshot, TrangThaiHoSo: '9', NgayKetThucXuLy: t(60) }],
    },
  ];
}

/**
 * W3C traceparent whose trace id names the run, the phase and the request, so that a consumer can
 * match each Kafka record back to the request that caused it (the hub copies it into the record).
 */
export function traceIds(runTag) {
  const parent = randomBytes(8)
    .toString('hex')
    .replace(/^0{16}$/, '0000000000000001');
  return {
    traceId: (phase, index) =>
      `${runTag}${phase.toString(16).padStart(2, '0')}${index.toString(16).padStart(22, '0')}`,
    header: (traceId) => `00-${traceId}-${parent}-01`,
  };
}
