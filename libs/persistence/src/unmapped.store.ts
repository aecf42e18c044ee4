import type { DataSource, EntityManager } from 'typeorm';
import { queryReturning } from './mapping-tables';

export interface UnmappedCode {
  sourceSystem: string;
  code: string;
  occurrences: number;
  firstSeenAt: string;
  lastSeenAt: string;
  sampleDossiers: string[];
  /** National code a draft mapping gives it (pending until published), else null. */
  draftNationalCode: string | null;
}

/** `open`: nobody has mapped it yet; `pending`: mapped in the draft, waiting to be published. */
export type UnmappedState = 'open' | 'pending' | 'all';

export interface UnmappedFilter {
  sourceSystem?: string;
  state?: UnmappedState;
  q?: string;
  limit?: number;
  offset?: number;
}

interface Row {
  source_system: string;
  code: string;
  occurrences: number;
  first_seen_at: Date;
  last_seen_at: Date;
  sample_dossiers: string[];
  draft_national_code: string | null;
  total_rows: string;
}

/** The queue of procedure codes the sync service could not resolve (table unmapped_code). */
export class UnmappedStore {
  constructor(private readonly ds: DataSource) {}

  async list(filter: UnmappedFilter = {}): Promise<{ items: UnmappedCode[]; total: number }> {
    const params: unknown[] = [];
    const where: string[] = [];
    if (filter.sourceSystem) {
      params.push(filter.sourceSystem);
      where.push(`u.source_system = $${params.length}`);
    }
    if (filter.q) {
      params.push(`%${filter.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
      where.push(`u.code ILIKE $${params.length}`);
    }
    const state = filter.state ?? 'open';
    if (state === 'open') {
      where.push('l.national_code IS NULL');
    } else if (state === 'pending') {
      where.push('l.national_code IS NOT NULL');
    }
    params.push(Math.min(Math.max(filter.limit ?? 50, 1), 500), Math.max(filter.offset ?? 0, 0));
    const rows = await this.ds.query<Row[]>(
      `SELECT u.*, l.national_code AS draft_national_code, count(*) OVER () AS total_rows
         FROM unmapped_code u
         LEFT JOIN local_code_mapping l
           ON l.version = 'draft' AND l.source_system = u.source_system AND l.local_code = u.code
        ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''}
        ORDER BY u.occurrences DESC, u.last_seen_at DESC, u.source_system, u.code
        LIMIT $${params.length - 1} OFFSET $${params.length}`,
      params,
    );
    return {
      total: rows.length > 0 ? Number(rows[0]?.total_rows) : 0,
      items: rows.map((r) => ({
        sourceSystem: r.source_system,
        code: r.code,
        occurrences: r.occurrences,
        firstSeenAt: r.first_seen_at.toISOString(),
        lastSeenAt: r.last_seen_at.toISOString(),
        sampleDossiers: r.sample_dossiers,
        draftNationalCode: r.draft_national_code,
      })),
    };
  }

  /**
   * Takes a code out of the queue once it is mapped; returns what the queue held (null when it was not
   * queued) so the caller can release the events held for `<source system> <code>`.
   */
  async resolveUnmapped(
    sourceSystem: string,
    code: string,
    m: EntityManager = this.ds.manager,
  ): Promise<{ sourceSystem: string; code: string; occurrences: number; sampleDossiers: string[] } | null> {
    const [row] = await queryReturning<{
      source_system: string;
      code: string;
      occurrences: number;
      sample_dossiers: string[];
    }>(
      m,
      `DELETE FROM unmapped_code WHERE source_system = $1 AND code = $2
       RETURNING source_system, code, occurrences, sample_dossiers`,
      [sourceSystem, code.normalize('NFC').trim()],
    );
    return row
      ? {
          sourceSystem: row.source_system,
          code: row.code,
          occurrences: row.occurrences,
          sampleDossiers: row.sample_dossiers,
        }
      : null;
  }
}
