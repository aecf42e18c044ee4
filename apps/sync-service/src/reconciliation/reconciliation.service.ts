import { randomUUID } from 'node:crypto';
import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import { PORTAL_PORT, type PortalPort } from '@isohub/adapters/portal';
import {
  ReconciliationStore,
  type ReconciliationRun,
  type ReconciliationTrigger,
  type StoredDossier,
} from '@isohub/persistence';
import { SYNC_CONFIG, type SyncServiceConfig } from '../config/sync-service.config';
import type { ReconciliationScope } from './reconciliation-request';
import { ReconciliationRunner } from './reconciliation-runner';

const LEASE_TTL_MS = 60_000;
const TICK_MS = 60_000;

/** A run is already going on (here or on another instance holding the lease): 409. */
export class RunInProgressError extends Error {}
/** Reconciliation needs the portal: forwarding is off (PORTAL_BASE_URL unset or FORWARD_ENABLED=false). */
export class PortalDisabledError extends Error {}

export interface ReconciliationStatusView {
  enabled: boolean;
  intervalMinutes: number;
  runningRunId: string | null;
}

/**
 * Starts reconciliation runs on demand and every RECONCILE_INTERVAL_MINUTES, one at a time across
 * instances (a lease in relay_lease, renewed while the run lasts). The schedule reads the last run's
 * start from the database, so restarts neither skip nor repeat runs.
 */
@Injectable()
export class ReconciliationService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(ReconciliationService.name);
  private readonly owner = `reconciliation-${randomUUID()}`;
  private readonly agencies: Map<string, string>;
  private timer: NodeJS.Timeout | null = null;
  private current: { runId: string; done: Promise<void> } | null = null;
  private starting = false;
  private stopping = false;

  constructor(
    private readonly store: ReconciliationStore,
    @Inject(PORTAL_PORT) private readonly portal: PortalPort | null,
    @Inject(SYNC_CONFIG) private readonly config: SyncServiceConfig,
  ) {
    this.agencies = new Map(
      [...config.senders, ...config.pullSources.sources].flatMap((s) =>
        s.agency === null ? [] : [[s.id, s.agency] as const],
      ),
    );
  }

  get enabled(): boolean {
    return this.portal !== null;
  }

  status(): ReconciliationStatusView {
    return {
      enabled: this.enabled,
      intervalMinutes: this.enabled ? this.config.reconciliation.intervalMinutes : 0,
      runningRunId: this.current?.runId ?? null,
    };
  }

  onApplicationBootstrap(): void {
    if (this.enabled && this.config.reconciliation.intervalMinutes > 0) {
      this.timer = setInterval(() => void this.tick(), Math.min(TICK_MS, this.intervalMs()));
      this.timer.unref();
    }
  }

  async onModuleDestroy(): Promise<void> {
    this.stopping = true;
    if (this.timer) {
      clearInterval(this.timer);
    }
    await this.current?.done;
  }

  /** Starts a run and returns it as stored (status `running`); the lookups go on in the background. */
  async start(scope: ReconciliationScope, trigger: ReconciliationTrigger): Promise<ReconciliationRun> {
    const portal = this.portal;
    if (portal === null) {
      throw new PortalDisabledError(
        'reconciliation needs the portal: PORTAL_BASE_URL is unset or forwarding is off',
      );
    }
    if (this.current !== null || this.starting) {
      throw new RunInProgressError('a reconciliation run is in progress');
    }
    this.starting = true;
    let run: ReconciliationRun;
    try {
      if (!(await this.store.acquireLease(this.owner, LEASE_TTL_MS))) {
        throw new RunInProgressError('a reconciliation run is in progress on another instance');
      }
      try {
        await this.store.interruptRunning('interrupted: the instance running it stopped');
        run = await this.store.startRun(trigger, { ...scope });
      } catch (error) {
        await this.store.releaseLease(this.owner).catch(() => undefined);
        throw error;
      }
    } finally {
      this.starting = false;
    }
    const renew = setInterval(
      () => void this.store.acquireLease(this.owner, LEASE_TTL_MS).catch(() => undefined),
      LEASE_TTL_MS / 3,
    );
    const done = this.execute(portal, run.id, scope).finally(async () => {
      clearInterval(renew);
      this.current = null;
      await this.store.releaseLease(this.owner).catch(() => undefined);
    });
    this.current = { runId: run.id, done };
    return run;
  }

  private async execute(portal: PortalPort, runId: string, scope: ReconciliationScope): Promise<void> {
    const { concurrency, ratePerSecond } = this.config.reconciliation;
    const runner = new ReconciliationRunner({
      store: this.store,
      portal,
      agencyOf: (d) => this.agencyOf(d),
      concurrency,
      ratePerSecond,
      stopping: () => this.stopping,
    });
    try {
      const outcome = await runner.run(runId, scope);
      await this.store.updateScope(runId, { ...scope, ...outcome.picked });
      await this.store.finishRun(runId, outcome.status, outcome.totals);
      this.logger.log(
        `reconciliation run ${runId} ${outcome.status}: checked ${outcome.totals.checked}, mismatched ${outcome.totals.mismatched}, skipped ${outcome.totals.skipped}, errors ${outcome.totals.errors}`,
      );
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      this.logger.error(`reconciliation run ${runId} failed: ${message}`);
      await this.store
        .finishRun(runId, 'failed', {
          checked: 0,
          matched: 0,
          mismatched: 0,
          skipped: 0,
          skippedByReason: {},
          errors: 1,
          lastError: message,
        })
        .catch(() => undefined);
    }
  }

  private agencyOf(d: StoredDossier): string | null {
    return d.state.source.agency ?? this.agencies.get(d.state.source.system) ?? null;
  }

  private intervalMs(): number {
    return this.config.reconciliation.intervalMinutes * 60_000;
  }

  private async tick(): Promise<void> {
    if (this.current !== null || this.starting || this.stopping) {
      return;
    }
    try {
      const last = await this.store.lastStartedAt();
      if (last !== null && Date.now() - last.getTime() < this.intervalMs()) {
        return;
      }
      const { windowHours, maxDossiers } = this.config.reconciliation;
      await this.start({ mode: 'window', windowHours, limit: maxDossiers }, 'schedule');
    } catch (error) {
      if (!(error instanceof RunInProgressError)) {
        this.logger.warn(`scheduled reconciliation not started: ${String(error)}`);
      }
    }
  }
}
