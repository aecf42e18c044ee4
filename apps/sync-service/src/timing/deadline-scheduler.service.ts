import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import {
  eventTypeOf,
  stateRecord,
  stepTimingRecord,
  toKafkaRecord,
  type DossierEventData,
  type DossierState,
  type SequencedEvent,
  type TimerMilestone,
} from '@isohub/events';
import { ceSource, deriveEventId } from '@isohub/mapping';
import {
  DeadlineTimerStore,
  IngestStore,
  type DeadlineTimer,
  type OutboxInsert,
  type StateWrite,
} from '@isohub/persistence';
import { SYNC_CONFIG, type SyncServiceConfig } from '../config/sync-service.config';
import { RelayService } from '../relay/relay.service';
import { stepDeadline } from '@isohub/timing';
import { provinceOf, vnInstant, warningBefore } from './timing-planner';
import { TIMING_CALENDARS, type CalendarLoader } from './timing.service';

/** The scheduler's clock; tests replace `now`. */
export interface Clock {
  now(): Date;
}
export const TIMING_CLOCK = Symbol('TIMING_CLOCK');

const LEASE_TTL_MS = 30_000;
const BATCH = 100;

type Action = 'fire' | 'warn' | 'retract';

const MILESTONE: Record<Action, (t: DeadlineTimer) => TimerMilestone> = {
  fire: (t) => (t.kind === 'step' ? 'STEP_OVERDUE' : 'DOSSIER_OVERDUE'),
  warn: () => 'DEADLINE_APPROACHING',
  retract: () => 'OVERDUE_RETRACTED',
};

/**
 * Fires the deadline timers (issue 11 §4): `step-overdue` / `dossier-overdue` stamped with the deadline
 * instant, `deadline-approaching` one working day before, `overdue-retracted` when a fired timer's step or
 * dossier turns out to have ended in time. One leader across replicas (a lease in `relay_lease`); each timer
 * changes state in the transaction that writes its event to the outbox, so an event is written once even if
 * two instances believed they led.
 */
@Injectable()
export class DeadlineScheduler implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(DeadlineScheduler.name);
  private readonly owner = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  private handle: NodeJS.Timeout | null = null;
  private running: Promise<number> | null = null;
  private stopped = false;
  /** The calendar version the armed step timers were last checked against (undefined: not yet this run). */
  private calendarVersion: string | null | undefined = undefined;

  constructor(
    private readonly store: IngestStore,
    private readonly timers: DeadlineTimerStore,
    private readonly relay: RelayService,
    @Inject(TIMING_CLOCK) private readonly clock: Clock,
    @Inject(TIMING_CALENDARS) private readonly calendars: CalendarLoader,
    @Inject(SYNC_CONFIG) private readonly config: SyncServiceConfig,
  ) {}

  onApplicationBootstrap(): void {
    if (this.config.timing.scheduler) {
      this.schedule();
    }
  }

  /** Before the database closes (the infra module goes after this one): the lease is handed back at once. */
  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    if (this.handle) {
      clearTimeout(this.handle);
    }
    await this.running?.catch(() => undefined);
    await this.timers.releaseLease(this.owner).catch(() => undefined);
  }

  /** One pass: while leading, every timer due at the clock's now. Returns the events written. */
  async tick(): Promise<number> {
    this.running ??= this.pass().finally(() => (this.running = null));
    return this.running;
  }

  private schedule(): void {
    if (this.stopped) {
      return;
    }
    this.handle = setTimeout(() => {
      this.tick()
        .catch((error: unknown) => this.logger.warn(`deadline scheduler pass failed: ${String(error)}`))
        .finally(() => this.schedule());
    }, this.config.timing.schedulerIntervalMs);
    this.handle.unref();
  }

  private async pass(): Promise<number> {
    if (!(await this.timers.acquireLease(this.owner, LEASE_TTL_MS))) {
      return 0;
    }
    let total = 0;
    await this.rederive();
    for (;;) {
      const now = this.clock.now();
      const written = await this.store.transaction(async (tx) => {
        const claimed = await tx.timing().timers.claimDue(now, BATCH);
        if (claimed.length === 0) {
          return { events: 0, claimed: 0 };
        }
        const codes = [...new Set(claimed.map((c) => c.timer.dossierCode))];
        const locked = await tx.lockDossiers(codes);
        const held = await tx.heldDossiers(codes);
        const events: SequencedEvent[] = [];
        const outbox: OutboxInsert[] = [];
        const states = new Map<string, DossierState>();
        for (const { timer, action } of claimed) {
          const l = locked.get(timer.dossierCode);
          const state = states.get(timer.dossierCode) ?? l?.state ?? null;
          const event = state ? this.eventFor(timer, action, state, now) : null;
          if (!(await tx.timing().timers.markDone(timer, action, now, event?.id ?? ''))) {
            continue;
          }
          if (!event || !state) {
            continue;
          }
          const sequenced: SequencedEvent = { ...event, sequence: state.lastSequence + 1 };
          states.set(timer.dossierCode, {
            ...state,
            lastSequence: sequenced.sequence,
            lastEventId: sequenced.id,
          });
          events.push(sequenced);
          const record = toKafkaRecord(sequenced);
          outbox.push({
            aggregatetype: 'dossier',
            type: sequenced.type,
            topic: this.config.topics.events,
            key: record.key,
            value: record.value,
            headers: record.headers,
            heldKey: held.get(timer.dossierCode) ?? null,
          });
        }
        const writes: StateWrite[] = [];
        for (const [code, state] of states) {
          writes.push({ code, lastSequence: state.lastSequence, state });
          const record = stateRecord(state);
          outbox.push({
            aggregatetype: 'dossier-state',
            type: 'dossier.state',
            topic: this.config.topics.state,
            key: record.key,
            value: record.value,
            headers: record.headers,
            heldKey: held.get(code) ?? null,
          });
        }
        await tx.insertEvents(events);
        await tx.saveStates(writes);
        await tx.addOutbox(outbox);
        return { events: events.length, claimed: claimed.length };
      });
      total += written.events;
      if (written.claimed < BATCH) {
        break;
      }
    }
    if (total > 0) {
      this.relay.nudge();
    }
    return total;
  }

  /**
   * A calendar published since the last check (or since start): every armed step timer whose deadline came from
   * the ISO process is computed again on the calendar in force, and its step instance record with it.
   */
  private async rederive(): Promise<void> {
    const version = await this.calendars.currentVersion();
    if (version === this.calendarVersion) {
      return;
    }
    const moved = await this.store.transaction(async (tx) => {
      const db = tx.timing();
      const outbox: OutboxInsert[] = [];
      let count = 0;
      for (const timer of await db.timers.armedIsoStepTimers()) {
        const p = timer.payload;
        const agency = typeof p.agency === 'string' ? p.agency : null;
        const calendar = await this.calendars.loadVersion(version, { province: provinceOf(agency), agency });
        if (calendar.version === p.calendarVersion || typeof p.startedAt !== 'string') {
          continue;
        }
        const start = new Date(p.startedAt);
        const due = stepDeadline({ allowanceHours: Number(p.allowanceHours), start, calendar });
        await db.timers.arm(timer, due.deadline, warningBefore(calendar, due.deadline, start), {
          ...p,
          calendarVersion: calendar.version,
        });
        const step = await db.loadSteps(timer.dossierCode, timer.instance);
        if (step) {
          const updated = {
            ...step,
            deadline: vnInstant(due.deadline),
            calendarVersion: due.calendarVersion,
            calendarStatus: due.calendarStatus,
          };
          await db.saveSteps([updated]);
          const record = stepTimingRecord(updated);
          outbox.push({
            aggregatetype: 'step-timing',
            type: 'dossier.step-timing',
            topic: this.config.topics.stepTiming,
            key: record.key,
            value: record.value,
            headers: record.headers,
          });
        }
        count += 1;
      }
      await tx.addOutbox(outbox);
      return count;
    });
    this.calendarVersion = version;
    if (moved > 0) {
      this.logger.log(`calendar ${version ?? '(skeleton)'}: ${moved} step deadline(s) re-derived`);
      this.relay.nudge();
    }
  }

  private eventFor(timer: DeadlineTimer, action: Action, state: DossierState, now: Date): SequencedEvent {
    const milestone = MILESTONE[action](timer);
    const occurredAt =
      action === 'fire' ? timer.dueAt : action === 'warn' ? (timer.warnAt ?? timer.dueAt) : now;
    const deadline = vnInstant(timer.dueAt);
    const data: DossierEventData = {
      dossierCode: state.dossierCode,
      milestone,
      occurredAt: vnInstant(occurredAt),
      procedure: state.procedure,
      sector: state.sector,
      receivingUnit: state.receivingUnit,
      processingUnit: state.processingUnit,
      channel: state.channel,
      status: state.status,
      previousStatus: state.status.national,
      dates: state.dates,
      handover: null,
      source: state.source,
      mappingVersion:
        typeof timer.payload.processVersion === 'string' ? timer.payload.processVersion : 'none',
      overdue: {
        kind: timer.kind,
        instance: timer.kind === 'step' ? timer.instance : null,
        deadline,
        detectedAt: vnInstant(now),
        retractsEventId: action === 'retract' ? timer.firedEvent : null,
      },
    };
    const id = deriveEventId([
      state.dossierCode,
      milestone,
      timer.kind,
      timer.instance,
      deadline,
      timer.firedEvent,
    ]);
    return {
      id,
      type: eventTypeOf(milestone),
      source: ceSource(state.source.system, state.source.agency),
      subject: state.dossierCode,
      time: data.occurredAt,
      sequence: 0,
      data,
    };
  }
}
