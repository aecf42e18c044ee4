import { Inject, Injectable } from '@nestjs/common';
import { type AuthUser, canEditAgency } from '@isohub/auth';
import {
  CatalogueAdminStore,
  type IsoProcess,
  type ImportOptions,
  type ImportPlan,
  type LocalCodeMapping,
  MappingStore,
} from '@isohub/persistence';
import { checkNationalCodes } from './catalogue-codes';
import {
  LOCAL_CODE_EXPORT_COLUMNS,
  localCodeExportRows,
  PROCESS_COLUMNS,
  PROCESS_NUMERIC_COLUMNS,
  type ParsedImport,
  parseLocalCodeTable,
  parseProcessTable,
  processExportRows,
  type RowError,
} from './import-columns';
import { ProblemException } from '../http/problem';
import { detectFormat, readTable, TableReadError, type TableFormat, writeCsv, writeXlsx } from './tabular';

export type TransferKind = 'local_code' | 'process';

export interface ImportRequest {
  buffer: Buffer;
  filename?: string;
  dryRun: boolean;
  replace: boolean;
  expectedDiffHash?: string;
}

export interface ImportResult<T> {
  kind: TransferKind;
  format: TableFormat;
  dryRun: boolean;
  committed: boolean;
  replace: boolean;
  valid: boolean;
  rowCount: number;
  diffHash: string;
  summary: { added: number; changed: number; unchanged: number; removed: number; errors: number };
  added: T[];
  changed: { key: string; before: T; after: T }[];
  removed: T[];
  errors: RowError[];
}

export interface ExportFile {
  buffer: Buffer;
  filename: string;
  contentType: string;
}

const CONTENT_TYPES: Record<TableFormat, string> = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

/**
 * Bulk import and export of local-code mappings and ISO processes (CSV with BOM, or XLSX). An import
 * is a dry run unless asked otherwise: it returns the diff against the draft and every row error and
 * writes nothing; the commit applies it only when it has no errors (and, given `expectedDiffHash`,
 * only if the diff is still the one shown).
 */
@Injectable()
export class TransferService {
  constructor(
    @Inject(MappingStore) private readonly store: MappingStore,
    @Inject(CatalogueAdminStore) private readonly catalogue: CatalogueAdminStore,
  ) {}

  async import(
    user: AuthUser,
    kind: TransferKind,
    req: ImportRequest,
  ): Promise<ImportResult<LocalCodeMapping | IsoProcess>> {
    const format = detectFormat(req.buffer, req.filename);
    let table;
    try {
      table = await readTable(req.buffer, format);
    } catch (error) {
      if (error instanceof TableReadError) {
        throw ProblemException.badRequest('/file', error.message);
      }
      throw error;
    }
    return kind === 'local_code'
      ? this.run(user, 'local_code', format, table.rows.length, parseLocalCodeTable(table), req, {
          agency: (r) => r.agencyCode,
          scope: (r) => r.sourceSystem,
          nationalCode: (r) => ({ code: r.nationalCode, field: 'national_code' }),
        })
      : this.run(user, 'process', format, table.rows.length, parseProcessTable(table), req, {
          agency: (r) => r.agencyCode,
          scope: (r) => r.agencyCode,
          nationalCode: (r) => ({ code: r.procedureCode, field: 'procedure_code' }),
        });
  }

  private async run<T extends LocalCodeMapping | IsoProcess>(
    user: AuthUser,
    kind: TransferKind,
    format: TableFormat,
    rowCount: number,
    parsed: ParsedImport<T>,
    req: ImportRequest,
    how: {
      agency: (r: T) => string | null;
      /** Replace scope: source system (local codes) or agency (processes). */
      scope: (r: T) => string;
      nationalCode: (r: T) => { code: string; field: string };
    },
  ): Promise<ImportResult<T>> {
    const errors = [...parsed.errors];
    const problems = await checkNationalCodes(
      this.catalogue,
      parsed.rows.map((r) => how.nationalCode(r).code),
    );
    const valid: T[] = [];
    for (const r of parsed.rows) {
      const row = parsed.rowOf.get(r) ?? 0;
      const agency = how.agency(r);
      const { code, field } = how.nationalCode(r);
      const problem = problems.get(code);
      let ok = true;
      if (!canEditAgency(user, agency)) {
        errors.push({
          row,
          field: 'agency_code',
          code: 'forbidden',
          message: `you may not edit mappings of agency ${agency ?? '(none)'}`,
        });
        ok = false;
      }
      if (problem) {
        errors.push({ row, field, code: problem.kind, message: problem.message });
        ok = false;
      }
      if (ok) {
        valid.push(r);
      }
    }
    const scopes = new Set(parsed.rows.map(how.scope));
    // The rights a single edit applies, on the row's current agency and its new one, checked again by
    // the store inside the commit (the draft may change between dry run and commit).
    const mayEdit = (r: T | null): boolean => r === null || canEditAgency(user, how.agency(r));
    const options = {
      replace: req.replace,
      inScope: (r: T) => scopes.has(how.scope(r)) && mayEdit(r),
      authorize: (before: T | null, after: T | null) => mayEdit(before) && mayEdit(after),
    };
    // The store is typed per kind; T is the row type of `kind` by construction of the callers.
    const typed = options as unknown as ImportOptions<LocalCodeMapping | IsoProcess>;
    const plan = (
      req.dryRun || errors.length > 0
        ? await this.store.planImport(kind, valid, typed)
        : await this.store.commitImport(user.sub, kind, valid, {
            ...typed,
            expectedDiffHash: req.expectedDiffHash,
            source: `${format}:${req.filename ?? 'upload'}`,
          })
    ) as ImportPlan<T>;
    for (const { before, after } of plan.refused) {
      if (before !== null && !mayEdit(before)) {
        errors.push({
          row: after === null ? 0 : (parsed.rowOf.get(after) ?? 0),
          field: 'agency_code',
          code: 'forbidden',
          message: `the row belongs to agency ${how.agency(before) ?? '(none)'}, which you may not edit`,
        });
      }
    }
    errors.sort((a, b) => a.row - b.row || a.field.localeCompare(b.field));
    if (!req.dryRun && errors.length > 0) {
      throw ProblemException.invalid(
        errors.map((e) => ({
          field: `/rows/${e.row}/${e.field}`,
          code: e.code,
          message: `row ${e.row}: ${e.message}`,
        })),
        `the file has ${errors.length} error(s); nothing was written`,
      );
    }
    const { diff } = plan;
    return {
      kind,
      format,
      dryRun: req.dryRun,
      committed: !req.dryRun,
      replace: req.replace,
      valid: errors.length === 0,
      rowCount,
      diffHash: plan.diffHash,
      summary: {
        added: diff.added.length,
        changed: diff.changed.length,
        unchanged: diff.unchanged,
        removed: diff.removed.length,
        errors: errors.length,
      },
      added: diff.added,
      changed: diff.changed,
      removed: diff.removed,
      errors,
    };
  }

  async export(kind: TransferKind, version: string, format: TableFormat): Promise<ExportFile> {
    const resolved = await this.store.resolveVersion(version);
    const stamp = `${resolved}`;
    if (kind === 'local_code') {
      const { rows } = await this.store.list('local_code', resolved);
      const names = await this.catalogue.lookup(rows.map((r) => r.nationalCode));
      const data = localCodeExportRows(rows, new Map([...names].map(([code, p]) => [code, p.name ?? ''])));
      return this.file(`local-codes-${stamp}`, format, LOCAL_CODE_EXPORT_COLUMNS, data, []);
    }
    const { rows } = await this.store.list('process', resolved);
    return this.file(
      `iso-processes-${stamp}`,
      format,
      PROCESS_COLUMNS,
      processExportRows(rows),
      PROCESS_NUMERIC_COLUMNS,
    );
  }

  private async file(
    name: string,
    format: TableFormat,
    columns: readonly string[],
    rows: Record<string, string | number | null | undefined>[],
    numeric: string[],
  ): Promise<ExportFile> {
    const buffer =
      format === 'xlsx'
        ? await writeXlsx(name.slice(0, 31), columns, rows, numeric)
        : writeCsv(columns, rows);
    return { buffer, filename: `${name}.${format}`, contentType: CONTENT_TYPES[format] };
  }
}
