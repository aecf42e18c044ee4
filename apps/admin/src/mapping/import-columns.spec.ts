import { describe, expect, it } from 'vitest';
import { parseLocalCodeTable, parseProcessTable, processExportRows } from './import-columns';
import type { Table } from './tabular';

const table = (columns: string[], rows: string[][]): Table => ({
  columns,
  rows: rows.map((r, i) => ({
    row: i + 2,
    cells: Object.fromEntries(columns.map((c, j) => [c, r[j] ?? ''])),
  })),
});

describe('parseLocalCodeTable', () => {
  it('names a missing required column on the header row', () => {
    expect(parseLocalCodeTable(table(['source_system', 'local_code'], [])).errors).toEqual([
      {
        row: 1,
        field: 'national_code',
        code: 'missing_column',
        message: 'the header has no column "national_code"',
      },
    ]);
  });

  it('keeps good rows, reports bad ones by row and column, repairs Excel-shortened codes', () => {
    const p = parseLocalCodeTable(
      table(
        ['source_system', 'local_code', 'national_code'],
        [
          ['opencps', '2.000470.H56', '2.00047'],
          ['opencps', '', '1.001193'],
          ['opencps', '2.000470.H56', '2.000470'],
        ],
      ),
    );
    expect(p.rows).toEqual([
      {
        sourceSystem: 'opencps',
        localCode: '2.000470.H56',
        nationalCode: '2.000470',
        agencyCode: null,
        note: null,
      },
    ]);
    expect(p.errors.map((e) => [e.row, e.field, e.code])).toEqual([
      [3, 'local_code', 'required'],
      [4, 'local_code', 'duplicate'],
    ]);
  });
});

describe('parseProcessTable', () => {
  const cols = [
    'agency_code',
    'procedure_code',
    'iso_code',
    'statutory_online',
    'step_no',
    'step_name',
    'allowance_days',
    'allowance_hours',
  ];

  it('groups one row per step into processes, in step order', () => {
    const p = parseProcessTable(
      table(cols, [
        ['A', '1.001193', 'QT 01', '5 ngày làm việc', '2', 'Thẩm định', '1.5', ''],
        ['A', '1.001193', '', '', '1', 'Tiếp nhận', '0.25', ''],
        ['B', '1.001193', '', '', '1', 'Tiếp nhận', '', '2'],
      ]),
    );
    expect(p.errors).toEqual([]);
    expect(
      p.rows.map((r) => [r.agencyCode, r.steps.map((s) => [s.stepNo, s.name, s.allowanceHours])]),
    ).toEqual([
      [
        'A',
        [
          [1, 'Tiếp nhận', 2],
          [2, 'Thẩm định', 12],
        ],
      ],
      ['B', [[1, 'Tiếp nhận', 2]]],
    ]);
    expect(p.rows[0]?.isoCode).toBe('QT 01');
    expect(processExportRows(p.rows)[0]).toMatchObject({
      step_no: 1,
      allowance_days: 0.25,
      allowance_hours: 2,
      statutory_online: '5 ngày làm việc',
    });
  });

  it('refuses a process whose rows disagree, repeat a step or leave a gap', () => {
    const p = parseProcessTable(
      table(cols, [
        ['A', '1.001193', 'QT 01', '', '1', 'X', '1', ''],
        ['A', '1.001193', 'QT 02', '', '2', 'Y', '1', ''],
        ['B', '1.001193', '', '', '1', 'X', '1', ''],
        ['B', '1.001193', '', '', '1', 'Y', '1', ''],
        ['C', '1.001193', '', '', '1', 'X', '1', ''],
        ['C', '1.001193', '', '', '3', 'Y', '1', ''],
      ]),
    );
    expect(p.rows).toEqual([]);
    expect(p.errors.map((e) => [e.row, e.field, e.code])).toEqual([
      [3, 'iso_code', 'inconsistent'],
      [5, 'step_no', 'duplicate'],
      [7, 'step_no', 'sequence'],
    ]);
  });
});
