import { Client } from 'pg';
import { fromKafkaRecord, type TopicNames } from '@isohub/events';
import { DEV_OPS_TOKEN, opsHeaders } from './hub';
import type { ConsumedRecord, TopicRecorder } from './kafka';
import type { DossierPlan, RequestOutcome } from './traffic';

const byOffset = (a: ConsumedRecord, b: ConsumedRecord): number =>
  a.partition - b.partition || Number(BigInt(a.offset) - BigInt(b.offset));

function groupBy<T>(items: T[], key: (t: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = out.get(k);
    if (list) {
      list.push(item);
    } else {
      out.set(k, [item]);
    }
  }
  return out;
}

/**
 * The events topic's own invariants, whatever produced it: exactly one record per ce_id, and per key
 * one partition with ce_sequence 1..n contiguous in offset order. Records must be distinct offsets.
 */
export function eventTopicViolations(records: ConsumedRecord[]): string[] {
  const violations: string[] = [];
  const events = [...records].sort(byOffset);
  for (const r of events) {
    if (!r.headers['ce_id']) {
      violations.push(`record ${r.partition}/${r.offset} has no ce_id`);
    }
  }
  for (const [id, rs] of groupBy(events, (r) => r.headers['ce_id'] ?? '')) {
    if (id && rs.length > 1) {
      violations.push(
        `ce_id ${id} (${rs[0]?.key}) published ${rs.length} times at ${rs.map((r) => `${r.partition}/${r.offset}`).join(', ')}`,
      );
    }
  }
  for (const [key, rs] of groupBy(events, (r) => r.key ?? '(null key)')) {
    const partitions = [...new Set(rs.map((r) => r.partition))];
    if (partitions.length > 1) {
      violations.push(`${key}: events spread over partitions ${partitions.join(',')}`);
    }
    const seqs = rs.map((r) => Number(r.headers['ce_sequence']));
    const expected = rs.map((_, i) => i + 1);
    if (seqs.join(',') !== expected.join(',')) {
      violations.push(
        `${key}: ce_sequence in offset order is [${seqs.join(',')}], expected [${expected.join(',')}]`,
      );
    }
  }
  return violations;
}

/** What the hub's database says it accepted (the source of truth for "committed"). */
export interface DatabaseView {
  events: { eventId: string; dossierCode: string; sequence: number }[];
  outboxPending: number;
  deadLetters: { dossierCode: string | null }[];
}

export async function readDatabase(url: string): Promise<DatabaseView> {
  const c = new Client({ connectionString: url });
  await c.connect();
  try {
    const events = await c.query<{ event_id: string; dossier_code: string; sequence: number }>(
      `SELECT event_id, dossier_code, sequence FROM dossier_event ORDER BY dossier_code, sequence`,
    );
    const [pending] = (
      await c.query<{ n: number }>(`SELECT count(*)::int AS n FROM outbox WHERE published_at IS NULL`)
    ).rows;
    const dl = await c.query<{ dossier_code: string | null }>(`SELECT dossier_code FROM dead_letter`);
    return {
      events: events.rows.map((r) => ({
        eventId: r.event_id,
        dossierCode: r.dossier_code,
        sequence: r.sequence,
      })),
      outboxPending: pending?.n ?? -1,
      deadLetters: dl.rows.map((r) => ({ dossierCode: r.dossier_code })),
    };
  } finally {
    await c.end();
  }
}

/** Records as stored: a consumer that re-reads after a rebalance or restart sees an offset twice. */
export function distinctRecords(records: ConsumedRecord[]): ConsumedRecord[] {
  const seen = new Set<string>();
  return records.filter((r) => {
    const k = `${r.topic}/${r.partition}/${r.offset}`;
    if (seen.has(k)) {
      return false;
    }
    seen.add(k);
    return true;
  });
}

/**
 * Wait until Kafka holds everything the database committed: the outbox is drained and every
 * committed event id has been read from the events topic. Then wait `settleMs` more, so that a late
 * duplicate would be seen too.
 */
export async function waitForDelivery(
  recorder: TopicRecorder,
  topics: TopicNames,
  databaseUrl: string,
  opts: { timeoutMs?: number; settleMs?: number } = {},
): Promise<void> {
  const end = Date.now() + (opts.timeoutMs ?? 60_000);
  let last = '';
  for (;;) {
    const db = await readDatabase(databaseUrl).catch((e: unknown) => {
      last = `database: ${String(e)}`;
      return null;
    });
    if (db) {
      const seen = new Set(recorder.of(topics.events).map((r) => r.headers['ce_id']));
      const missing = db.events.filter((e) => !seen.has(e.eventId)).length;
      last = `outbox pending ${db.outboxPending}, ${missing} of ${db.events.length} committed events not on Kafka`;
      if (db.outboxPending === 0 && missing === 0) {
        break;
      }
    }
    if (Date.now() > end) {
      throw new Error(`Kafka did not catch up with the database: ${last}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  await new Promise((r) => setTimeout(r, opts.settleMs ?? 2_000));
}

export interface ExactlyOnceInput {
  recorder: TopicRecorder;
  topics: TopicNames;
  plans: DossierPlan[];
  outcomes: RequestOutcome[];
  databaseUrl: string;
  /** Events a good dossier yields once both its requests are accepted. */
  eventsPerDossier: number;
}

export interface ExactlyOnceReport {
  violations: string[];
  events: number;
  dossiers: number;
  acceptedRequests: number;
  rejectedRequests: number;
}

/**
 * Everything the resilience tests claim, checked at the Kafka topics with a plain consumer:
 * - every accepted change is on the events topic, exactly one record per ce_id;
 * - per dossier: one partition, ce_sequence 1..n contiguous in offset order;
 * - nothing for refused dossiers (each has exactly one dead letter instead);
 * - the topic holds exactly the events the database committed, and the outbox is drained;
 * - no state snapshot was published twice;
 * - no failure answer claims success ("thành công"), and every 503 is problem+json.
 */
export async function checkExactlyOnce(input: ExactlyOnceInput): Promise<ExactlyOnceReport> {
  const { recorder, topics, plans, outcomes } = input;
  const violations: string[] = [];
  const events = distinctRecords(recorder.of(topics.events)).sort(byOffset);
  const state = distinctRecords(recorder.of(topics.state)).sort(byOffset);
  const dlq = distinctRecords(recorder.of(topics.deadLetters)).sort(byOffset);
  const db = await readDatabase(input.databaseUrl);
  const planByCode = new Map(plans.map((p) => [p.code, p]));

  violations.push(...eventTopicViolations(events));
  const byId = groupBy(events, (r) => r.headers['ce_id'] ?? '');
  const byKey = groupBy(events, (r) => r.key ?? '(null key)');
  for (const key of byKey.keys()) {
    if (!planByCode.has(key)) {
      violations.push(`events for unknown key ${key}`);
    }
  }

  // what each dossier's answers promise
  const outcomesByCode = new Map<string, RequestOutcome[]>();
  for (const o of outcomes) {
    outcomesByCode.set(o.code, [...(outcomesByCode.get(o.code) ?? []), o]);
  }
  for (const plan of plans) {
    const os = outcomesByCode.get(plan.code) ?? [];
    const rs = byKey.get(plan.code) ?? [];
    const milestones = rs.map((r) => fromKafkaRecord(r.headers, r.value).data.milestone);
    if (plan.bad) {
      if (rs.length > 0) {
        violations.push(`${plan.code}: refused dossier has ${rs.length} event(s) on the topic`);
      }
      if (os.some((o) => o.result === 'accepted')) {
        violations.push(`${plan.code}: a bad dossier was answered error_code "0"`);
      }
      const letters = dlq.filter((r) => r.key === plan.code).length;
      const answered = os.some((o) => o.result === 'rejected');
      if (answered ? letters !== 1 : letters > 1) {
        violations.push(
          `${plan.code}: ${letters} dead letter record(s), expected ${answered ? 1 : '0 or 1'}`,
        );
      }
      continue;
    }
    if (os.some((o) => o.result === 'rejected')) {
      violations.push(
        `${plan.code}: a good request was refused: ${JSON.stringify(os.map((o) => o.exchanges.at(-1)?.text))}`,
      );
    }
    const snapshotAccepted = os.some((o) => o.service === 'DongBoHoSoMC' && o.result === 'accepted');
    const progressAccepted = os.some((o) => o.service === 'CapNhatTienDoHoSoMC' && o.result === 'accepted');
    if (snapshotAccepted && !milestones.includes('DOSSIER_RECEIVED')) {
      violations.push(
        `${plan.code}: accepted snapshot but no DOSSIER_RECEIVED on the topic [${milestones.join(',')}]`,
      );
    }
    if (progressAccepted && rs.length !== input.eventsPerDossier) {
      violations.push(
        `${plan.code}: both requests accepted, ${rs.length} event(s) on the topic, expected ${input.eventsPerDossier} [${milestones.join(',')}]`,
      );
    }
    if (rs.length > input.eventsPerDossier) {
      violations.push(`${plan.code}: ${rs.length} events, more than a dossier can yield`);
    }
  }

  // the topic and the database agree
  const committed = new Set(db.events.map((e) => e.eventId));
  const onTopic = new Set(byId.keys());
  const lost = [...committed].filter((id) => !onTopic.has(id));
  const phantom = [...onTopic].filter((id) => !committed.has(id));
  if (lost.length > 0) {
    violations.push(
      `${lost.length} committed event(s) never reached Kafka, e.g. ${lost.slice(0, 3).join(', ')}`,
    );
  }
  if (phantom.length > 0) {
    violations.push(
      `${phantom.length} event(s) on Kafka the database never committed, e.g. ${phantom.slice(0, 3).join(', ')}`,
    );
  }
  if (db.outboxPending !== 0) {
    violations.push(`outbox still has ${db.outboxPending} unpublished row(s)`);
  }

  // state snapshots: each (dossier, lastSequence) once, the last one current
  const stateSeen = new Map<string, number>();
  for (const r of state) {
    const k = `${r.key}@${r.headers['state_sequence']}`;
    stateSeen.set(k, (stateSeen.get(k) ?? 0) + 1);
  }
  for (const [k, n] of stateSeen) {
    if (n > 1) {
      violations.push(`state snapshot ${k} published ${n} times`);
    }
  }
  for (const [key, rs] of byKey) {
    const last = state.filter((r) => r.key === key).at(-1);
    if (Number(last?.headers['state_sequence']) !== rs.length) {
      violations.push(
        `${key}: last state snapshot has sequence ${last?.headers['state_sequence']}, events ${rs.length}`,
      );
    }
  }

  // what the hub said
  for (const o of outcomes) {
    for (const x of o.exchanges) {
      if (x.status !== null && x.status !== 200 && x.text.includes('thành công')) {
        violations.push(`${o.code}: HTTP ${x.status} answer claims success: ${x.text.slice(0, 200)}`);
      }
      if (x.status === 503 && !x.contentType?.includes('application/problem+json')) {
        violations.push(`${o.code}: 503 without problem+json (${x.contentType})`);
      }
      if (x.status === 200 && !o.bad && x.body?.error_code !== '0') {
        violations.push(`${o.code}: 200 with error_code ${x.body?.error_code}`);
      }
    }
  }

  return {
    violations: violations
      .slice(0, 40)
      .concat(violations.length > 40 ? [`... ${violations.length - 40} more`] : []),
    events: events.length,
    dossiers: byKey.size,
    acceptedRequests: outcomes.filter((o) => o.result === 'accepted').length,
    rejectedRequests: outcomes.filter((o) => o.result === 'rejected').length,
  };
}

/** GET /health/ready: the HTTP status and its body. */
export interface Readiness {
  status: number;
  body: {
    status: string;
    checks: {
      database: { ok: boolean; detail: string };
      kafka: { ok: boolean; detail: string };
      relay: {
        running: boolean;
        leader: boolean;
        published: number;
        consecutiveFailures: number;
        lastError: string | null;
        lastErrorStage: string | null;
        outboxPending: number | null;
      };
    };
  };
}

export async function readiness(baseUrl: string, opsToken = DEV_OPS_TOKEN): Promise<Readiness> {
  const res = await fetch(`${baseUrl}/health/ready`, {
    headers: opsHeaders(opsToken),
    signal: AbortSignal.timeout(20_000),
  });
  return { status: res.status, body: (await res.json()) as Readiness['body'] };
}

/** Poll /health/ready until `predicate` holds; returns the last reading (throws on timeout). */
export async function waitForReadiness(
  baseUrl: string,
  predicate: (r: Readiness) => boolean,
  timeoutMs = 30_000,
): Promise<Readiness> {
  const end = Date.now() + timeoutMs;
  let last: Readiness | null = null;
  for (;;) {
    last = await readiness(baseUrl).catch(() => last);
    if (last && predicate(last)) {
      return last;
    }
    if (Date.now() > end) {
      throw new Error(
        `readiness condition not met after ${timeoutMs} ms; last: ${JSON.stringify(last?.body)}`,
      );
    }
    await new Promise((r) => setTimeout(r, 250));
  }
}
