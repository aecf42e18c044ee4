import type { DataSource } from 'typeorm';
import type { ClaimedBatch, OutboxStorePort, RelayCheckpoint, SetAsideRow } from '@isohub/messaging';

interface OutboxRow {
  id: string;
  topic: string;
  aggregateid: string | null;
  payload: Buffer | null;
  headers: Record<string, string>;
}

/**
 * Outbox access for the relay. Every method is a single statement (or two independent ones), except
 * `setAside`, whose few statements share one short transaction.
 */
export class PgOutboxStore implements OutboxStorePort {
  constructor(private readonly ds: DataSource) {}

  async claimBatch(limit: number, owner: string): Promise<ClaimedBatch | null> {
    // One statement: draw the batch number and claim the oldest unpublished rows under it, only while
    // `owner` holds the lease: a relay that lost it must not re-stamp rows the new leader has claimed.
    const rows: OutboxRow[] = await this.ds.query(
      `WITH batch AS (SELECT nextval('outbox_batch_seq') AS no),
            lease AS (SELECT 1 FROM relay_lease WHERE name = 'outbox' AND owner = $2 AND expires_at > now()),
            picked AS (SELECT id FROM outbox WHERE published_at IS NULL AND held_key IS NULL
                          AND failed_at IS NULL AND EXISTS (SELECT 1 FROM lease) ORDER BY id LIMIT $1),
            claimed AS (
              UPDATE outbox o SET batch_no = (SELECT no FROM batch)
                FROM picked WHERE o.id = picked.id
              RETURNING o.id, o.topic, o.aggregateid, o.payload, o.headers, o.batch_no)
       SELECT * FROM claimed ORDER BY id`,
      [limit, owner],
    );
    if (rows.length === 0) {
      return null;
    }
    rows.sort((a, b) => (BigInt(a.id) < BigInt(b.id) ? -1 : 1));
    const batchNo = BigInt((rows[0] as OutboxRow & { batch_no: string }).batch_no);
    return {
      batchNo,
      ids: rows.map((r) => String(r.id)),
      messages: rows.map((r) => ({
        topic: r.topic,
        key: r.aggregateid,
        value: r.payload,
        headers: r.headers,
      })),
    };
  }

  async markPublished(batchNo: RelayCheckpoint): Promise<void> {
    await this.ds.query(
      `UPDATE outbox SET published_at = now() WHERE batch_no = $1 AND published_at IS NULL AND failed_at IS NULL`,
      [batchNo.toString()],
    );
  }

  async unclaim(batchNo: RelayCheckpoint): Promise<void> {
    await this.ds.query(`UPDATE outbox SET batch_no = NULL WHERE batch_no = $1 AND published_at IS NULL`, [
      batchNo.toString(),
    ]);
  }

  async recover(checkpoint: RelayCheckpoint): Promise<number> {
    const result: [unknown[], number] = await this.ds.query(
      `UPDATE outbox SET published_at = now()
        WHERE batch_no <= $1 AND published_at IS NULL AND failed_at IS NULL`,
      [checkpoint.toString()],
    );
    return result[1];
  }

  async setAside(rows: SetAsideRow[]): Promise<void> {
    if (rows.length === 0) {
      return;
    }
    await this.ds.transaction(async (m) => {
      for (const row of rows) {
        const failed: unknown[] = await m.query(
          `WITH f AS (UPDATE outbox SET failed_at = now(), failure_reason = $2
                       WHERE id = $1 AND failed_at IS NULL AND published_at IS NULL RETURNING id)
           SELECT id FROM f`,
          [row.id, row.reason],
        );
        if (failed.length === 1 && row.notice) {
          await m.query(
            `INSERT INTO outbox (aggregatetype, aggregateid, type, topic, payload, headers)
             VALUES ('dead-letter', $1, 'outbox.set-aside', $2, $3, $4::jsonb)`,
            [row.notice.key, row.notice.topic, row.notice.value, JSON.stringify(row.notice.headers)],
          );
        }
      }
    });
  }

  /** Rows set aside as failed (operators' view; the readiness check counts them). */
  async failedCount(): Promise<number> {
    const [row] = await this.ds.query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM outbox WHERE failed_at IS NOT NULL`,
    );
    return row?.n ?? 0;
  }

  async acquireLease(owner: string, ttlMs: number): Promise<boolean> {
    // Wrapped in a CTE: TypeORM answers a bare UPDATE with [rows, count], a SELECT with rows.
    const rows: unknown[] = await this.ds.query(
      `WITH taken AS (
         UPDATE relay_lease SET owner = $1, expires_at = now() + ($2::int * interval '1 millisecond')
          WHERE name = 'outbox' AND (owner = $1 OR expires_at < now()) RETURNING name)
       SELECT name FROM taken`,
      [owner, ttlMs],
    );
    return rows.length > 0;
  }

  async releaseLease(owner: string): Promise<void> {
    await this.ds.query(`UPDATE relay_lease SET expires_at = 'epoch' WHERE name = 'outbox' AND owner = $1`, [
      owner,
    ]);
  }

  async pendingCount(): Promise<number> {
    const [row] = await this.ds.query<
      {
        n: number;
      }[]
    >(
      `SELECT count(*)::int AS n FROM outbox WHERE published_at IS NULL AND held_key IS NULL AND failed_at IS NULL`,
    );
    return row?.n ?? 0;
  }

  /** Housekeeping: published rows are only history; keep them for `retainHours`. */
  async purgePublished(retainHours: number): Promise<number> {
    const result: [unknown[], number] = await this.ds.query(
      `DELETE FROM outbox WHERE published_at < now() - ($1::int * interval '1 hour')`,
      [retainHours],
    );
    return result[1];
  }
}
