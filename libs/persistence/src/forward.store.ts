import type { DataSource } from 'typeorm';

export interface ForwardJob {
  id: string;
  sender: string;
  style: 'opencps' | 'thanhhoa';
  operation: string;
  madonvi: string | null;
  isUpdating: string | null;
  body: Buffer;
  attempts: number;
}

interface Row {
  id: string;
  sender: string;
  style: 'opencps' | 'thanhhoa';
  operation: string;
  madonvi: string | null;
  is_updating: string | null;
  body: Buffer;
  attempts: number;
}

export interface ForwardStats {
  pending: number;
  failed: number;
  done: number;
  oldestPendingAt: string | null;
}

/** The store-and-forward queue towards the national portal. Single statements only (PGlite-safe). */
export class ForwardStore {
  constructor(private readonly ds: DataSource) {}

  /** The oldest pending job of each sender, if due: per-sender FIFO, senders independent. */
  async nextDue(limit: number): Promise<ForwardJob[]> {
    const rows: Row[] = await this.ds.query(
      `SELECT * FROM (
         SELECT DISTINCT ON (sender) id, sender, style, operation, madonvi, is_updating, body, attempts, next_attempt_at
           FROM forward_job WHERE status = 'pending' ORDER BY sender, id) heads
        WHERE next_attempt_at <= now() ORDER BY id LIMIT $1`,
      [limit],
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
    const [row] = await this.ds.query<
      { pending: number; failed: number; done: number; oldest: Date | null }[]
    >(
      `SELECT count(*) FILTER (WHERE status = 'pending')::int AS pending,
              count(*) FILTER (WHERE status = 'failed')::int AS failed,
              count(*) FILTER (WHERE status = 'done')::int AS done,
              min(created_at) FILTER (WHERE status = 'pending') AS oldest
         FROM forward_job`,
    );
    return {
      pending: row?.pending ?? 0,
      failed: row?.failed ?? 0,
      done: row?.done ?? 0,
      oldestPendingAt: row?.oldest ? new Date(row.oldest).toISOString() : null,
    };
  }
}
