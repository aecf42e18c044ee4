import { Inject, Injectable } from '@nestjs/common';
import {
  stepTimingRecord,
  type DossierEventData,
  type SequencedEvent,
  type StepTiming,
} from '@isohub/events';
import {
  MappingStore,
  type DossierTiming,
  type IngestTx,
  type OutboxInsert,
  type PublishedVersion,
  type StepMatchRule,
  type StepTimingTx,
} from '@isohub/persistence';
import type { WorkingCalendar } from '@isohub/timing';
import { SYNC_CONFIG, type SyncServiceConfig } from '../config/sync-service.config';
import {
  agencyOf,
  planTiming,
  provinceOf,
  type ProcessInForce,
  type TimerOp,
  type TimingSettings,
} from './timing-planner';

/** Where working calendars come from (CalendarStore): the calendar in force for a province and agency. */
export interface CalendarLoader {
  load(ref: { province?: string | null; agency?: string | null }): Promise<WorkingCalendar>;
  currentVersion(): Promise<string | null>;
  loadVersion(
    version: string | null,
    ref: { province?: string | null; agency?: string | null },
  ): Promise<WorkingCalendar>;
}
export const TIMING_CALENDARS = Symbol('TIMING_CALENDARS');
export const TIMING_SETTINGS = Symbol('TIMING_SETTINGS');

const VERSIONS_TTL_MS = 5_000;
const PROCESS_CACHE_MAX = 5_000;

/**
 * ISO time on the ingest path: one `TimingBatch` per ingest batch, in its transaction. Each new event of a
 * dossier goes through `apply` in order (it gets its `data.timing`); `finish` saves the step instances and
 * the dossier rows and gives the `step-timing` outbox rows.
 */
@Injectable()
export class TimingService {
  private versions: { at: number; list: PublishedVersion[] } | null = null;
  private readonly processes = new Map<string, Promise<ProcessInForce | null>>();

  constructor(
    private readonly mappings: MappingStore,
    @Inject(TIMING_CALENDARS) private readonly calendars: CalendarLoader,
    @Inject(TIMING_SETTINGS) private readonly settings: TimingSettings,
    @Inject(SYNC_CONFIG) private readonly config: SyncServiceConfig,
  ) {}

  async begin(tx: IngestTx, codes: string[]): Promise<TimingBatch> {
    const db = tx.timing();
    const dossiers = await db.loadDossiers(codes);
    return new TimingBatch(this, db, dossiers, this.config.topics.stepTiming);
  }

  /** The published mapping version in force at `at` (versions are immutable, their list is cached briefly). */
  async versionAt(at: Date): Promise<string | null> {
    if (!this.versions || Date.now() - this.versions.at > VERSIONS_TTL_MS) {
      this.versions = { at: Date.now(), list: await this.mappings.listVersions() };
    }
    const inForce = this.versions.list
      .filter((v) => new Date(v.effectiveFrom) <= at)
      .sort((a, b) => b.seq - a.seq)[0];
    return inForce?.version ?? null;
  }

  /** The ISO process of a dossier in a published version; cached, since a published version never changes. */
  process(version: string, data: DossierEventData): Promise<ProcessInForce | null> {
    const procedureCode = data.procedure.nationalCode;
    if (!procedureCode) {
      return Promise.resolve(null);
    }
    const agencies = [data.processingUnit?.code, data.receivingUnit?.code, data.source.agency].filter(
      (a): a is string => typeof a === 'string' && a !== '',
    );
    const cacheKey = `${version}\u0000${procedureCode}\u0000${agencies.join('\u0000')}`;
    let found = this.processes.get(cacheKey);
    if (!found) {
      if (this.processes.size >= PROCESS_CACHE_MAX) {
        this.processes.clear();
      }
      found = this.lookUp(version, procedureCode, agencies);
      this.processes.set(cacheKey, found);
      found.catch(() => this.processes.delete(cacheKey));
    }
    return found;
  }

  private async lookUp(
    version: string,
    procedureCode: string,
    agencies: string[],
  ): Promise<ProcessInForce | null> {
    for (const agencyCode of agencies) {
      const process = await this.mappings.get('process', version, {
        agencyCode,
        procedureCode,
        caseCode: '',
      });
      if (process) {
        return { key: `${agencyCode}/${procedureCode}/`, version, process };
      }
    }
    return null;
  }

  calendarFor(data: DossierEventData): Promise<WorkingCalendar> {
    const agency = agencyOf(data);
    return this.calendars.load({ province: provinceOf(agency), agency });
  }

  timingSettings(): TimingSettings {
    return this.settings;
  }
}

export class TimingBatch {
  private readonly steps = new Map<string, StepTiming>();
  private readonly changed = new Set<string>();
  private readonly rules = new Map<string, Promise<StepMatchRule[]>>();
  private readonly unmatched: { source: string; procedure: string; step: string; dossier: string }[] = [];
  private readonly timers: { code: string; op: TimerOp }[] = [];

  constructor(
    private readonly service: TimingService,
    private readonly db: StepTimingTx,
    private readonly dossiers: Map<string, DossierTiming>,
    private readonly topic: string,
  ) {}

  /** The event with `data.timing` set when it changes a step; the dossier rows are updated in memory. */
  async apply<E extends SequencedEvent>(event: E): Promise<E> {
    const data = event.data;
    const code = data.dossierCode;
    const dossier: DossierTiming = this.dossiers.get(code) ?? {
      dossierCode: code,
      sourceSystem: data.source.system,
      processKey: null,
      processVersion: null,
      channel: null,
      receivedAt: null,
      openInstance: null,
      lastInstance: 0,
      history: {},
      verdict: null,
    };
    const open = dossier.openInstance === null ? null : await this.step(code, dossier.openInstance);
    const receivedAt = data.dates.receivedAt ? new Date(data.dates.receivedAt) : dossier.receivedAt;
    let process: ProcessInForce | null = null;
    // The process in force when the dossier was received: a later publish never moves its deadlines.
    const version = dossier.processVersion ?? (receivedAt ? await this.service.versionAt(receivedAt) : null);
    if (version) {
      process = await this.service.process(version, data);
    }
    const calendar = await this.service.calendarFor(data);
    const plan = planTiming({
      event,
      dossier,
      open,
      process,
      rules: await this.rulesOf(data.source.system),
      calendar,
      settings: this.service.timingSettings(),
    });
    this.dossiers.set(code, plan.dossier);
    this.changed.add(code);
    for (const s of plan.steps) {
      this.steps.set(`${s.dossierCode}\u0000${s.instance}`, s);
    }
    this.timers.push(...plan.timers.map((op) => ({ code, op })));
    if (plan.unmatchedStep && process) {
      this.unmatched.push({
        source: data.source.system,
        procedure: process.process.procedureCode,
        step: plan.unmatchedStep,
        dossier: code,
      });
    }
    return plan.timing ? { ...event, data: { ...data, timing: plan.timing } } : event;
  }

  /** Saves what the batch changed; the step-timing outbox rows, held like their dossier's events. */
  async finish(heldKeyOf: (code: string) => string | null): Promise<OutboxInsert[]> {
    const steps = [...this.steps.values()];
    await this.db.saveSteps(steps);
    await this.db.saveDossiers([...this.changed].map((c) => this.dossiers.get(c) as DossierTiming));
    for (const { code, op } of this.timers) {
      const key = { dossierCode: code, kind: op.kind, instance: op.instance };
      switch (op.op) {
        case 'arm':
          await this.db.timers.arm(key, op.dueAt, op.warnAt, { ...op.payload });
          break;
        case 'close':
          await this.db.timers.close(key, op.inTime);
          break;
        case 'pause':
          await this.db.timers.pause(key);
          break;
      }
    }
    for (const u of this.unmatched) {
      await this.db.noteUnmatched(u.source, u.procedure, u.step, u.dossier);
    }
    return steps.map((s) => {
      const record = stepTimingRecord(s);
      return {
        aggregatetype: 'step-timing',
        type: 'dossier.step-timing',
        topic: this.topic,
        key: record.key,
        value: record.value,
        headers: record.headers,
        heldKey: heldKeyOf(s.dossierCode),
      };
    });
  }

  private async step(code: string, instance: number): Promise<StepTiming | null> {
    return this.steps.get(`${code}\u0000${instance}`) ?? (await this.db.loadSteps(code, instance));
  }

  private rulesOf(source: string): Promise<StepMatchRule[]> {
    let rules = this.rules.get(source);
    if (!rules) {
      rules = this.db.matchRules(source);
      this.rules.set(source, rules);
    }
    return rules;
  }
}
