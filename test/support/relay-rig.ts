import type { DataSource } from 'typeorm';
import type { Producer, Transaction } from 'kafkajs';
import { padSequence, topicNames, type TopicNames } from '@isohub/events';
import {
  KafkaEventBus,
  OutboxRelay,
  type ClaimedBatch,
  type OutboxRelayOptions,
  type OutboxStorePort,
  type RelayCheckpoint,
  type RelayStage,
  type SetAsideRow,
} from '@isohub/messaging';
import { IngestStore, PgOutboxStore, openDatabase, type OutboxInsert } from '@isohub/persistence';
import { brokers } from './kafka';

/**
 * The outbox relay without the hub around it: one "relay process" = its own connection pool, outbox
 * store and Kafka bus, configured as the sync service configures them (same transactional id and
 * checkpoint group per topic prefix), so two processes on one database and prefix are two hub
 * instances. Faults are injected by wrapping the store or the bus's producer.
 */

export const never = <T>(): Promise<T> => new Promise<T>(() => undefined);

export interface RelayProcess {
  ds: DataSource;
  store: PgOutboxStore;
  bus: KafkaEventBus;
  topics: TopicNames;
  errors: { stage: RelayStage; message: string }[];
  relay: OutboxRelay | null;
  start(store?: OutboxStorePort, options?: Partial<OutboxRelayOptions>): OutboxRelay;
  /** A clean stop (releases the lease). */
  stop(): Promise<void>;
  /** The process is gone: drop its connections without any goodbye (the relay loop is abandoned). */
  kill(): Promise<void>;
}

export async function relayProcess(databaseUrl: string, prefix: string): Promise<RelayProcess> {
  const ds = await openDatabase({ url: databaseUrl, poolMax: 4, applicationName: 'isohub-test-relay' });
  const topics = topicNames(prefix);
  const bus = new KafkaEventBus({
    brokers: brokers(),
    clientId: 'isohub-test-relay',
    transactionalId: `${prefix}-outbox-relay`,
    checkpointTopic: topics.relayCheckpoint,
    checkpointGroup: `${prefix}-outbox-relay-checkpoint`,
  });
  const store = new PgOutboxStore(ds);
  const errors: RelayProcess['errors'] = [];
  const proc: RelayProcess = {
    ds,
    store,
    bus,
    topics,
    errors,
    relay: null,
    start(s = store, options = {}) {
      const relay = new OutboxRelay(s, bus, {
        batchSize: 10,
        idleDelayMs: 20,
        leaseTtlMs: 1_500,
        maxBackoffMs: 300,
        onError: (error, stage) =>
          errors.push({ stage, message: error instanceof Error ? error.message : String(error) }),
        ...options,
      });
      proc.relay = relay;
      relay.start();
      return relay;
    },
    async stop() {
      await proc.relay?.stop();
      await bus.disconnect();
      await ds.destroy().catch(() => undefined);
    },
    async kill() {
      await bus.disconnect();
      await ds.destroy().catch(() => undefined);
    },
  };
  return proc;
}

export async function createTopics(bus: KafkaEventBus, topics: TopicNames): Promise<void> {
  await bus.ensureTopics([
    { topic: topics.events, partitions: 3, replicationFactor: 1 },
    {
      topic: topics.relayCheckpoint,
      partitions: 1,
      replicationFactor: 1,
      config: { 'cleanup.policy': 'compact' },
    },
  ]);
}

/**
 * Writes `dossiers` x `perDossier` event rows into the outbox, interleaved across dossiers (as
 * concurrent ingests would), each with a ce_id and a per-dossier ce_sequence 1..perDossier.
 */
export async function seedOutbox(
  ds: DataSource,
  topics: TopicNames,
  opts: { dossiers: number; perDossier: number; tag: string; fromSequence?: number },
): Promise<string[]> {
  const rows: OutboxInsert[] = [];
  const from = opts.fromSequence ?? 1;
  for (let seq = from; seq < from + opts.perDossier; seq += 1) {
    for (let d = 1; d <= opts.dossiers; d += 1) {
      const code = `000.00.01.H56-${opts.tag}-${String(d).padStart(4, '0')}`;
      rows.push({
        aggregatetype: 'dossier',
        type: 'vn.gov.dossier.step-handover.v1',
        topic: topics.events,
        key: code,
        value: Buffer.from(JSON.stringify({ dossierCode: code, n: seq })),
        headers: { ce_id: `${code}#${seq}`, ce_sequence: padSequence(seq), ce_subject: code },
      });
    }
  }
  await new IngestStore(ds).transaction((tx) => tx.addOutbox(rows));
  return rows.map((r) => r.headers['ce_id'] ?? '');
}

export async function pendingRows(ds: DataSource): Promise<number> {
  const [row] = await ds.query<{ n: number }[]>(
    `SELECT count(*)::int AS n FROM outbox WHERE published_at IS NULL`,
  );
  return row?.n ?? -1;
}

/** Delegates to a real store, with hooks around the claim and in place of the mark. */
export class FaultyStore implements OutboxStorePort {
  constructor(
    private readonly inner: OutboxStorePort,
    private readonly hooks: {
      beforeClaim?: () => Promise<void>;
      afterClaim?: (batch: ClaimedBatch) => Promise<void>;
      markPublished?: (batchNo: RelayCheckpoint, inner: OutboxStorePort) => Promise<void>;
    },
  ) {}

  async claimBatch(limit: number, owner: string): Promise<ClaimedBatch | null> {
    await this.hooks.beforeClaim?.();
    const batch = await this.inner.claimBatch(limit, owner);
    if (batch && this.hooks.afterClaim) {
      await this.hooks.afterClaim(batch);
    }
    return batch;
  }

  markPublished(batchNo: RelayCheckpoint): Promise<void> {
    return this.hooks.markPublished
      ? this.hooks.markPublished(batchNo, this.inner)
      : this.inner.markPublished(batchNo);
  }

  recover(checkpoint: RelayCheckpoint): Promise<number> {
    return this.inner.recover(checkpoint);
  }

  unclaim(batchNo: RelayCheckpoint): Promise<void> {
    return this.inner.unclaim(batchNo);
  }

  setAside(rows: SetAsideRow[]): Promise<void> {
    return this.inner.setAside(rows);
  }

  acquireLease(owner: string, ttlMs: number): Promise<boolean> {
    return this.inner.acquireLease(owner, ttlMs);
  }

  releaseLease(owner: string): Promise<void> {
    return this.inner.releaseLease(owner);
  }

  pendingCount(): Promise<number> {
    return this.inner.pendingCount();
  }

  failedCount(): Promise<number> {
    return this.inner.failedCount();
  }
}

/**
 * Intercepts the bus's Kafka transactions (test-only reach into the adapter's producer): `onCommit`
 * runs instead of the commit and gets the real one to call, or not.
 */
export function interceptCommits(
  bus: KafkaEventBus,
  onCommit: (commit: () => Promise<void>, n: number) => Promise<void>,
): void {
  const adapter = bus as unknown as { getProducer(): Promise<Producer> };
  const realGetProducer = adapter.getProducer.bind(bus);
  let n = 0;
  const patched = new WeakSet<Producer>();
  adapter.getProducer = async () => {
    const producer = await realGetProducer();
    if (!patched.has(producer)) {
      patched.add(producer);
      const realTransaction = producer.transaction.bind(producer);
      producer.transaction = async (): Promise<Transaction> => {
        const txn = await realTransaction();
        n += 1;
        const count = n;
        return { ...txn, commit: () => onCommit(() => txn.commit(), count) };
      };
    }
    return producer;
  };
}
