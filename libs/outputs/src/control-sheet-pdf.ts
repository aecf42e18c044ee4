import PDFDocument from 'pdfkit';
import type { ControlSheet } from './control-sheet';

/** DejaVu Sans (npm `dejavu-fonts-ttf`) covers every Vietnamese letter; pdfkit embeds the glyphs it uses. */
const FONT = require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf');
const FONT_BOLD = require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf');

const COLUMNS = [
  { title: 'TÊN CƠ QUAN', share: 0.34 },
  { title: 'THỜI GIAN GIAO, NHẬN HỒ SƠ', share: 0.3 },
  { title: 'KẾT QUẢ GIẢI QUYẾT HỒ SƠ (Trước hạn/ đúng hạn/ quá hạn)', share: 0.2 },
  { title: 'GHI CHÚ', share: 0.16 },
] as const;

/** The control sheet as a PDF on the paper its form names (A5 for Mẫu 05), Vietnamese text embedded. */
export function renderControlSheetPdf(sheet: ControlSheet): Promise<Buffer> {
  const small = sheet.edition.paper === 'A5';
  const margin = small ? 28 : 42;
  const size = small ? 7.5 : 9.5;
  const doc = new PDFDocument({
    size: sheet.edition.paper,
    margin,
    info: { Title: `${sheet.title} ${sheet.header.dossierCode}`, Creator: 'isohub' },
  });
  doc.registerFont('vn', FONT);
  doc.registerFont('vn-bold', FONT_BOLD);
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });

  const width = doc.page.width - 2 * margin;
  const top = doc.y;
  doc.font('vn-bold').fontSize(size);
  doc.text((sheet.header.processingUnit ?? '').toLocaleUpperCase('vi'), margin, top, { width: width * 0.55 });
  doc.font('vn').text(`${sheet.edition.formNo} – ${sheet.edition.circular}`, margin + width * 0.55, top, {
    width: width * 0.45,
    align: 'right',
  });
  doc.text(`Mã hiệu: ${sheet.isoFormCode}`, { width: width * 0.45, align: 'right' });
  doc.moveDown(1.2);
  doc
    .font('vn-bold')
    .fontSize(size + 3)
    .text(sheet.title, margin, doc.y, { width, align: 'center' });
  doc.font('vn').fontSize(size).text(`Mã hồ sơ: ${sheet.header.dossierCode}`, { width, align: 'center' });
  doc.moveDown(0.6);
  const h = sheet.header;
  const line = (label: string, value: string | null): void => {
    doc.font('vn-bold').text(`${label}: `, margin, doc.y, { continued: true, width });
    doc.font('vn').text(value ?? '……………………………………');
  };
  line('Kèm theo hồ sơ của', h.applicantName);
  line('Số điện thoại', h.applicantPhone);
  line('Địa chỉ', h.applicantAddress);
  line('Thủ tục', [h.procedureCode, h.procedureName].filter(Boolean).join(' – ') || null);
  line('Ngày, giờ tiếp nhận', h.receivedAtText);
  line('Ngày hẹn trả kết quả', h.dueAtText);
  line('Cơ quan (bộ phận) giải quyết hồ sơ', h.processingUnit);
  doc.moveDown(0.6);

  const widths = COLUMNS.map((c) => c.share * width);
  const pad = 3;
  const drawRow = (cells: string[], bold: boolean): void => {
    doc.font(bold ? 'vn-bold' : 'vn').fontSize(size);
    const height =
      Math.max(...cells.map((c, i) => doc.heightOfString(c, { width: (widths[i] ?? 0) - 2 * pad }))) +
      2 * pad;
    if (doc.y + height > doc.page.height - margin) {
      doc.addPage();
    }
    const y = doc.y;
    let x = margin;
    cells.forEach((c, i) => {
      const w = widths[i] ?? 0;
      doc.rect(x, y, w, height).stroke();
      doc.text(c, x + pad, y + pad, { width: w - 2 * pad, align: bold ? 'center' : 'left' });
      x += w;
    });
    doc.x = margin;
    doc.y = y + height;
  };
  drawRow(
    COLUMNS.map((c) => c.title),
    true,
  );
  for (const r of sheet.rows) {
    const time = r.nhan ? `${r.timeText}\nNgười giao      Người nhận\n\n` : `${r.timeText}`;
    drawRow([r.agencyText, time, r.result ?? '', r.note ?? ''], false);
  }
  doc.end();
  return done;
}
