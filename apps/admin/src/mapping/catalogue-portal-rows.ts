import type { PortalCatalogueRow } from '@isohub/adapters/portal';
import { CATALOGUE_FIELDS, type CatalogueEntry, type CatalogueInput } from '@isohub/persistence';
import { type Duration, parseProcessingTime } from '@isohub/timing';

const TIME_FIELDS = new Set(['time_in_person', 'time_online', 'time_postal']);

/** A stored catalogue row as the merge needs it: its columns and whether it is retired. */
export type StoredEntry = CatalogueEntry & { retired: boolean };

const clean = (v: string | null | undefined): string =>
  (v ?? '').normalize('NFC').replace(/\s+/g, ' ').trim();

function sameDuration(a: Duration, b: Duration): boolean {
  return a.value === b.value && a.unit === b.unit && (a.cutoff ?? null) === (b.cutoff ?? null);
}

/**
 * The stored time text when the portal's says the same duration: the portal gives "5 Ngày làm việc"
 * where the crawl has "Không quá 05 ngày làm việc kể từ …", and rewording is not a change anyone
 * needs to review. A real change of duration, or of text the parser cannot read, comes through.
 */
export function keepStoredTime(stored: string | null, fromPortal: string | null): string | null {
  if (fromPortal === null || stored === null) {
    return fromPortal;
  }
  if (clean(stored) === clean(fromPortal)) {
    return stored;
  }
  const a = parseProcessingTime(stored);
  const b = parseProcessingTime(fromPortal);
  return a.ok && b.ok && sameDuration(a.duration, b.duration) ? stored : fromPortal;
}

/**
 * The complete new catalogue for the existing refresh planning, in the portal's list order:
 * - a fetched procedure: the portal's row; fields its record does not carry keep the stored value;
 * - a listed procedure whose LayThuTuc failed: the stored row unchanged, so the failure never reads
 *   as "removed" (retiring it would lose data); one not stored, or retired, is left out (no data);
 * - stored procedures the portal no longer lists are absent, so the planning retires them.
 */
export function portalCatalogueRows(
  listed: readonly string[],
  fetched: ReadonlyMap<string, PortalCatalogueRow>,
  stored: ReadonlyMap<string, StoredEntry>,
): CatalogueInput[] {
  const rows: CatalogueInput[] = [];
  for (const code of listed) {
    const before = stored.get(code);
    const portal = fetched.get(code);
    if (portal === undefined) {
      if (before !== undefined && !before.retired) {
        rows.push(toInput(before, rows.length + 1));
      }
      continue;
    }
    const input: CatalogueInput = { code, name: portal.name, row: rows.length + 1 };
    for (const field of CATALOGUE_FIELDS) {
      if (field === 'name') {
        continue;
      }
      const value = portal[field];
      const kept = before?.[field] ?? null;
      if (value === undefined) {
        input[field] = kept;
      } else {
        input[field] = TIME_FIELDS.has(field) ? keepStoredTime(kept, value) : value;
      }
    }
    rows.push(input);
  }
  return rows;
}

function toInput(entry: StoredEntry, row: number): CatalogueInput {
  const input: CatalogueInput = { code: entry.code, row };
  for (const field of CATALOGUE_FIELDS) {
    input[field] = entry[field];
  }
  return input;
}
