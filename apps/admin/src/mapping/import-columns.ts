import type { IsoProcess, IsoProcessStep, LocalCodeMapping, StatutoryTime } from '@isohub/persistence';
import { formatDuration } from '@isohub/timing';
import { FieldReader } from './field-reader';
import { readAllowance, readStatutoryTime } from './mapping-validation';
import { type Cell, repairNationalCode, type Table } from './tabular';

/** One problem in an uploaded file: its row as Excel numbers it, the column, what is wrong. */
export interface RowError {
  row: number;
  field: string;
  code: string;
  message: string;
}

export interface ParsedImport<T> {
  rows: T[];
  /** Source row of each parsed entity (the first row of a process). */
  rowOf: Map<T, number>;
  errors: RowError[];
}

export const LOCAL_CODE_COLUMNS = [
  'source_system',
  'local_code',
  'national_code',
  'agency_code',
  'note',
] as const;
/** Written on export for the reader, ignored on import. */
export const LOCAL_CODE_EXPORT_COLUMNS = [...LOCAL_CODE_COLUMNS, 'national_name'] as const;

export const PROCESS_COLUMNS = [
  'agency_code',
  'procedure_code',
  'case_code',
  'iso_code',
  'process_name',
  'statutory_in_person',
  'statutory_online',
  'statutory_postal',
  'step_no',
  'step_code',
  'step_name',
  'responsible_unit',
  'allowance_days',
  'allowance_hours',
  'national_status',
  'form_codes',
] as const;
export const PROCESS_NUMERIC_COLUMNS = ['step_no', 'allowance_days', 'allowance_hours', 'national_status'];

function missingColumns(table: Table, required: readonly string[]): RowError[] {
  return required
    .filter((c) => !table.columns.includes(c))
    .map((c) => ({ row: 1, field: c, code: 'missing_column', message: `the header has no column "${c}"` }));
}

/** FieldReader pointers are `/<column>`; a row error names the bare column. */
function rowErrors(r: FieldReader, row: number): RowError[] {
  return r.errors.map((e) => ({
    row,
    field: e.field.replace(/^\//, '').split('/')[0] ?? e.field,
    code: e.code,
    message: e.message,
  }));
}

export function parseLocalCodeTable(table: Table): ParsedImport<LocalCodeMapping> {
  const out: ParsedImport<LocalCodeMapping> = { rows: [], rowOf: new Map(), errors: [] };
  out.errors.push(...missingColumns(table, ['source_system', 'local_code', 'national_code']));
  if (out.errors.length > 0) {
    return out;
  }
  const seen = new Map<string, number>();
  for (const { row, cells } of table.rows) {
    const r = new FieldReader();
    const m: LocalCodeMapping = {
      sourceSystem: r.text(cells.source_system, '/source_system', { required: true, max: 100, token: true }),
      localCode: r.text(cells.local_code, '/local_code', { required: true, max: 100, token: true }),
      nationalCode: repairNationalCode(
        r.text(cells.national_code, '/national_code', { required: true, max: 100, token: true }),
      ),
      agencyCode: r.text(cells.agency_code, '/agency_code', { max: 100, token: true }),
      note: r.text(cells.note, '/note', { max: 1000 }),
    };
    const key = `${m.sourceSystem}/${m.localCode}`;
    const first = seen.get(key);
    if (r.ok && first !== undefined) {
      r.fail('/local_code', 'duplicate', `${m.localCode} of ${m.sourceSystem} is already on row ${first}`);
    }
    if (!r.ok) {
      out.errors.push(...rowErrors(r, row));
      continue;
    }
    seen.set(key, row);
    out.rows.push(m);
    out.rowOf.set(m, row);
  }
  return out;
}

export function localCodeExportRows(
  rows: LocalCodeMapping[],
  names: Map<string, string>,
): Record<string, Cell>[] {
  return rows.map((m) => ({
    source_system: m.sourceSystem,
    local_code: m.localCode,
    national_code: m.nationalCode,
    agency_code: m.agencyCode,
    note: m.note,
    national_name: names.get(m.nationalCode) ?? null,
  }));
}

const CHANNEL_COLUMNS = [
  ['inPerson', 'statutory_in_person'],
  ['online', 'statutory_online'],
  ['postal', 'statutory_postal'],
] as const;

interface Group {
  firstRow: number;
  process: IsoProcess;
  steps: { row: number; step: IsoProcessStep }[];
  /** Process-level cell values as first given, to catch rows of one process that disagree. */
  header: Record<string, string>;
}

const PROCESS_LEVEL = [
  'iso_code',
  'process_name',
  'statutory_in_person',
  'statutory_online',
  'statutory_postal',
];

/**
 * One row per step; rows with the same agency_code + procedure_code + case_code form one process and
 * must agree on its process-level columns. Steps are numbered 1..n.
 */
export function parseProcessTable(table: Table): ParsedImport<IsoProcess> {
  const out: ParsedImport<IsoProcess> = { rows: [], rowOf: new Map(), errors: [] };
  out.errors.push(...missingColumns(table, ['agency_code', 'procedure_code', 'step_no', 'step_name']));
  if (!table.columns.includes('allowance_days') && !table.columns.includes('allowance_hours')) {
    out.errors.push({
      row: 1,
      field: 'allowance_hours',
      code: 'missing_column',
      message: 'the header needs allowance_hours or allowance_days',
    });
  }
  if (out.errors.length > 0) {
    return out;
  }
  const groups = new Map<string, Group>();
  const badGroups = new Set<string>();
  for (const { row, cells } of table.rows) {
    const r = new FieldReader();
    const agencyCode = r.text(cells.agency_code, '/agency_code', { required: true, max: 100, token: true });
    const procedureCode = repairNationalCode(
      r.text(cells.procedure_code, '/procedure_code', { required: true, max: 100, token: true }),
    );
    const caseCode = r.text(cells.case_code, '/case_code', { max: 100 }) ?? '';
    const key = `${agencyCode}/${procedureCode}/${caseCode}`;
    const stepNo = r.number(cells.step_no, '/step_no', { required: true, min: 1, max: 1000, integer: true });
    const step: IsoProcessStep = {
      stepNo: stepNo ?? 0,
      code: r.text(cells.step_code, '/step_code', { max: 100 }),
      name: r.text(cells.step_name, '/step_name', { required: true, max: 1000 }),
      responsibleUnit: r.text(cells.responsible_unit, '/responsible_unit', { max: 1000 }),
      allowanceHours: readAllowance(
        cells.allowance_hours,
        cells.allowance_days,
        '',
        'allowance_hours',
        'allowance_days',
        r,
      ),
      nationalStatus: r.number(cells.national_status, '/national_status', { min: 1, max: 10, integer: true }),
      formCodes: (cells.form_codes ?? '')
        .split(/[;,]/)
        .map((s) => s.trim())
        .filter(Boolean),
    };
    let group = groups.get(key);
    if (!group) {
      const statutory: IsoProcess['statutory'] = {};
      for (const [channel, column] of CHANNEL_COLUMNS) {
        const t: StatutoryTime | undefined = readStatutoryTime(cells[column], `/${column}`, r);
        if (t) {
          statutory[channel] = t;
        }
      }
      group = {
        firstRow: row,
        steps: [],
        header: Object.fromEntries(PROCESS_LEVEL.map((c) => [c, cells[c] ?? ''])),
        process: {
          agencyCode,
          procedureCode,
          caseCode,
          isoCode: r.text(cells.iso_code, '/iso_code', { max: 100 }),
          name: r.text(cells.process_name, '/process_name', { max: 1000 }),
          statutory,
          steps: [],
        },
      };
      groups.set(key, group);
    } else {
      for (const c of PROCESS_LEVEL) {
        const v = cells[c] ?? '';
        if (v !== '' && v !== group.header[c]) {
          r.fail(`/${c}`, 'inconsistent', `differs from row ${group.firstRow} of the same process`);
        }
      }
    }
    if (stepNo !== null && group.steps.some((s) => s.step.stepNo === stepNo)) {
      r.fail('/step_no', 'duplicate', `step ${stepNo} of ${key} is given twice`);
    }
    if (!r.ok) {
      out.errors.push(...rowErrors(r, row));
      badGroups.add(key);
      continue;
    }
    group.steps.push({ row, step });
  }
  for (const [key, g] of groups) {
    if (badGroups.has(key)) {
      continue;
    }
    const steps = [...g.steps].sort((a, b) => a.step.stepNo - b.step.stepNo);
    const gap = steps.findIndex((s, i) => s.step.stepNo !== i + 1);
    if (gap >= 0) {
      const at = steps[gap];
      out.errors.push({
        row: at?.row ?? g.firstRow,
        field: 'step_no',
        code: 'sequence',
        message: `steps of ${key} must be numbered 1..${steps.length}`,
      });
      continue;
    }
    const process = { ...g.process, steps: steps.map((s) => s.step) };
    out.rows.push(process);
    out.rowOf.set(process, g.firstRow);
  }
  return out;
}

const statutoryText = (t: StatutoryTime | undefined): string | null =>
  t ? (t.text ?? formatDuration(t)) : null;

export function processExportRows(processes: IsoProcess[]): Record<string, Cell>[] {
  return processes.flatMap((p) =>
    p.steps.map((s) => ({
      agency_code: p.agencyCode,
      procedure_code: p.procedureCode,
      case_code: p.caseCode,
      iso_code: p.isoCode,
      process_name: p.name,
      statutory_in_person: statutoryText(p.statutory.inPerson),
      statutory_online: statutoryText(p.statutory.online),
      statutory_postal: statutoryText(p.statutory.postal),
      step_no: s.stepNo,
      step_code: s.code,
      step_name: s.name,
      responsible_unit: s.responsibleUnit,
      allowance_days: s.allowanceHours / 8,
      allowance_hours: s.allowanceHours,
      national_status: s.nationalStatus,
      form_codes: s.formCodes.join('; '),
    })),
  );
}
