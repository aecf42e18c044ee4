import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { readCsv, readTable, readXlsx, TableReadError, writeXlsx } from './tabular';
import { zipOf } from '../../test/zip-of';
import { checkZip, ZipRefused } from './zip-guard';

describe('checkZip', () => {
  it('accepts a workbook as Excel or exceljs writes it', async () => {
    const buf = await writeXlsx('s', ['code'], [{ code: '1.001193' }]);
    expect(() => checkZip(buf)).not.toThrow();
  });

  it('refuses, before inflating it, an entry compressed far beyond any spreadsheet', () => {
    const bomb = zipOf('xl/worksheets/sheet1.xml', Buffer.alloc(8 * 1024 * 1024));
    expect(() => checkZip(bomb)).toThrow(/xl\/worksheets\/sheet1\.xml is compressed \d+:1 \(at most 200:1\)/);
  });

  it('refuses an entry declaring more than the per-entry ceiling', () => {
    const big = zipOf('xl/sharedStrings.xml', Buffer.from('x'), 100 * 1024 * 1024);
    expect(() => checkZip(big)).toThrow(/would inflate to 104857600 bytes/);
  });

  it('stops an entry that lies about its size at the size it declares', () => {
    const liar = zipOf('xl/sharedStrings.xml', Buffer.alloc(4 * 1024 * 1024, 'a'), 1000);
    expect(() => checkZip(liar)).toThrow(ZipRefused);
    expect(() => checkZip(liar)).toThrow(/inflates past the 1000 bytes it declares/);
  });

  it('is what the spreadsheet import answers a bomb with (a 400-style read error)', async () => {
    const bomb = zipOf('xl/worksheets/sheet1.xml', Buffer.alloc(8 * 1024 * 1024));
    await expect(readTable(bomb, 'xlsx')).rejects.toThrow(TableReadError);
    await expect(readTable(bomb, 'xlsx')).rejects.toThrow(/^refused XLSX: /);
  });
});

describe('row cap', () => {
  it('refuses a CSV with more data rows than allowed, and reads one at the cap', () => {
    const csv = (n: number) =>
      Buffer.from(['a', ...Array.from({ length: n }, (_, i) => String(i))].join('\n'));
    expect(readCsv(csv(3), 3).rows).toHaveLength(3);
    expect(() => readCsv(csv(4), 3)).toThrow(/more than 3 rows/);
  });

  it('refuses an XLSX with more data rows than allowed, read as a stream', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('x');
    ws.addRow(['code', 'when']);
    for (let i = 0; i < 5; i += 1) {
      ws.addRow([`c${i}`, new Date(Date.UTC(2026, 0, i + 1))]);
    }
    const buf = Buffer.from(await wb.xlsx.writeBuffer());

    const table = await readXlsx(buf, 5);
    expect(table.rows.map((r) => [r.row, r.cells['code'], r.cells['when']])[4]).toEqual([
      6,
      'c4',
      '2026-01-05',
    ]);
    await expect(readXlsx(buf, 4)).rejects.toThrow(/more than 4 rows/);
  });
});
