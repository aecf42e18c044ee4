export const EVENT_BUS_PORT = Symbol('EVENT_BUS_PORT');

export interface BusMessage {
  topic: string;
  key: string | null;
  /** Raw bytes of the value (JSON text for events and state, the original payload for dead letters). */
  value: Buffer | null;
  headers: Record<string, string>;
}

export interface TopicSpec {
  topic: string;
  partitions: number;
  replicationFactor: number;
  config?: Record<string, string>;
}

/**
 * The relay's checkpoint: the number of the last outbox batch whose messages reached Kafka. It is
 * committed in the same Kafka transaction as those messages (as a transactional consumer-group offset),
 * so after any crash of the hub, the broker or the database the relay knows exactly what was published.
 */
export type RelayCheckpoint = bigint;

export interface EventBusPort {
  ensureTopics(specs: TopicSpec[]): Promise<void>;
  /** Publish all messages and the checkpoint in one Kafka transaction (all or nothing). */
  publishAtomically(messages: BusMessage[], checkpoint: RelayCheckpoint): Promise<void>;
  /**
   * The last committed checkpoint, or null when none was ever written. Starts a new producer session
   * first, which fences any other producer of this relay and settles its in-doubt transaction.
   */
  readLastCheckpoint(): Promise<RelayCheckpoint | null>;
  /** Drop the producer so the next publish starts a fresh (fencing) session, e.g. after a broker error. */
  reset(): Promise<void>;
  checkConnection(): Promise<{ ok: boolean; detail: string }>;
  disconnect(): Promise<void>;
}

/**
 * The broker refused a record for good (too large, invalid): sending the same bytes again can never
 * succeed. Any other publish error (broker down, leader moving, fenced) is worth retrying.
 */
export class RecordRefusedError extends Error {
  constructor(
    /** The broker's error name, e.g. `MESSAGE_TOO_LARGE`. */
    readonly code: string,
    options?: { cause?: unknown },
  ) {
    super(`the broker refused the record for good (${code})`, options);
    this.name = 'RecordRefusedError';
  }
}

/** Bytes a message takes on the wire, near enough to compare with the broker's `max.message.bytes`. */
export function messageBytes(m: BusMessage): number {
  let n = 70; // record batch and record overhead
  n += m.value?.length ?? 0;
  n += m.key === null ? 0 : Buffer.byteLength(m.key);
  for (const [k, v] of Object.entries(m.headers)) {
    n += Buffer.byteLength(k) + Buffer.byteLength(v) + 4;
  }
  return n;
}
