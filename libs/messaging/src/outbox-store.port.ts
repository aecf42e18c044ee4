import type { BusMessage, RelayCheckpoint } from './event-bus.port';

export const OUTBOX_STORE_PORT = Symbol('OUTBOX_STORE_PORT');

export interface ClaimedBatch {
  batchNo: RelayCheckpoint;
  messages: BusMessage[];
}

/**
 * The outbox as the relay sees it (implemented by persistence). Rows are claimed under a new,
 * strictly increasing batch number before they are published, so a single Kafka-side checkpoint
 * (the batch number) tells which rows reached Kafka.
 */
export interface OutboxStorePort {
  /**
   * Claim up to `limit` unpublished rows, oldest first, if `owner` still holds the lease; null when
   * there is nothing to publish (or the lease is gone).
   */
  claimBatch(limit: number, owner: string): Promise<ClaimedBatch | null>;
  markPublished(batchNo: RelayCheckpoint): Promise<void>;
  /** Mark every claimed row with batch number <= checkpoint as published (after a crash). */
  recover(checkpoint: RelayCheckpoint): Promise<number>;
  /** Take or renew the relay lease; false when another instance holds it. */
  acquireLease(owner: string, ttlMs: number): Promise<boolean>;
  /** Give the lease up (clean shutdown) so another instance can take over at once. */
  releaseLease(owner: string): Promise<void>;
  pendingCount(): Promise<number>;
}
