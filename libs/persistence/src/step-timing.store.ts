import type { StepTiming } from '@isohub/events';
import type { DataSource, EntityManager } from 'typeorm';
import { DeadlineTimerTx } from './deadline-timer.store';

/** What isohub keeps per dossier for ISO time: the process it runs on (fixed at reception) and its open step. */
export interface DossierTiming {
  dossierCode: string;
  sourceSystem: string;
  /** `<agency>/<procedure>/<case>` of the ISO process, null when none applied. */
  processKey: string | null;
  /** The published mapping version (`m-<n>`) in force when the dossier was received. */
  processVersion: string | null;
  channel: string | null;
  receivedAt: Date | null;
  /** The step instance open now, null when none. */
  openInstance: number | null;
  /** The highest instance number used. */
  lastInstance: number;
  /** What the QĐ 766 verdict needs that a snapshot does not keep: every status reached, every supplement pause. */
  history: DossierTimingHistory;
  /** The QĐ 766 verdict once the dossier ended. */
  verdict: unknown;
}

export interface DossierTimingHistory {
  statuses?: { status: number; at: string }[];
  supplements?: { requestedAt: string; completedAt: string | null }[];
  /** The promised date before the first extension. */
  originalDueAt?: string | null;
  extensions?: number;
}

export interface StepMatchRule {
  sourceSystem: string;
  /** `*` = every procedure of the source. */
  procedureCode: string;
  /** The sender's step name or code, folded (see `foldStepName`). */
  senderStep: string;
  isoStepNo: number;
  note: string | null;
}

export interface UnmatchedStep {
  sourceSystem: string;
  procedureCode: string;
  senderStep: string;
  sampleDossier: string | null;
  occurrences: number;
  firstSeen: string;
  lastSeen: string;
}

/** "Thẩm  định", "THẨM ĐỊNH" and NFD text read alike: NFC, trimmed, spaces collapsed, lower case. */
export function foldStepName(name: string): string {
  return name.normalize('NFC').trim().replace(/\s+/g, ' ').toLocaleLowerCase('vi');
}

interface DossierTimingRow {
  dossier_code: string;
  source_system: string;
  process_key: string | null;
  process_version: string | null;
  channel: string | null;
  received_at: Date | null;
  open_instance: number | null;
  last_instance: number;
  history: DossierTimingHistory | null;
  verdict: unknown;
}

const toDossierTiming = (r: DossierTimingRow): DossierTiming => ({
  dossierCode: r.dossier_code,
  sourceSystem: r.source_system,
  processKey: r.process_key,
  processVersion: r.process_version,
  channel: r.channel,
  receivedAt: r.received_at ? new Date(r.received_at) : null,
  openInstance: r.open_instance,
  lastInstance: Number(r.last_instance),
  history: r.history ?? {},
  verdict: r.verdict ?? null,
});

/** Reads of the step timings (the console's dossier page, the admin API). */
export class StepTimingStore {
  constructor(private readonly ds: DataSource) {}

  /** Every step instance of a dossier, in instance order (the control sheet's rows). */
  async listForDossier(dossierCode: string): Promise<StepTiming[]> {
    const rows = await this.ds.query<{ record: StepTiming }[]>(
      `SELECT record FROM step_timing WHERE dossier_code = $1 ORDER BY instance_no`,
      [dossierCode.normalize('NFC').trim()],
    );
    return rows.map((r) => r.record);
  }

  async dossier(dossierCode: string): Promise<DossierTiming | null> {
    const [row] = await this.ds.query<DossierTimingRow[]>(
      `SELECT * FROM dossier_timing WHERE dossier_code = $1`,
      [dossierCode.normalize('NFC').trim()],
    );
    return row ? toDossierTiming(row) : null;
  }

  async listMatchRules(sourceSystem?: string): Promise<StepMatchRule[]> {
    return new StepTimingTx(this.ds.manager).matchRules(sourceSystem);
  }

  /** Adds or replaces a rule; the sender step is folded. Clears the matching unmatched-queue rows. */
  async saveMatchRule(rule: StepMatchRule, actor: string): Promise<StepMatchRule> {
    const folded = { ...rule, senderStep: foldStepName(rule.senderStep) };
    await this.ds.transaction(async (m) => {
      await m.query(
        `INSERT INTO iso_step_match_rule (source_system, procedure_code, sender_step, iso_step_no, note, updated_by)
         VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (source_system, procedure_code, sender_step)
         DO UPDATE SET iso_step_no = EXCLUDED.iso_step_no, note = EXCLUDED.note,
                       updated_by = EXCLUDED.updated_by, updated_at = now()`,
        [folded.sourceSystem, folded.procedureCode, folded.senderStep, folded.isoStepNo, folded.note, actor],
      );
      await m.query(
        `DELETE FROM unmatched_iso_step
          WHERE source_system = $1 AND sender_step = $2 AND ($3 = '*' OR procedure_code = $3)`,
        [folded.sourceSystem, folded.senderStep, folded.procedureCode],
      );
    });
    return folded;
  }

  async removeMatchRule(
    key: Pick<StepMatchRule, 'sourceSystem' | 'procedureCode' | 'senderStep'>,
  ): Promise<boolean> {
    const rows: unknown[] = await this.ds.query(
      `WITH gone AS (DELETE FROM iso_step_match_rule
                      WHERE source_system = $1 AND procedure_code = $2 AND sender_step = $3 RETURNING sender_step)
       SELECT sender_step FROM gone`,
      [key.sourceSystem, key.procedureCode, foldStepName(key.senderStep)],
    );
    return rows.length > 0;
  }

  async listUnmatched(limit = 200): Promise<UnmatchedStep[]> {
    const rows = await this.ds.query<
      {
        source_system: string;
        procedure_code: string;
        sender_step: string;
        sample_dossier: string | null;
        occurrences: number;
        first_seen: Date;
        last_seen: Date;
      }[]
    >(`SELECT * FROM unmatched_iso_step ORDER BY last_seen DESC LIMIT $1`, [Math.max(1, Math.trunc(limit))]);
    return rows.map((r) => ({
      sourceSystem: r.source_system,
      procedureCode: r.procedure_code,
      senderStep: r.sender_step,
      sampleDossier: r.sample_dossier,
      occurrences: Number(r.occurrences),
      firstSeen: new Date(r.first_seen).toISOString(),
      lastSeen: new Date(r.last_seen).toISOString(),
    }));
  }
}

/** The timing writes of one ingest transaction. */
export class StepTimingTx {
  readonly timers: DeadlineTimerTx;

  constructor(private readonly m: EntityManager) {
    this.timers = new DeadlineTimerTx(m);
  }

  async loadDossiers(codes: string[]): Promise<Map<string, DossierTiming>> {
    if (codes.length === 0) {
      return new Map();
    }
    const rows = await this.m.query<DossierTimingRow[]>(
      `SELECT * FROM dossier_timing WHERE dossier_code = ANY($1::text[])`,
      [codes],
    );
    return new Map(rows.map((r) => [r.dossier_code, toDossierTiming(r)]));
  }

  async saveDossiers(rows: DossierTiming[]): Promise<void> {
    for (const d of rows) {
      await this.m.query(
        `INSERT INTO dossier_timing (dossier_code, source_system, process_key, process_version, channel, received_at,
                                     open_instance, last_instance, history, verdict)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::jsonb, $10::jsonb)
         ON CONFLICT (dossier_code) DO UPDATE SET
           process_key = EXCLUDED.process_key, process_version = EXCLUDED.process_version,
           channel = EXCLUDED.channel, received_at = EXCLUDED.received_at, open_instance = EXCLUDED.open_instance,
           last_instance = EXCLUDED.last_instance, history = EXCLUDED.history, verdict = EXCLUDED.verdict,
           updated_at = now()`,
        [
          d.dossierCode,
          d.sourceSystem,
          d.processKey,
          d.processVersion,
          d.channel,
          d.receivedAt?.toISOString() ?? null,
          d.openInstance,
          d.lastInstance,
          JSON.stringify(d.history),
          d.verdict === null || d.verdict === undefined ? null : JSON.stringify(d.verdict),
        ],
      );
    }
  }

  async loadSteps(dossierCode: string, instance: number): Promise<StepTiming | null> {
    const [row] = await this.m.query<{ record: StepTiming }[]>(
      `SELECT record FROM step_timing WHERE dossier_code = $1 AND instance_no = $2`,
      [dossierCode, instance],
    );
    return row?.record ?? null;
  }

  async saveSteps(steps: StepTiming[]): Promise<void> {
    for (const s of steps) {
      await this.m.query(
        `INSERT INTO step_timing (dossier_code, instance_no, step, iso_step_no, started_at, ended_at, deadline,
                                  deadline_source, outcome, record)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10::jsonb)
         ON CONFLICT (dossier_code, instance_no) DO UPDATE SET
           step = EXCLUDED.step, iso_step_no = EXCLUDED.iso_step_no, started_at = EXCLUDED.started_at,
           ended_at = EXCLUDED.ended_at, deadline = EXCLUDED.deadline, deadline_source = EXCLUDED.deadline_source,
           outcome = EXCLUDED.outcome, record = EXCLUDED.record, updated_at = now()`,
        [
          s.dossierCode,
          s.instance,
          s.step,
          s.isoStep?.stepNo ?? null,
          s.startedAt,
          s.endedAt,
          s.deadline,
          s.deadlineSource,
          s.outcome,
          JSON.stringify(s),
        ],
      );
    }
  }

  /** A source's rules, most specific (a named procedure) first. */
  async matchRules(sourceSystem?: string): Promise<StepMatchRule[]> {
    const rows = await this.m.query<
      {
        source_system: string;
        procedure_code: string;
        sender_step: string;
        iso_step_no: number;
        note: string | null;
      }[]
    >(
      `SELECT source_system, procedure_code, sender_step, iso_step_no, note FROM iso_step_match_rule
        WHERE $1::text IS NULL OR source_system = $1
        ORDER BY source_system, (procedure_code = '*'), procedure_code, sender_step`,
      [sourceSystem ?? null],
    );
    return rows.map((r) => ({
      sourceSystem: r.source_system,
      procedureCode: r.procedure_code,
      senderStep: r.sender_step,
      isoStepNo: Number(r.iso_step_no),
      note: r.note,
    }));
  }

  async noteUnmatched(
    sourceSystem: string,
    procedureCode: string,
    senderStep: string,
    dossierCode: string,
  ): Promise<void> {
    await this.m.query(
      `INSERT INTO unmatched_iso_step (source_system, procedure_code, sender_step, sample_dossier)
       VALUES ($1, $2, $3, $4)
       ON CONFLICT (source_system, procedure_code, sender_step)
       DO UPDATE SET occurrences = unmatched_iso_step.occurrences + 1, last_seen = now(),
                     sample_dossier = EXCLUDED.sample_dossier`,
      [sourceSystem, procedureCode, foldStepName(senderStep), dossierCode],
    );
  }
}
