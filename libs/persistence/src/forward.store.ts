import type { DataSource } from 'typeorm';

/**
 * How a stored request is delivered upstream: `opencps`/`thanhhoa` to the national portal as that sender
 * style sends it, `lgsp` to the provincial service bus's REST services (operation = the service name).
 */
export const FORWARD_STYLES = ['opencps', 'thanhhoa', 'lgsp'] as const;
export type ForwardStyle = (typeof FORWARD_STYLES)[number];

export interface ForwardJob {
  id: string;
  sender: string;
  style: ForwardStyle;
  operation: string;
  madonvi: string | null;
  isUpdating: string | null;
  body: Buffer;
  attempts: number;
}

interface Row {
  id: string;
  sender: string;
  style: ForwardStyle;
  operation: string;
  madonvi: string | null;
  is_updating: string | null;
  body: Buffer;
  attempts: number;
}

export interface ForwardCounts {
  pending: number;
  failed: number;
  done: number;
}

export interface ForwardStats extends ForwardCounts {
  oldestPendingAt: string | null;
  /** The same counts per style that has jobs. */
  byStyle: Partial<Record<ForwardStyle, ForwardCounts>>;
}

/**
 * The store-and-forward queue towards the national portal and the LGSP bus. Single statements only
 * (PGlite-safe).
 */
export class ForwardStore {
  constructor(private readonly ds: DataSource) {}

  /**
   * The oldest pending job of each sender, if due: per-sender FIFO, senders independent. Only jobs of
   * `styles` (the upstreams forwarding is on for); jobs of the others wait.
   */
  async nextDue(limit: number, styles: readonly ForwardStyle[] = FORWARD_STYLES): Promise<ForwardJob[]> {
    if (styles.length === 0) {
      return [];
    }
    const rows: Row[] = await this.ds.query(
      `SELECT * FROM (
         SELECT DISTINCT ON (sender) id, sender, style, operation, madonvi, is_updating, body, attempts, next_attempt_at
           FROM forward_job WHERE status = 'pending' AND style = ANY($2::text[]) ORDER BY sender, id) heads
        WHERE next_attempt_at <= now() ORDER BY id LIMIT $1`,
      [limit, [...styles]],
    );
    return rows.map((r) => ({
      id: r.id,
      sender: r.sender,
      style: r.style,
      operation: r.operation,
      madonvi: r.madonvi,
      isUpdating: r.is_updating,
      body: r.body,
      attempts: r.attempts,
    }));
  }

  async complete(
    id: string,
    status: 'done' | 'failed',
    answer: unknown,
    error: string | null,
  ): Promise<void> {
    await this.ds.query(
      `UPDATE forward_job SET status = $2, portal_answer = $3::jsonb, last_error = $4, attempts = attempts + 1,
              done_at = now() WHERE id = $1`,
      [id, status, JSON.stringify(answer ?? null), error],
    );
  }

  async retryLater(id: string, delayMs: number, error: string): Promise<void> {
    await this.ds.query(
      `UPDATE forward_job SET attempts = attempts + 1, last_error = $2,
              next_attempt_at = now() + ($3::int * interval '1 millisecond') WHERE id = $1`,
      [id, error, Math.round(delayMs)],
    );
  }

  async acquireLease(owner: string, ttlMs: number): Promise<boolean> {
    const rows: unknown[] = await this.ds.query(
      `WITH taken AS (
         UPDATE relay_lease SET owner = $1, expires_at = now() + ($2::int * interval '1 millisecond')
          WHERE name = 'forwarder' AND (owner = $1 OR expires_at < now()) RETURNING name)
       SELECT name FROM taken`,
      [owner, ttlMs],
    );
    return rows.length > 0;
  }

  /** Housekeeping: delivered jobs are history; failed and pending ones stay until an operator acts. */
  async purgeDone(retainHours: number): Promise<number> {
    const result: [unknown[], number] = await this.ds.query(
      `DELETE FROM forward_job WHERE status = 'done' AND done_at < now() - ($1::int * interval '1 hour')`,
      [retainHours],
    );
    return result[1];
  }

  async releaseLease(owner: string): Promise<void> {
    await this.ds.query(
      `UPDATE relay_lease SET expires_at = 'epoch' WHERE name = 'forwarder' AND owner = $1`,
      [owner],
    );
  }

  async stats(): Promise<ForwardStats> {
    const rows = await this.ds.query<
      { style: ForwardStyle; pending: number; failed: number; done: number; oldest: Date | null }[]
    >(
      `SELECT style, count(*) FILTER (WHERE status = 'pending')::int AS pending,
              count(*) FILTER (WHERE status = 'failed')::int AS failed,
              count(*) FILTER (WHERE status = 'done')::int AS done,
              min(created_at) FILTER (WHERE status = 'pending') AS oldest
         FROM forward_job GROUP BY style ORDER BY style`,
    );
    const oldest = rows
      .map((r) => (r.oldest ? new Date(r.oldest).getTime() : Infinity))
      .reduce((a, b) => Math.min(a, b), Infinity);
    return {
      pending: rows.reduce((n, r) => n + r.pending, 0),
      failed: rows.reduce((n, r) => n + r.failed, 0),
      done: rows.reduce((n, r) => n + r.done, 0),
      oldestPendingAt: Number.isFinite(oldest) ? new Date(oldest).toISOString() : null,
      byStyle: Object.fromEntries(
        rows.map((r) => [r.style, { pending: r.pending, failed: r.failed, done: r.done }]),
      ),
    };
  }
}
