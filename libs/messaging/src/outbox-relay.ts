import { randomUUID } from 'node:crypto';
import { createHash } from 'node:crypto';
import { ExponentialBackoff, type IBackoff } from 'cockatiel';
import { deadLetterHeaders } from '@isohub/events';
import { RecordRefusedError, messageBytes, type BusMessage, type EventBusPort } from './event-bus.port';
import type { ClaimedBatch, OutboxStorePort, SetAsideRow } from './outbox-store.port';

export interface OutboxRelayOptions {
  batchSize: number;
  /** Sleep when the outbox is empty. */
  idleDelayMs: number;
  leaseTtlMs: number;
  maxBackoffMs: number;
  onError?: (error: unknown, stage: RelayStage) => void;
  /**
   * Largest message the relay offers the broker (the topic's `max.message.bytes` less a margin); a larger
   * row is set aside without a round trip. Default 1,000,000 (Kafka's default limit is 1,048,588).
   */
  maxMessageBytes?: number;
  /** Where the notice of a set-aside row goes (the dead-letter topic); without it no notice is written. */
  deadLetterTopic?: string;
  /** Called once per row set aside (the alert: log it, count it). */
  onSetAside?: (row: SetAsideInfo) => void;
  /** Runs before the first recovery until it succeeds once (e.g. creating topics). */
  prepare?: () => Promise<void>;
}

export type RelayStage = 'lease' | 'recover' | 'claim' | 'publish' | 'mark' | 'set-aside';

export interface SetAsideInfo {
  outboxId: string;
  topic: string;
  key: string | null;
  /** `TOO_LARGE` (checked before sending) or the broker's refusal, e.g. `MESSAGE_TOO_LARGE`. */
  reasonCode: string;
  bytes: number;
}

export const DEFAULT_MAX_MESSAGE_BYTES = 1_000_000;

export interface RelayStatus {
  running: boolean;
  leader: boolean;
  published: number;
  batches: number;
  consecutiveFailures: number;
  lastError: string | null;
  lastErrorStage: RelayStage | null;
  lastPublishedAt: string | null;
  /** Rows set aside since start (each one alerted); `lastSetAside` is the newest. */
  setAside: number;
  lastSetAside: (SetAsideInfo & { at: string }) | null;
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
    setAside: 0,
    lastSetAside: null,
  };
  /** After a batch was refused: claim one row at a time for this many rounds, to find the one to blame. */
  private isolating = 0;

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
    return {
      ...this.status,
      lastSetAside: this.status.lastSetAside ? { ...this.status.lastSetAside } : null,
    };
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
    const limit = this.isolating > 0 ? 1 : this.options.batchSize;
    const batch = await this.stage('claim', () => this.store.claimBatch(limit, this.owner));
    if (!batch) {
      this.isolating = 0;
      return 0;
    }
    this.needsRecovery = true;
    const max = this.options.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES;
    const oversize = batch.messages.flatMap((m, i) => (messageBytes(m) > max ? [i] : []));
    if (oversize.length > 0) {
      await this.setAside(batch, oversize, 'TOO_LARGE');
    }
    const messages = batch.messages.filter((_, i) => !oversize.includes(i));
    if (messages.length > 0) {
      try {
        await this.bus.publishAtomically(messages, batch.batchNo);
      } catch (error) {
        if (!(error instanceof RecordRefusedError)) {
          throw new StageError('publish', error);
        }
        return this.refused(batch, oversize, error);
      }
      await this.stage('mark', () => this.store.markPublished(batch.batchNo));
    }
    this.needsRecovery = false;
    this.isolating = Math.max(0, this.isolating - 1);
    this.status.published += messages.length;
    this.status.batches += messages.length > 0 ? 1 : 0;
    this.status.lastPublishedAt =
      messages.length > 0 ? new Date().toISOString() : this.status.lastPublishedAt;
    return batch.messages.length;
  }

  /**
   * The broker refused the batch for good. Alone, the row is to blame: set it aside and go on. In a batch
   * (the records may only be too large together, or one of them is bad), the rows are retried one by one.
   */
  private async refused(batch: ClaimedBatch, skipped: number[], error: RecordRefusedError): Promise<number> {
    await this.bus.reset(); // the aborted transaction's producer is not reused; recovery fences anew
    this.options.onError?.(error, 'publish');
    const left = batch.messages.map((_, i) => i).filter((i) => !skipped.includes(i));
    if (left.length > 1) {
      // Rows left with this batch's number while later batches commit one by one would be counted as
      // published by the next recovery: they give the number up first.
      await this.stage('publish', () => this.store.unclaim(batch.batchNo));
      this.isolating = left.length;
      return 1; // not idle: go on at once, one row at a time
    }
    await this.setAside(batch, left, error.code);
    this.isolating = Math.max(0, this.isolating - 1);
    return 1;
  }

  private async setAside(batch: ClaimedBatch, indexes: number[], reasonCode: string): Promise<void> {
    const rows = indexes.map((i): SetAsideRow & { info: SetAsideInfo } => {
      const message = batch.messages[i];
      const info: SetAsideInfo = {
        outboxId: batch.ids[i] ?? '?',
        topic: message.topic,
        key: message.key,
        reasonCode,
        bytes: messageBytes(message),
      };
      return { id: info.outboxId, reason: reasonCode, notice: this.notice(message, info), info };
    });
    await this.stage('set-aside', () => this.store.setAside(rows));
    for (const { info } of rows) {
      this.status.setAside += 1;
      this.status.lastSetAside = { ...info, at: new Date().toISOString() };
      this.options.onSetAside?.(info);
    }
  }

  /**
   * The dead-letter record that takes a set-aside row's place: the dossier's key, the row's CloudEvents
   * headers (ce_id, ce_sequence: the gap a consumer sees is explained) and a small JSON value naming the
   * row, never the payload that could not be sent.
   */
  private notice(message: BusMessage, info: SetAsideInfo): BusMessage | null {
    const topic = this.options.deadLetterTopic;
    if (topic === undefined) {
      return null;
    }
    const sha = createHash('sha256')
      .update(message.value ?? Buffer.alloc(0))
      .digest('hex');
    const value = {
      setAside: true,
      outboxId: info.outboxId,
      topic: info.topic,
      reasonCode: info.reasonCode,
      bytes: info.bytes,
      payloadSha256: sha,
      ceId: message.headers['ce_id'] ?? null,
      ceType: message.headers['ce_type'] ?? null,
      ceSequence: message.headers['ce_sequence'] ?? null,
    };
    return {
      topic,
      key: message.key,
      value: Buffer.from(JSON.stringify(value)),
      headers: deadLetterHeaders({
        reasonCode: `OUTBOX_${info.reasonCode}`,
        reason: `outbox row ${info.outboxId} (${info.bytes} bytes for ${info.topic}) set aside: the broker would never take it`,
        sourceSystem: 'isohub-relay',
        protocol: 'outbox',
        receivedAt: new Date(),
        dossierCode: message.key,
        payloadSha256: sha,
        contentType: 'application/json',
      }),
    };
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
