import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { readTable } from '../mapping/tabular';
import { readCalendarRows, readDate, readScope, readWindows } from './calendar-import';

describe('calendar import cells', () => {
  it('reads dates for people and for machines, and refuses days that do not exist', () => {
    expect(readDate('10/1/2026')).toBe('2026-01-10');
    expect(readDate('2026-01-10')).toBe('2026-01-10');
    expect(readDate('31/02/2026')).toBeNull();
    expect(readDate('2026-13-01')).toBeNull();
    expect(readDate('10.01.2026')).toBeNull();
  });

  it('reads windows and scopes', () => {
    expect(readWindows('7:30-11:30; 13:30–17:00')).toEqual([
      { from: '07:30', to: '11:30' },
      { from: '13:30', to: '17:00' },
    ]);
    expect(readWindows('sáng')).toBeNull();
    expect(readScope('province:H56')).toEqual({ level: 'province', province: 'H56' });
    expect(readScope(undefined)).toEqual({ level: 'national' });
    expect(readScope('district:X')).toBeNull();
  });

  it('reads Vietnamese headers and values, and names every bad row', () => {
    const { days, errors } = readCalendarRows(
      {
        columns: ['ngày', 'loại', 'tên', 'căn_cứ', 'trạng_thái'],
        rows: [
          {
            row: 2,
            cells: { ngày: '10/01/2026', loại: 'Làm bù', tên: 'Làm bù', căn_cứ: 'CV 12729', trạng_thái: '' },
          },
          {
            row: 3,
            cells: { ngày: '2025-12-31', loại: 'nghỉ', tên: 'x', căn_cứ: 'y', trạng_thái: 'tạm tính' },
          },
          { row: 4, cells: { ngày: '02/09/2026', loại: 'nghỉ', tên: '', căn_cứ: '', trạng_thái: 'sắp tới' } },
        ],
      },
      2026,
    );
    expect(days).toEqual([
      { date: '2026-01-10', kind: 'make_up', name: 'Làm bù', source: 'CV 12729', status: 'official' },
    ]);
    expect(errors.map((e) => e.field)).toEqual([
      '/rows/3/date',
      '/rows/4/status',
      '/rows/4/name',
      '/rows/4/source',
    ]);
  });

  it('reads a year from an XLSX sheet as from CSV', async () => {
    const book = new ExcelJS.Workbook();
    const sheet = book.addWorksheet('2026');
    sheet.addRow(['date', 'kind', 'name', 'source', 'status', 'windows', 'replaces']);
    sheet.addRow([
      '02/01/2026',
      'day_off',
      'Nghỉ hoán đổi',
      'CV 12729/VPCP-KGVX',
      'official',
      '',
      '10/01/2026',
    ]);
    sheet.addRow([
      '10/01/2026',
      'make_up',
      'Làm bù',
      'CV 12729/VPCP-KGVX',
      'official',
      '07:00-11:30 13:30-17:00',
      '',
    ]);
    const table = await readTable(Buffer.from(await book.xlsx.writeBuffer()), 'xlsx');
    const { days, errors } = readCalendarRows(table, 2026);
    expect(errors).toEqual([]);
    expect(days).toEqual([
      {
        date: '2026-01-02',
        kind: 'day_off',
        name: 'Nghỉ hoán đổi',
        source: 'CV 12729/VPCP-KGVX',
        status: 'official',
        replaces: '2026-01-10',
      },
      {
        date: '2026-01-10',
        kind: 'make_up',
        name: 'Làm bù',
        source: 'CV 12729/VPCP-KGVX',
        status: 'official',
        windows: [
          { from: '07:00', to: '11:30' },
          { from: '13:30', to: '17:00' },
        ],
      },
    ]);
  });
});
