import { randomUUID } from 'node:crypto';
import { ExponentialBackoff, type IBackoff } from 'cockatiel';
import type { EventBusPort } from './event-bus.port';
import type { OutboxStorePort } from './outbox-store.port';

export interface OutboxRelayOptions {
  batchSize: number;
  /** Sleep when the outbox is empty. */
  idleDelayMs: number;
  leaseTtlMs: number;
  maxBackoffMs: number;
  onError?: (error: unknown, stage: RelayStage) => void;
  /** Runs before the first recovery until it succeeds once (e.g. creating topics). */
  prepare?: () => Promise<void>;
}

export type RelayStage = 'lease' | 'recover' | 'claim' | 'publish' | 'mark';

export interface RelayStatus {
  running: boolean;
  leader: boolean;
  published: number;
  batches: number;
  consecutiveFailures: number;
  lastError: string | null;
  lastErrorStage: RelayStage | null;
  lastPublishedAt: string | null;
}

class StageError extends Error {
  constructor(
    readonly stage: RelayStage,
    readonly original: unknown,
  ) {
    super(original instanceof Error ? original.message : String(original));
  }
}

/**
 * Publishes the outbox to Kafka, in outbox order, exactly once per row:
 * claim (DB) -> messages + checkpoint in one Kafka transaction -> mark (DB).
 * After any failure the next round first recovers from the Kafka checkpoint, so a batch that reached
 * Kafka but was not marked is never published again.
 */
export class OutboxRelay {
  private readonly owner = `relay-${randomUUID()}`;
  private readonly backoff = new ExponentialBackoff({ initialDelay: 200, maxDelay: 10_000 });
  private needsRecovery = true;
  private prepared = false;
  private stopping = false;
  private loop: Promise<void> | null = null;
  private wake: (() => void) | null = null;
  private currentBackoff: IBackoff<unknown> | undefined;
  private readonly status: RelayStatus = {
    running: false,
    leader: false,
    published: 0,
    batches: 0,
    consecutiveFailures: 0,
    lastError: null,
    lastErrorStage: null,
    lastPublishedAt: null,
  };

  constructor(
    private readonly store: OutboxStorePort,
    private readonly bus: EventBusPort,
    private readonly options: OutboxRelayOptions,
  ) {}

  start(): void {
    if (this.loop) {
      return;
    }
    this.stopping = false;
    this.status.running = true;
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.wakeNow(); // not nudge(): that is ignored while backing off, which held shutdown up to maxBackoffMs
    await this.loop;
    this.loop = null;
    this.status.running = false;
    if (this.status.leader) {
      await this.store.releaseLease(this.owner).catch(() => undefined);
      this.status.leader = false;
    }
  }

  /** Wake the relay now (called after an ingest commit) instead of waiting for the idle poll. */
  nudge(): void {
    if (this.status.consecutiveFailures > 0) {
      return; // keep backing off; a nudge must not turn into a hot retry loop
    }
    this.wakeNow();
  }

  private wakeNow(): void {
    const wake = this.wake;
    this.wake = null;
    wake?.();
  }

  getStatus(): RelayStatus {
    return { ...this.status };
  }

  /** One round: returns how many messages were published (0 when idle or not leader). */
  async runOnce(): Promise<number> {
    const leader = await this.stage('lease', () =>
      this.store.acquireLease(this.owner, this.options.leaseTtlMs),
    );
    this.status.leader = leader;
    if (!leader) {
      this.needsRecovery = true;
      return 0;
    }
    if (this.needsRecovery) {
      await this.stage('recover', async () => {
        if (!this.prepared && this.options.prepare) {
          await this.options.prepare();
        }
        this.prepared = true;
        const checkpoint = await this.bus.readLastCheckpoint();
        if (checkpoint !== null) {
          await this.store.recover(checkpoint);
        }
      });
      this.needsRecovery = false;
    }
    const batch = await this.stage('claim', () => this.store.claimBatch(this.options.batchSize, this.owner));
    if (!batch) {
      return 0;
    }
    this.needsRecovery = true;
    await this.stage('publish', () => this.bus.publishAtomically(batch.messages, batch.batchNo));
    await this.stage('mark', () => this.store.markPublished(batch.batchNo));
    this.needsRecovery = false;
    this.status.published += batch.messages.length;
    this.status.batches += 1;
    this.status.lastPublishedAt = new Date().toISOString();
    return batch.messages.length;
  }

  private async run(): Promise<void> {
    while (!this.stopping) {
      let delay = 0;
      try {
        const published = await this.runOnce();
        this.status.consecutiveFailures = 0;
        this.currentBackoff = undefined;
        if (published === 0) {
          delay = this.status.leader ? this.options.idleDelayMs : this.options.leaseTtlMs / 3;
        }
      } catch (error) {
        const stage = error instanceof StageError ? error.stage : 'publish';
        const original = error instanceof StageError ? error.original : error;
        this.status.consecutiveFailures += 1;
        this.status.lastError = error instanceof Error ? error.message : String(error);
        this.status.lastErrorStage = stage;
        this.needsRecovery = true;
        if (stage === 'publish' || stage === 'recover') {
          await this.bus.reset();
        }
        this.options.onError?.(original, stage);
        this.currentBackoff = (this.currentBackoff ?? this.backoff).next(undefined);
        delay = Math.min(this.currentBackoff.duration, this.options.maxBackoffMs);
      }
      if (delay > 0 && !this.stopping) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, delay);
          this.wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
      }
    }
  }

  private async stage<T>(stage: RelayStage, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (error) {
      throw new StageError(stage, error);
    }
  }
}
