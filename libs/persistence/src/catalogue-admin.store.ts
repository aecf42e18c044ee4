import { foldForSearch } from '@isohub/mapping';
import type { DataSource, EntityManager } from 'typeorm';
import { AuditStore } from './audit.store';
import { canonicalJson, sha256Hex } from './canonical-json';
import {
  CATALOGUE_FIELDS,
  type CatalogueDiff,
  type CatalogueEntry,
  type CatalogueInput,
  type CurrentCatalogueEntry,
  diffCatalogue,
} from './catalogue-diff';
import { CatalogueStore, NATIONAL_CODE } from './catalogue.store';
import { MappingStoreError } from './mapping-store.errors';

/** Serialises catalogue refreshes and the first baseline. */
const CATALOGUE_LOCK = 4_172_003;

export interface CatalogueProcedure extends CatalogueEntry {
  codeValid: boolean;
  validFrom: string;
  validTo: string | null;
  replacedBy: string | null;
}

export interface CatalogueSearch {
  q?: string;
  field?: string;
  includeRetired?: boolean;
  limit?: number;
  offset?: number;
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
  id: number;
  version: string;
  code: string;
  change: 'added' | 'changed' | 'removed' | 'restored';
  before: CatalogueEntry | null;
  after: CatalogueEntry | null;
  replacedBy: string | null;
  changedAt: string;
}

export interface RefreshPlan {
  diff: CatalogueDiff;
  diffHash: string;
}

type Row = Record<string, unknown> & {
  code: string;
  code_valid: boolean;
  valid_from: Date;
  valid_to: Date | null;
  replaced_by: string | null;
};

const toProcedure = (r: Row): CatalogueProcedure => {
  const p = {
    code: r.code,
    codeValid: r.code_valid,
    validFrom: r.valid_from.toISOString(),
    validTo: r.valid_to ? r.valid_to.toISOString() : null,
    replacedBy: r.replaced_by,
  } as CatalogueProcedure;
  for (const f of CATALOGUE_FIELDS) {
    p[f] = (r[f] as string | null) ?? null;
  }
  return p;
};

const escapeLike = (s: string): string => s.replace(/[\\%_]/g, (c) => `\\${c}`);

const planHash = (diff: CatalogueDiff): string =>
  sha256Hex(
    canonicalJson({
      added: diff.added,
      restored: diff.restored,
      changed: diff.changed.map((c) => ({ code: c.code, after: c.after })),
      removed: diff.removed.map((r) => ({ code: r.code, replacedBy: r.replacedBy })),
    }),
  );

/**
 * The national catalogue as the admin console sees it: accent-insensitive search, versions with
 * per-code history, and refreshes that retire (never delete) codes and record what replaced them.
 */
export class CatalogueAdminStore {
  private readonly audit: AuditStore;

  constructor(
    private readonly ds: DataSource,
    audit?: AuditStore,
  ) {
    this.audit = audit ?? new AuditStore(ds);
  }

  /**
   * Code prefix or every folded word of the query in the folded name (DOMAIN.md §9): "dang ky khai
   * sinh" finds "Đăng ký khai sinh". Exact code first, then names starting with the phrase, containing
   * it, then the shortest names.
   */
  async search(s: CatalogueSearch = {}): Promise<{ items: CatalogueProcedure[]; total: number }> {
    const phrase = foldForSearch((s.q ?? '').normalize('NFC'))
      .replace(/\s+/g, ' ')
      .trim();
    const code = (s.q ?? '').trim();
    const params: unknown[] = [];
    const p = (v: unknown): string => {
      params.push(v);
      return `$${params.length}`;
    };
    const where: string[] = [];
    if (!s.includeRetired) {
      where.push('valid_to IS NULL');
    }
    if (s.field) {
      where.push(`field = ${p(s.field)}`);
    }
    let order = 'code';
    if (phrase !== '') {
      const tokens = [...new Set(phrase.split(' '))].map(
        (t) => `name_folded LIKE ${p(`%${escapeLike(t)}%`)}`,
      );
      const words = tokens.join(' AND ');
      // Only a query with a digit can be a code prefix ("1.0011", "2.000"); words alone search names.
      where.push(/\d/.test(code) ? `(code LIKE ${p(`${escapeLike(code)}%`)} OR (${words}))` : `(${words})`);
      order = `(code = ${p(code)}) DESC, (name_folded LIKE ${p(`${escapeLike(phrase)}%`)}) DESC,
               (name_folded LIKE ${p(`%${escapeLike(phrase)}%`)}) DESC, length(name), code`;
    }
    const limit = p(Math.min(Math.max(s.limit ?? 20, 1), 200));
    const offset = p(Math.max(s.offset ?? 0, 0));
    const rows = await this.ds.query<(Row & { total_rows: string })[]>(
      `SELECT *, count(*) OVER () AS total_rows FROM procedure_catalogue
        ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''}
        ORDER BY ${order} LIMIT ${limit} OFFSET ${offset}`,
      params,
    );
    return { items: rows.map(toProcedure), total: rows.length > 0 ? Number(rows[0]?.total_rows) : 0 };
  }

  async get(code: string): Promise<CatalogueProcedure | null> {
    const [row] = await this.ds.query<Row[]>(`SELECT * FROM procedure_catalogue WHERE code = $1`, [
      code.trim(),
    ]);
    return row ? toProcedure(row) : null;
  }

  /** The current code a (possibly retired) code resolves to through `replaced_by`; null if unknown. */
  async resolveCode(code: string): Promise<{ code: string; chain: string[] } | null> {
    const chain: string[] = [];
    let at = await this.get(code);
    while (at) {
      chain.push(at.code);
      if (at.validTo === null) {
        return { code: at.code, chain };
      }
      if (at.replacedBy === null || chain.includes(at.replacedBy)) {
        return null;
      }
      at = await this.get(at.replacedBy);
    }
    return null;
  }

  /** Old code -> replacing code, for every retired code with a replacement (keeps old codes resolvable). */
  async loadReplacements(): Promise<Map<string, string>> {
    const rows = await this.ds.query<{ code: string; replaced_by: string }[]>(
      `SELECT code, replaced_by FROM procedure_catalogue WHERE valid_to IS NOT NULL AND replaced_by IS NOT NULL`,
    );
    return new Map(rows.map((r) => [r.code, r.replaced_by]));
  }

  /** Catalogue status of the given codes (for validating mappings). */
  async lookup(codes: string[]): Promise<Map<string, CatalogueProcedure>> {
    const rows = await this.ds.query<Row[]>(
      `SELECT * FROM procedure_catalogue WHERE code = ANY($1::text[])`,
      [[...new Set(codes)]],
    );
    return new Map(rows.map((r) => [r.code, toProcedure(r)]));
  }

  /** Current procedures with at least one processing-time text (for the parse report). */
  async timeTexts(): Promise<
    {
      code: string;
      name: string;
      time_in_person: string | null;
      time_online: string | null;
      time_postal: string | null;
    }[]
  > {
    return this.ds.query(
      `SELECT code, name, time_in_person, time_online, time_postal FROM procedure_catalogue
        WHERE valid_to IS NULL AND coalesce(time_in_person, time_online, time_postal) IS NOT NULL ORDER BY code`,
    );
  }

  async versions(): Promise<CatalogueVersion[]> {
    const rows = await this.ds.query<
      {
        version: string;
        seq: number;
        source: string;
        loaded_by: string;
        loaded_at: Date;
        row_count: number;
        summary: Record<string, unknown>;
      }[]
    >(`SELECT * FROM catalogue_version ORDER BY seq DESC`);
    return rows.map((r) => ({
      version: r.version,
      seq: r.seq,
      source: r.source,
      loadedBy: r.loaded_by,
      loadedAt: r.loaded_at.toISOString(),
      rowCount: r.row_count,
      summary: r.summary,
    }));
  }

  async history(
    filter: { code?: string; version?: string; limit?: number; beforeId?: number } = {},
  ): Promise<CatalogueHistoryEntry[]> {
    const params: unknown[] = [];
    const where: string[] = [];
    for (const [column, value] of [
      ['code', filter.code],
      ['version', filter.version],
    ] as const) {
      if (value) {
        params.push(value);
        where.push(`${column} = $${params.length}`);
      }
    }
    if (filter.beforeId !== undefined) {
      params.push(filter.beforeId);
      where.push(`id < $${params.length}`);
    }
    params.push(Math.min(Math.max(filter.limit ?? 100, 1), 1000));
    const rows = await this.ds.query<
      {
        id: string;
        version: string;
        code: string;
        change: CatalogueHistoryEntry['change'];
        before: CatalogueEntry | null;
        after: CatalogueEntry | null;
        replaced_by: string | null;
        changed_at: Date;
      }[]
    >(
      `SELECT * FROM procedure_catalogue_history ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''}
        ORDER BY id DESC LIMIT $${params.length}`,
      params,
    );
    return rows.map((r) => ({
      id: Number(r.id),
      version: r.version,
      code: r.code,
      change: r.change,
      before: r.before,
      after: r.after,
      replacedBy: r.replaced_by,
      changedAt: r.changed_at.toISOString(),
    }));
  }

  /**
   * Seeds the catalogue from the CSV when it is empty (as the sync service does) and records the
   * catalogue present at first start as version `cat-1`.
   */
  async ensureBaseline(csvPath: string | null, actor = 'system'): Promise<CatalogueVersion | null> {
    if (csvPath) {
      await new CatalogueStore(this.ds).seedFromCsv(csvPath);
    }
    return this.ds.transaction(async (m) => {
      await m.query(`SELECT pg_advisory_xact_lock($1)`, [CATALOGUE_LOCK]);
      const [existing] = await m.query<{ version: string }[]>(
        `SELECT version FROM catalogue_version LIMIT 1`,
      );
      const [{ n } = { n: 0 }] = await m.query<{ n: number }[]>(
        `SELECT count(*)::int AS n FROM procedure_catalogue WHERE valid_to IS NULL`,
      );
      if (existing || n === 0) {
        return null;
      }
      const summary = { baseline: true, source: csvPath };
      const [row] = await m.query<{ loaded_at: Date }[]>(
        `INSERT INTO catalogue_version (version, seq, source, loaded_by, row_count, summary)
         VALUES ('cat-1', 1, 'seed', $1, $2, $3) RETURNING loaded_at`,
        [actor, n, JSON.stringify(summary)],
      );
      await this.audit.append(m, {
        actor,
        action: 'catalogue.baseline',
        entityType: 'catalogue_version',
        entityId: 'cat-1',
        before: null,
        after: { version: 'cat-1', rowCount: n, ...summary },
      });
      return {
        version: 'cat-1',
        seq: 1,
        source: 'seed',
        loadedBy: actor,
        loadedAt: (row?.loaded_at ?? new Date()).toISOString(),
        rowCount: n,
        summary,
      };
    });
  }

  async planRefresh(incoming: CatalogueInput[], m: EntityManager = this.ds.manager): Promise<RefreshPlan> {
    const rows = await m.query<Row[]>(`SELECT * FROM procedure_catalogue`);
    const current: CurrentCatalogueEntry[] = rows.map((r) => {
      const p = toProcedure(r);
      const entry = { code: p.code, retired: p.validTo !== null } as CurrentCatalogueEntry;
      for (const f of CATALOGUE_FIELDS) {
        entry[f] = p[f];
      }
      return entry;
    });
    const diff = diffCatalogue(current, incoming);
    return { diff, diffHash: planHash(diff) };
  }

  /** Applies a new catalogue as version `cat-<n>`: one transaction, history per code, one audit entry. */
  async commitRefresh(
    actor: string,
    incoming: CatalogueInput[],
    options: { expectedDiffHash?: string; source?: string } = {},
  ): Promise<RefreshPlan & { version: string }> {
    return this.ds.transaction(async (m) => {
      await m.query(`SELECT pg_advisory_xact_lock($1)`, [CATALOGUE_LOCK]);
      const plan = await this.planRefresh(incoming, m);
      const { diff } = plan;
      if (diff.errors.length > 0) {
        throw new MappingStoreError(
          'INVALID',
          'the catalogue has errors; nothing was changed',
          diff.errors.map((e) => ({ field: `/rows/${e.row}/${e.field}`, code: e.code, message: e.message })),
        );
      }
      if (options.expectedDiffHash && options.expectedDiffHash !== plan.diffHash) {
        throw new MappingStoreError('CONFLICT', 'the catalogue changed since the dry run; run it again', [
          { field: '/expectedDiffHash', code: 'stale', message: 'the catalogue changed since the dry run' },
        ]);
      }
      const [{ seq } = { seq: 1 }] = await m.query<{ seq: number }[]>(
        `SELECT coalesce(max(seq), 0) + 1 AS seq FROM catalogue_version`,
      );
      const version = `cat-${seq}`;
      const summary = {
        added: diff.added.length,
        restored: diff.restored.length,
        changed: diff.changed.length,
        removed: diff.removed.length,
        unchanged: diff.unchanged,
        renamedAgencies: diff.renamedAgencies,
        diffHash: plan.diffHash,
      };
      await m.query(
        `INSERT INTO catalogue_version (version, seq, source, loaded_by, row_count, summary)
         VALUES ($1, $2, $3, $4, $5, $6)`,
        [
          version,
          seq,
          options.source ?? 'refresh',
          actor,
          incoming.length - diff.errors.length,
          JSON.stringify(summary),
        ],
      );
      const upserts = [...diff.added, ...diff.restored, ...diff.changed.map((c) => c.after)].map((e) => ({
        ...e,
        name_folded: foldForSearch(e.name ?? ''),
        code_valid: NATIONAL_CODE.test(e.code),
      }));
      if (upserts.length > 0) {
        await m.query(
          `INSERT INTO procedure_catalogue (code, name, name_folded, issuing_body, implementing_agency, field,
                  portal_url, time_in_person, time_online, time_postal, code_valid, valid_from, valid_to, replaced_by)
           SELECT x.code, x.name, x.name_folded, x.issuing_body, x.implementing_agency, x.field, x.portal_url,
                  x.time_in_person, x.time_online, x.time_postal, x.code_valid, now(), NULL, NULL
             FROM jsonb_to_recordset($1::jsonb) AS x(code text, name text, name_folded text, issuing_body text,
                  implementing_agency text, field text, portal_url text, time_in_person text, time_online text,
                  time_postal text, code_valid boolean)
           ON CONFLICT (code) DO UPDATE SET name = EXCLUDED.name, name_folded = EXCLUDED.name_folded,
                  issuing_body = EXCLUDED.issuing_body, implementing_agency = EXCLUDED.implementing_agency,
                  field = EXCLUDED.field, portal_url = EXCLUDED.portal_url, time_in_person = EXCLUDED.time_in_person,
                  time_online = EXCLUDED.time_online, time_postal = EXCLUDED.time_postal,
                  code_valid = EXCLUDED.code_valid,
                  valid_from = CASE WHEN procedure_catalogue.valid_to IS NULL THEN procedure_catalogue.valid_from
                                    ELSE now() END,
                  valid_to = NULL, replaced_by = NULL`,
          [JSON.stringify(upserts)],
        );
      }
      if (diff.removed.length > 0) {
        await m.query(
          `UPDATE procedure_catalogue p SET valid_to = now(), replaced_by = x.replaced_by
             FROM jsonb_to_recordset($1::jsonb) AS x(code text, replaced_by text) WHERE p.code = x.code`,
          [JSON.stringify(diff.removed.map((r) => ({ code: r.code, replaced_by: r.replacedBy })))],
        );
      }
      const history = [
        ...diff.added.map((e) => ({
          code: e.code,
          change: 'added',
          before: null,
          after: e,
          replaced_by: null,
        })),
        ...diff.restored.map((e) => ({
          code: e.code,
          change: 'restored',
          before: null,
          after: e,
          replaced_by: null,
        })),
        ...diff.changed.map((c) => ({
          code: c.code,
          change: 'changed',
          before: c.before,
          after: c.after,
          replaced_by: null,
        })),
        ...diff.removed.map((r) => ({
          code: r.code,
          change: 'removed',
          before: r.before,
          after: null,
          replaced_by: r.replacedBy,
        })),
      ];
      if (history.length > 0) {
        await m.query(
          `INSERT INTO procedure_catalogue_history (version, code, change, before, after, replaced_by)
           SELECT $2, x.code, x.change, x.before, x.after, x.replaced_by
             FROM jsonb_to_recordset($1::jsonb) AS x(code text, change text, before jsonb, after jsonb, replaced_by text)`,
          [JSON.stringify(history), version],
        );
      }
      await this.audit.append(m, {
        actor,
        action: 'catalogue.refresh',
        entityType: 'catalogue_version',
        entityId: version,
        before: null,
        after: { version, source: options.source ?? 'refresh', ...summary },
      });
      return { ...plan, version };
    });
  }
}
