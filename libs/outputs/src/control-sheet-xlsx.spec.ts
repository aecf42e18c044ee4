import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { buildControlSheet } from './control-sheet';
import { renderControlSheetXlsx } from './control-sheet-xlsx';
import { controlSheetInput, LANH_DAO, PHONG } from './testing/control-sheet-fixture';

describe('control sheet XLSX', () => {
  it('title, header lines and one table row per handover plus the open step, read back with exceljs', async () => {
    const xlsx = await renderControlSheetXlsx(buildControlSheet(controlSheetInput));
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(xlsx as unknown as ArrayBuffer);
    const ws = book.getWorksheet('Phiếu kiểm soát');
    const values = (n: number): unknown[] => (ws?.getRow(n).values as unknown[]).slice(1);
    expect(values(3)[0]).toBe('PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ');
    expect(values(4)).toEqual(['Mã hồ sơ', 'H56.22-260302-0001']);
    expect(values(5)).toEqual(['Kèm theo hồ sơ của', '']);
    expect(values(13)[0]).toBe('TÊN CƠ QUAN');
    expect(values(15)).toEqual([
      `1. Giao: ${PHONG} – Trần Văn Nam\n2. Nhận: ${LANH_DAO}`,
      '10 giờ 00 phút, ngày 04 tháng 03 năm 2026',
      'Quá hạn',
      '',
    ]);
    expect(values(17)).toEqual([
      `1. Giao: ${PHONG} – Trần Văn Nam\n2. Nhận: …`,
      '14 giờ 15 phút, ngày 04 tháng 03 năm 2026',
      'Đang xử lý',
      'Thẩm định',
    ]);
    expect(ws?.rowCount).toBe(17);
  });
});
