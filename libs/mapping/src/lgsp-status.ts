import { readFlag } from './lgsp-wire';
import type { FieldError, MappingContext } from './mapping.contract';
import { isNationalStatus, receptionSeen } from './status-transition';

/**
 * A sender's LGSP `Status` value (verbatim, trimmed) -> national `TrangThaiHoSo` 1..10, or null for "carries
 * no national status". Values missing from the table are held the same way: never an error, never dropped.
 */
export type LgspStatusMap = Readonly<Record<string, number | null>>;

/**
 * What OpenCPS's LGSP client writes (VietOpenCPS/opencps-v2,
 * modules/backend-dossiermgt/backend-dossiermgt-service/.../rest/utils/OpenCPSConverter.java,
 * `convertDossierToLGSPJSON` and `convertToDocumentTraces`): a document's `Status` is `2` while the dossier is
 * `releasing` (result waiting) and `1` in every other state; a trace's `Status` is always `0`.
 * So `1` can only mean "in the system, not releasing". The returned and finished cases are told apart by the
 * flags and dates (see `lgspDocumentStatus`), which leaves "being processed" (4); reception itself comes from
 * `DateReceived` and is replayed as DOSSIER_RECEIVED.
 */
export const DEFAULT_LGSP_STATUS_MAP: LgspStatusMap = { '0': null, '1': 4, '2': 9 };

/**
 * Status mappings kept outside the sender's table (the admin console's published ones, for a pulled LGSP
 * source): `raw` trimmed, `at` the change's time (ISO 8601) or null; null when they have no row.
 */
export type LgspStatusLookup = (raw: string, at: string | null) => number | null;

/** The LGSP mappers' context: a MappingContext plus the sender's status table. */
export interface LgspMappingContext extends MappingContext {
  /** Per-sender `Status` table; default DEFAULT_LGSP_STATUS_MAP. */
  lgspStatusMap?: LgspStatusMap;
  /** Consulted before `lgspStatusMap`, which stays the fallback. */
  lgspStatusLookup?: LgspStatusLookup;
}

/** Problems with a configured table, as `key: message` lines (empty = valid); for the config loader. */
export function lgspStatusMapProblems(table: unknown): string[] {
  if (table === null || typeof table !== 'object' || Array.isArray(table)) {
    return ['must be an object of "<LGSP Status>": <national status 1..10 or null>'];
  }
  return Object.entries(table as Record<string, unknown>)
    .filter(([, v]) => v !== null && !(typeof v === 'number' && isNationalStatus(v)))
    .map(([k, v]) => `"${k}": must be a national status 1..10 or null, got ${JSON.stringify(v)}`);
}

/** The national status a sender's `Status` maps to; null when unmapped or blank. */
export function lookupLgspStatus(raw: string | null, table: LgspStatusMap): number | null {
  if (raw === null) {
    return null;
  }
  const key = raw.trim();
  return Object.prototype.hasOwnProperty.call(table, key) ? (table[key] ?? null) : null;
}

/** The lookup first (when given), then the table; null when neither gives a national status. */
export function resolveLgspStatus(
  raw: string | null,
  table: LgspStatusMap,
  lookup?: LgspStatusLookup,
  at: string | null = null,
): number | null {
  const key = raw?.trim() ?? '';
  if (key === '') {
    return null;
  }
  return lookup?.(key, at) ?? lookupLgspStatus(key, table);
}

/**
 * The `Status` of a SyncDocument (`document`) or UpdateDocumentTraces (`trace`) item that nothing maps: not
 * blank, no row in the lookup, absent from the table (a value the table lists as null carries no national
 * status on purpose), and, for a document, not overruled by its flags (`IsReturned`, `IsSuccess`,
 * `HasSupplementary` decide the status whatever `Status` says). Null when the item's status is accounted for.
 */
export function unmappedLgspStatus(
  kind: 'document' | 'trace',
  item: Record<string, unknown>,
  table: LgspStatusMap,
  lookup?: LgspStatusLookup,
  at: string | null = null,
): string | null {
  const value = item['Status'];
  const raw =
    typeof value === 'string' || typeof value === 'number' ? String(value).normalize('NFC').trim() : '';
  if (raw === '') {
    return null;
  }
  if (kind === 'document') {
    const ignored: FieldError[] = [];
    if (['IsReturned', 'IsSuccess', 'HasSupplementary'].some((flag) => readFlag(item, flag, ignored))) {
      return null;
    }
  }
  if (lookup?.(raw, at) != null || Object.prototype.hasOwnProperty.call(table, raw)) {
    return null;
  }
  return raw;
}

/** What a SyncDocument item says about the moment it was written. */
export interface LgspMoment {
  /** `IsReturned`: the result has been handed to the applicant. */
  returned: boolean;
  /** `IsSuccess`: the result is ready and waiting (OpenCPS: true only while `releasing`). */
  success: boolean;
  /** `HasSupplementary`: waiting for the applicant's supplement. */
  supplementPending: boolean;
  /** `FinishedDate` is set (OpenCPS writes it only for done, cancelled and denied dossiers). */
  finished: boolean;
  /** `DateReceived` is set (OpenCPS omits it while the counter has not received the dossier). */
  received: boolean;
}

const IN_PROGRESS: ReadonlySet<number> = new Set([2, 4]);

/**
 * LGSP flags describe the moment, not the history (DOMAIN.md §4.7): `IsSuccess` is true only while the result
 * waits, and `ReturnedDate` holds the due date until `IsReturned` turns true. So the flags win over the coarse
 * `Status`, and a table status the item's own facts contradict is held rather than guessed:
 * - a status that implies reception while the item has no `DateReceived` (OpenCPS sends `1` for a new online
 *   dossier the counter has not received);
 * - "in progress" for a dossier that finished without being returned or released (cancelled or denied in
 *   OpenCPS; the LGSP message does not say which, so 3, 7 and 8 cannot be told apart).
 */
export function lgspDocumentStatus(
  raw: string | null,
  moment: LgspMoment,
  table: LgspStatusMap,
  lookup?: LgspStatusLookup,
): number | null {
  if (moment.returned) {
    return 10;
  }
  if (moment.success) {
    return 9;
  }
  if (moment.supplementPending) {
    return 5;
  }
  const mapped = resolveLgspStatus(raw, table, lookup);
  if (mapped === null) {
    return null;
  }
  if (!moment.received && receptionSeen(mapped)) {
    return null;
  }
  if (moment.finished && IN_PROGRESS.has(mapped)) {
    return null;
  }
  return mapped;
}
