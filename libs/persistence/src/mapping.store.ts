import type { DataSource, EntityManager } from 'typeorm';
import { AuditStore } from './audit.store';
import { canonicalJson } from './canonical-json';
import { diffHash, keyedDiff, type KeyedDiff } from './keyed-diff';
import {
  DRAFT,
  KIND_SPECS,
  type KindSpec,
  MAPPING_KINDS,
  type MappingKind,
  type MappingRows,
  type StatusMapping,
} from './mapping-model';
import { MappingStoreError } from './mapping-store.errors';
import { resolveUnmappedStatusesIn, type UnmappedStatusKey } from './unmapped-status.store';
import {
  copyVersion,
  deleteRows,
  type ListFilter,
  MAPPING_LOCK,
  queryReturning,
  selectByKeys,
  selectMap,
  selectRows,
  upsertRows,
} from './mapping-tables';

export interface PublishedVersion {
  version: string;
  seq: number;
  effectiveFrom: string;
  publishedAt: string;
  publishedBy: string;
  note: string | null;
  summary: Record<string, unknown>;
}

export type ChangeCounts = Record<MappingKind, { added: number; changed: number; removed: number }>;

export interface ImportPlan<T> {
  diff: KeyedDiff<T>;
  /** Changes the import's `authorize` refused; a commit with any writes nothing. */
  refused: { key: string; before: T | null; after: T | null }[];
  /** Fingerprint of the diff: pass it back to commit exactly what the dry run showed. */
  diffHash: string;
}

export interface ImportOptions<T> {
  /** Replace: draft rows in scope that the import does not list are removed. Merge otherwise. */
  replace: boolean;
  inScope?: (row: T) => boolean;
  /**
   * Per-row rights, checked against the draft as it is when the plan is made (for a commit: inside its
   * transaction, under the draft lock): false refuses the change from `before` to `after`.
   */
  authorize?: (before: T | null, after: T | null) => boolean;
}

/** Called inside the write transaction with the locked current row; throw to refuse. */
export type Authorize<T> = (before: T | null) => void;

const VERSION_NAME = /^m-(\d+)$/;

const counts = (d: KeyedDiff<unknown>): { added: number; changed: number; removed: number } => ({
  added: d.added.length,
  changed: d.changed.length,
  removed: d.removed.length,
});

/**
 * Local-code, status and ISO-process mappings: edits go to the draft, publishing freezes the draft as a
 * new version `m-<n>` with an effective date; the sync service reads the version in effect. Every write
 * records its audit entry in the same transaction.
 */
export class MappingStore {
  private readonly audit: AuditStore;

  constructor(
    private readonly ds: DataSource,
    audit?: AuditStore,
  ) {
    this.audit = audit ?? new AuditStore(ds);
  }

  // ----- versions -------------------------------------------------------------------------------

  /** The published version in effect at `at` (the highest `m-<n>` whose effective date has come). */
  async currentPublishedVersion(at: Date = new Date()): Promise<string | null> {
    const [row] = await this.ds.query<{ version: string }[]>(
      `SELECT version FROM mapping_version WHERE effective_from <= $1 ORDER BY seq DESC LIMIT 1`,
      [at.toISOString()],
    );
    return row?.version ?? null;
  }

  async listVersions(): Promise<PublishedVersion[]> {
    const rows = await this.ds.query<
      {
        version: string;
        seq: number;
        effective_from: Date;
        published_at: Date;
        published_by: string;
        note: string | null;
        summary: Record<string, unknown>;
      }[]
    >(`SELECT * FROM mapping_version ORDER BY seq DESC`);
    return rows.map((r) => ({
      version: r.version,
      seq: r.seq,
      effectiveFrom: r.effective_from.toISOString(),
      publishedAt: r.published_at.toISOString(),
      publishedBy: r.published_by,
      note: r.note,
      summary: r.summary,
    }));
  }

  /** `draft`, `current` (the version in effect now) or `m-<n>`. */
  async resolveVersion(ref: string | undefined): Promise<string> {
    if (ref === undefined || ref === '' || ref === DRAFT) {
      return DRAFT;
    }
    if (ref === 'current') {
      const current = await this.currentPublishedVersion();
      if (current === null) {
        throw new MappingStoreError('NOT_FOUND', 'no mapping version has been published yet', [
          { field: '/version', code: 'not_found', message: 'nothing published yet' },
        ]);
      }
      return current;
    }
    const [row] = VERSION_NAME.test(ref)
      ? await this.ds.query<{ version: string }[]>(`SELECT version FROM mapping_version WHERE version = $1`, [
          ref,
        ])
      : [];
    if (!row) {
      throw new MappingStoreError('NOT_FOUND', `mapping version ${ref} does not exist`, [
        { field: '/version', code: 'not_found', message: `no version ${ref}` },
      ]);
    }
    return row.version;
  }

  // ----- reading ----------------------------------------------------------------------------------

  async list<K extends MappingKind>(
    kind: K,
    version: string,
    filter: ListFilter = {},
  ): Promise<{ rows: MappingRows[K][]; total: number }> {
    return selectRows(this.ds.manager, KIND_SPECS[kind], version, filter);
  }

  async get<K extends MappingKind>(
    kind: K,
    version: string,
    key: Partial<MappingRows[K]>,
  ): Promise<MappingRows[K] | null> {
    const spec = KIND_SPECS[kind];
    const probe = key as MappingRows[K];
    const found = await selectByKeys(this.ds.manager, spec, version, [probe]);
    return found.get(spec.key(probe)) ?? null;
  }

  // ----- drafting ---------------------------------------------------------------------------------

  /** Creates or replaces one draft row; a no-op save writes nothing and records nothing. */
  async save<K extends MappingKind>(
    actor: string,
    kind: K,
    row: MappingRows[K],
    authorize: Authorize<MappingRows[K]> = () => undefined,
  ): Promise<{ before: MappingRows[K] | null; after: MappingRows[K]; changed: boolean }> {
    const spec = KIND_SPECS[kind];
    return this.ds.transaction(async (m) => {
      await m.query(`SELECT pg_advisory_xact_lock($1)`, [MAPPING_LOCK]);
      const key = spec.key(row);
      const before = (await selectByKeys(m, spec, DRAFT, [row], true)).get(key) ?? null;
      authorize(before);
      if (before && canonicalJson(spec.content(before)) === canonicalJson(spec.content(row))) {
        return { before, after: before, changed: false };
      }
      await upsertRows(m, spec, DRAFT, [row], actor);
      const after = (await selectByKeys(m, spec, DRAFT, [row])).get(key) ?? row;
      await this.audit.append(m, {
        actor,
        action: `${kind}.${before ? 'update' : 'create'}`,
        entityType: spec.entityType,
        entityId: key,
        before: before ? spec.content(before) : null,
        after: spec.content(after),
      });
      return { before, after, changed: true };
    });
  }

  async remove<K extends MappingKind>(
    actor: string,
    kind: K,
    key: Partial<MappingRows[K]>,
    authorize: Authorize<MappingRows[K]> = () => undefined,
  ): Promise<MappingRows[K]> {
    const spec = KIND_SPECS[kind];
    const probe = key as MappingRows[K];
    return this.ds.transaction(async (m) => {
      await m.query(`SELECT pg_advisory_xact_lock($1)`, [MAPPING_LOCK]);
      const before = (await selectByKeys(m, spec, DRAFT, [probe], true)).get(spec.key(probe));
      if (!before) {
        throw new MappingStoreError('NOT_FOUND', `no draft ${spec.entityType} ${spec.key(probe)}`);
      }
      authorize(before);
      await deleteRows(m, spec, DRAFT, [before]);
      await this.audit.append(m, {
        actor,
        action: `${kind}.delete`,
        entityType: spec.entityType,
        entityId: spec.key(before),
        before: spec.content(before),
        after: null,
      });
      return before;
    });
  }

  // ----- bulk import ------------------------------------------------------------------------------

  async planImport<K extends MappingKind>(
    kind: K,
    incoming: MappingRows[K][],
    options: ImportOptions<MappingRows[K]>,
    m: EntityManager = this.ds.manager,
  ): Promise<ImportPlan<MappingRows[K]>> {
    const spec = KIND_SPECS[kind];
    const current = await selectMap(m, spec, DRAFT);
    const next = new Map(incoming.map((r) => [spec.key(r), r]));
    const diff = keyedDiff(
      current,
      next,
      spec.content,
      (r) => options.replace && (options.inScope?.(r) ?? true),
    );
    const allowed = options.authorize ?? (() => true);
    const refused = [
      ...diff.added.map((after) => ({ key: spec.key(after), before: null, after })),
      ...diff.changed,
      ...diff.removed.map((before) => ({ key: spec.key(before), before, after: null })),
    ].filter((c) => !allowed(c.before, c.after));
    return { diff, refused, diffHash: diffHash(diff, spec.content) };
  }

  /**
   * Applies an import to the draft in one transaction: plans again under the draft lock, refuses when
   * the plan is no longer the one the dry run showed (`expectedDiffHash`), writes one audit entry per
   * changed row plus one for the import. Writes nothing, and returns the plan, when `authorize` refuses
   * any change (`plan.refused`).
   */
  async commitImport<K extends MappingKind>(
    actor: string,
    kind: K,
    incoming: MappingRows[K][],
    options: ImportOptions<MappingRows[K]> & { expectedDiffHash?: string; source?: string },
  ): Promise<ImportPlan<MappingRows[K]>> {
    const spec = KIND_SPECS[kind];
    return this.ds.transaction(async (m) => {
      await m.query(`SELECT pg_advisory_xact_lock($1)`, [MAPPING_LOCK]);
      const plan = await this.planImport(kind, incoming, options, m);
      if (plan.refused.length > 0) {
        return plan;
      }
      if (options.expectedDiffHash && options.expectedDiffHash !== plan.diffHash) {
        throw new MappingStoreError(
          'CONFLICT',
          'the draft changed since the dry run; run the dry run again',
          [{ field: '/expectedDiffHash', code: 'stale', message: 'the draft changed since the dry run' }],
        );
      }
      const { diff } = plan;
      await upsertRows(m, spec, DRAFT, [...diff.added, ...diff.changed.map((c) => c.after)], actor);
      await deleteRows(m, spec, DRAFT, diff.removed);
      await this.audit.appendMany(m, [
        ...diff.added.map((r) => ({
          actor,
          action: `${kind}.create`,
          entityType: spec.entityType,
          entityId: spec.key(r),
          before: null,
          after: spec.content(r),
        })),
        ...diff.changed.map((c) => ({
          actor,
          action: `${kind}.update`,
          entityType: spec.entityType,
          entityId: c.key,
          before: spec.content(c.before),
          after: spec.content(c.after),
        })),
        ...diff.removed.map((r) => ({
          actor,
          action: `${kind}.delete`,
          entityType: spec.entityType,
          entityId: spec.key(r),
          before: spec.content(r),
          after: null,
        })),
        {
          actor,
          action: `${kind}.import`,
          entityType: 'import',
          entityId: plan.diffHash,
          before: null,
          after: {
            kind,
            source: options.source ?? null,
            replace: options.replace,
            ...counts(diff),
            unchanged: diff.unchanged,
          },
        },
      ]);
      return plan;
    });
  }

  // ----- publishing -------------------------------------------------------------------------------

  /** What publishing now would change, against the version published last. */
  async draftChanges(m: EntityManager = this.ds.manager): Promise<{
    base: string | null;
    changes: { [K in MappingKind]: KeyedDiff<MappingRows[K]> };
  }> {
    const [last] = await m.query<{ version: string }[]>(
      `SELECT version FROM mapping_version ORDER BY seq DESC LIMIT 1`,
    );
    const base = last?.version ?? null;
    const diffOf = async <K extends MappingKind>(kind: K): Promise<KeyedDiff<MappingRows[K]>> => {
      const spec = KIND_SPECS[kind];
      const current = base ? await selectMap(m, spec, base) : new Map<string, MappingRows[K]>();
      return keyedDiff(current, await selectMap(m, spec, DRAFT), spec.content, () => true);
    };
    return {
      base,
      changes: {
        local_code: await diffOf('local_code'),
        status: await diffOf('status'),
        process: await diffOf('process'),
      },
    };
  }

  /**
   * Freezes the draft as `m-<n>`, effective from `effectiveFrom` (now by default; never before the
   * previous version's), and takes the codes and the vendor statuses it maps out of the unmapped queues (the
   * statuses' dossiers stay listed for the sync service, which reads them again once the version is in force).
   */
  async publish(
    actor: string,
    options: { effectiveFrom?: Date; note?: string | null } = {},
  ): Promise<
    PublishedVersion & {
      resolvedUnmapped: { sourceSystem: string; code: string }[];
      resolvedUnmappedStatuses: UnmappedStatusKey[];
    }
  > {
    return this.ds.transaction(async (m) => {
      await m.query(`SELECT pg_advisory_xact_lock($1)`, [MAPPING_LOCK]);
      const [last] = await m.query<{ version: string; seq: number; effective_from: Date }[]>(
        `SELECT version, seq, effective_from FROM mapping_version ORDER BY seq DESC LIMIT 1`,
      );
      const effectiveFrom = options.effectiveFrom ?? new Date();
      if (last && effectiveFrom < last.effective_from) {
        throw new MappingStoreError('INVALID', 'a version cannot take effect before the previous one', [
          {
            field: '/effectiveFrom',
            code: 'before_previous',
            message: `must not be before ${last.effective_from.toISOString()} (${last.version})`,
          },
        ]);
      }
      const { changes } = await this.draftChanges(m);
      const summary = Object.fromEntries(MAPPING_KINDS.map((k) => [k, counts(changes[k])])) as ChangeCounts;
      const nothing = MAPPING_KINDS.every((k) => {
        const c = summary[k];
        return c.added + c.changed + c.removed === 0;
      });
      if (nothing) {
        throw new MappingStoreError('CONFLICT', 'the draft has no changes to publish');
      }
      const seq = (last?.seq ?? 0) + 1;
      const version = `m-${seq}`;
      for (const kind of MAPPING_KINDS) {
        await copyVersion(m, KIND_SPECS[kind] as KindSpec<unknown>, DRAFT, version);
      }
      const note = options.note ?? null;
      const [row] = await m.query<{ published_at: Date }[]>(
        `INSERT INTO mapping_version (version, seq, effective_from, published_by, note, summary)
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING published_at`,
        [version, seq, effectiveFrom.toISOString(), actor, note, JSON.stringify(summary)],
      );
      const resolved = await queryReturning<{ source_system: string; code: string }>(
        m,
        `DELETE FROM unmapped_code u USING local_code_mapping l
          WHERE l.version = $1 AND u.source_system = l.source_system AND u.code = l.local_code
          RETURNING u.source_system, u.code`,
        [version],
      );
      const resolvedUnmapped = resolved.map((r) => ({ sourceSystem: r.source_system, code: r.code }));
      const resolvedUnmappedStatuses = await resolveUnmappedStatusesIn(m, version);
      await this.audit.append(m, {
        actor,
        action: 'mapping.publish',
        entityType: 'mapping_version',
        entityId: version,
        before: last ? { version: last.version } : null,
        after: {
          version,
          effectiveFrom: effectiveFrom.toISOString(),
          note,
          summary,
          resolvedUnmapped,
          resolvedUnmappedStatuses,
        },
      });
      return {
        version,
        seq,
        effectiveFrom: effectiveFrom.toISOString(),
        publishedAt: (row?.published_at ?? new Date()).toISOString(),
        publishedBy: actor,
        note,
        summary,
        resolvedUnmapped,
        resolvedUnmappedStatuses,
      };
    });
  }

  // ----- what the sync service reads ----------------------------------------------------------------

  /**
   * (source system, local code) -> national code, keyed like `CatalogueStore.loadMappings()`
   * (`<source>\u0000<code>`): the configured mappings (procedure_mapping) overlaid by the published
   * version in effect at `at`.
   */
  async loadMappings(
    at: Date = new Date(),
    options: { includeConfig?: boolean } = {},
  ): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    if (options.includeConfig ?? true) {
      const config = await this.ds.query<
        { source_system: string; local_code: string; national_code: string }[]
      >(`SELECT source_system, local_code, national_code FROM procedure_mapping`);
      for (const r of config) {
        out.set(`${r.source_system}\u0000${r.local_code}`, r.national_code);
      }
    }
    const version = await this.currentPublishedVersion(at);
    if (version) {
      const rows = await this.ds.query<
        { source_system: string; local_code: string; national_code: string }[]
      >(`SELECT source_system, local_code, national_code FROM local_code_mapping WHERE version = $1`, [
        version,
      ]);
      for (const r of rows) {
        out.set(`${r.source_system}\u0000${r.local_code}`, r.national_code);
      }
    }
    return out;
  }

  /** Status mapping rows of the version in effect at `at`; match them with `matchStatusMapping`. */
  async loadStatusMappings(at: Date = new Date()): Promise<StatusMapping[]> {
    const version = await this.currentPublishedVersion(at);
    return version ? (await this.list('status', version)).rows : [];
  }
}
