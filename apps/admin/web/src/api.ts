/** The admin API from the browser: session cookie, CSRF header on writes, problem+json errors. */

export interface FieldError {
  field: string;
  code?: string;
  message: string;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly errors: FieldError[] = [],
  ) {
    super(message);
  }
}

export interface Me {
  sub: string;
  name: string | null;
  roles: ('admin' | 'mapper' | 'viewer')[];
  agencies: string[];
  via: 'session' | 'bearer';
}

export interface Procedure {
  code: string;
  name: string;
  field: string | null;
  time_in_person: string | null;
  time_online: string | null;
  time_postal: string | null;
  validTo: string | null;
}

export interface LocalCodeMapping {
  sourceSystem: string;
  localCode: string;
  nationalCode: string;
  agencyCode: string | null;
  note: string | null;
  updatedAt?: string;
  updatedBy?: string;
}

/** Values for the mapping form, e.g. from the unmapped queue's "map" action. */
export type Prefill = Partial<LocalCodeMapping> | null;

export interface RowError {
  row: number;
  field: string;
  code: string;
  message: string;
}

export interface ImportResult {
  kind: string;
  dryRun: boolean;
  committed: boolean;
  valid: boolean;
  rowCount: number;
  diffHash: string;
  summary: { added: number; changed: number; unchanged: number; removed: number; errors: number };
  added: unknown[];
  changed: { key?: unknown; before: unknown; after: unknown }[];
  removed: unknown[];
  errors: RowError[];
}

export interface UnmappedCode {
  sourceSystem: string;
  code: string;
  occurrences: number;
  firstSeenAt: string;
  lastSeenAt: string;
  sampleDossiers: string[];
  draftNationalCode: string | null;
  suggestion: { nationalCode: string; name: string } | null;
}

export interface UnmappedStatus {
  sourceSystem: string;
  status: string;
  /** '' when the vendor sent none. */
  subStatus: string;
  occurrences: number;
  firstSeenAt: string;
  lastSeenAt: string;
  lastChangeAt: string | null;
  sampleDossiers: string[];
  affectedDossiers: number;
  draft: { nationalStatus: number; milestone: string; subStatus: string } | null;
}

/** What the unmapped-status list hands the status-mapping form. */
export type StatusPrefill = { sourceSystem: string; status: string; subStatus: string } | null;

export interface AuditEntry {
  id: number;
  at: string;
  actor: string;
  action: string;
  entityType: string;
  entityId: string;
  before: unknown;
  after: unknown;
}

export interface AuditVerification {
  ok: boolean;
  checked: number;
  lastId: number | null;
  firstBroken: { id: number; reason: string } | null;
}

export interface Readiness {
  reachable: boolean;
  status: string;
  checks: Record<string, Record<string, unknown>>;
  problem: string | null;
}

let csrf: Promise<string> | null = null;

function csrfToken(): Promise<string> {
  csrf ??= getJson<{ csrfToken: string }>('/auth/csrf').then((r) => r.csrfToken);
  return csrf;
}

export function loginUrl(): string {
  return `/auth/login?returnTo=${encodeURIComponent(location.pathname + location.search)}`;
}

async function answer<T>(res: Response): Promise<T> {
  if (res.status === 401) {
    location.assign(loginUrl());
    throw new ApiError(401, 'login required');
  }
  const type = res.headers.get('content-type') ?? '';
  const body: unknown = type.includes('json') ? await res.json() : await res.text();
  if (!res.ok) {
    const problem = (typeof body === 'object' && body !== null ? body : {}) as {
      title?: string;
      detail?: string;
      errors?: FieldError[];
    };
    throw new ApiError(
      res.status,
      problem.detail ?? problem.title ?? `HTTP ${res.status}`,
      Array.isArray(problem.errors) ? problem.errors : [],
    );
  }
  return body as T;
}

export async function getJson<T>(path: string): Promise<T> {
  return answer<T>(
    await fetch(path, { headers: { accept: 'application/json' }, credentials: 'same-origin' }),
  );
}

/** A write: JSON or multipart body, with the session's CSRF token. */
export async function send<T>(method: 'POST' | 'PUT' | 'DELETE', path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json', 'x-csrf-token': await csrfToken() };
  let payload: BodyInit | undefined;
  if (body instanceof FormData) {
    payload = body;
  } else if (body !== undefined) {
    headers['content-type'] = 'application/json';
    payload = JSON.stringify(body);
  }
  return answer<T>(await fetch(path, { method, headers, body: payload, credentials: 'same-origin' }));
}

/** Logout is a form post carrying the CSRF token, so the browser follows the SSO's logout redirect. */
export async function logout(): Promise<void> {
  const form = document.createElement('form');
  form.method = 'post';
  form.action = '/auth/logout';
  const input = document.createElement('input');
  input.type = 'hidden';
  input.name = '_csrf';
  input.value = await csrfToken();
  form.appendChild(input);
  document.body.appendChild(form);
  form.submit();
}

export const canWrite = (me: Me | null): boolean =>
  me !== null && me.roles.some((r) => r === 'admin' || r === 'mapper');

export const isAdmin = (me: Me | null): boolean => me !== null && me.roles.includes('admin');

export interface StatusMapping {
  sourceSystem: string;
  status: string;
  subStatus: string;
  validFrom: string;
  nationalStatus: number;
  milestone: string;
  agencyCode: string | null;
  note: string | null;
  updatedAt?: string;
  updatedBy?: string;
}

export interface StatutoryTime {
  value: number;
  unit: string;
  hours?: number;
  text?: string;
}

export type Channel = 'inPerson' | 'online' | 'postal';

export interface IsoStep {
  stepNo: number;
  code: string | null;
  name: string;
  responsibleUnit: string | null;
  allowanceHours: number;
  nationalStatus: number | null;
  formCodes: string[];
}

export interface IsoProcess {
  agencyCode: string;
  procedureCode: string;
  caseCode: string;
  isoCode: string | null;
  name: string | null;
  statutory: Partial<Record<Channel, StatutoryTime>>;
  steps: IsoStep[];
  updatedAt?: string;
  updatedBy?: string;
}

export interface Page<T> {
  items: T[];
  total: number;
  version: string;
}

export interface KeyedDiff<T> {
  added: T[];
  changed: { key: string; before: T; after: T }[];
  removed: T[];
  unchanged: number;
}

export interface DraftChanges {
  base: string | null;
  local_code: KeyedDiff<LocalCodeMapping>;
  status: KeyedDiff<StatusMapping>;
  process: KeyedDiff<IsoProcess>;
}

export interface MappingVersion {
  version: string;
  seq: number;
  effectiveFrom: string;
  publishedAt: string;
  publishedBy: string;
  note: string | null;
  summary: Record<string, { added: number; changed: number; removed: number } | undefined>;
}

export interface PublishResult extends MappingVersion {
  resolvedUnmapped: { sourceSystem: string; code: string }[];
}

export interface CatalogueVersion {
  version: string;
  seq: number;
  source: string;
  loadedBy: string;
  loadedAt: string;
  rowCount: number;
  summary: Record<string, unknown>;
}

export interface CatalogueHistoryEntry {
  id: string | number;
  version: string;
  code: string;
  change: string;
  before: Record<string, string | null> | null;
  after: Record<string, string | null> | null;
  replacedBy: string | null;
  changedAt: string;
}

export interface UnparsedReport {
  filled: number;
  parsed: number;
  parsedShare: number;
  total: number;
  items: { code: string; name: string; channel: Channel; text: string; reason: string }[];
}

export interface CatalogueEntry {
  code: string;
  name: string | null;
  [field: string]: string | null;
}

/** `POST /api/catalogue/refresh` and `/refresh-from-portal` (which adds `fetched` and `failed`). */
export interface CatalogueRefreshResult {
  dryRun: boolean;
  version: string | null;
  diffHash: string;
  summary: Record<string, number>;
  added: CatalogueEntry[];
  restored: CatalogueEntry[];
  changed: {
    code: string;
    fields: string[];
    before: Record<string, string | null>;
    after: Record<string, string | null>;
  }[];
  removed: { code: string; name: string | null; replacedBy: string | null; replacedHow: string | null }[];
  renamedAgencies: { field: string; from: string; to: string; procedures: number }[];
  errors: RowError[];
  warnings: RowError[];
  fetched?: number;
  failed?: { code: string; error: string }[];
}

export interface AdapterStatus {
  id: string;
  type: string;
  enabled: boolean;
  agency: string | null;
  health: string;
  circuit: string;
  paused: boolean;
  lagSeconds: number | null;
  lastPollAt: string | null;
  lastSuccessAt: string | null;
  lastError: { code: string; message: string; at: string } | null;
  consecutiveFailures: number;
  intervalSeconds: number;
  cursor: { value: string | null; time: string | null; updatedBy: string; updatedAt: string };
  flags: { code: string; detail: string; count: number }[];
  openDeadLetters: number;
  openDeadLettersCapped: boolean;
}

export interface ConnectionTest {
  ok: boolean;
  detail: string;
  latencyMs: number;
  testedAt?: string;
}
