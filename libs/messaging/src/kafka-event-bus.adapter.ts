import { Kafka, logLevel, type Admin, type Producer, type KafkaConfig } from 'kafkajs';
import {
  RecordRefusedError,
  type BusMessage,
  type EventBusPort,
  type RelayCheckpoint,
  type TopicSpec,
} from './event-bus.port';

/**
 * Broker answers that condemn the records themselves (kafkajs protocol error types). Other non-retryable
 * answers (authorisation, a fenced producer, an unknown topic) are about the cluster or this producer: they
 * are retried with backoff and alerted on, never used to skip a record.
 */
const RECORD_REFUSALS = new Set([
  'MESSAGE_TOO_LARGE',
  'RECORD_LIST_TOO_LARGE',
  'INVALID_RECORD',
  'CORRUPT_MESSAGE',
  'INVALID_TIMESTAMP',
]);

/** Follows kafkajs's wrapping (KafkaJSNonRetriableError, KafkaJSNumberOfRetriesExceeded -> cause). */
export function recordRefusal(error: unknown): string | null {
  let e: unknown = error;
  for (let depth = 0; depth < 5 && e instanceof Error; depth += 1) {
    const type = (e as { type?: unknown }).type;
    if (typeof type === 'string' && RECORD_REFUSALS.has(type)) {
      return type;
    }
    e = (e as { cause?: unknown }).cause;
  }
  return null;
}

export interface KafkaBusConfig {
  brokers: string[];
  clientId: string;
  /** One per logical relay: a second relay with the same id fences the first (zombie protection). */
  transactionalId: string;
  /** Topic whose partition 0 carries the relay checkpoint as a transactional consumer-group offset. */
  checkpointTopic: string;
  checkpointGroup: string;
  connectionTimeoutMs?: number;
  requestTimeoutMs?: number;
}

/**
 * kafkajs behind the event-bus port. Only this file imports kafkajs.
 * Producer: idempotent, transactional, acks=all (implied by transactions), maxInFlightRequests 1 so
 * per-partition order survives retries.
 */
export class KafkaEventBus implements EventBusPort {
  private readonly kafka: Kafka;
  private producer: Producer | null = null;
  private admin: Admin | null = null;

  constructor(private readonly config: KafkaBusConfig) {
    const kafkaConfig: KafkaConfig = {
      clientId: config.clientId,
      brokers: config.brokers,
      connectionTimeout: config.connectionTimeoutMs ?? 3_000,
      requestTimeout: config.requestTimeoutMs ?? 10_000,
      logLevel: logLevel.NOTHING,
      retry: { retries: 3, initialRetryTime: 200, maxRetryTime: 2_000 },
    };
    this.kafka = new Kafka(kafkaConfig);
  }

  async ensureTopics(specs: TopicSpec[]): Promise<void> {
    const admin = await this.getAdmin();
    const existing = new Set(await admin.listTopics());
    const missing = specs.filter((s) => !existing.has(s.topic));
    if (missing.length > 0) {
      await admin.createTopics({
        waitForLeaders: true,
        topics: missing.map((s) => ({
          topic: s.topic,
          numPartitions: s.partitions,
          replicationFactor: s.replicationFactor,
          configEntries: Object.entries(s.config ?? {}).map(([name, value]) => ({ name, value })),
        })),
      });
    }
  }

  async publishAtomically(messages: BusMessage[], checkpoint: RelayCheckpoint): Promise<void> {
    const producer = await this.getProducer();
    const txn = await producer.transaction();
    try {
      const byTopic = new Map<string, BusMessage[]>();
      for (const m of messages) {
        const list = byTopic.get(m.topic) ?? [];
        list.push(m);
        byTopic.set(m.topic, list);
      }
      await txn.sendBatch({
        topicMessages: [...byTopic.entries()].map(([topic, list]) => ({
          topic,
          messages: list.map((m) => ({ key: m.key, value: m.value, headers: m.headers })),
        })),
      });
      await txn.sendOffsets({
        consumerGroupId: this.config.checkpointGroup,
        topics: [
          {
            topic: this.config.checkpointTopic,
            partitions: [{ partition: 0, offset: checkpoint.toString() }],
          },
        ],
      });
      await txn.commit();
    } catch (error) {
      await txn.abort().catch(() => undefined);
      const refusal = recordRefusal(error);
      throw refusal === null ? error : new RecordRefusedError(refusal, { cause: error });
    }
  }

  async readLastCheckpoint(): Promise<RelayCheckpoint | null> {
    await this.fence();
    const admin = await this.getAdmin();
    const [entry] = await admin.fetchOffsets({
      groupId: this.config.checkpointGroup,
      topics: [this.config.checkpointTopic],
    });
    const offset = entry?.partitions.find((p) => p.partition === 0)?.offset;
    if (offset === undefined || offset === '-1') {
      return null;
    }
    return BigInt(offset);
  }

  async checkConnection(): Promise<{ ok: boolean; detail: string }> {
    try {
      const admin = await this.getAdmin();
      const cluster = await admin.describeCluster();
      return { ok: true, detail: `${cluster.brokers.length} broker(s), controller ${cluster.controller}` };
    } catch (error) {
      await this.resetAdmin();
      return { ok: false, detail: error instanceof Error ? error.message : String(error) };
    }
  }

  async reset(): Promise<void> {
    const producer = this.producer;
    this.producer = null;
    await producer?.disconnect().catch(() => undefined);
    await this.resetAdmin();
  }

  async disconnect(): Promise<void> {
    await this.reset();
  }

  /**
   * Start a new transactional session before the checkpoint is read: InitProducerId fences every
   * older producer with this transactional id (a relay that stalled after claiming a batch can no
   * longer commit it) and returns only once their in-doubt transaction is complete, so the offset read
   * next is final (a commit whose markers were still being written would otherwise read as the old one).
   */
  private async fence(): Promise<void> {
    const stale = this.producer;
    this.producer = null;
    await stale?.disconnect().catch(() => undefined);
    const producer = await this.getProducer();
    const txn = await producer.transaction(); // the session's first transaction runs InitProducerId
    await txn.abort(); // nothing was sent: ends locally, no request
  }

  private async getProducer(): Promise<Producer> {
    if (!this.producer) {
      const producer = this.kafka.producer({
        idempotent: true,
        transactionalId: this.config.transactionalId,
        maxInFlightRequests: 1,
        transactionTimeout: 30_000,
        // Right after a commit the coordinator answers CONCURRENT_TRANSACTIONS until the commit markers are
        // written; kafkajs's first retry would wait the client's 200 ms (the Java client waits 20 ms).
        // Unbounded retries are kafkajs's own default for an idempotent producer; only the pace changes.
        retry: { retries: Number.MAX_SAFE_INTEGER, initialRetryTime: 20, maxRetryTime: 2_000 },
      });
      await producer.connect();
      this.producer = producer;
    }
    return this.producer;
  }

  private async getAdmin(): Promise<Admin> {
    if (!this.admin) {
      const admin = this.kafka.admin();
      await admin.connect();
      this.admin = admin;
    }
    return this.admin;
  }

  private async resetAdmin(): Promise<void> {
    const admin = this.admin;
    this.admin = null;
    await admin?.disconnect().catch(() => undefined);
  }
}
