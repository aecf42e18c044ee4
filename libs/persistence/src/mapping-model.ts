import type { DurationUnit } from '@isohub/timing';

/** The working copy every edit goes to; publishing copies it into an immutable `m-<n>`. */
export const DRAFT = 'draft';
/** A status mapping row without a sub-status: the status's wildcard row (DOMAIN.md §3.4). */
export const ANY_SUB_STATUS = '*';

export const MAPPING_KINDS = ['local_code', 'status', 'process'] as const;
export type MappingKind = (typeof MAPPING_KINDS)[number];

interface Bookkeeping {
  updatedBy?: string;
  updatedAt?: string;
}

/** A source system's local procedure code -> national code (`1.001193.000.00.00.H56` -> `1.001193`). */
export interface LocalCodeMapping extends Bookkeeping {
  sourceSystem: string;
  localCode: string;
  nationalCode: string;
  agencyCode: string | null;
  note: string | null;
}

/** Source status (+ optional sub-status) -> national status 1..10 and canonical milestone. */
export interface StatusMapping extends Bookkeeping {
  sourceSystem: string;
  status: string;
  /** `*` = any sub-status. */
  subStatus: string;
  /** `YYYY-MM-DD`, Vietnam date. */
  validFrom: string;
  nationalStatus: number;
  milestone: string;
  agencyCode: string | null;
  note: string | null;
}

export interface StatutoryTime {
  value: number;
  unit: DurationUnit;
  /** Working hours for working-day and working-hour units. */
  hours?: number;
  /** The text it was read from, when it came from text (catalogue or import). */
  text?: string;
}

export interface StatutoryTimes {
  inPerson?: StatutoryTime;
  online?: StatutoryTime;
  postal?: StatutoryTime;
}

export interface IsoProcessStep {
  stepNo: number;
  code: string | null;
  name: string;
  responsibleUnit: string | null;
  /** Time allowance in working hours (1 working day = 8 h, DOMAIN.md §6.1). */
  allowanceHours: number;
  /** Per-channel allowances in working hours where they differ from `allowanceHours`. */
  channelAllowanceHours?: { inPerson?: number; online?: number; postal?: number };
  /** The national status the step produces, when the process says so. */
  nationalStatus: number | null;
  /** Agency-specific ISO form codes (BM-VP01.03 …). */
  formCodes: string[];
}

/** An agency's ISO procedure (quy trình nội bộ) for one national procedure and case. */
export interface IsoProcess extends Bookkeeping {
  agencyCode: string;
  procedureCode: string;
  /** Case (trường hợp); '' when the procedure has one. */
  caseCode: string;
  isoCode: string | null;
  name: string | null;
  statutory: StatutoryTimes;
  steps: IsoProcessStep[];
}

export interface MappingRows {
  local_code: LocalCodeMapping;
  status: StatusMapping;
  process: IsoProcess;
}

/** How one kind is stored: its table, key, columns (with SQL types) and row conversion. */
export interface KindSpec<T> {
  kind: MappingKind;
  table: string;
  entityType: string;
  keyColumns: string[];
  /** column -> SQL type, key columns first. */
  columns: Record<string, string>;
  /** Columns matched by a free-text `q` filter. */
  searchColumns: string[];
  key(this: void, row: T): string;
  content(this: void, row: T): unknown;
  toDb(this: void, row: T): Record<string, unknown>;
  fromDb(this: void, row: Record<string, unknown>): T;
  agency(this: void, row: T): string | null;
}

const str = (v: unknown): string =>
  typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : '';
const strOrNull = (v: unknown): string | null => (v === null || v === undefined ? null : str(v));
const iso = (v: unknown): string | undefined => (v instanceof Date ? v.toISOString() : undefined);

export const LOCAL_CODE_SPEC: KindSpec<LocalCodeMapping> = {
  kind: 'local_code',
  table: 'local_code_mapping',
  entityType: 'local_code_mapping',
  keyColumns: ['source_system', 'local_code'],
  columns: {
    source_system: 'text',
    local_code: 'text',
    national_code: 'text',
    agency_code: 'text',
    note: 'text',
  },
  searchColumns: ['local_code', 'national_code'],
  key: (r) => `${r.sourceSystem}/${r.localCode}`,
  content: (r) => ({
    sourceSystem: r.sourceSystem,
    localCode: r.localCode,
    nationalCode: r.nationalCode,
    agencyCode: r.agencyCode,
    note: r.note,
  }),
  toDb: (r) => ({
    source_system: r.sourceSystem,
    local_code: r.localCode,
    national_code: r.nationalCode,
    agency_code: r.agencyCode,
    note: r.note,
  }),
  fromDb: (r) => ({
    sourceSystem: str(r.source_system),
    localCode: str(r.local_code),
    nationalCode: str(r.national_code),
    agencyCode: strOrNull(r.agency_code),
    note: strOrNull(r.note),
    updatedBy: strOrNull(r.updated_by) ?? undefined,
    updatedAt: iso(r.updated_at),
  }),
  agency: (r) => r.agencyCode,
};

export const STATUS_SPEC: KindSpec<StatusMapping> = {
  kind: 'status',
  table: 'status_mapping',
  entityType: 'status_mapping',
  keyColumns: ['source_system', 'status', 'sub_status', 'valid_from'],
  columns: {
    source_system: 'text',
    status: 'text',
    sub_status: 'text',
    valid_from: 'date',
    national_status: 'smallint',
    milestone: 'text',
    agency_code: 'text',
    note: 'text',
  },
  searchColumns: ['status', 'sub_status', 'milestone'],
  key: (r) => `${r.sourceSystem}/${r.status}/${r.subStatus}/${r.validFrom}`,
  content: (r) => ({
    sourceSystem: r.sourceSystem,
    status: r.status,
    subStatus: r.subStatus,
    validFrom: r.validFrom,
    nationalStatus: r.nationalStatus,
    milestone: r.milestone,
    agencyCode: r.agencyCode,
    note: r.note,
  }),
  toDb: (r) => ({
    source_system: r.sourceSystem,
    status: r.status,
    sub_status: r.subStatus,
    valid_from: r.validFrom,
    national_status: r.nationalStatus,
    milestone: r.milestone,
    agency_code: r.agencyCode,
    note: r.note,
  }),
  fromDb: (r) => ({
    sourceSystem: str(r.source_system),
    status: str(r.status),
    subStatus: str(r.sub_status),
    validFrom: str(r.valid_from),
    nationalStatus: Number(r.national_status),
    milestone: str(r.milestone),
    agencyCode: strOrNull(r.agency_code),
    note: strOrNull(r.note),
    updatedBy: strOrNull(r.updated_by) ?? undefined,
    updatedAt: iso(r.updated_at),
  }),
  agency: (r) => r.agencyCode,
};

export const PROCESS_SPEC: KindSpec<IsoProcess> = {
  kind: 'process',
  table: 'iso_process',
  entityType: 'iso_process',
  keyColumns: ['agency_code', 'procedure_code', 'case_code'],
  columns: {
    agency_code: 'text',
    procedure_code: 'text',
    case_code: 'text',
    iso_code: 'text',
    name: 'text',
    statutory: 'jsonb',
    steps: 'jsonb',
  },
  searchColumns: ['procedure_code', 'iso_code', 'name'],
  key: (r) => `${r.agencyCode}/${r.procedureCode}/${r.caseCode}`,
  content: (r) => ({
    agencyCode: r.agencyCode,
    procedureCode: r.procedureCode,
    caseCode: r.caseCode,
    isoCode: r.isoCode,
    name: r.name,
    statutory: r.statutory,
    steps: r.steps,
  }),
  toDb: (r) => ({
    agency_code: r.agencyCode,
    procedure_code: r.procedureCode,
    case_code: r.caseCode,
    iso_code: r.isoCode,
    name: r.name,
    statutory: r.statutory,
    steps: r.steps,
  }),
  fromDb: (r) => ({
    agencyCode: str(r.agency_code),
    procedureCode: str(r.procedure_code),
    caseCode: str(r.case_code),
    isoCode: strOrNull(r.iso_code),
    name: strOrNull(r.name),
    statutory: r.statutory ?? {},
    steps: (r.steps ?? []) as IsoProcessStep[],
    updatedBy: strOrNull(r.updated_by) ?? undefined,
    updatedAt: iso(r.updated_at),
  }),
  agency: (r) => r.agencyCode,
};

export const KIND_SPECS: { [K in MappingKind]: KindSpec<MappingRows[K]> } = {
  local_code: LOCAL_CODE_SPEC,
  status: STATUS_SPEC,
  process: PROCESS_SPEC,
};
