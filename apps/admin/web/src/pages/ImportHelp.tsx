import { useContext } from 'react';
import { I18n } from '../i18n';

type Kind = 'local-codes' | 'processes';

interface Column {
  name: string;
  required: boolean;
  vi: string;
  en: string;
  example: string;
}

/** The import files' columns (apps/admin/src/mapping/import-columns.ts), with a line each for people. */
const COLUMNS: Record<Kind, Column[]> = {
  'local-codes': [
    {
      name: 'source_system',
      required: true,
      vi: 'Mã hệ thống gửi (như trong cấu hình)',
      en: 'Sender id (as configured)',
      example: 'opencps-demo',
    },
    {
      name: 'local_code',
      required: true,
      vi: 'Mã thủ tục địa phương bên gửi dùng',
      en: 'The sender’s local procedure code',
      example: 'KS-DIA-PHUONG-99',
    },
    {
      name: 'national_code',
      required: true,
      vi: 'Mã thủ tục quốc gia (CSDL TTHC)',
      en: 'National procedure code',
      example: '1.001193',
    },
    {
      name: 'agency_code',
      required: false,
      vi: 'Mã cơ quan (để trống: mọi cơ quan)',
      en: 'Agency code (blank: any)',
      example: '000.00.01.H56',
    },
    { name: 'note', required: false, vi: 'Ghi chú', en: 'Note', example: 'khai sinh tại xã' },
  ],
  processes: [
    {
      name: 'agency_code',
      required: true,
      vi: 'Mã cơ quan áp dụng quy trình',
      en: 'Agency the process is for',
      example: '000.00.01.H56',
    },
    {
      name: 'procedure_code',
      required: true,
      vi: 'Mã thủ tục quốc gia',
      en: 'National procedure code',
      example: '1.001193',
    },
    {
      name: 'case_code',
      required: false,
      vi: 'Mã trường hợp (để trống: chung)',
      en: 'Case code (blank: general)',
      example: '',
    },
    {
      name: 'iso_code',
      required: false,
      vi: 'Mã quy trình ISO',
      en: 'ISO process code',
      example: 'QT-HT-01',
    },
    {
      name: 'process_name',
      required: false,
      vi: 'Tên quy trình',
      en: 'Process name',
      example: 'Đăng ký khai sinh',
    },
    {
      name: 'statutory_in_person',
      required: false,
      vi: 'Thời hạn luật định, trực tiếp (vd. "3 ngày làm việc")',
      en: 'Statutory time, in person (e.g. "3 ngày làm việc")',
      example: '3 ngày làm việc',
    },
    {
      name: 'statutory_online',
      required: false,
      vi: 'Thời hạn luật định, trực tuyến',
      en: 'Statutory time, online',
      example: '',
    },
    {
      name: 'statutory_postal',
      required: false,
      vi: 'Thời hạn luật định, bưu chính',
      en: 'Statutory time, postal',
      example: '',
    },
    {
      name: 'step_no',
      required: true,
      vi: 'Số thứ tự bước (1, 2, …); mỗi dòng một bước',
      en: 'Step number; one row per step',
      example: '1',
    },
    { name: 'step_code', required: false, vi: 'Mã bước', en: 'Step code', example: 'TN' },
    {
      name: 'step_name',
      required: true,
      vi: 'Tên bước (vd. "Tiếp nhận hồ sơ")',
      en: 'Step name',
      example: 'Tiếp nhận hồ sơ',
    },
    {
      name: 'responsible_unit',
      required: false,
      vi: 'Đơn vị thực hiện',
      en: 'Responsible unit',
      example: 'Bộ phận một cửa',
    },
    {
      name: 'allowance_days',
      required: false,
      vi: 'Thời gian của bước, ngày làm việc (1 ngày = 8 giờ); cần cột này hoặc allowance_hours',
      en: 'Step allowance in working days (1 day = 8 h); this or allowance_hours',
      example: '0.5',
    },
    {
      name: 'allowance_hours',
      required: false,
      vi: 'Thời gian của bước, giờ làm việc',
      en: 'Step allowance in working hours',
      example: '',
    },
    {
      name: 'national_status',
      required: false,
      vi: 'Trạng thái quốc gia (1–10) bước tạo ra',
      en: 'National status (1–10) the step produces',
      example: '2',
    },
    {
      name: 'form_codes',
      required: false,
      vi: 'Mã biểu mẫu, cách nhau bằng ";"',
      en: 'Form codes, separated by ";"',
      example: '',
    },
  ],
};

const quote = (v: string): string => (/[",;\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);

/** A CSV template (UTF-8 with BOM, for Excel): the header and one example row. */
function templateHref(kind: Kind): string {
  const cols = COLUMNS[kind];
  const csv = `\uFEFF${cols.map((c) => c.name).join(',')}\n${cols.map((c) => quote(c.example)).join(',')}\n`;
  return `data:text/csv;charset=utf-8,${encodeURIComponent(csv)}`;
}

/** What an import file holds, column by column, and its template to download. */
export function ImportHelp({ kind }: { kind: Kind }) {
  const { lang } = useContext(I18n);
  const vi = lang === 'vi';
  return (
    <details className="card" data-testid="import-help" open>
      <summary>{vi ? 'Các cột của tệp nhập' : 'The import file’s columns'}</summary>
      <p>
        <a href={templateHref(kind)} download={`isohub-${kind}-mau.csv`} data-testid="import-template">
          {vi ? 'Tải tệp mẫu (CSV)' : 'Download the template (CSV)'}
        </a>{' '}
        <span className="muted">
          {vi
            ? 'CSV (UTF-8, dấu phẩy) hoặc XLSX, dòng đầu là tên cột; cột * là bắt buộc.'
            : 'CSV (UTF-8, commas) or XLSX, the first row naming the columns; * columns are required.'}
        </span>
      </p>
      <table>
        <tbody>
          {COLUMNS[kind].map((c) => (
            <tr key={c.name}>
              <td>
                <code>{c.name}</code>
                {c.required ? ' *' : ''}
              </td>
              <td>{vi ? c.vi : c.en}</td>
              <td className="muted">{c.example}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </details>
  );
}
