import type { BusMessage, RelayCheckpoint } from './event-bus.port';

export const OUTBOX_STORE_PORT = Symbol('OUTBOX_STORE_PORT');

export interface ClaimedBatch {
  batchNo: RelayCheckpoint;
  messages: BusMessage[];
  /** The outbox row id of each message (same order), to set one aside. */
  ids: string[];
}

/** A row the broker will never take, set aside with why and the notice published in its place. */
export interface SetAsideRow {
  id: string;
  reason: string;
  /** Written to the outbox in the same transaction (the dead-letter topic's record of the skip). */
  notice: BusMessage | null;
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
  /** Mark the batch's rows published (rows set aside meanwhile stay failed). */
  markPublished(batchNo: RelayCheckpoint): Promise<void>;
  /**
   * Mark rows failed (never claimed again) and add each row's notice to the outbox, in one transaction.
   * Idempotent per row: a row already failed is left as it is and its notice is not written twice.
   */
  setAside(rows: SetAsideRow[]): Promise<void>;
  /**
   * Forget a batch the broker refused (its transaction was aborted, so none of it reached Kafka): its rows
   * lose their batch number, so a later checkpoint can never count them as published before they are.
   */
  unclaim(batchNo: RelayCheckpoint): Promise<void>;
  /** Mark every claimed row with batch number <= checkpoint as published (after a crash). */
  recover(checkpoint: RelayCheckpoint): Promise<number>;
  /** Take or renew the relay lease; false when another instance holds it. */
  acquireLease(owner: string, ttlMs: number): Promise<boolean>;
  /** Give the lease up (clean shutdown) so another instance can take over at once. */
  releaseLease(owner: string): Promise<void>;
  pendingCount(): Promise<number>;
  /** Rows set aside as failed (they wait for an operator; readiness and metrics report them). */
  failedCount(): Promise<number>;
}
