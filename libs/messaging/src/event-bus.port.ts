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
 * The relay's checkpoint, written to Kafka in the same transaction as the messages it covers, so that
 * after any crash the relay knows exactly which outbox rows already reached Kafka.
 */
export interface RelayCheckpoint {
  outboxIds: string[];
  at: string;
}

export interface EventBusPort {
  ensureTopics(specs: TopicSpec[]): Promise<void>;
  /** Publish all messages and the checkpoint in one Kafka transaction (all or nothing). */
  publishAtomically(messages: BusMessage[], checkpoint: RelayCheckpoint): Promise<void>;
  /** The last committed checkpoint, or null when none was ever written. */
  readLastCheckpoint(): Promise<RelayCheckpoint | null>;
  checkConnection(): Promise<{ ok: boolean; detail: string }>;
  disconnect(): Promise<void>;
}
