import type { DataSource, EntityManager } from 'typeorm';
import { queryReturning } from './mapping-tables';

/** Dossiers kept per queued status for the re-read after a mapping is published. */
export const MAX_AFFECTED_DOSSIERS = 1_000;
/** Sample dossier codes shown per queued status. */
export const MAX_STATUS_SAMPLES = 10;

/** One pulled change that went on without a national status (codes and its time only). */
export interface UnmappedStatusNote {
  dossierCode: string;
  status: string;
  /** null or '' when the vendor sent none. */
  subStatus: string | null;
  /** ISO 8601 instant of the change, null when unknown. */
  at: string | null;
}

export interface UnmappedStatusKey {
  sourceSystem: string;
  status: string;
  /** '' when the vendor sent none. */
  subStatus: string;
}

export interface UnmappedStatusItem extends UnmappedStatusKey {
  occurrences: number;
  firstSeenAt: string;
  lastSeenAt: string;
  /** The latest change seen with this status (the vendor's time), null when none had a time. */
  lastChangeAt: string | null;
  sampleDossiers: string[];
  /** Dossiers kept to read again once the status maps (at most MAX_AFFECTED_DOSSIERS). */
  affectedDossiers: number;
  /** What the draft maps it to (pending until published), else null. */
  draft: { nationalStatus: number; milestone: string; subStatus: string } | null;
}

export interface UnmappedStatusFilter {
  sourceSystem?: string;
  /** `open`: the draft does not map it; `pending`: the draft does, waiting for publish. */
  state?: 'open' | 'pending' | 'all';
  /** Part of the status or sub-status. */
  q?: string;
  limit?: number;
  offset?: number;
}

/** A dossier to read again, as the sync service's re-read sees it. */
export interface RereadCandidate extends UnmappedStatusKey {
  dossierCode: string;
  lastChangeAt: string | null;
  /** False once a publish took the status out of the queue. */
  queued: boolean;
}

export interface RereadRow extends UnmappedStatusKey {
  dossierCode: string;
}

function norm(s: string | null | undefined): string {
  return (s ?? '').normalize('NFC').trim();
}

interface Group {
  status: string;
  sub: string;
  code: string;
  ats: Set<string | null>;
  maxAt: string | null;
}

function later(a: string | null, b: string | null): string | null {
  if (a === null) {
    return b;
  }
  return b === null || Date.parse(a) >= Date.parse(b) ? a : b;
}

/**
 * Inside a pulled page's transaction: counts the changes that went on without a national status into the
 * queue (`unmapped_status`) and keeps their dossiers for the re-read (`unmapped_status_dossier`). A change is
 * counted once: a dossier's history read again (overlap window, re-poll) brings changes no later than the
 * one already kept for it, and those are not counted again.
 */
export async function noteUnmappedStatusesIn(
  m: EntityManager,
  sourceId: string,
  sourceSystem: string,
  notes: readonly UnmappedStatusNote[],
): Promise<void> {
  const groups = new Map<string, Group>();
  for (const n of notes) {
    const status = norm(n.status);
    const code = norm(n.dossierCode);
    if (status === '' || code === '') {
      continue;
    }
    const sub = norm(n.subStatus);
    const key = JSON.stringify([status, sub, code]);
    const at = n.at !== null && !Number.isNaN(Date.parse(n.at)) ? new Date(n.at).toISOString() : null;
    const g = groups.get(key) ?? { status, sub, code, ats: new Set(), maxAt: null };
    g.ats.add(at);
    g.maxAt = later(g.maxAt, at);
    groups.set(key, g);
  }
  if (groups.size === 0) {
    return;
  }
  const list = [...groups.values()].sort(
    (a, b) => a.status.localeCompare(b.status) || a.sub.localeCompare(b.sub) || a.code.localeCompare(b.code),
  );
  const known = await m.query<
    { status: string; sub_status: string; dossier_code: string; last_change_at: Date | null }[]
  >(
    `SELECT status, sub_status, dossier_code, last_change_at FROM unmapped_status_dossier
      WHERE source_id = $1 AND source_system = $2 AND dossier_code = ANY($3::text[])`,
    [sourceId, sourceSystem, [...new Set(list.map((g) => g.code))]],
  );
  const kept = new Map(
    known.map((r) => [JSON.stringify([r.status, r.sub_status, r.dossier_code]), r.last_change_at]),
  );
  const queued = new Set(
    (
      await m.query<{ status: string; sub_status: string }[]>(
        `SELECT status, sub_status FROM unmapped_status WHERE source_system = $1 AND status = ANY($2::text[])`,
        [sourceSystem, [...new Set(list.map((g) => g.status))]],
      )
    ).map((r) => JSON.stringify([r.status, r.sub_status])),
  );

  const perStatus = new Map<
    string,
    { status: string; sub: string; n: number; at: string | null; codes: string[] }
  >();
  for (const g of list) {
    const key = JSON.stringify([g.status, g.sub, g.code]);
    let fresh: number;
    if (kept.has(key)) {
      const last = kept.get(key) ?? null;
      fresh = [...g.ats].filter(
        (at) => at !== null && (last === null || Date.parse(at) > last.getTime()),
      ).length;
    } else {
      fresh = g.ats.size;
    }
    const sKey = JSON.stringify([g.status, g.sub]);
    const s = perStatus.get(sKey) ?? { status: g.status, sub: g.sub, n: 0, at: null, codes: [] };
    s.n += fresh;
    s.at = later(s.at, g.maxAt);
    if (s.codes.length < MAX_STATUS_SAMPLES) {
      s.codes.push(g.code);
    }
    perStatus.set(sKey, s);
  }

  await m.query(
    `INSERT INTO unmapped_status_dossier (source_id, source_system, status, sub_status, dossier_code, last_change_at)
     SELECT $1, $2, x.status, x.sub, x.code, x.at
       FROM jsonb_to_recordset($3::jsonb) AS x(status text, sub text, code text, at timestamptz)
      WHERE EXISTS (SELECT 1 FROM unmapped_status_dossier d
                     WHERE d.source_id = $1 AND d.source_system = $2 AND d.status = x.status
                       AND d.sub_status = x.sub AND d.dossier_code = x.code)
         OR (SELECT count(*) FROM unmapped_status_dossier d
              WHERE d.source_system = $2 AND d.status = x.status AND d.sub_status = x.sub) < $4
      ORDER BY x.status, x.sub, x.code
     ON CONFLICT (source_id, source_system, status, sub_status, dossier_code) DO UPDATE
       SET last_change_at = GREATEST(unmapped_status_dossier.last_change_at, EXCLUDED.last_change_at)`,
    [
      sourceId,
      sourceSystem,
      JSON.stringify(list.map((g) => ({ status: g.status, sub: g.sub, code: g.code, at: g.maxAt }))),
      MAX_AFFECTED_DOSSIERS,
    ],
  );
  const rows = [...perStatus.values()].map((s) => ({
    status: s.status,
    sub: s.sub,
    // a status a publish took out of the queue that comes back (the version is not in force yet) counts anew
    n: queued.has(JSON.stringify([s.status, s.sub])) ? s.n : Math.max(s.n, 1),
    at: s.at,
    codes: s.codes,
  }));
  await m.query(
    `INSERT INTO unmapped_status AS u (source_system, status, sub_status, occurrences, last_change_at, sample_dossiers)
     SELECT $1, x.status, x.sub, x.n, x.at, x.codes
       FROM jsonb_to_recordset($2::jsonb) AS x(status text, sub text, n int, at timestamptz, codes jsonb)
      ORDER BY x.status, x.sub
     ON CONFLICT (source_system, status, sub_status) DO UPDATE SET
       occurrences = u.occurrences + EXCLUDED.occurrences,
       last_seen_at = CASE WHEN EXCLUDED.occurrences > 0 THEN now() ELSE u.last_seen_at END,
       last_change_at = GREATEST(u.last_change_at, EXCLUDED.last_change_at),
       sample_dossiers = (
         SELECT coalesce(jsonb_agg(s.c ORDER BY s.n), '[]'::jsonb)
           FROM (SELECT c, min(n) AS n
                   FROM jsonb_array_elements_text(u.sample_dossiers || EXCLUDED.sample_dossiers)
                        WITH ORDINALITY AS t(c, n)
                  GROUP BY c ORDER BY min(n) LIMIT ${MAX_STATUS_SAMPLES}) s)`,
    [sourceSystem, JSON.stringify(rows)],
  );
}

/** Inside the re-read's transaction: the dossiers read again leave the re-read list with their events. */
export async function clearRereadIn(
  m: EntityManager,
  sourceId: string,
  rows: readonly RereadRow[],
): Promise<void> {
  if (rows.length === 0) {
    return;
  }
  await m.query(
    `DELETE FROM unmapped_status_dossier d
      USING jsonb_to_recordset($2::jsonb) AS x(source_system text, status text, sub_status text, dossier_code text)
      WHERE d.source_id = $1 AND d.source_system = x.source_system AND d.status = x.status
        AND d.sub_status = x.sub_status AND d.dossier_code = x.dossier_code`,
    [
      sourceId,
      JSON.stringify(
        rows.map((r) => ({
          source_system: r.sourceSystem,
          status: r.status,
          sub_status: r.subStatus,
          dossier_code: r.dossierCode,
        })),
      ),
    ],
  );
}

/**
 * Rows of the queue a status mapping version maps (same source system and status; its sub-status row or the
 * status's wildcard row, valid on the Vietnam date of the latest change seen): deleted, for `publish`.
 */
export async function resolveUnmappedStatusesIn(
  m: EntityManager,
  version: string,
): Promise<UnmappedStatusKey[]> {
  const rows = await queryReturning<{ source_system: string; status: string; sub_status: string }>(
    m,
    `DELETE FROM unmapped_status u USING status_mapping s
      WHERE s.version = $1 AND s.source_system = u.source_system AND s.status = u.status
        AND (s.sub_status = '*' OR s.sub_status = u.sub_status)
        AND s.valid_from <= ((coalesce(u.last_change_at, u.last_seen_at) AT TIME ZONE 'UTC') + interval '7 hours')::date
      RETURNING u.source_system, u.status, u.sub_status`,
    [version],
  );
  const seen = new Set<string>();
  return rows
    .map((r) => ({ sourceSystem: r.source_system, status: r.status, subStatus: r.sub_status }))
    .filter((k) => {
      const key = JSON.stringify(k);
      return seen.has(key) ? false : (seen.add(key), true);
    });
}

interface ListRow {
  source_system: string;
  status: string;
  sub_status: string;
  occurrences: number;
  first_seen_at: Date;
  last_seen_at: Date;
  last_change_at: Date | null;
  sample_dossiers: string[];
  affected: number;
  draft_national_status: number | null;
  draft_milestone: string | null;
  draft_sub_status: string | null;
  total_rows: string;
}

/** The queue of vendor statuses pull sources could not map, and the dossiers to read again once they map. */
export class UnmappedStatusStore {
  constructor(private readonly ds: DataSource) {}

  async list(filter: UnmappedStatusFilter = {}): Promise<{ items: UnmappedStatusItem[]; total: number }> {
    const params: unknown[] = [];
    const where: string[] = [];
    if (filter.sourceSystem) {
      params.push(filter.sourceSystem);
      where.push(`u.source_system = $${params.length}`);
    }
    if (filter.q) {
      params.push(`%${filter.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
      where.push(`(u.status ILIKE $${params.length} OR u.sub_status ILIKE $${params.length})`);
    }
    const state = filter.state ?? 'open';
    if (state === 'open') {
      where.push('d.national_status IS NULL');
    } else if (state === 'pending') {
      where.push('d.national_status IS NOT NULL');
    }
    params.push(Math.min(Math.max(filter.limit ?? 50, 1), 500), Math.max(filter.offset ?? 0, 0));
    const rows = await this.ds.query<ListRow[]>(
      `SELECT u.*, d.national_status AS draft_national_status, d.milestone AS draft_milestone,
              d.sub_status AS draft_sub_status,
              (SELECT count(*) FROM unmapped_status_dossier a
                WHERE a.source_system = u.source_system AND a.status = u.status
                  AND a.sub_status = u.sub_status)::int AS affected,
              count(*) OVER () AS total_rows
         FROM unmapped_status u
         LEFT JOIN LATERAL (
           SELECT s.national_status, s.milestone, s.sub_status FROM status_mapping s
            WHERE s.version = 'draft' AND s.source_system = u.source_system AND s.status = u.status
              AND (s.sub_status = u.sub_status OR s.sub_status = '*')
            ORDER BY (s.sub_status = '*'), s.valid_from DESC LIMIT 1) d ON true
        ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''}
        ORDER BY u.occurrences DESC, u.last_seen_at DESC, u.source_system, u.status, u.sub_status
        LIMIT $${params.length - 1} OFFSET $${params.length}`,
      params,
    );
    return {
      total: rows.length > 0 ? Number(rows[0]?.total_rows) : 0,
      items: rows.map((r) => ({
        sourceSystem: r.source_system,
        status: r.status,
        subStatus: r.sub_status,
        occurrences: r.occurrences,
        firstSeenAt: r.first_seen_at.toISOString(),
        lastSeenAt: r.last_seen_at.toISOString(),
        lastChangeAt: r.last_change_at === null ? null : r.last_change_at.toISOString(),
        sampleDossiers: r.sample_dossiers,
        affectedDossiers: r.affected,
        draft:
          r.draft_national_status === null
            ? null
            : {
                nationalStatus: r.draft_national_status,
                milestone: r.draft_milestone ?? '',
                subStatus: r.draft_sub_status ?? '*',
              },
      })),
    };
  }

  /** Every dossier a pull source keeps for a re-read, oldest first. */
  async rereadCandidates(sourceId: string): Promise<RereadCandidate[]> {
    const rows = await this.ds.query<
      {
        source_system: string;
        status: string;
        sub_status: string;
        dossier_code: string;
        last_change_at: Date | null;
        queued: boolean;
      }[]
    >(
      `SELECT d.source_system, d.status, d.sub_status, d.dossier_code, d.last_change_at,
              EXISTS (SELECT 1 FROM unmapped_status u WHERE u.source_system = d.source_system
                         AND u.status = d.status AND u.sub_status = d.sub_status) AS queued
         FROM unmapped_status_dossier d
        WHERE d.source_id = $1
        ORDER BY d.first_seen_at, d.dossier_code`,
      [sourceId],
    );
    return rows.map((r) => ({
      sourceSystem: r.source_system,
      status: r.status,
      subStatus: r.sub_status,
      dossierCode: r.dossier_code,
      lastChangeAt: r.last_change_at === null ? null : r.last_change_at.toISOString(),
      queued: r.queued,
    }));
  }

  /** The queue's rows for one source system (for the sync service: which ones now map). */
  async queued(sourceSystem: string): Promise<(UnmappedStatusKey & { lastChangeAt: string | null })[]> {
    const rows = await this.ds.query<
      { source_system: string; status: string; sub_status: string; last_change_at: Date | null }[]
    >(
      `SELECT source_system, status, sub_status, last_change_at FROM unmapped_status WHERE source_system = $1`,
      [sourceSystem],
    );
    return rows.map((r) => ({
      sourceSystem: r.source_system,
      status: r.status,
      subStatus: r.sub_status,
      lastChangeAt: r.last_change_at === null ? null : r.last_change_at.toISOString(),
    }));
  }

  /**
   * Takes statuses the version in force maps out of the queue when no dossier is left to read again for them:
   * a page mapped under the previous version can commit just after a publish and queue the status anew.
   */
  async dropResolved(keys: readonly UnmappedStatusKey[]): Promise<number> {
    if (keys.length === 0) {
      return 0;
    }
    const rows = await queryReturning<{ status: string }>(
      this.ds.manager,
      `DELETE FROM unmapped_status u
        USING jsonb_to_recordset($1::jsonb) AS x(source_system text, status text, sub_status text)
        WHERE u.source_system = x.source_system AND u.status = x.status AND u.sub_status = x.sub_status
          AND NOT EXISTS (SELECT 1 FROM unmapped_status_dossier d WHERE d.source_system = u.source_system
                            AND d.status = u.status AND d.sub_status = u.sub_status)
        RETURNING u.status`,
      [
        JSON.stringify(
          keys.map((k) => ({ source_system: k.sourceSystem, status: k.status, sub_status: k.subStatus })),
        ),
      ],
    );
    return rows.length;
  }

  /**
   * Statuses a publish took out of the queue that the source still does not map for some kept dossiers (a
   * row valid only from a later date): back in the queue, counted by those dossiers, so none is out of sight.
   */
  async requeue(sourceId: string, keys: readonly UnmappedStatusKey[]): Promise<void> {
    if (keys.length === 0) {
      return;
    }
    await this.ds.query(
      `INSERT INTO unmapped_status (source_system, status, sub_status, occurrences, first_seen_at, last_seen_at,
                                   last_change_at, sample_dossiers)
       SELECT d.source_system, d.status, d.sub_status, count(*)::int, min(d.first_seen_at), now(),
              max(d.last_change_at),
              (SELECT coalesce(jsonb_agg(e.dossier_code), '[]'::jsonb) FROM (
                 SELECT dossier_code FROM unmapped_status_dossier e
                  WHERE e.source_system = d.source_system AND e.status = d.status AND e.sub_status = d.sub_status
                  ORDER BY e.first_seen_at, e.dossier_code LIMIT ${MAX_STATUS_SAMPLES}) e)
         FROM unmapped_status_dossier d
         JOIN jsonb_to_recordset($2::jsonb) AS x(source_system text, status text, sub_status text)
           ON d.source_system = x.source_system AND d.status = x.status AND d.sub_status = x.sub_status
        WHERE d.source_id = $1
        GROUP BY d.source_system, d.status, d.sub_status
       ON CONFLICT DO NOTHING`,
      [
        sourceId,
        JSON.stringify(
          keys.map((k) => ({ source_system: k.sourceSystem, status: k.status, sub_status: k.subStatus })),
        ),
      ],
    );
  }
}
