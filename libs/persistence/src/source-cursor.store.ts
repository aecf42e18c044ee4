import type { DataSource, EntityManager } from 'typeorm';

/** A source's cursor row; `agency` null is stored as ''. */
export interface SourceCursorRow {
  sourceId: string;
  agency: string | null;
  cursor: string | null;
  cursorTime: string | null;
  version: number;
  paused: boolean;
  pausedAt: string | null;
  updatedBy: string;
  updatedAt: string;
}

/** Written with a page's events: applies only if the row is still at `expectedVersion`. */
export interface CursorAdvance {
  sourceId: string;
  agency: string | null;
  cursor: string;
  cursorTime: string | null;
  expectedVersion: number;
}

/** The cursor moved while the page was being read (operator reset or another instance): the page is rolled back. */
export class CursorConflictError extends Error {
  override readonly name = 'CursorConflictError';
}

export type CursorResetOutcome = 'reset' | 'not-paused';

interface Raw {
  source_id: string;
  agency: string;
  cursor: string | null;
  cursor_time: Date | null;
  version: string;
  paused: boolean;
  paused_at: Date | null;
  updated_by: string;
  updated_at: Date;
}

const COLUMNS = `source_id, agency, cursor, cursor_time, version, paused, paused_at, updated_by, updated_at`;

function toRow(r: Raw): SourceCursorRow {
  return {
    sourceId: r.source_id,
    agency: r.agency === '' ? null : r.agency,
    cursor: r.cursor,
    cursorTime: r.cursor_time === null ? null : r.cursor_time.toISOString(),
    version: Number(r.version),
    paused: r.paused,
    pausedAt: r.paused_at === null ? null : r.paused_at.toISOString(),
    updatedBy: r.updated_by,
    updatedAt: r.updated_at.toISOString(),
  };
}

/** Inside an ingest transaction: moves the cursor with the events it covers, or throws CursorConflictError. */
export async function advanceCursorIn(m: EntityManager, a: CursorAdvance): Promise<void> {
  const rows: unknown[] = await m.query(
    `UPDATE source_cursor SET cursor = $3, cursor_time = $4, version = version + 1, updated_by = 'poller',
            updated_at = now()
      WHERE source_id = $1 AND agency = $2 AND version = $5
      RETURNING version`,
    [a.sourceId, a.agency ?? '', a.cursor, a.cursorTime, a.expectedVersion],
  );
  // node-postgres answers an UPDATE … RETURNING with [rows, count] through TypeORM
  const updated = Array.isArray(rows[0]) ? (rows[0] as unknown[]) : rows;
  if (updated.length !== 1) {
    throw new CursorConflictError(
      `cursor of ${a.sourceId}/${a.agency ?? '-'} moved since version ${a.expectedVersion}`,
    );
  }
}

const pollLeaseName = (sourceId: string, agency: string | null): string => `poll:${sourceId}/${agency ?? ''}`;

/** Cursors, pause flags and operator resets of pulled sources (the poller writes cursors via IngestTx). */
export class SourceCursorStore {
  constructor(private readonly ds: DataSource) {}

  /** The row, created empty (cursor null = the adapter's configured start) on first use. */
  async get(sourceId: string, agency: string | null): Promise<SourceCursorRow> {
    await this.ds.query(
      `INSERT INTO source_cursor (source_id, agency) VALUES ($1, $2) ON CONFLICT DO NOTHING`,
      [sourceId, agency ?? ''],
    );
    const rows: Raw[] = await this.ds.query(
      `SELECT ${COLUMNS} FROM source_cursor WHERE source_id = $1 AND agency = $2`,
      [sourceId, agency ?? ''],
    );
    const row = rows[0];
    if (!row) {
      throw new Error(`source_cursor row for ${sourceId} vanished`);
    }
    return toRow(row);
  }

  async list(): Promise<SourceCursorRow[]> {
    const rows: Raw[] = await this.ds.query(
      `SELECT ${COLUMNS} FROM source_cursor ORDER BY source_id, agency`,
    );
    return rows.map(toRow);
  }

  async setPaused(
    sourceId: string,
    agency: string | null,
    paused: boolean,
    by: string,
  ): Promise<SourceCursorRow> {
    await this.get(sourceId, agency);
    const rows: Raw[] = await this.ds
      .query(
        `UPDATE source_cursor SET paused = $3, paused_at = CASE WHEN $3 THEN now() ELSE NULL END,
              updated_by = $4, updated_at = now()
        WHERE source_id = $1 AND agency = $2
        RETURNING ${COLUMNS}`,
        [sourceId, agency ?? '', paused, by],
      )
      .then((r: unknown[]) => (Array.isArray(r[0]) ? (r[0] as Raw[]) : (r as Raw[])));
    return toRow(rows[0]);
  }

  /**
   * One poller per source across replicas: a row `poll:<source>/<agency>` in relay_lease, held by one
   * owner until it lapses; renewing = acquiring again (the relay's and the forwarder's pattern). The row
   * is created on first use, so a new source needs no migration.
   */
  async acquirePollLease(
    sourceId: string,
    agency: string | null,
    owner: string,
    ttlMs: number,
  ): Promise<boolean> {
    const rows: unknown[] = await this.ds.query(
      `INSERT INTO relay_lease AS l (name, owner, expires_at)
       VALUES ($1, $2, now() + ($3::int * interval '1 millisecond'))
       ON CONFLICT (name) DO UPDATE SET owner = EXCLUDED.owner, expires_at = EXCLUDED.expires_at
        WHERE l.owner = EXCLUDED.owner OR l.expires_at < now()
       RETURNING l.name`,
      [pollLeaseName(sourceId, agency), owner, Math.round(ttlMs)],
    );
    return rows.length > 0;
  }

  /** On shutdown: another replica may take the source at once instead of after the lease lapses. */
  async releasePollLease(sourceId: string, agency: string | null, owner: string): Promise<void> {
    await this.ds.query(`UPDATE relay_lease SET expires_at = 'epoch' WHERE name = $1 AND owner = $2`, [
      pollLeaseName(sourceId, agency),
      owner,
    ]);
  }

  /**
   * Sets the cursor by hand, only while the source is paused (so no page is half-way); bumps the version
   * so a page read before the pause can no longer commit over it.
   */
  async reset(
    sourceId: string,
    agency: string | null,
    cursor: string | null,
    cursorTime: string | null,
    by: string,
  ): Promise<{ outcome: CursorResetOutcome; row: SourceCursorRow }> {
    await this.get(sourceId, agency);
    const rows = await this.ds
      .query(
        `UPDATE source_cursor SET cursor = $3, cursor_time = $4, version = version + 1, updated_by = $5,
                updated_at = now()
          WHERE source_id = $1 AND agency = $2 AND paused
          RETURNING ${COLUMNS}`,
        [sourceId, agency ?? '', cursor, cursorTime, by],
      )
      .then((r: unknown[]) => (Array.isArray(r[0]) ? (r[0] as Raw[]) : (r as Raw[])));
    const updated = rows[0];
    if (updated) {
      return { outcome: 'reset', row: toRow(updated) };
    }
    return { outcome: 'not-paused', row: await this.get(sourceId, agency) };
  }
}
