import type { DataSource, EntityManager } from 'typeorm';
import type { DossierState, SequencedEvent } from '@isohub/events';
import type { BusMessage } from '@isohub/messaging';
import { advanceCursorIn, type CursorAdvance } from './source-cursor.store';
import { StepTimingTx } from './step-timing.store';
import {
  clearRereadIn,
  noteUnmappedStatusesIn,
  type RereadRow,
  type UnmappedStatusNote,
} from './unmapped-status.store';

export interface LockedDossier {
  lastSequence: number;
  state: DossierState | null;
  /** Keyed hash of the applicant's name (`dossier_state.applicant_key`), never the name; null when unknown. */
  applicantKey: Buffer | null;
  /** `dossier_state.handover_trail` as stored (JSON; the mapper reads it defensively). */
  trail: unknown;
}

export interface StateWrite {
  code: string;
  lastSequence: number;
  state: DossierState;
  /** A new applicant key; null or absent keeps the stored one (a snapshot without the name erases nothing). */
  applicantKey?: Buffer | null;
  /** A new handover trail; null or absent keeps the stored one. */
  trail?: unknown;
}

export interface DeadLetterInsert {
  sourceSystem: string;
  protocol: string;
  operation: string | null;
  reasonCode: string;
  reason: string;
  field: string | null;
  dossierCode: string | null;
  itemIndex: number | null;
  /** What is kept: the whole payload, or a bounded prefix of it (`receivedBytes` says how long it was). */
  payload: Buffer;
  /** Digest of the whole payload as received, also when only a prefix is kept. */
  payloadSha256: string;
  /** Length of the payload as received, when `payload` is only a prefix of it. */
  receivedBytes?: number;
}

export interface ForwardJobInsert {
  sender: string;
  style: string;
  operation: string;
  madonvi: string | null;
  isUpdating: string | null;
  body: Buffer;
}

export interface OutboxInsert extends BusMessage {
  aggregatetype: string;
  type: string;
  /** Set when the row must wait for a procedure mapping (`<source system> <code>`). */
  heldKey?: string | null;
}

/** The writes of one ingest request, all inside one database transaction. */
export class IngestTx {
  constructor(private readonly m: EntityManager) {}

  /** The ISO-time writes (step instances, dossier timing) in this same transaction. */
  timing(): StepTimingTx {
    return new StepTimingTx(this.m);
  }

  /**
   * Lock the dossiers' state rows (creating empty ones first, in code order so that two requests
   * touching the same dossiers cannot deadlock) and return their current state.
   */
  /**
   * The sender that wrote each dossier first (DOSSIER_OWNERSHIP `first-writer`): claimed by `sender` where
   * nobody has yet. Call after lockDossiers (the rows exist and are locked, so two writers cannot both claim).
   */
  async claimOwners(codes: string[], sender: string): Promise<Map<string, string>> {
    if (codes.length === 0) {
      return new Map();
    }
    const rows: { dossier_code: string; owner_sender: string }[] = await this.m.query(
      `WITH claimed AS (UPDATE dossier_state SET owner_sender = $2
                         WHERE dossier_code = ANY($1::text[]) AND owner_sender IS NULL
                         RETURNING dossier_code, owner_sender)
       SELECT dossier_code, owner_sender FROM claimed
       UNION ALL
       SELECT dossier_code, owner_sender FROM dossier_state
        WHERE dossier_code = ANY($1::text[]) AND owner_sender IS NOT NULL`,
      [codes, sender],
    );
    return new Map(rows.map((r) => [r.dossier_code, r.owner_sender]));
  }

  async lockDossiers(codes: string[]): Promise<Map<string, LockedDossier>> {
    const sorted = [...new Set(codes)].sort();
    const out = new Map<string, LockedDossier>();
    if (sorted.length === 0) {
      return out;
    }
    await this.m.query(
      `INSERT INTO dossier_state (dossier_code) SELECT unnest($1::text[]) ORDER BY 1 ON CONFLICT DO NOTHING`,
      [sorted],
    );
    const rows: {
      dossier_code: string;
      last_sequence: number;
      state: DossierState | null;
      applicant_key: Uint8Array | null;
      handover_trail: unknown;
    }[] = await this.m.query(
      `SELECT dossier_code, last_sequence, state, applicant_key, handover_trail FROM dossier_state
        WHERE dossier_code = ANY($1::text[]) ORDER BY dossier_code FOR UPDATE`,
      [sorted],
    );
    for (const r of rows) {
      out.set(r.dossier_code, {
        lastSequence: r.last_sequence,
        state: r.state,
        // PGlite gives a Uint8Array, node-postgres a Buffer
        applicantKey: r.applicant_key === null ? null : Buffer.from(r.applicant_key),
        trail: r.handover_trail,
      });
    }
    return out;
  }

  /** The hold each of these dossiers is under (it has outbox rows waiting for a mapping), if any. */
  async heldDossiers(codes: string[]): Promise<Map<string, string>> {
    if (codes.length === 0) {
      return new Map();
    }
    const rows: { aggregateid: string; held_key: string }[] = await this.m.query(
      `SELECT DISTINCT ON (aggregateid) aggregateid, held_key FROM outbox
        WHERE held_key IS NOT NULL AND aggregateid = ANY($1::text[]) ORDER BY aggregateid, id`,
      [codes],
    );
    return new Map(rows.map((r) => [r.aggregateid, r.held_key]));
  }

  async existingEventIds(ids: string[]): Promise<Set<string>> {
    if (ids.length === 0) {
      return new Set();
    }
    const rows: { event_id: string }[] = await this.m.query(
      `SELECT event_id FROM dossier_event WHERE event_id = ANY($1::text[])`,
      [ids],
    );
    return new Set(rows.map((r) => r.event_id));
  }

  async insertEvents(events: SequencedEvent[]): Promise<void> {
    if (events.length === 0) {
      return;
    }
    await this.m.query(
      `INSERT INTO dossier_event (event_id, dossier_code, sequence, type, source, occurred_at, data)
       SELECT x.id, x.subject, x.sequence, x.type, x.source, x.time::timestamptz, x.data
         FROM jsonb_to_recordset($1::jsonb) AS x(id text, subject text, sequence int, type text, source text,
                                                time text, data jsonb)`,
      [JSON.stringify(events)],
    );
  }

  async saveStates(states: readonly StateWrite[]): Promise<void> {
    if (states.length === 0) {
      return;
    }
    await this.m.query(
      `UPDATE dossier_state d SET last_sequence = x.last_sequence, state = x.state, updated_at = now(),
              applicant_key = COALESCE(decode(x.applicant_key, 'hex'), d.applicant_key),
              handover_trail = COALESCE(x.trail, d.handover_trail)
         FROM jsonb_to_recordset($1::jsonb)
              AS x(code text, last_sequence int, state jsonb, applicant_key text, trail jsonb)
        WHERE d.dossier_code = x.code`,
      [
        JSON.stringify(
          states.map((s) => ({
            code: s.code,
            last_sequence: s.lastSequence,
            state: s.state,
            applicant_key: s.applicantKey?.toString('hex') ?? null,
            trail: s.trail ?? null,
          })),
        ),
      ],
    );
  }

  async addOutbox(rows: OutboxInsert[]): Promise<void> {
    if (rows.length === 0) {
      return;
    }
    // Inserted in array order: the bigserial id gives the relay its publish order.
    await this.m.query(
      `INSERT INTO outbox (aggregatetype, aggregateid, type, topic, payload, headers, held_key)
       SELECT e->>'aggregatetype', e->>'aggregateid', e->>'type', e->>'topic', decode(e->>'payload', 'base64'),
              e->'headers', e->>'held_key'
         FROM jsonb_array_elements($1::jsonb) WITH ORDINALITY AS t(e, n)
        ORDER BY t.n`,
      [
        JSON.stringify(
          rows.map((r) => ({
            aggregatetype: r.aggregatetype,
            aggregateid: r.key,
            type: r.type,
            topic: r.topic,
            payload: r.value === null ? null : r.value.toString('base64'),
            headers: r.headers,
            held_key: r.heldKey ?? null,
          })),
        ),
      ],
    );
  }

  /** Returns true when this payload is new (a repeat of a known bad payload only bumps a counter). */
  async addDeadLetter(d: DeadLetterInsert): Promise<boolean> {
    const rows: { inserted: boolean }[] = await this.m.query(
      `INSERT INTO dead_letter (source_system, protocol, operation, reason_code, reason, field, dossier_code,
                                item_index, payload, payload_sha256, received_bytes, payload_truncated)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11::bigint > octet_length($9::bytea))
       ON CONFLICT (source_system, operation, payload_sha256)
       DO UPDATE SET occurrences = dead_letter.occurrences + 1, last_seen_at = now()
       RETURNING (xmax = 0) AS inserted`,
      [
        d.sourceSystem,
        d.protocol,
        d.operation,
        d.reasonCode,
        d.reason,
        d.field,
        d.dossierCode,
        d.itemIndex,
        d.payload,
        d.payloadSha256,
        d.receivedBytes ?? d.payload.length,
      ],
    );
    return rows[0]?.inserted === true;
  }

  async addForwardJob(j: ForwardJobInsert): Promise<void> {
    await this.m.query(
      `INSERT INTO forward_job (sender, style, operation, madonvi, is_updating, body) VALUES ($1, $2, $3, $4, $5, $6)`,
      [j.sender, j.style, j.operation, j.madonvi, j.isUpdating, j.body],
    );
  }

  /** A pulled source's cursor moves in the transaction of the events it covers (CursorConflictError if it moved). */
  async advanceCursor(a: CursorAdvance): Promise<void> {
    await advanceCursorIn(this.m, a);
  }

  /** Pulled changes without a national status: counted into the queue, their dossiers kept for the re-read. */
  async noteUnmappedStatuses(
    sourceId: string,
    sourceSystem: string,
    notes: readonly UnmappedStatusNote[],
  ): Promise<void> {
    await noteUnmappedStatusesIn(this.m, sourceId, sourceSystem, notes);
  }

  /** Dossiers read again after a status mapping was published leave the re-read list with their events. */
  async clearReread(sourceId: string, rows: readonly RereadRow[]): Promise<void> {
    await clearRereadIn(this.m, sourceId, rows);
  }

  async noteUnmapped(sourceSystem: string, code: string, dossierCode: string): Promise<void> {
    await this.m.query(
      `INSERT INTO unmapped_code (source_system, code, occurrences, sample_dossiers)
       VALUES ($1, $2, 1, jsonb_build_array($3::text))
       ON CONFLICT (source_system, code) DO UPDATE SET
         occurrences = unmapped_code.occurrences + 1,
         last_seen_at = now(),
         sample_dossiers = CASE
           WHEN jsonb_array_length(unmapped_code.sample_dossiers) >= 10
             OR unmapped_code.sample_dossiers ? $3 THEN unmapped_code.sample_dossiers
           ELSE unmapped_code.sample_dossiers || jsonb_build_array($3::text) END`,
      [sourceSystem, code, dossierCode],
    );
  }
}

export class IngestStore {
  constructor(private readonly ds: DataSource) {}

  /** Everything `fn` writes commits together or not at all; `fn` must use only the given tx. */
  async transaction<T>(fn: (tx: IngestTx) => Promise<T>): Promise<T> {
    // No isolation argument: READ COMMITTED is PostgreSQL's default, and naming it costs a round trip per request.
    return this.ds.transaction((m) => fn(new IngestTx(m)));
  }
}
