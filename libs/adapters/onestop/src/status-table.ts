import type { StatusLookup } from '@isohub/adapters/source';

/**
 * A source's vendor status -> national status (TrangThaiHoSo 1..10) table, as OpenCPS keeps it per site
 * in `DossierStatusMapping(statusCode, subStatusCode, statusCodeDVCQG)` (DOMAIN.md §3.4).
 */
export interface StatusTableRow {
  status: string;
  /** Absent, '' or '*' = any sub-status. */
  subStatus?: string | null;
  national: number;
}

export type StatusTable = readonly StatusTableRow[];

/** Re-exported from the shared source port, where every pull source reads them. */
export type { StatusLookup, StatusLookupQuery } from '@isohub/adapters/source';

const ANY = new Set(['', '*']);

function norm(s: string | null | undefined): string {
  return (s ?? '').normalize('NFC').trim();
}

function isAny(sub: string | null | undefined): boolean {
  return ANY.has(norm(sub));
}

/**
 * OpenCPS's rule: a row for the exact sub-status wins, else the status's first row, else nothing (the
 * change is sent without a national status: held and flagged, never dropped). Among the status's rows a
 * wildcard row is preferred over a row for another sub-status, so that listing `processing/cho_bo_sung`
 * before `processing/*` does not turn every `processing` into a supplement request.
 */
export function matchStatus(
  table: StatusTable,
  status: string | null,
  subStatus: string | null,
): number | null {
  const s = norm(status);
  if (s === '') {
    return null;
  }
  const rows = table.filter((r) => norm(r.status) === s);
  const sub = norm(subStatus);
  const exact = sub === '' ? undefined : rows.find((r) => !isAny(r.subStatus) && norm(r.subStatus) === sub);
  return (exact ?? rows.find((r) => isAny(r.subStatus)) ?? rows[0])?.national ?? null;
}

/** Problems with a configured table, each naming the row; empty when it is usable. */
export function statusTableProblems(table: unknown): string[] {
  if (!Array.isArray(table)) {
    return ['must be an array of { status, subStatus?, national }'];
  }
  const problems: string[] = [];
  const seen = new Set<string>();
  table.forEach((row: unknown, i) => {
    if (row === null || typeof row !== 'object') {
      problems.push(`[${i}] must be an object`);
      return;
    }
    const r = row as Record<string, unknown>;
    if (typeof r['status'] !== 'string' || r['status'].trim() === '') {
      problems.push(`[${i}].status must be a non-empty string`);
    }
    if (r['subStatus'] !== undefined && r['subStatus'] !== null && typeof r['subStatus'] !== 'string') {
      problems.push(`[${i}].subStatus must be a string`);
    }
    const n = r['national'];
    if (typeof n !== 'number' || !Number.isInteger(n) || n < 1 || n > 10) {
      problems.push(`[${i}].national must be an integer 1..10`);
    }
    const key = `${norm(r['status'] as string)}/${isAny(r['subStatus'] as string) ? '*' : norm(r['subStatus'] as string)}`;
    if (seen.has(key)) {
      problems.push(`[${i}] repeats ${key}`);
    }
    seen.add(key);
  });
  return problems;
}

/**
 * The lookup order of a pulled vendor status: the published mappings (their own rule: sub-status row, else
 * the status's wildcard row), then the source's `statusTable` when they have no row, else null (sent on
 * without a national status and flagged). A published wildcard row beats a file row for the exact
 * sub-status: the published version is what the admins maintain, the file is the fallback.
 */
export function resolveStatus(
  lookup: StatusLookup | undefined,
  table: StatusTable,
  status: string | null,
  subStatus: string | null,
  at: string | null,
): number | null {
  const s = norm(status);
  if (s === '') {
    return null;
  }
  const sub = norm(subStatus);
  return lookup?.({ status: s, subStatus: sub === '' ? null : sub, at }) ?? matchStatus(table, s, sub);
}
