import ExcelJS from 'exceljs';
import type { ControlSheet } from './control-sheet';

const COLUMNS = [
  { header: 'TÊN CƠ QUAN', width: 42 },
  { header: 'THỜI GIAN GIAO, NHẬN HỒ SƠ', width: 34 },
  { header: 'KẾT QUẢ GIẢI QUYẾT HỒ SƠ (Trước hạn/ đúng hạn/ quá hạn)', width: 22 },
  { header: 'GHI CHÚ', width: 28 },
];

/** The control sheet as one XLSX sheet: header lines, then the table (one row per handover). */
export async function renderControlSheetXlsx(sheet: ControlSheet): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  book.creator = 'isohub';
  const ws = book.addWorksheet('Phiếu kiểm soát', {
    pageSetup: { paperSize: sheet.edition.paper === 'A5' ? 11 : 9, orientation: 'portrait' },
  });
  ws.columns = COLUMNS.map((c) => ({ width: c.width }));
  const h = sheet.header;
  ws.addRow([h.processingUnit ?? '', '', `${sheet.edition.formNo} – ${sheet.edition.circular}`]);
  ws.addRow(['', '', `Mã hiệu: ${sheet.isoFormCode}`]);
  const title = ws.addRow([sheet.title]);
  ws.mergeCells(title.number, 1, title.number, 4);
  title.font = { bold: true, size: 14 };
  title.alignment = { horizontal: 'center' };
  const lines: [string, string | null][] = [
    ['Mã hồ sơ', h.dossierCode],
    ['Kèm theo hồ sơ của', h.applicantName],
    ['Số điện thoại', h.applicantPhone],
    ['Địa chỉ', h.applicantAddress],
    ['Thủ tục', [h.procedureCode, h.procedureName].filter(Boolean).join(' – ') || null],
    ['Ngày, giờ tiếp nhận', h.receivedAtText],
    ['Ngày hẹn trả kết quả', h.dueAtText],
    ['Cơ quan (bộ phận) giải quyết hồ sơ', h.processingUnit],
  ];
  for (const [label, value] of lines) {
    ws.addRow([label, value ?? '']).getCell(1).font = { bold: true };
  }
  ws.addRow([]);
  const head = ws.addRow(COLUMNS.map((c) => c.header));
  head.font = { bold: true };
  const border = { style: 'thin' } as const;
  const boxed = (row: ExcelJS.Row): void => {
    row.eachCell({ includeEmpty: true }, (cell) => {
      cell.border = { top: border, left: border, bottom: border, right: border };
      cell.alignment = { wrapText: true, vertical: 'top' };
    });
  };
  boxed(head);
  for (const r of sheet.rows) {
    boxed(ws.addRow([r.agencyText, r.timeText, r.result ?? '', r.note ?? '']));
  }
  return Buffer.from(await book.xlsx.writeBuffer());
}
