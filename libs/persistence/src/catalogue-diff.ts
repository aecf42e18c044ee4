import { foldForSearch } from '@isohub/mapping';
import { NATIONAL_CODE } from './catalogue.store';

/** The catalogue columns (DOMAIN.md §5.4) that a refresh compares; '' is stored as null. */
export const CATALOGUE_FIELDS = [
  'name',
  'issuing_body',
  'implementing_agency',
  'field',
  'portal_url',
  'time_in_person',
  'time_online',
  'time_postal',
] as const;
export type CatalogueField = (typeof CATALOGUE_FIELDS)[number];

export type CatalogueEntry = { code: string } & Record<CatalogueField, string | null>;

export interface CatalogueInput extends Partial<Record<CatalogueField, string | null>> {
  code: string;
  /** The old code this one replaces (2.000488 -> 3.000333), when the publisher says so. */
  replaces?: string | null;
  /** Row number in the uploaded file, for error messages. */
  row?: number;
}

export interface CurrentCatalogueEntry extends CatalogueEntry {
  retired: boolean;
}

export interface CatalogueRowError {
  row: number;
  field: string;
  code: string;
  message: string;
}

export interface CatalogueDiff {
  added: CatalogueEntry[];
  /** Retired codes that are listed again. */
  restored: CatalogueEntry[];
  changed: { code: string; fields: CatalogueField[]; before: CatalogueEntry; after: CatalogueEntry }[];
  removed: {
    code: string;
    before: CatalogueEntry;
    replacedBy: string | null;
    replacedHow: 'declared' | 'same_name' | null;
  }[];
  unchanged: number;
  /** Agencies renamed across the catalogue (every procedure of one name now under another). */
  renamedAgencies: {
    field: 'issuing_body' | 'implementing_agency';
    from: string;
    to: string;
    procedures: number;
  }[];
  errors: CatalogueRowError[];
  /** Kept but flagged, like the crawl's malformed codes `1.0133611`, `1.014955-Xoa`. */
  warnings: CatalogueRowError[];
}

const clean = (v: string | null | undefined): string | null => {
  const t = (v ?? '').normalize('NFC').replace(/\s+/g, ' ').trim();
  return t === '' ? null : t;
};

export function toEntry(input: CatalogueInput): CatalogueEntry {
  const entry = { code: (input.code ?? '').normalize('NFC').trim() } as CatalogueEntry;
  for (const f of CATALOGUE_FIELDS) {
    entry[f] = clean(input[f]);
  }
  return entry;
}

/**
 * Compares a new catalogue with the stored one. Codes missing from the new one are retired (kept,
 * resolvable through `replaced_by`), never deleted (DOMAIN.md §5.1).
 */
export function diffCatalogue(
  current: readonly CurrentCatalogueEntry[],
  incoming: readonly CatalogueInput[],
): CatalogueDiff {
  const diff: CatalogueDiff = {
    added: [],
    restored: [],
    changed: [],
    removed: [],
    unchanged: 0,
    renamedAgencies: [],
    errors: [],
    warnings: [],
  };
  const byCode = new Map(current.map((c) => [c.code, c]));
  const seen = new Map<string, number>();
  const replaces = new Map<string, string>();
  const next: CatalogueEntry[] = [];
  incoming.forEach((input, i) => {
    const row = input.row ?? i + 1;
    const entry = toEntry(input);
    if (entry.code === '') {
      diff.errors.push({ row, field: 'code', code: 'required', message: 'code is empty' });
      return;
    }
    if (entry.name === null) {
      diff.errors.push({ row, field: 'name', code: 'required', message: `name of ${entry.code} is empty` });
      return;
    }
    const first = seen.get(entry.code);
    if (first !== undefined) {
      diff.errors.push({
        row,
        field: 'code',
        code: 'duplicate',
        message: `${entry.code} is listed twice (rows ${first} and ${row})`,
      });
      return;
    }
    seen.set(entry.code, row);
    if (!NATIONAL_CODE.test(entry.code)) {
      diff.warnings.push({
        row,
        field: 'code',
        code: 'format',
        message: `${entry.code} is not d.dddddd; kept`,
      });
    }
    const old = clean(input.replaces);
    if (old !== null) {
      replaces.set(old, entry.code);
    }
    next.push(entry);
  });

  for (const entry of next) {
    const before = byCode.get(entry.code);
    if (!before) {
      diff.added.push(entry);
    } else if (before.retired) {
      diff.restored.push(entry);
    } else {
      const fields = CATALOGUE_FIELDS.filter((f) => before[f] !== entry[f]);
      if (fields.length === 0) {
        diff.unchanged += 1;
      } else {
        diff.changed.push({ code: entry.code, fields, before: strip(before), after: entry });
      }
    }
  }

  const addedByName = new Map<string, string[]>();
  for (const a of diff.added) {
    const key = foldForSearch(a.name ?? '');
    addedByName.set(key, [...(addedByName.get(key) ?? []), a.code]);
  }
  for (const c of current) {
    if (c.retired || seen.has(c.code)) {
      continue;
    }
    const declared = replaces.get(c.code);
    const sameName = addedByName.get(foldForSearch(c.name ?? ''));
    const replacedBy = declared ?? (sameName?.length === 1 ? (sameName[0] ?? null) : null);
    diff.removed.push({
      code: c.code,
      before: strip(c),
      replacedBy,
      replacedHow: declared ? 'declared' : replacedBy ? 'same_name' : null,
    });
  }

  diff.renamedAgencies = renamedAgencies(current, diff);
  return diff;
}

function strip(c: CurrentCatalogueEntry): CatalogueEntry {
  const { retired: _retired, ...entry } = c;
  return entry;
}

/** An agency name that disappears entirely while all its procedures move to one new name. */
function renamedAgencies(
  current: readonly CurrentCatalogueEntry[],
  diff: CatalogueDiff,
): CatalogueDiff['renamedAgencies'] {
  const out: CatalogueDiff['renamedAgencies'] = [];
  for (const field of ['issuing_body', 'implementing_agency'] as const) {
    const moves = new Map<string, Map<string, number>>();
    for (const ch of diff.changed) {
      const from = ch.before[field];
      const to = ch.after[field];
      if (from !== null && to !== null && from !== to) {
        const m = moves.get(from) ?? new Map<string, number>();
        m.set(to, (m.get(to) ?? 0) + 1);
        moves.set(from, m);
      }
    }
    const moved = new Set(
      diff.changed.filter((ch) => ch.before[field] !== ch.after[field]).map((ch) => ch.code),
    );
    const leaving = new Set(diff.removed.map((r) => r.code));
    for (const [from, targets] of moves) {
      const stillUsed = current.some(
        (c) => !c.retired && c[field] === from && !moved.has(c.code) && !leaving.has(c.code),
      );
      const [only] = [...targets];
      if (targets.size === 1 && only !== undefined && !stillUsed) {
        out.push({ field, from, to: only[0], procedures: only[1] });
      }
    }
  }
  return out;
}
