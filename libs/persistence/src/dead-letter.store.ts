import type { DataSource } from 'typeorm';

export interface DeadLetterSummary {
  id: string;
  sourceSystem: string;
  protocol: string;
  operation: string | null;
  reasonCode: string;
  reason: string;
  field: string | null;
  dossierCode: string | null;
  itemIndex: number | null;
  occurrences: number;
  payloadBytes: number;
  firstSeenAt: string;
  lastSeenAt: string;
  replayedAt: string | null;
  discardedAt: string | null;
  discardedBy: string | null;
  /** Only a prefix of the payload was kept (`receivedBytes` long as received): it cannot be replayed. */
  payloadTruncated: boolean;
  receivedBytes: number;
  /** The payload was removed after the retention period (personal data); the row stays for the record. */
  redactedAt: string | null;
}

/** `open`: neither replayed nor discarded. */
export const DEAD_LETTER_STATES = ['open', 'replayed', 'discarded', 'all'] as const;
export type DeadLetterState = (typeof DEAD_LETTER_STATES)[number];

export interface DeadLetterFilter {
  state: DeadLetterState;
  sourceSystem?: string;
  reasonCode?: string;
  dossierCode?: string;
  /** Last seen at or after / before these instants. */
  seenFrom?: Date;
  seenTo?: Date;
  beforeId?: string;
  limit: number;
}

export interface DeadLetter extends DeadLetterSummary {
  payload: Buffer;
}

interface Row {
  id: string;
  source_system: string;
  protocol: string;
  operation: string | null;
  reason_code: string;
  reason: string;
  field: string | null;
  dossier_code: string | null;
  item_index: number | null;
  occurrences: number;
  payload_bytes: number;
  first_seen_at: Date;
  last_seen_at: Date;
  replayed_at: Date | null;
  discarded_at: Date | null;
  discarded_by: string | null;
  payload_truncated: boolean;
  received_bytes: string | null;
  redacted_at: Date | null;
  payload?: Buffer;
}

const COLUMNS = `id, source_system, protocol, operation, reason_code, reason, field, dossier_code, item_index,
  occurrences, octet_length(payload) AS payload_bytes, first_seen_at, last_seen_at, replayed_at, discarded_at,
  discarded_by, payload_truncated, received_bytes, redacted_at`;

function summary(r: Row): DeadLetterSummary {
  return {
    id: String(r.id),
    sourceSystem: r.source_system,
    protocol: r.protocol,
    operation: r.operation,
    reasonCode: r.reason_code,
    reason: r.reason,
    field: r.field,
    dossierCode: r.dossier_code,
    itemIndex: r.item_index,
    occurrences: r.occurrences,
    payloadBytes: r.payload_bytes,
    firstSeenAt: new Date(r.first_seen_at).toISOString(),
    lastSeenAt: new Date(r.last_seen_at).toISOString(),
    replayedAt: r.replayed_at ? new Date(r.replayed_at).toISOString() : null,
    discardedAt: r.discarded_at ? new Date(r.discarded_at).toISOString() : null,
    discardedBy: r.discarded_by,
    payloadTruncated: r.payload_truncated,
    receivedBytes: r.received_bytes === null ? r.payload_bytes : Number(r.received_bytes),
    redactedAt: r.redacted_at ? new Date(r.redacted_at).toISOString() : null,
  };
}

/**
 * Dead letters as operators see them: listed without payloads (personal data), read one by one, replayed
 * or discarded.
 */
export class DeadLetterStore {
  constructor(private readonly ds: DataSource) {}

  /** Newest first, filtered; `open` ones are neither replayed nor discarded. */
  async list(f: DeadLetterFilter): Promise<DeadLetterSummary[]> {
    const rows: Row[] = await this.ds.query(
      `SELECT ${COLUMNS} FROM dead_letter
        WHERE CASE $1::text
                WHEN 'open' THEN replayed_at IS NULL AND discarded_at IS NULL
                WHEN 'replayed' THEN replayed_at IS NOT NULL
                WHEN 'discarded' THEN discarded_at IS NOT NULL
                ELSE true END
          AND ($2::text IS NULL OR source_system = $2)
          AND ($3::text IS NULL OR reason_code = $3)
          AND ($4::text IS NULL OR dossier_code = $4)
          AND ($5::timestamptz IS NULL OR last_seen_at >= $5)
          AND ($6::timestamptz IS NULL OR last_seen_at < $6)
          AND ($7::bigint IS NULL OR id < $7)
        ORDER BY id DESC LIMIT $8`,
      [
        f.state,
        f.sourceSystem ?? null,
        f.reasonCode ?? null,
        f.dossierCode ?? null,
        f.seenFrom ?? null,
        f.seenTo ?? null,
        f.beforeId ?? null,
        f.limit,
      ],
    );
    return rows.map(summary);
  }

  async get(id: string): Promise<DeadLetter | null> {
    const rows: Row[] = await this.ds.query(`SELECT ${COLUMNS}, payload FROM dead_letter WHERE id = $1`, [
      id,
    ]);
    const r = rows[0];
    return r ? { ...summary(r), payload: r.payload ?? Buffer.alloc(0) } : null;
  }

  async markReplayed(id: string): Promise<void> {
    await this.ds.query(`UPDATE dead_letter SET replayed_at = now() WHERE id = $1`, [id]);
  }

  /**
   * Retention (personal data): payloads of dead letters not seen for `retainDays` days are removed, here and
   * in the outbox rows that carried them to the dead-letter topic. Reason, digest and counts stay.
   */
  async redactOlderThan(retainDays: number): Promise<number> {
    const result: [unknown[], number] = await this.ds.query(
      `UPDATE dead_letter SET payload = ''::bytea, redacted_at = now()
        WHERE redacted_at IS NULL AND last_seen_at < now() - ($1::int * interval '1 day')`,
      [retainDays],
    );
    await this.ds.query(
      `UPDATE outbox SET payload = NULL
        WHERE aggregatetype = 'dead-letter' AND payload IS NOT NULL
          AND created_at < now() - ($1::int * interval '1 day')
          AND (published_at IS NOT NULL OR failed_at IS NOT NULL)`,
      [retainDays],
    );
    return result[1];
  }

  /**
   * Sets an open dead letter aside without replaying it (kept, never deleted). Null when there is no such
   * letter; the letter unchanged when it was already replayed or discarded (`changed: false`).
   */
  async discard(id: string, by: string): Promise<{ letter: DeadLetterSummary; changed: boolean } | null> {
    const [updated]: Row[] = await this.ds.query(
      `WITH d AS (UPDATE dead_letter SET discarded_at = now(), discarded_by = $2
                   WHERE id = $1 AND replayed_at IS NULL AND discarded_at IS NULL RETURNING *)
       SELECT ${COLUMNS} FROM d`,
      [id, by],
    );
    if (updated) {
      return { letter: summary(updated), changed: true };
    }
    const [row]: Row[] = await this.ds.query(`SELECT ${COLUMNS} FROM dead_letter WHERE id = $1`, [id]);
    return row ? { letter: summary(row), changed: false } : null;
  }
}
