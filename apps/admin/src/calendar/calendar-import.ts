import {
  type CalendarDay,
  type DayKind,
  isLocalDate,
  type LayerScope,
  type TimeWindow,
} from '@isohub/timing';
import type { ProblemFieldError } from '../http/problem';
import type { Table } from '../mapping/tabular';

/**
 * One year of days from a CSV/XLSX sheet. Columns (header names as in the export, Vietnamese accepted):
 * date (yyyy-mm-dd or dd/mm/yyyy), kind (day_off | make_up | half_day, or nghỉ | làm bù | nửa ngày),
 * name, source, status (official | provisional, or chính thức | tạm tính), note, windows ("07:00-11:30
 * 13:30-17:00"), replaces (a date).
 */
export const CALENDAR_COLUMNS = ['date', 'kind', 'name', 'source', 'status', 'note', 'windows', 'replaces'];

const HEADER_ALIASES: Record<string, string> = {
  ngay: 'date',
  ngày: 'date',
  loai: 'kind',
  loại: 'kind',
  ten: 'name',
  tên: 'name',
  can_cu: 'source',
  căn_cứ: 'source',
  trang_thai: 'status',
  trạng_thái: 'status',
  ghi_chu: 'note',
  ghi_chú: 'note',
  gio_lam_viec: 'windows',
  giờ_làm_việc: 'windows',
  thay_cho: 'replaces',
};

const KINDS: Record<string, DayKind> = {
  day_off: 'day_off',
  nghỉ: 'day_off',
  'ngày nghỉ': 'day_off',
  make_up: 'make_up',
  'làm bù': 'make_up',
  'ngày làm bù': 'make_up',
  half_day: 'half_day',
  'nửa ngày': 'half_day',
};

const STATUSES: Record<string, CalendarDay['status']> = {
  official: 'official',
  'chính thức': 'official',
  provisional: 'provisional',
  'tạm tính': 'provisional',
};

/** `yyyy-mm-dd` or `dd/mm/yyyy` (also d/m/yyyy) to `yyyy-mm-dd`; null when neither or no such day. */
export function readDate(text: string): string | null {
  const vn = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(text);
  const date = vn ? `${vn[3]}-${vn[2].padStart(2, '0')}-${vn[1].padStart(2, '0')}` : text;
  return isLocalDate(date) ? date : null;
}

/** "07:00-11:30 13:30-17:00" (also with ; , or – between). */
export function readWindows(text: string): TimeWindow[] | null {
  const parts = text
    .split(/[\s;,]+/)
    .map((p) => p.trim())
    .filter((p) => p !== '');
  const windows: TimeWindow[] = [];
  for (const part of parts) {
    const m = /^(\d{1,2}:\d{2})\s*[-–]\s*(\d{1,2}:\d{2})$/.exec(part);
    if (!m) {
      return null;
    }
    windows.push({ from: m[1].padStart(5, '0'), to: m[2].padStart(5, '0') });
  }
  return windows;
}

export const windowsText = (windows: readonly TimeWindow[] | undefined): string =>
  (windows ?? []).map((w) => `${w.from}-${w.to}`).join(' ');

/** `national`, `province:H56`, `agency:000.00.12.H56`. */
export function readScope(text: string | undefined): LayerScope | null {
  if (text === undefined || text === 'national') {
    return { level: 'national' };
  }
  const m = /^(province|agency):([A-Za-z0-9._-]{1,64})$/.exec(text);
  if (!m) {
    return null;
  }
  return m[1] === 'province' ? { level: 'province', province: m[2] } : { level: 'agency', agency: m[2] };
}

export function readCalendarRows(
  table: Table,
  year: number,
): { days: CalendarDay[]; errors: ProblemFieldError[] } {
  const errors: ProblemFieldError[] = [];
  const days: CalendarDay[] = [];
  const col = (cells: Record<string, string>, name: string) => {
    for (const [key, value] of Object.entries(cells)) {
      if (key === name || HEADER_ALIASES[key] === name) {
        return value.trim();
      }
    }
    return '';
  };
  for (const { row, cells } of table.rows) {
    const fail = (column: string, message: string) =>
      errors.push({ field: `/rows/${row}/${column}`, code: 'invalid', message: `dòng ${row}: ${message}` });
    const date = readDate(col(cells, 'date'));
    const kind = KINDS[col(cells, 'kind').toLowerCase()];
    const status = STATUSES[col(cells, 'status').toLowerCase() || 'official'];
    const windowsCell = col(cells, 'windows');
    const windows = windowsCell === '' ? undefined : readWindows(windowsCell);
    const replacesCell = col(cells, 'replaces');
    const replaces = replacesCell === '' ? undefined : readDate(replacesCell);
    const before = errors.length;
    if (!date) {
      fail('date', `"${col(cells, 'date')}" không phải ngày (yyyy-mm-dd hoặc dd/mm/yyyy)`);
    } else if (Number(date.slice(0, 4)) !== year) {
      fail('date', `${date} không thuộc năm ${year}`);
    }
    if (!kind) {
      fail('kind', `loại "${col(cells, 'kind')}" không hợp lệ (day_off, make_up, half_day)`);
    }
    if (!status) {
      fail('status', `trạng thái "${col(cells, 'status')}" không hợp lệ (official, provisional)`);
    }
    if (col(cells, 'name') === '') {
      fail('name', 'thiếu tên ngày');
    }
    if (col(cells, 'source') === '') {
      fail('source', 'thiếu căn cứ pháp lý');
    }
    if (windows === null) {
      fail('windows', `giờ làm việc "${windowsCell}" phải dạng 07:00-11:30 13:30-17:00`);
    }
    if (replaces === null) {
      fail('replaces', `"${replacesCell}" không phải ngày`);
    }
    if (errors.length > before || !date || !kind || !status || windows === null || replaces === null) {
      continue;
    }
    const note = col(cells, 'note');
    days.push({
      date,
      kind,
      name: col(cells, 'name'),
      source: col(cells, 'source'),
      status,
      ...(note ? { note } : {}),
      ...(windows && windows.length > 0 ? { windows } : {}),
      ...(replaces ? { replaces } : {}),
    });
  }
  return { days, errors };
}
