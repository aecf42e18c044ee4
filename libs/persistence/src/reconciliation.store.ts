import type { DataSource } from 'typeorm';
import type { DossierState } from '@isohub/events';

export type ReconciliationStatus = 'running' | 'done' | 'partial' | 'failed';
export type ReconciliationTrigger = 'schedule' | 'manual';

export interface ReconciliationTotals {
  checked: number;
  matched: number;
  mismatched: number;
  skipped: number;
  skippedByReason: Record<string, number>;
  errors: number;
  lastError: string | null;
}

export interface ReconciliationRun extends ReconciliationTotals {
  id: string;
  trigger: ReconciliationTrigger;
  scope: Record<string, unknown>;
  status: ReconciliationStatus;
  startedAt: string;
  finishedAt: string | null;
}

/** One disagreement: codes, statuses and dates only (no applicant data, DOMAIN.md §10). */
export interface ReconciliationMismatchInsert {
  dossierCode: string;
  agency: string | null;
  sender: string | null;
  kind: string;
  field: string;
  oneStopValue: string | null;
  portalValue: string | null;
  note: string | null;
}

export interface ReconciliationMismatch extends ReconciliationMismatchInsert {
  id: string;
  runId: string;
  detectedAt: string;
}

export interface StoredDossier {
  code: string;
  state: DossierState;
}

export interface PendingForwardBody {
  id: string;
  style: string;
  body: Buffer;
}

interface RunRow {
  id: string;
  trigger: ReconciliationTrigger;
  scope: Record<string, unknown>;
  status: ReconciliationStatus;
  started_at: Date;
  finished_at: Date | null;
  checked: number;
  matched: number;
  mismatched: number;
  skipped: number;
  skipped_by_reason: Record<string, number>;
  errors: number;
  last_error: string | null;
}

interface MismatchRow {
  id: string;
  run_id: string;
  dossier_code: string;
  agency: string | null;
  sender: string | null;
  kind: string;
  field: string;
  onestop_value: string | null;
  portal_value: string | null;
  note: string | null;
  detected_at: Date;
}

const iso = (d: Date | null): string | null => (d ? new Date(d).toISOString() : null);

function toRun(r: RunRow): ReconciliationRun {
  return {
    id: String(r.id),
    trigger: r.trigger,
    scope: r.scope,
    status: r.status,
    startedAt: new Date(r.started_at).toISOString(),
    finishedAt: iso(r.finished_at),
    checked: r.checked,
    matched: r.matched,
    mismatched: r.mismatched,
    skipped: r.skipped,
    skippedByReason: r.skipped_by_reason,
    errors: r.errors,
    lastError: r.last_error,
  };
}

function toMismatch(r: MismatchRow): ReconciliationMismatch {
  return {
    id: String(r.id),
    runId: String(r.run_id),
    dossierCode: r.dossier_code,
    agency: r.agency,
    sender: r.sender,
    kind: r.kind,
    field: r.field,
    oneStopValue: r.onestop_value,
    portalValue: r.portal_value,
    note: r.note,
    detectedAt: new Date(r.detected_at).toISOString(),
  };
}

/** Runs of the TraCuuHoSo reconciliation, their mismatches, and what a run reads. Single statements (PGlite-safe). */
export class ReconciliationStore {
  constructor(private readonly ds: DataSource) {}

  /** Same pattern as ForwardStore.acquireLease: held by one owner until it lapses; renewing = acquiring again. */
  async acquireLease(owner: string, ttlMs: number): Promise<boolean> {
    // Wrapped in a CTE: TypeORM answers a bare UPDATE with [rows, count] (always two long), a SELECT with rows.
    const rows: unknown[] = await this.ds.query(
      `WITH taken AS (
         UPDATE relay_lease SET owner = $1, expires_at = now() + ($2::int * interval '1 millisecond')
          WHERE name = 'reconciliation' AND (owner = $1 OR expires_at < now()) RETURNING name)
       SELECT name FROM taken`,
      [owner, ttlMs],
    );
    return rows.length > 0;
  }

  async releaseLease(owner: string): Promise<void> {
    await this.ds.query(
      `UPDATE relay_lease SET expires_at = 'epoch' WHERE name = 'reconciliation' AND owner = $1`,
      [owner],
    );
  }

  /** Runs left `running` by an instance that stopped mid-run; call only while holding the lease. */
  async interruptRunning(reason: string): Promise<number> {
    const result: [unknown[], number] = await this.ds.query(
      `UPDATE reconciliation_run SET status = 'failed', finished_at = now(), last_error = $1
        WHERE status = 'running'`,
      [reason],
    );
    return result[1];
  }

  async startRun(trigger: ReconciliationTrigger, scope: Record<string, unknown>): Promise<ReconciliationRun> {
    const rows: RunRow[] = await this.ds.query(
      `INSERT INTO reconciliation_run (trigger, scope) VALUES ($1, $2::jsonb) RETURNING *`,
      [trigger, JSON.stringify(scope)],
    );
    return toRun(rows[0]);
  }

  async updateScope(id: string, scope: Record<string, unknown>): Promise<void> {
    await this.ds.query(`UPDATE reconciliation_run SET scope = $2::jsonb WHERE id = $1`, [
      id,
      JSON.stringify(scope),
    ]);
  }

  async finishRun(
    id: string,
    status: Exclude<ReconciliationStatus, 'running'>,
    t: ReconciliationTotals,
  ): Promise<void> {
    await this.ds.query(
      `UPDATE reconciliation_run SET status = $2, finished_at = now(), checked = $3, matched = $4,
              mismatched = $5, skipped = $6, skipped_by_reason = $7::jsonb, errors = $8, last_error = $9
        WHERE id = $1`,
      [
        id,
        status,
        t.checked,
        t.matched,
        t.mismatched,
        t.skipped,
        JSON.stringify(t.skippedByReason),
        t.errors,
        t.lastError,
      ],
    );
  }

  async addMismatches(runId: string, rows: ReconciliationMismatchInsert[]): Promise<void> {
    if (rows.length === 0) {
      return;
    }
    await this.ds.query(
      `INSERT INTO reconciliation_mismatch (run_id, dossier_code, agency, sender, kind, field, onestop_value,
                                            portal_value, note)
       SELECT $1, x.dossier_code, x.agency, x.sender, x.kind, x.field, x.onestop_value, x.portal_value, x.note
         FROM jsonb_to_recordset($2::jsonb) AS x(dossier_code text, agency text, sender text, kind text,
              field text, onestop_value text, portal_value text, note text)`,
      [
        runId,
        JSON.stringify(
          rows.map((m) => ({
            dossier_code: m.dossierCode,
            agency: m.agency,
            sender: m.sender,
            kind: m.kind,
            field: m.field,
            onestop_value: m.oneStopValue,
            portal_value: m.portalValue,
            note: m.note,
          })),
        ),
      ],
    );
  }

  /** Latest first. */
  async listRuns(opts: { beforeId?: string; limit: number }): Promise<ReconciliationRun[]> {
    const rows: RunRow[] = await this.ds.query(
      `SELECT * FROM reconciliation_run WHERE ($1::bigint IS NULL OR id < $1) ORDER BY id DESC LIMIT $2`,
      [opts.beforeId ?? null, opts.limit],
    );
    return rows.map(toRun);
  }

  async getRun(id: string): Promise<ReconciliationRun | null> {
    const rows: RunRow[] = await this.ds.query(`SELECT * FROM reconciliation_run WHERE id = $1`, [id]);
    return rows[0] ? toRun(rows[0]) : null;
  }

  async lastFinishedRun(): Promise<ReconciliationRun | null> {
    const rows: RunRow[] = await this.ds.query(
      `SELECT * FROM reconciliation_run WHERE status <> 'running' ORDER BY id DESC LIMIT 1`,
    );
    return rows[0] ? toRun(rows[0]) : null;
  }

  async lastStartedAt(): Promise<Date | null> {
    const rows: { at: Date | null }[] = await this.ds.query(
      `SELECT max(started_at) AS at FROM reconciliation_run`,
    );
    return rows[0]?.at ? new Date(rows[0].at) : null;
  }

  async mismatches(
    runId: string,
    opts: { kind?: string; limit: number; offset: number },
  ): Promise<{ total: number; items: ReconciliationMismatch[] }> {
    const [count] = await this.ds.query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM reconciliation_mismatch WHERE run_id = $1 AND ($2::text IS NULL OR kind = $2)`,
      [runId, opts.kind ?? null],
    );
    const rows: MismatchRow[] = await this.ds.query(
      `SELECT * FROM reconciliation_mismatch WHERE run_id = $1 AND ($2::text IS NULL OR kind = $2)
        ORDER BY id LIMIT $3 OFFSET $4`,
      [runId, opts.kind ?? null, opts.limit, opts.offset],
    );
    return { total: count?.n ?? 0, items: rows.map(toMismatch) };
  }

  async mismatchCountsByKind(runId: string): Promise<Record<string, number>> {
    const rows: { kind: string; n: number }[] = await this.ds.query(
      `SELECT kind, count(*)::int AS n FROM reconciliation_mismatch WHERE run_id = $1 GROUP BY kind`,
      [runId],
    );
    return Object.fromEntries(rows.map((r) => [r.kind, r.n]));
  }

  /** Dossiers whose state changed within the window, most recent first; one more than `limit` tells truncation. */
  async recentDossiers(
    windowHours: number,
    limit: number,
  ): Promise<{ dossiers: StoredDossier[]; truncated: boolean }> {
    const rows: { dossier_code: string; state: DossierState }[] = await this.ds.query(
      `SELECT dossier_code, state FROM dossier_state
        WHERE state IS NOT NULL AND updated_at >= now() - ($1::int * interval '1 hour')
        ORDER BY updated_at DESC, dossier_code LIMIT $2`,
      [windowHours, limit + 1],
    );
    return {
      dossiers: rows.slice(0, limit).map((r) => ({ code: r.dossier_code, state: r.state })),
      truncated: rows.length > limit,
    };
  }

  async dossiers(codes: readonly string[]): Promise<StoredDossier[]> {
    if (codes.length === 0) {
      return [];
    }
    const rows: { dossier_code: string; state: DossierState }[] = await this.ds.query(
      `SELECT dossier_code, state FROM dossier_state WHERE state IS NOT NULL AND dossier_code = ANY($1::text[])`,
      [codes],
    );
    return rows.map((r) => ({ code: r.dossier_code, state: r.state }));
  }

  /** Bodies of forward jobs still on their way to the portal (not those for the LGSP bus), by id pages. */
  async pendingForwardBodies(afterId: string | null, limit: number): Promise<PendingForwardBody[]> {
    const rows: { id: string; style: string; body: Buffer }[] = await this.ds.query(
      `SELECT id, style, body FROM forward_job
        WHERE status = 'pending' AND style IN ('opencps', 'thanhhoa') AND ($1::bigint IS NULL OR id > $1)
        ORDER BY id LIMIT $2`,
      [afterId, limit],
    );
    return rows.map((r) => ({ id: String(r.id), style: r.style, body: r.body }));
  }
}
