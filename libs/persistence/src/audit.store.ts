import type { DataSource, EntityManager } from 'typeorm';
import { type AuditCheckpoint, checkpointSignatureHolds, signCheckpoint } from './audit-checkpoint';
import { canonicalJson, sha256Hex } from './canonical-json';

/** prev_hash of the first entry. */
export const AUDIT_GENESIS = '0'.repeat(64);

/** Serialises appends so that ids, and therefore the chain order, follow commit order. */
const AUDIT_LOCK = 4_172_001;

export interface AuditInput {
  actor: string;
  action: string;
  entityType: string;
  entityId: string;
  before?: unknown;
  after?: unknown;
}

export interface AuditEntry {
  id: number;
  at: string;
  actor: string;
  action: string;
  entityType: string;
  entityId: string;
  before: unknown;
  after: unknown;
  prevHash: string;
  hash: string;
}

export interface AuditFilter {
  entityType?: string;
  entityId?: string;
  actor?: string;
  action?: string;
  /** Entries with a smaller id (newest first paging). */
  beforeId?: number;
  limit?: number;
}

/**
 * Why verification failed: a link or content that does not hold; or, against a checkpoint, a
 * checkpoint not signed with the key, the checkpointed entry gone or changed, or entries after it.
 */
export type AuditBreak =
  | 'prev_hash_mismatch'
  | 'hash_mismatch'
  | 'checkpoint_signature'
  | 'checkpoint_mismatch'
  | 'missing_since_checkpoint';

export interface AuditVerification {
  ok: boolean;
  checked: number;
  lastId: number | null;
  firstBroken: { id: number; reason: AuditBreak; expected: string; actual: string } | null;
  /** The checkpoint the chain was checked against, when one was given. */
  checkpoint?: { lastId: number; count: number; at: string } | null;
}

/** A checkpoint kept outside the table and the key it was signed with. */
export interface AuditAnchor {
  checkpoint: AuditCheckpoint | null;
  key: string;
}

interface AuditRow {
  id: string;
  at: Date;
  actor: string;
  action: string;
  entity_type: string;
  entity_id: string;
  before: unknown;
  after: unknown;
  prev_hash: string;
  hash: string;
}

/** The exact content a hash covers: every column but the hashes, then prev_hash appended. */
export function auditHash(entry: Omit<AuditEntry, 'prevHash' | 'hash'>, prevHash: string): string {
  const content = {
    id: entry.id,
    at: entry.at,
    actor: entry.actor,
    action: entry.action,
    entityType: entry.entityType,
    entityId: entry.entityId,
    before: entry.before,
    after: entry.after,
  };
  return sha256Hex(canonicalJson(content) + prevHash);
}

/** JSON round trip: what jsonb will hand back (undefined members dropped, dates as strings). */
const asJson = (v: unknown): unknown => (v === undefined ? null : (JSON.parse(JSON.stringify(v)) as unknown));

const toEntry = (r: AuditRow): AuditEntry => ({
  id: Number(r.id),
  at: r.at.toISOString(),
  actor: r.actor,
  action: r.action,
  entityType: r.entity_type,
  entityId: r.entity_id,
  before: r.before,
  after: r.after,
  prevHash: r.prev_hash,
  hash: r.hash,
});

/**
 * Append-only, hash-chained audit log: hash = sha256(canonical JSON of the entry + prev_hash).
 * Writes take the caller's transaction so an entry commits or rolls back with the change it records.
 */
export class AuditStore {
  constructor(private readonly ds: DataSource) {}

  async append(m: EntityManager, input: AuditInput): Promise<AuditEntry> {
    const [entry] = await this.appendMany(m, [input]);
    if (!entry) {
      throw new Error('audit entry not written');
    }
    return entry;
  }

  async appendMany(m: EntityManager, inputs: AuditInput[]): Promise<AuditEntry[]> {
    if (inputs.length === 0) {
      return [];
    }
    await m.query(`SELECT pg_advisory_xact_lock($1)`, [AUDIT_LOCK]);
    const [last] = await m.query<{ hash: string }[]>(`SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1`);
    const ids = await m.query<{ id: string }[]>(
      `SELECT nextval(pg_get_serial_sequence('audit_log', 'id')) AS id FROM generate_series(1, $1)`,
      [inputs.length],
    );
    const at = new Date().toISOString();
    let prev = last?.hash ?? AUDIT_GENESIS;
    const entries = inputs.map((input, i): AuditEntry => {
      const base = {
        id: Number(ids[i]?.id),
        at,
        actor: input.actor,
        action: input.action,
        entityType: input.entityType,
        entityId: input.entityId,
        before: asJson(input.before),
        after: asJson(input.after),
      };
      const hash = auditHash(base, prev);
      const entry = { ...base, prevHash: prev, hash };
      prev = hash;
      return entry;
    });
    await m.query(
      `INSERT INTO audit_log (id, at, actor, action, entity_type, entity_id, before, after, prev_hash, hash)
       SELECT x.id, x.at, x.actor, x.action, x.entity_type, x.entity_id, x.before, x.after, x.prev_hash, x.hash
         FROM jsonb_to_recordset($1::jsonb) AS x(id bigint, at timestamptz, actor text, action text,
              entity_type text, entity_id text, before jsonb, after jsonb, prev_hash text, hash text)
        ORDER BY x.id`,
      [
        JSON.stringify(
          entries.map((e) => ({
            id: e.id,
            at: e.at,
            actor: e.actor,
            action: e.action,
            entity_type: e.entityType,
            entity_id: e.entityId,
            before: e.before,
            after: e.after,
            prev_hash: e.prevHash,
            hash: e.hash,
          })),
        ),
      ],
    );
    return entries;
  }

  async list(filter: AuditFilter = {}): Promise<AuditEntry[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    const add = (sql: string, value: unknown): void => {
      params.push(value);
      where.push(sql.replace('?', `$${params.length}`));
    };
    if (filter.entityType) {
      add('entity_type = ?', filter.entityType);
    }
    if (filter.entityId) {
      add('entity_id = ?', filter.entityId);
    }
    if (filter.actor) {
      add('actor = ?', filter.actor);
    }
    if (filter.action) {
      add('action = ?', filter.action);
    }
    if (filter.beforeId !== undefined) {
      add('id < ?', filter.beforeId);
    }
    params.push(Math.min(Math.max(filter.limit ?? 50, 1), 500));
    const rows = await this.ds.query<AuditRow[]>(
      `SELECT * FROM audit_log ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''}
        ORDER BY id DESC LIMIT $${params.length}`,
      params,
    );
    return rows.map(toEntry);
  }

  /** The newest entry now, signed with `key`: a checkpoint to keep outside the table. */
  async checkpoint(key: string): Promise<AuditCheckpoint> {
    const [row] = await this.ds.query<{ id: string | null; hash: string | null; n: string }[]>(
      `SELECT (SELECT id FROM audit_log ORDER BY id DESC LIMIT 1) AS id,
              (SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1) AS hash,
              (SELECT count(*) FROM audit_log) AS n`,
    );
    return signCheckpoint(
      {
        lastId: Number(row?.id ?? 0),
        hash: row?.hash ?? AUDIT_GENESIS,
        count: Number(row?.n ?? 0),
        at: new Date().toISOString(),
      },
      key,
    );
  }

  /**
   * Walks the whole chain in id order and names the first entry whose link or content does not hold.
   * Given an anchor, also checks its checkpoint: signed with the key, its entry still there with its
   * hash, and no fewer entries than it counted (the newest entries removed).
   */
  async verify(pageSize = 1000, anchor?: AuditAnchor): Promise<AuditVerification> {
    const chain = await this.verifyChain(pageSize);
    if (!chain.ok || anchor === undefined) {
      return chain;
    }
    const c = anchor.checkpoint;
    if (c === null) {
      return { ...chain, checkpoint: null };
    }
    const checkpoint = { lastId: c.lastId, count: c.count, at: c.at };
    const broken = (reason: AuditBreak, expected: string, actual: string): AuditVerification => ({
      ...chain,
      ok: false,
      checkpoint,
      firstBroken: { id: c.lastId, reason, expected, actual },
    });
    if (!checkpointSignatureHolds(c, anchor.key)) {
      return broken('checkpoint_signature', 'a checkpoint signed with the audit key', 'another signature');
    }
    const [row] =
      c.lastId === 0
        ? [{ hash: AUDIT_GENESIS }]
        : await this.ds.query<{ hash: string }[]>(`SELECT hash FROM audit_log WHERE id = $1`, [c.lastId]);
    if (!row) {
      return broken('missing_since_checkpoint', c.hash, 'no entry');
    }
    if (row.hash !== c.hash) {
      return broken('checkpoint_mismatch', c.hash, row.hash);
    }
    if (chain.checked < c.count || (chain.lastId ?? 0) < c.lastId) {
      return broken('missing_since_checkpoint', `${c.count} entries`, `${chain.checked} entries`);
    }
    return { ...chain, checkpoint };
  }

  private async verifyChain(pageSize: number): Promise<AuditVerification> {
    let prev = AUDIT_GENESIS;
    let checked = 0;
    let lastId: number | null = null;
    for (;;) {
      const rows = await this.ds.query<AuditRow[]>(
        `SELECT * FROM audit_log WHERE id > $1 ORDER BY id LIMIT $2`,
        [lastId ?? 0, pageSize],
      );
      for (const row of rows) {
        const e = toEntry(row);
        if (e.prevHash !== prev) {
          return {
            ok: false,
            checked,
            lastId,
            firstBroken: { id: e.id, reason: 'prev_hash_mismatch', expected: prev, actual: e.prevHash },
          };
        }
        const hash = auditHash(e, e.prevHash);
        if (hash !== e.hash) {
          return {
            ok: false,
            checked,
            lastId,
            firstBroken: { id: e.id, reason: 'hash_mismatch', expected: hash, actual: e.hash },
          };
        }
        prev = e.hash;
        checked += 1;
        lastId = e.id;
      }
      if (rows.length < pageSize) {
        return { ok: true, checked, lastId, firstBroken: null };
      }
    }
  }
}
