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
  payload?: Buffer;
}

const COLUMNS = `id, source_system, protocol, operation, reason_code, reason, field, dossier_code, item_index,
  occurrences, octet_length(payload) AS payload_bytes, first_seen_at, last_seen_at, replayed_at`;

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
  };
}

/** Dead letters as operators see them: listed without payloads (personal data), read one by one, replayed. */
export class DeadLetterStore {
  constructor(private readonly ds: DataSource) {}

  async list(opts: {
    open: boolean;
    sourceSystem?: string;
    beforeId?: string;
    limit: number;
  }): Promise<DeadLetterSummary[]> {
    const rows: Row[] = await this.ds.query(
      `SELECT ${COLUMNS} FROM dead_letter
        WHERE ($1::boolean IS FALSE OR replayed_at IS NULL)
          AND ($2::text IS NULL OR source_system = $2)
          AND ($3::bigint IS NULL OR id < $3)
        ORDER BY id DESC LIMIT $4`,
      [opts.open, opts.sourceSystem ?? null, opts.beforeId ?? null, opts.limit],
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
}
