/**
 * Reference data for the day simulator. Procedure codes, names, sectors and time limits are copied
 * from the DVCQG crawl (shared/data/procedures.csv; 1.006424's name is NFD there and stays NFD here).
 * Agency codes have the QCVN 102 shape of Thanh Hóa (H56) but are illustrative, as are sector codes
 * and the units' structure.
 */

export interface SimProcedure {
  code: string;
  name: string;
  sectorCode: string;
  sectorName: string;
  /** Statutory time limit in working days (the crawl's "N ngày" read as working days). */
  allowanceDays: number;
  /** Fee in VND, 0 when free. */
  fee: number;
  applicant: 'citizen' | 'business';
  agencies: readonly AgencyKey[];
  documents: readonly string[];
  result: string;
}

export type AgencyKey = 'soTuPhap' | 'soNongNghiep' | 'soYTe' | 'soGiaoDuc' | 'xaQuangPhu' | 'xaDongTien';

export interface SimOfficer {
  name: string;
  title: string;
  /** OpenCPS process role code, sent in `PhongBanXuLy` by OpenCPS 2021 (wire-formats.md §1.7). */
  roleCode: string;
  unit: string;
}

export interface SimAgency {
  key: AgencyKey;
  code: string;
  name: string;
  counter: readonly SimOfficer[];
  specialists: readonly SimOfficer[];
  heads: readonly SimOfficer[];
  leaders: readonly SimOfficer[];
}

function unit(name: string, title: string, roleCode: string, people: readonly string[]): SimOfficer[] {
  return people.map((person) => ({ name: person, title, roleCode, unit: name }));
}

const PROVINCIAL_COUNTER = 'Trung tâm Phục vụ hành chính công tỉnh';

function department(
  key: AgencyKey,
  code: string,
  name: string,
  specialistUnit: string,
  people: { counter: string[]; specialists: string[]; head: string[]; leaders: string[] },
): SimAgency {
  return {
    key,
    code,
    name,
    counter: unit(PROVINCIAL_COUNTER, 'Công chức tiếp nhận và trả kết quả', 'CBTN', people.counter),
    specialists: unit(specialistUnit, 'Chuyên viên', 'CVXL', people.specialists),
    heads: unit(specialistUnit, 'Trưởng phòng', 'LDP', people.head),
    leaders: unit('Ban Giám đốc Sở', 'Phó Giám đốc Sở', 'LDDV', people.leaders),
  };
}

function commune(
  key: AgencyKey,
  code: string,
  name: string,
  people: { counter: string[]; specialists: string[]; head: string[]; leaders: string[] },
): SimAgency {
  const office = `Văn phòng HĐND và UBND ${name.replace('UBND ', '')}`;
  return {
    key,
    code,
    name,
    counter: unit(`Bộ phận Một cửa ${name}`, 'Công chức Một cửa', 'CBTN', people.counter),
    specialists: unit(office, 'Công chức Tư pháp - Hộ tịch', 'CVXL', people.specialists),
    heads: unit(office, 'Chánh Văn phòng', 'LDP', people.head),
    leaders: unit(`Lãnh đạo ${name}`, 'Phó Chủ tịch UBND xã', 'LDDV', people.leaders),
  };
}

export const AGENCIES: Readonly<Record<AgencyKey, SimAgency>> = {
  soTuPhap: department('soTuPhap', '000.00.01.H56', 'Sở Tư pháp tỉnh Thanh Hóa', 'Phòng Hành chính tư pháp', {
    counter: ['Phạm Thu Trang', 'Nguyễn Minh Châu'],
    specialists: ['Đỗ Quang Huy', 'Lê Thị Ánh Tuyết'],
    head: ['Trịnh Văn Lực'],
    leaders: ['Hoàng Đức Thắng'],
  }),
  soNongNghiep: department(
    'soNongNghiep',
    '000.00.15.H56',
    'Sở Nông nghiệp và Môi trường tỉnh Thanh Hóa',
    'Văn phòng Đăng ký đất đai',
    {
      counter: ['Vũ Thị Ngọc Ánh', 'Bùi Văn Ước'],
      specialists: ['Lương Thế Vinh', 'Mai Thị Phương Thảo', 'Ngô Đức Ứng'],
      head: ['Dương Quốc Khánh'],
      leaders: ['Lê Hoàng Phương Thảo Nguyên'],
    },
  ),
  soYTe: department('soYTe', '000.00.09.H56', 'Sở Y tế tỉnh Thanh Hóa', 'Chi cục An toàn vệ sinh thực phẩm', {
    counter: ['Phan Thị Hạnh'],
    specialists: ['Hồ Sỹ Ẩn', 'Lý Thị Yến'],
    head: ['Trần Quang Khải'],
    leaders: ['Nguyễn Thị Ỷ Lan'],
  }),
  soGiaoDuc: department(
    'soGiaoDuc',
    '000.00.12.H56',
    'Sở Giáo dục và Đào tạo tỉnh Thanh Hóa',
    'Phòng Giáo dục nghề nghiệp',
    {
      counter: ['Đặng Thị Thu Hà'],
      specialists: ['Võ Minh Tuấn'],
      head: ['Huỳnh Thị Kim Oanh'],
      leaders: ['Lê Văn Ổn'],
    },
  ),
  xaQuangPhu: commune('xaQuangPhu', '000.30.21.H56', 'UBND xã Quảng Phú', {
    counter: ['Lê Thị Hồng', 'Nguyễn Văn Sáu'],
    specialists: ['Trần Thị Mỹ Dung', 'Phạm Văn Đoàn'],
    head: ['Hoàng Thị Nhụy'],
    leaders: ['Lê Đình Ước'],
  }),
  xaDongTien: commune('xaDongTien', '000.30.45.H56', 'UBND xã Đông Tiến', {
    counter: ['Trịnh Thị Huyền'],
    specialists: ['Đào Văn Mạnh', 'Cao Thị Ngân'],
    head: ['Lưu Thị Xuân'],
    leaders: ['Nguyễn Hữu Ứng'],
  }),
};

const COMMUNES: readonly AgencyKey[] = ['xaQuangPhu', 'xaDongTien'];
const CIVIL_STATUS_DOCS = ['Tờ khai đăng ký hộ tịch', 'Giấy tờ tùy thân của người yêu cầu'];
const LAND_DOCS = [
  'Đơn đăng ký biến động đất đai',
  'Giấy chứng nhận quyền sử dụng đất đã cấp',
  'Văn bản ủy quyền',
];

export const PROCEDURES: readonly SimProcedure[] = [
  {
    code: '1.001193',
    name: 'Thủ tục đăng ký khai sinh',
    sectorCode: 'G09-TP03',
    sectorName: 'Hộ tịch',
    allowanceDays: 1,
    fee: 0,
    applicant: 'citizen',
    agencies: COMMUNES,
    documents: ['Tờ khai đăng ký khai sinh', 'Giấy chứng sinh'],
    result: 'Giấy khai sinh (bản chính)',
  },
  {
    code: '1.000894',
    name: 'Thủ tục đăng ký kết hôn',
    sectorCode: 'G09-TP03',
    sectorName: 'Hộ tịch',
    allowanceDays: 1,
    fee: 0,
    applicant: 'citizen',
    agencies: COMMUNES,
    documents: ['Tờ khai đăng ký kết hôn', 'Giấy xác nhận tình trạng hôn nhân'],
    result: 'Giấy chứng nhận kết hôn',
  },
  {
    code: '1.000656',
    name: 'Thủ tục đăng ký khai tử',
    sectorCode: 'G09-TP03',
    sectorName: 'Hộ tịch',
    allowanceDays: 1,
    fee: 0,
    applicant: 'citizen',
    agencies: COMMUNES,
    documents: ['Tờ khai đăng ký khai tử', 'Giấy báo tử'],
    result: 'Trích lục khai tử',
  },
  {
    code: '1.001022',
    name: 'Thủ tục đăng ký nhận cha, mẹ, con',
    sectorCode: 'G09-TP03',
    sectorName: 'Hộ tịch',
    allowanceDays: 3,
    fee: 0,
    applicant: 'citizen',
    agencies: COMMUNES,
    documents: CIVIL_STATUS_DOCS,
    result: 'Trích lục đăng ký nhận cha, mẹ, con',
  },
  {
    code: '1.000689',
    name: 'Thủ tục đăng ký khai sinh kết hợp đăng ký nhận cha, mẹ, con',
    sectorCode: 'G09-TP03',
    sectorName: 'Hộ tịch',
    allowanceDays: 3,
    fee: 0,
    applicant: 'citizen',
    agencies: COMMUNES,
    documents: ['Tờ khai đăng ký khai sinh', 'Tờ khai nhận cha, mẹ, con', 'Giấy chứng sinh'],
    result: 'Giấy khai sinh (bản chính)',
  },
  {
    code: '1.003583',
    name: 'Thủ tục đăng ký khai sinh lưu động',
    sectorCode: 'G09-TP03',
    sectorName: 'Hộ tịch',
    allowanceDays: 5,
    fee: 0,
    applicant: 'citizen',
    agencies: COMMUNES,
    documents: ['Tờ khai đăng ký khai sinh'],
    result: 'Giấy khai sinh (bản chính)',
  },
  {
    code: '2.000635',
    name: 'Cấp bản sao Trích lục hộ tịch, bản sao Giấy khai sinh',
    sectorCode: 'G09-TP03',
    sectorName: 'Hộ tịch',
    allowanceDays: 1,
    fee: 8_000,
    applicant: 'citizen',
    agencies: [...COMMUNES, 'soTuPhap'],
    documents: ['Tờ khai cấp bản sao trích lục hộ tịch'],
    result: 'Bản sao trích lục hộ tịch',
  },
  {
    code: '2.000908',
    name: 'Thủ tục cấp bản sao từ sổ gốc',
    sectorCode: 'G09-TP02',
    sectorName: 'Chứng thực',
    allowanceDays: 1,
    fee: 0,
    applicant: 'citizen',
    agencies: COMMUNES,
    documents: ['Đơn đề nghị cấp bản sao từ sổ gốc'],
    result: 'Bản sao từ sổ gốc',
  },
  {
    code: '1.001612',
    name: 'Đăng ký thành lập hộ kinh doanh',
    sectorCode: 'G09-TC07',
    sectorName: 'Thành lập và hoạt động doanh nghiệp (hộ kinh doanh)',
    allowanceDays: 3,
    fee: 100_000,
    applicant: 'business',
    agencies: COMMUNES,
    documents: ['Giấy đề nghị đăng ký hộ kinh doanh', 'Bản sao giấy tờ pháp lý của chủ hộ'],
    result: 'Giấy chứng nhận đăng ký hộ kinh doanh',
  },
  {
    code: '3.000333',
    name: 'Cấp Phiếu Lý lịch tư pháp cho công dân Việt Nam, người nước ngoài đang cư trú tại Việt Nam, người Việt Nam đang cư trú ở nước ngoài',
    sectorCode: 'G09-TP05',
    sectorName: 'Lý lịch tư pháp',
    allowanceDays: 10,
    fee: 200_000,
    applicant: 'citizen',
    agencies: ['soTuPhap'],
    documents: ['Tờ khai yêu cầu cấp Phiếu lý lịch tư pháp', 'Bản chụp giấy tờ tùy thân'],
    result: 'Phiếu lý lịch tư pháp số 1',
  },
  {
    code: '2.001023',
    name: 'Liên thông các thủ tục hành chính về đăng ký khai sinh, cấp Thẻ bảo hiểm y tế cho trẻ em dưới 6 tuổi',
    sectorCode: 'G09-TP03',
    sectorName: 'Hộ tịch',
    allowanceDays: 15,
    fee: 0,
    applicant: 'citizen',
    agencies: COMMUNES,
    documents: ['Tờ khai đăng ký khai sinh', 'Tờ khai tham gia bảo hiểm y tế'],
    result: 'Giấy khai sinh và Thẻ bảo hiểm y tế',
  },
  {
    code: '1.012753',
    name: 'Đăng ký đất đai, tài sản gắn liền với đất, cấp Giấy chứng nhận quyền sử dụng đất, quyền sở hữu tài sản gắn liền với đất lần đầu đối với tổ chức đang sử dụng đất',
    sectorCode: 'G09-NM01',
    sectorName: 'Đất đai',
    allowanceDays: 20,
    fee: 500_000,
    applicant: 'business',
    agencies: ['soNongNghiep'],
    documents: ['Đơn đăng ký, cấp Giấy chứng nhận', 'Giấy tờ về quyền sử dụng đất'],
    result: 'Giấy chứng nhận quyền sử dụng đất',
  },
  {
    code: '1.115621',
    name: 'Cấp lại Giấy chứng nhận do bị mất',
    sectorCode: 'G09-NM01',
    sectorName: 'Đất đai',
    allowanceDays: 5,
    fee: 50_000,
    applicant: 'citizen',
    agencies: ['soNongNghiep'],
    documents: LAND_DOCS.slice(0, 1),
    result: 'Giấy chứng nhận quyền sử dụng đất (cấp lại)',
  },
  {
    code: '1.115628',
    name: 'Đính chính Giấy chứng nhận đã cấp',
    sectorCode: 'G09-NM01',
    sectorName: 'Đất đai',
    allowanceDays: 5,
    fee: 0,
    applicant: 'citizen',
    agencies: ['soNongNghiep'],
    documents: LAND_DOCS.slice(0, 2),
    result: 'Giấy chứng nhận đã đính chính',
  },
  {
    code: '1.115643',
    name: 'Gia hạn sử dụng đất khi hết thời hạn sử dụng đất',
    sectorCode: 'G09-NM01',
    sectorName: 'Đất đai',
    allowanceDays: 10,
    fee: 0,
    applicant: 'business',
    agencies: ['soNongNghiep'],
    documents: LAND_DOCS,
    result: 'Quyết định gia hạn sử dụng đất',
  },
  {
    code: '1.115268',
    name: 'Xác nhận tiếp tục sử dụng đất nông nghiệp của cá nhân khi hết thời hạn sử dụng đất.',
    sectorCode: 'G09-NM01',
    sectorName: 'Đất đai',
    allowanceDays: 3,
    fee: 0,
    applicant: 'citizen',
    agencies: ['soNongNghiep'],
    documents: LAND_DOCS.slice(0, 2),
    result: 'Giấy chứng nhận đã xác nhận',
  },
  {
    code: '2.002890',
    name: 'Cấp giấy chứng nhận đăng ký hoạt động giáo dục nghề nghiệp đối với trường trung cấp',
    sectorCode: 'G09-GD04',
    sectorName: 'Giáo dục nghề nghiệp',
    allowanceDays: 7,
    fee: 0,
    applicant: 'business',
    agencies: ['soGiaoDuc'],
    documents: ['Văn bản đề nghị cấp giấy chứng nhận', 'Đề án tổ chức hoạt động'],
    result: 'Giấy chứng nhận đăng ký hoạt động giáo dục nghề nghiệp',
  },
  {
    code: '1.006424',
    name: 'Đăng ký xác nhận nội dung quảng cáo đối với thực phẩm bảo vệ sức khỏe'.normalize('NFD'),
    sectorCode: 'G09-YT06',
    sectorName: 'An toàn thực phẩm',
    allowanceDays: 10,
    fee: 1_100_000,
    applicant: 'business',
    agencies: ['soYTe'],
    documents: ['Đơn đề nghị xác nhận nội dung quảng cáo', 'Mẫu nội dung quảng cáo'],
    result: 'Giấy xác nhận nội dung quảng cáo',
  },
];

export const FAMILY_NAMES = [
  'Nguyễn',
  'Trần',
  'Lê',
  'Phạm',
  'Hoàng',
  'Huỳnh',
  'Phan',
  'Vũ',
  'Võ',
  'Đặng',
  'Bùi',
  'Đỗ',
  'Hồ',
  'Ngô',
  'Dương',
  'Lý',
  'Trịnh',
  'Mai',
  'Lương',
] as const;
export const MIDDLE_NAMES = {
  male: ['Văn', 'Đức', 'Minh', 'Quang', 'Hữu', 'Gia', 'Xuân', 'Thế'],
  female: ['Thị', 'Thu', 'Hồng', 'Ngọc', 'Phương', 'Thanh', 'Bảo'],
} as const;
export const GIVEN_NAMES = {
  male: [
    'An',
    'Bình',
    'Dũng',
    'Hải',
    'Hiếu',
    'Hùng',
    'Khánh',
    'Long',
    'Nam',
    'Phúc',
    'Quân',
    'Sơn',
    'Tuấn',
    'Việt',
    'Ước',
    'Ứng',
    'Ẩn',
  ],
  female: [
    'Chi',
    'Giang',
    'Hà',
    'Hạnh',
    'Hoa',
    'Hương',
    'Lan',
    'Linh',
    'Mai',
    'Nhung',
    'Thảo',
    'Trang',
    'Uyên',
    'Yến',
    'Ánh',
    'Ngọc Ánh',
  ],
} as const;
export const BUSINESS_NAMES = [
  'Công ty TNHH Thương mại Sông Mã',
  'Công ty Cổ phần Xây dựng và Phát triển Hạ tầng Hàm Rồng Thanh Hóa',
  'Công ty TNHH Dịch vụ Du lịch Sầm Sơn',
  'Hợp tác xã Nông nghiệp Xứ Thanh',
  'Công ty TNHH Vận tải Lam Sơn',
  'Trường Trung cấp Kỹ thuật Nghề Bỉm Sơn',
  'Công ty Cổ phần Thực phẩm Chức năng Nghi Sơn',
] as const;
