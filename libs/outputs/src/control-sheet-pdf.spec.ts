import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildControlSheet } from './control-sheet';
import { renderControlSheetPdf } from './control-sheet-pdf';
import { controlSheetInput, MOT_CUA, PHONG } from './testing/control-sheet-fixture';

const OUT = resolve(__dirname, '../../../test-output/control-sheet');

/** The PDF's text as poppler's pdftotext reads it (layout kept, so a row stays on its lines). */
function pdfText(pdf: Buffer, name: string): string {
  mkdirSync(OUT, { recursive: true });
  const file = resolve(OUT, name);
  writeFileSync(file, pdf);
  execFileSync('pdftoppm', ['-png', '-r', '80', '-f', '1', '-l', '1', file, file.replace(/\.pdf$/, '')]);
  return execFileSync('pdftotext', ['-layout', '-enc', 'UTF-8', file, '-']).toString('utf8');
}

describe('control sheet PDF', () => {
  it('Mẫu 06 on A4 with real Vietnamese text (NFC) that pdftotext extracts: title, header, rows', async () => {
    const pdf = await renderControlSheetPdf(
      buildControlSheet(controlSheetInput, { isoFormCode: 'BM-VP01.03' }),
    );
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const text = pdfText(pdf, 'mau-06.pdf');
    expect(text).toBe(text.normalize('NFC'));
    expect(text).toContain('PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ');
    expect(text).toContain('Mẫu số 06 – Thông tư số 03/2025/TT-VPCP');
    expect(text).toContain('Mã hiệu: BM-VP01.03');
    expect(text).toContain('Mã hồ sơ: H56.22-260302-0001');
    expect(text).toMatch(/1\. Giao: Bộ phận Một cửa – Lê Thị\s/);
    expect(text).toContain(`2. Nhận: ${PHONG}`);
    expect(text).toContain(MOT_CUA);
    expect(text).toMatch(/08 giờ 30 phút, ngày 02\s[\s\S]{0,80}\stháng 03 năm 2026/);
    for (const verdict of ['Trước hạn', 'Quá hạn', 'Đúng hạn', 'Đang xử lý']) {
      expect(text).toContain(verdict);
    }
    const info = execFileSync('pdfinfo', [resolve(OUT, 'mau-06.pdf')]).toString('utf8');
    expect(info).toMatch(/Page size:\s+595\.28 x 841\.89\s+pts/);
    const fonts = execFileSync('pdffonts', [resolve(OUT, 'mau-06.pdf')]).toString('utf8');
    expect(fonts).toMatch(/DejaVuSans\S*\s+CID TrueType\s+Identity-H\s+yes\s+yes/);
  });

  it('Mẫu 05 (received before 15/09/2025) on A5', async () => {
    const old = {
      ...controlSheetInput,
      state: {
        ...controlSheetInput.state,
        dates: { ...controlSheetInput.state.dates, receivedAt: '2025-03-03T08:00:00+07:00' },
      },
    };
    const pdf = await renderControlSheetPdf(buildControlSheet(old));
    const text = pdfText(pdf, 'mau-05.pdf');
    expect(text).toContain('Mẫu số 05 – Thông tư số 01/2018/TT-VPCP');
    expect(text).toContain('PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ');
    const info = execFileSync('pdfinfo', [resolve(OUT, 'mau-05.pdf')]).toString('utf8');
    expect(info).toMatch(/Page size:\s+419\.53 x 595\.28\s+pts/);
  });
});
