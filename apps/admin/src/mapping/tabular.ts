import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import { checkZip, ZipRefused } from './zip-guard';

export type TableFormat = 'csv' | 'xlsx';

/** A sheet as the importers see it: header names normalised, every cell NFC text, row numbers as Excel shows them. */
export interface Table {
  columns: string[];
  rows: { row: number; cells: Record<string, string> }[];
}

export class TableReadError extends Error {}

/** Data rows an import reads at most (the national catalogue is some 5,600); more is refused, not cut. */
export const MAX_IMPORT_ROWS = 50_000;

const tooManyRows = (max: number): TableReadError =>
  new TableReadError(`the file has more than ${max} rows; split it`);

const BOM = '\uFEFF';

/** "National code", "national-code", "NATIONAL_CODE" -> "national_code". */
export const headerKey = (h: string): string =>
  h
    .normalize('NFC')
    .replace(BOM, '')
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, '_');

const cellText = (s: string): string => s.normalize('NFC').replace(/\s+/g, ' ').trim();

/**
 * A text cell Excel would run as a formula (`=`, `+`, `-`, `@`, tab, CR first) is written with a leading
 * apostrophe (OWASP CSV injection): exports carry sender-supplied codes and portal text. The importer
 * takes the apostrophe off again, so an exported file imports as it was.
 */
const FORMULA_START = /^[=+\-@\t\r]/;
const guardFormula = (s: string): string => (FORMULA_START.test(s) ? `'${s}` : s);
const unguardFormula = (s: string): string =>
  s.startsWith("'") && FORMULA_START.test(s.slice(1)) ? s.slice(1) : s;

/** XLSX files are ZIP archives; anything else is read as CSV. */
export function detectFormat(buf: Buffer, filename = ''): TableFormat {
  if (buf.subarray(0, 4).equals(Buffer.from([0x50, 0x4b, 0x03, 0x04])) || /\.xlsx$/i.test(filename)) {
    return 'xlsx';
  }
  return 'csv';
}

export async function readTable(
  buf: Buffer,
  format: TableFormat = detectFormat(buf),
  maxRows: number = MAX_IMPORT_ROWS,
): Promise<Table> {
  return format === 'xlsx' ? readXlsx(buf, maxRows) : readCsv(buf, maxRows);
}

/**
 * CSV as Excel writes it: UTF-8 with or without BOM, comma or semicolon (a locale's list separator),
 * quoted fields. Every cell NFC-normalised (DOMAIN.md §9).
 */
export function readCsv(buf: Buffer, maxRows: number = MAX_IMPORT_ROWS): Table {
  const text = buf.toString('utf8');
  if (text.includes('\uFFFD')) {
    throw new TableReadError('the file is not UTF-8 text (save it as "CSV UTF-8")');
  }
  const firstLine = text.replace(BOM, '').split(/\r?\n/, 1)[0] ?? '';
  const delimiter = firstLine.includes(';') && !firstLine.includes(',') ? ';' : ',';
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parse(text, {
      bom: true,
      delimiter,
      relax_column_count: true,
      skip_empty_lines: true,
      info: true,
      // The header, the rows allowed and one more to tell "too many": parsing stops there.
      to: maxRows + 2,
    }) as unknown as typeof records;
  } catch (error) {
    throw new TableReadError(`unreadable CSV: ${error instanceof Error ? error.message : String(error)}`);
  }
  const [head, ...body] = records;
  if (!head) {
    throw new TableReadError('the file is empty');
  }
  if (body.length > maxRows) {
    throw tooManyRows(maxRows);
  }
  const columns = head.record.map(headerKey);
  return {
    columns,
    rows: body
      .filter((r) => r.record.some((c) => c.trim() !== ''))
      .map((r) => ({
        row: r.info.lines,
        cells: Object.fromEntries(columns.map((c, i) => [c, unguardFormula(cellText(r.record[i] ?? ''))])),
      })),
  };
}

function xlsxCell(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) {
    return '';
  }
  if (value instanceof Date) {
    return value.toISOString().slice(0, 10);
  }
  if (typeof value === 'object') {
    if ('richText' in value) {
      return value.richText.map((t) => t.text).join('');
    }
    if ('result' in value) {
      return xlsxCell(value.result);
    }
    if ('text' in value) {
      return String(value.text);
    }
    return '';
  }
  return String(value);
}

/**
 * The first sheet of a workbook, read as a stream (exceljs' streaming reader: no workbook model in
 * memory) after the archive passed the zip-bomb checks (zip-guard.ts); stops at `maxRows`.
 */
export async function readXlsx(buf: Buffer, maxRows: number = MAX_IMPORT_ROWS): Promise<Table> {
  try {
    checkZip(buf);
  } catch (error) {
    if (error instanceof ZipRefused) {
      throw new TableReadError(`refused XLSX: ${error.message}`);
    }
    throw error;
  }
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(Readable.from([buf]), {
    sharedStrings: 'cache',
    styles: 'cache',
    hyperlinks: 'ignore',
    worksheets: 'emit',
    entries: 'emit',
  });
  let table: Table | null = null;
  try {
    for await (const sheet of reader) {
      table = await readSheet(sheet as AsyncIterable<ExcelJS.Row>, maxRows);
      break;
    }
  } catch (error) {
    if (error instanceof TableReadError) {
      throw error;
    }
    throw new TableReadError(`unreadable XLSX: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (!table) {
    throw new TableReadError('the workbook has no sheet');
  }
  return table;
}

async function readSheet(sheet: AsyncIterable<ExcelJS.Row>, maxRows: number): Promise<Table> {
  const columns: string[] = [];
  const rows: Table['rows'] = [];
  for await (const r of sheet) {
    if (columns.length === 0) {
      if (r.number !== 1) {
        break;
      }
      r.eachCell({ includeEmpty: true }, (cell, col) => {
        columns[col - 1] = headerKey(xlsxCell(cell.value));
      });
      if (columns.length === 0) {
        break;
      }
      continue;
    }
    const cells: Record<string, string> = {};
    columns.forEach((c, i) => {
      cells[c] = cellText(xlsxCell(r.getCell(i + 1).value));
    });
    if (Object.values(cells).some((v) => v !== '')) {
      if (rows.length >= maxRows) {
        throw tooManyRows(maxRows);
      }
      rows.push({ row: r.number, cells });
    }
  }
  if (columns.length === 0) {
    throw new TableReadError('the first row must hold the column names');
  }
  return { columns, rows };
}

export type Cell = string | number | null | undefined;

/** CSV for Excel users: UTF-8 with BOM, CRLF, NFC (DOMAIN.md §9). */
export function writeCsv(columns: readonly string[], rows: readonly Record<string, Cell>[]): Buffer {
  const text = stringify(
    rows.map((r) =>
      columns.map((c) => {
        const v = r[c];
        if (v === null || v === undefined) {
          return '';
        }
        return typeof v === 'number' ? String(v) : guardFormula(v.normalize('NFC'));
      }),
    ),
    { header: true, columns: [...columns], record_delimiter: '\r\n' },
  );
  return Buffer.from(BOM + text, 'utf8');
}

/** One sheet; text columns are formatted as text so Excel keeps `2.000470` and leading zeros. */
export async function writeXlsx(
  sheet: string,
  columns: readonly string[],
  rows: readonly Record<string, Cell>[],
  numericColumns: readonly string[] = [],
): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'isohub';
  const ws = wb.addWorksheet(sheet);
  ws.columns = columns.map((c) => ({
    header: c,
    key: c,
    width: Math.max(12, c.length + 2),
    style: numericColumns.includes(c) ? {} : { numFmt: '@' },
  }));
  for (const r of rows) {
    ws.addRow(
      Object.fromEntries(
        columns.map((c) => {
          const v = r[c];
          return [
            c,
            v === null || v === undefined ? null : typeof v === 'number' ? v : String(v).normalize('NFC'),
          ];
        }),
      ),
    );
  }
  ws.getRow(1).font = { bold: true };
  ws.views = [{ state: 'frozen', ySplit: 1 }];
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/**
 * Excel turns `2.000470` typed into a cell into the number 2.00047; a national code column gets its
 * six decimals back. Only the `d.dddddd` shape is repaired; anything else is left as it is.
 */
export function repairNationalCode(s: string): string {
  const m = /^(\d)\.(\d{1,5})$/.exec(s);
  return m ? `${m[1]}.${(m[2] ?? '').padEnd(6, '0')}` : s;
}
