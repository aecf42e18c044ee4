import { Inject, Injectable } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import type { StepTiming } from '@isohub/events';
import { StepTimingStore } from '@isohub/persistence';
import { ADMIN_DATA_SOURCE } from '../admin.tokens';

/** A dossier as the search lists it. */
export interface DossierHit {
  dossierCode: string;
  nationalStatus: number | null;
  statusLabel: string | null;
  procedureCode: string | null;
  procedureName: string | null;
  agency: string | null;
  sourceSystem: string | null;
  lastSequence: number;
  updatedAt: string | null;
  /** Known only from dead letters: nothing of it was accepted yet. */
  onlyDeadLetters: boolean;
}

export interface DossierEventView {
  eventId: string;
  sequence: number;
  type: string;
  source: string;
  occurredAt: string;
  recordedAt: string;
  /** The event's data, without applicant fields and without an applicant's name on a handover. */
  data: Record<string, unknown>;
}

export interface DossierPublication {
  published: number;
  waiting: number;
  /** Held until a procedure code is mapped (`held_key` = `<source> <code>`). */
  held: number;
  heldKeys: string[];
}

export interface DossierForward {
  id: string;
  sender: string;
  style: string;
  operation: string;
  status: string;
  attempts: number;
  lastError: string | null;
  portalAnswer: unknown;
  createdAt: string;
  doneAt: string | null;
}

export interface DossierUpstreamAnswer {
  id: string;
  sender: string;
  style: string;
  operation: string;
  outcome: string;
  httpStatus: number | null;
  errorCode: string | null;
  message: string | null;
  receivedAt: string;
  answeredAt: string;
}

export interface DossierDeadLetter {
  id: string;
  sourceSystem: string;
  operation: string | null;
  reasonCode: string;
  reason: string;
  field: string | null;
  occurrences: number;
  firstSeenAt: string;
  lastSeenAt: string;
  replayedAt: string | null;
  discardedAt: string | null;
}

export interface DossierView {
  dossierCode: string;
  /** The current snapshot (the state topic's record), null when only dead letters know the code. */
  state: Record<string, unknown> | null;
  lastSequence: number;
  updatedAt: string | null;
  events: DossierEventView[];
  publication: DossierPublication;
  forwards: DossierForward[];
  upstreamAnswers: DossierUpstreamAnswer[];
  deadLetters: DossierDeadLetter[];
  /** ISO time: each step instance with its deadline and verdict, in instance order. */
  steps: StepTiming[];
  /** The QĐ 766 verdict of the dossier once it ended (null before). */
  verdict: unknown;
}

const iso = (d: Date | string | null): string | null => (d === null ? null : new Date(d).toISOString());
/** `%` and `_` taken literally in a LIKE pattern (escape character `\`). */
const likeLiteral = (s: string): string => s.replace(/[\\%_]/g, (c) => `\\${c}`);
const MAX_EVENTS = 1_000;
const MAX_ROWS = 200;

/**
 * The agency a dossier belongs to, for scope: its receiving unit or its code's prefix (codes start with
 * the receiving agency's code, `000.00.01.H56-…`); the sender's agency only when neither is known (a
 * sender's agency may be a whole province's one-stop system).
 */
const IN_SCOPE = `($2::text[] IS NULL
   OR s.state->'receivingUnit'->>'code' = ANY($2::text[])
   OR (position('-' IN s.dossier_code) > 0 AND split_part(s.dossier_code, '-', 1) = ANY($2::text[]))
   OR (s.state->'receivingUnit'->>'code' IS NULL AND position('-' IN s.dossier_code) = 0
       AND s.state->'source'->>'agency' = ANY($2::text[])))`;

/** Personal data never reaches the console: the applicant block and an applicant actor's name go. */
export function withoutApplicant(data: Record<string, unknown>): Record<string, unknown> {
  const { applicant: _applicant, ...rest } = data;
  const handover = rest['handover'] as Record<string, unknown> | null | undefined;
  if (handover && typeof handover === 'object') {
    const person = (p: unknown): unknown =>
      p && typeof p === 'object' && (p as { role?: unknown }).role === 'applicant'
        ? { ...(p as Record<string, unknown>), name: null, id: null }
        : p;
    rest['handover'] = {
      ...handover,
      userFrom: person(handover['userFrom']),
      userTo: person(handover['userTo']),
    };
  }
  return rest;
}

/**
 * The console's read model of one dossier over the sync service's tables (same database): snapshot,
 * events in order, publication to Kafka, forwards and the upstream's answers, dead letters. Reads only.
 */
@Injectable()
export class DossierReadService {
  private readonly timings: StepTimingStore;

  constructor(@Inject(ADMIN_DATA_SOURCE) private readonly ds: DataSource) {
    this.timings = new StepTimingStore(ds);
  }

  /** Dossiers whose code contains `part` (case-insensitive), newest change first; `agencies` null = all. */
  async search(part: string, agencies: string[] | null, limit: number): Promise<DossierHit[]> {
    const pattern = `%${likeLiteral(part)}%`;
    const rows: {
      dossier_code: string;
      state: Record<string, unknown> | null;
      last_sequence: number;
      updated_at: Date | null;
      only_dead: boolean;
    }[] = await this.ds.query(
      `SELECT * FROM (
         SELECT s.dossier_code, s.state, s.last_sequence, s.updated_at, s.state IS NULL AS only_dead
           FROM dossier_state s
          WHERE s.dossier_code ILIKE $1 AND ${IN_SCOPE}
         UNION ALL
         SELECT d.dossier_code, NULL, 0, max(d.last_seen_at), true
           FROM dead_letter d
          WHERE d.dossier_code ILIKE $1
            AND ($2::text[] IS NULL OR split_part(d.dossier_code, '-', 1) = ANY($2::text[]))
            AND NOT EXISTS (SELECT 1 FROM dossier_state x WHERE x.dossier_code = d.dossier_code)
          GROUP BY d.dossier_code
       ) hits ORDER BY updated_at DESC NULLS LAST, dossier_code LIMIT $3`,
      [pattern, agencies, limit],
    );
    return rows.map((r) => {
      const state = r.state ?? {};
      const status = (state['status'] ?? {}) as { national?: number | null; label?: string | null };
      const procedure = (state['procedure'] ?? {}) as {
        nationalCode?: string | null;
        localCode?: string | null;
        name?: string | null;
      };
      const source = (state['source'] ?? {}) as { system?: string; agency?: string | null };
      return {
        dossierCode: r.dossier_code,
        nationalStatus: status.national ?? null,
        statusLabel: status.label ?? null,
        procedureCode: procedure.nationalCode ?? procedure.localCode ?? null,
        procedureName: procedure.name ?? null,
        agency: source.agency ?? null,
        sourceSystem: source.system ?? null,
        lastSequence: r.last_sequence,
        updatedAt: iso(r.updated_at),
        onlyDeadLetters: r.only_dead,
      };
    });
  }

  /**
   * Of `codes`, those a user limited to `agencies` may read, decided as `get` decides (in scope by the
   * dossier's state, or by the code's prefix for a dossier known only from its dead letters), in two queries.
   */
  async readableCodes(codes: readonly string[], agencies: string[]): Promise<Set<string>> {
    const unique = [...new Set(codes)];
    if (unique.length === 0) {
      return new Set();
    }
    const rows: { dossier_code: string; in_scope: boolean }[] = await this.ds.query(
      `SELECT s.dossier_code, ${IN_SCOPE} AS in_scope FROM dossier_state s WHERE s.dossier_code = ANY($1::text[])`,
      [unique, agencies],
    );
    const known = new Map(rows.map((r) => [r.dossier_code, r.in_scope]));
    return new Set(unique.filter((code) => known.get(code) ?? agencies.includes(code.split('-')[0] ?? '')));
  }

  /** One dossier by its exact code; null when unknown or outside `agencies`. */
  async get(code: string, agencies: string[] | null): Promise<DossierView | null> {
    const [state]: { state: Record<string, unknown> | null; last_sequence: number; updated_at: Date }[] =
      await this.ds.query(
        `SELECT s.state, s.last_sequence, s.updated_at FROM dossier_state s WHERE s.dossier_code = $1 AND ${IN_SCOPE}`,
        [code, agencies],
      );
    const deadLetters = await this.deadLetters(code);
    if (!state) {
      const prefixOk = agencies === null || agencies.includes(code.split('-')[0] ?? '');
      if (deadLetters.length === 0 || !prefixOk) {
        return null;
      }
    }
    const [events, publication, forwards, upstreamAnswers, steps, timing] = await Promise.all([
      this.events(code),
      this.publication(code),
      this.forwards(code),
      this.upstreamAnswers(code),
      this.timings.listForDossier(code),
      this.timings.dossier(code),
    ]);
    return {
      dossierCode: code,
      state: state?.state ? withoutApplicant(state.state) : null,
      lastSequence: state?.last_sequence ?? 0,
      updatedAt: iso(state?.updated_at ?? null),
      events,
      publication,
      forwards,
      upstreamAnswers,
      deadLetters,
      steps,
      verdict: timing?.verdict ?? null,
    };
  }

  private async events(code: string): Promise<DossierEventView[]> {
    const rows: {
      event_id: string;
      sequence: number;
      type: string;
      source: string;
      occurred_at: Date;
      created_at: Date;
      data: Record<string, unknown>;
    }[] = await this.ds.query(
      `SELECT event_id, sequence, type, source, occurred_at, created_at, data
         FROM dossier_event WHERE dossier_code = $1 ORDER BY sequence LIMIT $2`,
      [code, MAX_EVENTS],
    );
    return rows.map((r) => ({
      eventId: r.event_id,
      sequence: r.sequence,
      type: r.type,
      source: r.source,
      occurredAt: new Date(r.occurred_at).toISOString(),
      recordedAt: new Date(r.created_at).toISOString(),
      data: withoutApplicant(r.data),
    }));
  }

  private async publication(code: string): Promise<DossierPublication> {
    const [row]: { published: number; waiting: number; held: number; held_keys: string[] | null }[] =
      await this.ds.query(
        `SELECT count(*) FILTER (WHERE published_at IS NOT NULL)::int AS published,
                count(*) FILTER (WHERE published_at IS NULL AND held_key IS NULL)::int AS waiting,
                count(*) FILTER (WHERE held_key IS NOT NULL)::int AS held,
                array_agg(DISTINCT held_key) FILTER (WHERE held_key IS NOT NULL) AS held_keys
           FROM outbox WHERE aggregateid = $1`,
        [code],
      );
    return {
      published: row?.published ?? 0,
      waiting: row?.waiting ?? 0,
      held: row?.held ?? 0,
      heldKeys: row?.held_keys ?? [],
    };
  }

  /** Stored requests towards the portal or the LGSP bus that carry this code (the body is never shown). */
  private async forwards(code: string): Promise<DossierForward[]> {
    const rows: {
      id: string;
      sender: string;
      style: string;
      operation: string;
      status: string;
      attempts: number;
      last_error: string | null;
      portal_answer: unknown;
      created_at: Date;
      done_at: Date | null;
    }[] = await this.ds.query(
      `SELECT id, sender, style, operation, status, attempts, last_error, portal_answer, created_at, done_at
         FROM forward_job
        WHERE position(convert_to('"' || $1 || '"', 'UTF8') IN body) > 0
           OR position(convert_to('>' || $1 || '<', 'UTF8') IN body) > 0
        ORDER BY id LIMIT $2`,
      [code, MAX_ROWS],
    );
    return rows.map((r) => ({
      id: String(r.id),
      sender: r.sender,
      style: r.style,
      operation: r.operation,
      status: r.status,
      attempts: r.attempts,
      lastError: r.last_error,
      portalAnswer: r.portal_answer,
      createdAt: new Date(r.created_at).toISOString(),
      doneAt: iso(r.done_at),
    }));
  }

  /** What the portal or the LGSP bus answered to calls carrying this code (the transparent tee's record). */
  private async upstreamAnswers(code: string): Promise<DossierUpstreamAnswer[]> {
    const [exists]: { t: string | null }[] = await this.ds.query(`SELECT to_regclass('tee_call')::text AS t`);
    if (!exists?.t) {
      return [];
    }
    const rows: {
      id: string;
      sender: string;
      style: string;
      operation: string;
      outcome: string;
      http_status: number | null;
      error_code: string | null;
      message: string | null;
      received_at: Date;
      answered_at: Date;
    }[] = await this.ds.query(
      `SELECT id, sender, style, operation, outcome, http_status, error_code, message, received_at, answered_at
         FROM tee_call WHERE dossier_codes @> ARRAY[$1]::text[] ORDER BY id LIMIT $2`,
      [code, MAX_ROWS],
    );
    return rows.map((r) => ({
      id: String(r.id),
      sender: r.sender,
      style: r.style,
      operation: r.operation,
      outcome: r.outcome,
      httpStatus: r.http_status,
      errorCode: r.error_code,
      message: r.message,
      receivedAt: new Date(r.received_at).toISOString(),
      answeredAt: new Date(r.answered_at).toISOString(),
    }));
  }

  private async deadLetters(code: string): Promise<DossierDeadLetter[]> {
    const rows: {
      id: string;
      source_system: string;
      operation: string | null;
      reason_code: string;
      reason: string;
      field: string | null;
      occurrences: number;
      first_seen_at: Date;
      last_seen_at: Date;
      replayed_at: Date | null;
      discarded_at: Date | null;
    }[] = await this.ds.query(
      `SELECT id, source_system, operation, reason_code, reason, field, occurrences, first_seen_at, last_seen_at,
              replayed_at, discarded_at
         FROM dead_letter WHERE dossier_code = $1 ORDER BY id LIMIT $2`,
      [code, MAX_ROWS],
    );
    return rows.map((r) => ({
      id: String(r.id),
      sourceSystem: r.source_system,
      operation: r.operation,
      reasonCode: r.reason_code,
      reason: r.reason,
      field: r.field,
      occurrences: r.occurrences,
      firstSeenAt: new Date(r.first_seen_at).toISOString(),
      lastSeenAt: new Date(r.last_seen_at).toISOString(),
      replayedAt: iso(r.replayed_at),
      discardedAt: iso(r.discarded_at),
    }));
  }
}
