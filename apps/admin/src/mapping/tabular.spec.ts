import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { detectFormat, readCsv, readTable, repairNationalCode, writeCsv, writeXlsx } from './tabular';

describe('readCsv', () => {
  it('strips the BOM, NFC-normalises cells, normalises headers and numbers rows as Excel does', () => {
    const text =
      '\uFEFFSource System,Local Code,Note\r\nopencps,1.001193.H56,' +
      'Đăng ký'.normalize('NFD') +
      '\r\n\r\nthanhhoa,2.000528.H56,"a, b"\r\n';
    const t = readCsv(Buffer.from(text, 'utf8'));
    expect(t.columns).toEqual(['source_system', 'local_code', 'note']);
    expect(t.rows).toEqual([
      { row: 2, cells: { source_system: 'opencps', local_code: '1.001193.H56', note: 'Đăng ký' } },
      { row: 4, cells: { source_system: 'thanhhoa', local_code: '2.000528.H56', note: 'a, b' } },
    ]);
  });

  it('reads the semicolon lists some Excel locales write', () => {
    expect(readCsv(Buffer.from('a;b\n1;2\n')).rows[0]?.cells).toEqual({ a: '1', b: '2' });
  });

  it('refuses text that is not UTF-8', () => {
    expect(() => readCsv(Buffer.from([0x61, 0x0a, 0xff, 0xfe, 0x0a]))).toThrow(/UTF-8/);
  });
});

describe('writeCsv', () => {
  it('writes a BOM and CRLF for Excel, NFC text', () => {
    const buf = writeCsv(['code', 'name'], [{ code: '1.001193', name: 'Đăng ký'.normalize('NFD') }]);
    expect([...buf.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(buf.subarray(3).toString('utf8')).toBe('code,name\r\n1.001193,Đăng ký\r\n');
  });
});

describe('XLSX', () => {
  it('round-trips codes as text and numbers as numbers', async () => {
    const buf = await writeXlsx('s', ['code', 'hours'], [{ code: '2.000470', hours: 1.5 }], ['hours']);
    expect(detectFormat(buf)).toBe('xlsx');
    const t = await readTable(buf);
    expect(t.rows).toEqual([{ row: 2, cells: { code: '2.000470', hours: '1.5' } }]);
  });

  it('reads rich text and formula results', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('x');
    ws.addRow(['name', 'n']);
    ws.addRow([{ richText: [{ text: 'Đăng ' }, { text: 'ký' }] }, { formula: '1+1', result: 2 }]);
    const t = await readTable(Buffer.from(await wb.xlsx.writeBuffer()));
    expect(t.rows[0]?.cells).toEqual({ name: 'Đăng ký', n: '2' });
  });
});

describe('repairNationalCode', () => {
  it('gives Excel-shortened national codes their six decimals back, and leaves other codes alone', () => {
    expect(repairNationalCode('2.00047')).toBe('2.000470');
    expect(repairNationalCode('1.001193')).toBe('1.001193');
    expect(repairNationalCode('1.0133611')).toBe('1.0133611');
    expect(repairNationalCode('1.001193.H56')).toBe('1.001193.H56');
  });
});

describe('CSV formula injection', () => {
  it('writes text cells that Excel would run as formulas with a leading apostrophe, numbers as they are', () => {
    const csv = writeCsv(['code', 'note', 'n'], [{ code: '=HYPERLINK("http://x")', note: '-2+3', n: -5 }])
      .toString('utf8')
      .replace('\uFEFF', '');
    expect(csv).toBe('code,note,n\r\n"\'=HYPERLINK(""http://x"")",\'-2+3,-5\r\n');
  });

  it('imports an exported file as it was', () => {
    const rows = [{ code: '@SUM(A1)', note: 'Đăng ký – bình thường', other: "'quoted" }];
    const table = readCsv(writeCsv(['code', 'note', 'other'], rows));
    expect(table.rows[0]?.cells).toEqual(rows[0]);
  });
});
