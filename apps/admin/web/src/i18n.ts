import { createContext, useContext } from 'react';

export type Lang = 'vi' | 'en';

const vi = {
  appTitle: 'isohub — Quản trị ánh xạ',
  'nav.catalogue': 'Tra cứu thủ tục',
  'nav.mappings': 'Ánh xạ mã',
  'nav.transfer': 'Nhập/Xuất',
  'nav.unmapped': 'Hàng chờ chưa ánh xạ',
  'nav.audit': 'Lịch sử thay đổi',
  'nav.adapters': 'Trạng thái kết nối',
  logout: 'Đăng xuất',
  switchLang: 'English',
  readOnly: 'Chỉ xem',
  loading: 'Đang tải…',
  search: 'Tìm',
  searchPlaceholder: 'Tên thủ tục (có dấu hay không dấu) hoặc mã',
  results: '{n} kết quả ({ms} ms)',
  noResults: 'Không có kết quả',
  code: 'Mã',
  name: 'Tên thủ tục',
  field: 'Lĩnh vực',
  times: 'Thời hạn giải quyết',
  inPerson: 'Trực tiếp',
  online: 'Trực tuyến',
  postal: 'Bưu chính',
  sourceSystem: 'Hệ thống nguồn',
  localCode: 'Mã địa phương',
  nationalCode: 'Mã quốc gia',
  agencyCode: 'Mã cơ quan',
  note: 'Ghi chú',
  updated: 'Cập nhật',
  actions: 'Thao tác',
  edit: 'Sửa',
  delete: 'Xoá',
  confirmDelete: 'Xác nhận xoá',
  save: 'Lưu',
  cancel: 'Huỷ',
  filter: 'Lọc',
  mappingForm: 'Thêm / sửa ánh xạ mã (bản nháp)',
  saved: 'Đã lưu {key}',
  deleted: 'Đã xoá {key}',
  mappingsTotal: '{n} ánh xạ (phiên bản {v})',
  importTitle: 'Nhập tệp CSV/XLSX',
  kind: 'Loại dữ liệu',
  kindLocal: 'Ánh xạ mã',
  kindProcess: 'Quy trình ISO',
  file: 'Tệp',
  dryRun: 'Kiểm tra (chạy thử)',
  apply: 'Áp dụng',
  applied: 'Đã áp dụng vào bản nháp',
  dryRunNote: 'Chạy thử: chưa ghi gì.',
  summary: 'Thêm {added} · sửa {changed} · giữ nguyên {unchanged} · xoá {removed} · lỗi {errors}',
  rowErrors: 'Lỗi theo dòng',
  row: 'Dòng',
  column: 'Cột',
  message: 'Nội dung lỗi',
  fixErrors: 'Tệp có lỗi: sửa rồi tải lên lại, chưa thể áp dụng.',
  added: 'Thêm mới',
  changed: 'Thay đổi',
  removed: 'Xoá',
  before: 'Trước',
  after: 'Sau',
  exportTitle: 'Xuất dữ liệu (bản nháp)',
  unmappedTitle: 'Mã chưa ánh xạ',
  state: 'Trạng thái',
  stateOpen: 'Chưa xử lý',
  statePending: 'Chờ xuất bản',
  stateAll: 'Tất cả',
  occurrences: 'Số lần',
  firstSeen: 'Lần đầu',
  lastSeen: 'Lần cuối',
  samples: 'Hồ sơ mẫu',
  suggestion: 'Gợi ý',
  map: 'Ánh xạ',
  emptyQueue: 'Không có mã nào chờ ánh xạ',
  auditTitle: 'Nhật ký thay đổi (mới nhất trước)',
  at: 'Thời điểm',
  actor: 'Người thực hiện',
  action: 'Hành động',
  entity: 'Đối tượng',
  verify: 'Kiểm tra chuỗi',
  chainOk: 'Chuỗi băm toàn vẹn: đã kiểm tra {n} mục',
  chainBroken: 'Chuỗi bị phá vỡ tại mục #{id} ({reason}); đã kiểm tra {n} mục',
  more: 'Xem thêm',
  adaptersTitle: 'Trạng thái kết nối',
  adaptersNote:
    'Trang quản trị chưa có API riêng cho từng bộ tiếp hợp: đây là trạng thái sẵn sàng mà sync-service báo (/health/ready).',
  hubStatus: 'Trạng thái sync-service',
  unreachable: 'Không kết nối được sync-service',
  check: 'Hạng mục',
  details: 'Chi tiết',
  statusPage: 'Trang trạng thái đầy đủ',
  refresh: 'Làm mới',
  error: 'Lỗi',
  forbidden: 'Bạn không có quyền thực hiện thao tác này',
};

export type Key = keyof typeof vi;

const en: Record<Key, string> = {
  appTitle: 'isohub — Mapping console',
  'nav.catalogue': 'Catalogue search',
  'nav.mappings': 'Local-code mappings',
  'nav.transfer': 'Import/export',
  'nav.unmapped': 'Unmapped queue',
  'nav.audit': 'Audit history',
  'nav.adapters': 'Adapter status',
  logout: 'Sign out',
  switchLang: 'Tiếng Việt',
  readOnly: 'Read only',
  loading: 'Loading…',
  search: 'Search',
  searchPlaceholder: 'Procedure name (with or without accents) or code',
  results: '{n} results ({ms} ms)',
  noResults: 'No results',
  code: 'Code',
  name: 'Procedure',
  field: 'Field',
  times: 'Processing time',
  inPerson: 'In person',
  online: 'Online',
  postal: 'Postal',
  sourceSystem: 'Source system',
  localCode: 'Local code',
  nationalCode: 'National code',
  agencyCode: 'Agency code',
  note: 'Note',
  updated: 'Updated',
  actions: 'Actions',
  edit: 'Edit',
  delete: 'Delete',
  confirmDelete: 'Confirm delete',
  save: 'Save',
  cancel: 'Cancel',
  filter: 'Filter',
  mappingForm: 'Add / edit a local-code mapping (draft)',
  saved: 'Saved {key}',
  deleted: 'Deleted {key}',
  mappingsTotal: '{n} mappings (version {v})',
  importTitle: 'Import a CSV/XLSX file',
  kind: 'Kind',
  kindLocal: 'Local-code mappings',
  kindProcess: 'ISO processes',
  file: 'File',
  dryRun: 'Check (dry run)',
  apply: 'Apply',
  applied: 'Applied to the draft',
  dryRunNote: 'Dry run: nothing written.',
  summary: 'Added {added} · changed {changed} · unchanged {unchanged} · removed {removed} · errors {errors}',
  rowErrors: 'Row errors',
  row: 'Row',
  column: 'Column',
  message: 'Message',
  fixErrors: 'The file has errors: fix them and upload again; it cannot be applied.',
  added: 'Added',
  changed: 'Changed',
  removed: 'Removed',
  before: 'Before',
  after: 'After',
  exportTitle: 'Export (draft)',
  unmappedTitle: 'Unmapped codes',
  state: 'State',
  stateOpen: 'Open',
  statePending: 'Pending publish',
  stateAll: 'All',
  occurrences: 'Count',
  firstSeen: 'First seen',
  lastSeen: 'Last seen',
  samples: 'Sample dossiers',
  suggestion: 'Suggestion',
  map: 'Map',
  emptyQueue: 'No codes waiting to be mapped',
  auditTitle: 'Change log (newest first)',
  at: 'At',
  actor: 'Actor',
  action: 'Action',
  entity: 'Entity',
  verify: 'Verify chain',
  chainOk: 'Hash chain intact: {n} entries checked',
  chainBroken: 'Chain broken at entry #{id} ({reason}); {n} entries checked',
  more: 'More',
  adaptersTitle: 'Adapter status',
  adaptersNote:
    'The admin has no per-adapter API yet: this is the readiness the sync-service reports (/health/ready).',
  hubStatus: 'Sync-service status',
  unreachable: 'Sync-service unreachable',
  check: 'Check',
  details: 'Details',
  statusPage: 'Full status page',
  refresh: 'Refresh',
  error: 'Error',
  forbidden: 'You are not allowed to do this',
};

const DICTS: Record<Lang, Record<Key, string>> = { vi, en };
const STORAGE_KEY = 'isohub.lang';

export function savedLang(): Lang {
  try {
    return localStorage.getItem(STORAGE_KEY) === 'en' ? 'en' : 'vi';
  } catch {
    return 'vi';
  }
}

export function saveLang(lang: Lang): void {
  try {
    localStorage.setItem(STORAGE_KEY, lang);
  } catch {
    // private mode: the choice lasts for this page only
  }
}

export type Translate = (key: Key, vars?: Record<string, string | number>) => string;

export function translator(lang: Lang): Translate {
  return (key, vars = {}) =>
    DICTS[lang][key].replace(/\{(\w+)\}/g, (_m, name: string) => String(vars[name] ?? `{${name}}`));
}

export const I18n = createContext<{ lang: Lang; t: Translate }>({ lang: 'vi', t: translator('vi') });

export function useT(): Translate {
  return useContext(I18n).t;
}
