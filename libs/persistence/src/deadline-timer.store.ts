import type { DataSource, EntityManager } from 'typeorm';

export type TimerKind = 'step' | 'dossier';

export interface DeadlineTimer {
  dossierCode: string;
  kind: TimerKind;
  /** The step instance; 0 for the dossier's timer. */
  instance: number;
  dueAt: Date;
  warnAt: Date | null;
  state: 'armed' | 'paused' | 'fired' | 'cancelled' | 'retract' | 'retracted';
  firedEvent: string | null;
  payload: Record<string, unknown>;
}

interface TimerRow {
  dossier_code: string;
  kind: TimerKind;
  instance_no: number;
  due_at: Date;
  warn_at: Date | null;
  state: DeadlineTimer['state'];
  fired_event: string | null;
  payload: Record<string, unknown> | null;
}

const toTimer = (r: TimerRow): DeadlineTimer => ({
  dossierCode: r.dossier_code,
  kind: r.kind,
  instance: Number(r.instance_no),
  dueAt: new Date(r.due_at),
  warnAt: r.warn_at ? new Date(r.warn_at) : null,
  state: r.state,
  firedEvent: r.fired_event,
  payload: r.payload ?? {},
});

type Key = Pick<DeadlineTimer, 'dossierCode' | 'kind' | 'instance'>;
const keyParams = (k: Key): unknown[] => [k.dossierCode, k.kind, k.instance];
const WHERE_KEY = 'dossier_code = $1 AND kind = $2 AND instance_no = $3';

/** Timer writes inside the transaction of the event that causes them. */
export class DeadlineTimerTx {
  constructor(private readonly m: EntityManager) {}

  /**
   * Arms or moves a timer. A paused one is re-armed; a fired one is armed again only when its deadline moved
   * later (an extension after it fired); a cancelled or retracted one stays as it is.
   */
  async arm(k: Key, dueAt: Date, warnAt: Date | null, payload: Record<string, unknown>): Promise<void> {
    await this.m.query(
      `INSERT INTO deadline_timer (dossier_code, kind, instance_no, due_at, warn_at, payload)
       VALUES ($1, $2, $3, $4, $5, $6::jsonb)
       ON CONFLICT (dossier_code, kind, instance_no) DO UPDATE SET
         state = CASE WHEN deadline_timer.state IN ('armed', 'paused') THEN 'armed'
                      WHEN deadline_timer.state = 'fired' AND EXCLUDED.due_at > deadline_timer.due_at THEN 'armed'
                      ELSE deadline_timer.state END,
         fired_at = CASE WHEN deadline_timer.state = 'fired' AND EXCLUDED.due_at > deadline_timer.due_at
                         THEN NULL ELSE deadline_timer.fired_at END,
         warned_at = CASE WHEN deadline_timer.warn_at IS DISTINCT FROM EXCLUDED.warn_at
                          THEN NULL ELSE deadline_timer.warned_at END,
         due_at = CASE WHEN deadline_timer.state IN ('cancelled', 'retract', 'retracted')
                       THEN deadline_timer.due_at ELSE EXCLUDED.due_at END,
         warn_at = EXCLUDED.warn_at, payload = EXCLUDED.payload, updated_at = now()
       WHERE deadline_timer.state IN ('armed', 'paused')
          OR (deadline_timer.state = 'fired' AND EXCLUDED.due_at > deadline_timer.due_at)`,
      [...keyParams(k), dueAt.toISOString(), warnAt?.toISOString() ?? null, JSON.stringify(payload)],
    );
  }

  /** The step or dossier ended: cancels an armed or paused timer; marks a fired one for retraction when in time. */
  async close(k: Key, inTime: boolean): Promise<void> {
    await this.m.query(
      `UPDATE deadline_timer
          SET state = CASE WHEN state IN ('armed', 'paused') THEN 'cancelled' ELSE 'retract' END, updated_at = now()
        WHERE ${WHERE_KEY} AND (state IN ('armed', 'paused') OR (state = 'fired' AND $4::boolean))`,
      [...keyParams(k), inTime],
    );
  }

  async pause(k: Key): Promise<void> {
    await this.m.query(
      `UPDATE deadline_timer SET state = 'paused', updated_at = now() WHERE ${WHERE_KEY} AND state = 'armed'`,
      keyParams(k),
    );
  }

  /** Timers due (or to warn, or to retract) at `now`, locked for this transaction; others skip them. */
  async claimDue(
    now: Date,
    limit: number,
  ): Promise<{ timer: DeadlineTimer; action: 'fire' | 'warn' | 'retract' }[]> {
    const rows = await this.m.query<(TimerRow & { action: 'fire' | 'warn' | 'retract' })[]>(
      `SELECT *, CASE WHEN state = 'retract' THEN 'retract' WHEN due_at <= $1 THEN 'fire' ELSE 'warn' END AS action
         FROM deadline_timer
        WHERE (state = 'armed' AND (due_at <= $1 OR (warn_at <= $1 AND warned_at IS NULL))) OR state = 'retract'
        ORDER BY due_at LIMIT $2 FOR UPDATE SKIP LOCKED`,
      [now.toISOString(), limit],
    );
    return rows.map((r) => ({ timer: toTimer(r), action: r.action }));
  }

  /** Marks a claimed timer done; false when another writer changed it meanwhile (nothing to emit then). */
  async markDone(k: Key, action: 'fire' | 'warn' | 'retract', now: Date, eventId: string): Promise<boolean> {
    const [set, guard, extra] =
      action === 'fire'
        ? [
            `state = 'fired', fired_at = $4, fired_event = $5, warned_at = COALESCE(warned_at, $4)`,
            'armed',
            [now.toISOString(), eventId],
          ]
        : action === 'warn'
          ? [`warned_at = $4`, 'armed', [now.toISOString()]]
          : [`state = 'retracted'`, 'retract', []];
    const rows: unknown[] = await this.m.query(
      // A data-modifying CTE read by a SELECT: TypeORM answers a bare UPDATE with [rows, count], a SELECT with rows.
      `WITH done AS (UPDATE deadline_timer SET ${set}, updated_at = now()
                      WHERE ${WHERE_KEY} AND state = '${guard}' RETURNING kind)
       SELECT kind FROM done`,
      [...keyParams(k), ...extra],
    );
    return rows.length > 0;
  }

  async armedIsoStepTimers(): Promise<DeadlineTimer[]> {
    const rows = await this.m.query<TimerRow[]>(
      `SELECT * FROM deadline_timer
        WHERE state IN ('armed', 'paused') AND kind = 'step' AND payload->>'deadlineSource' = 'iso_process'
        FOR UPDATE`,
    );
    return rows.map(toTimer);
  }
}

/** Reads and the scheduler's lease. */
export class DeadlineTimerStore {
  constructor(private readonly ds: DataSource) {}

  async list(dossierCode: string): Promise<DeadlineTimer[]> {
    const rows = await this.ds.query<TimerRow[]>(
      `SELECT * FROM deadline_timer WHERE dossier_code = $1 ORDER BY kind, instance_no`,
      [dossierCode],
    );
    return rows.map(toTimer);
  }

  /** Same pattern as the relay's lease: one owner until it lapses; renewing = acquiring again. */
  async acquireLease(owner: string, ttlMs: number): Promise<boolean> {
    const rows: unknown[] = await this.ds.query(
      `WITH held AS (UPDATE relay_lease SET owner = $1, expires_at = now() + ($2::int * interval '1 millisecond')
                      WHERE name = 'deadline-scheduler' AND (owner = $1 OR expires_at < now()) RETURNING name)
       SELECT name FROM held`,
      [owner, ttlMs],
    );
    return rows.length > 0;
  }

  async releaseLease(owner: string): Promise<void> {
    await this.ds.query(
      `UPDATE relay_lease SET expires_at = 'epoch' WHERE name = 'deadline-scheduler' AND owner = $1`,
      [owner],
    );
  }
}
