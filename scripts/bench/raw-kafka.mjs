// Raw kafkajs producers, configured like isohub's relay, sending records shaped like isohub's events.
import { Kafka, logLevel } from 'kafkajs';
import { BenchConsumer } from './consumer.mjs';
import { dossierCode } from './workload.mjs';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const wall = () => performance.timeOrigin + performance.now();

/**
 * Back-to-back transactions make the coordinator answer AddPartitionsToTxn with CONCURRENT_TRANSACTIONS
 * while the previous transaction's markers are still being written; kafkajs then waits its retry time
 * (kafkajs issue #304). Counted here because it sets the pace of the relay.
 */
export const kafkajsErrors = { concurrentTransactions: 0 };

const countingLogger =
  () =>
  ({ log }) => {
    if (/concurrent operation on the same transaction/i.test(String(log.error ?? ''))) {
      kafkajsErrors.concurrentTransactions += 1;
    }
  };

/** Client settings as isohub's KafkaEventBus (libs/messaging) uses them, retry included. */
export function kafkaClient(brokers, clientId) {
  return new Kafka({
    clientId,
    brokers,
    logLevel: logLevel.ERROR,
    logCreator: countingLogger,
    connectionTimeout: 3_000,
    requestTimeout: 10_000,
    retry: { retries: 3, initialRetryTime: 200, maxRetryTime: 2_000 },
  });
}

export async function createTopics(kafka, specs) {
  const admin = kafka.admin();
  await admin.connect();
  try {
    await admin.createTopics({
      waitForLeaders: true,
      topics: specs.map(([topic, numPartitions]) => ({ topic, numPartitions, replicationFactor: 1 })),
    });
  } finally {
    await admin.disconnect();
  }
}

/**
 * Turns captured event records into an endless supply of raw records of the same sizes and headers.
 * Keys are fresh dossier codes of the same length (so the records spread over the partitions the way
 * many dossiers do); `traceparent` is replaced when the caller wants to match records.
 */
export function recordSupply(samples) {
  const decoded = samples.map((s) => ({
    key: s.key,
    value: Buffer.from(s.value, 'base64'),
    headers: s.headers,
  }));
  let i = 0;
  const day = Date.now();
  return (traceparent) => {
    const s = decoded[i % decoded.length];
    i += 1;
    const headers = traceparent ? { ...s.headers, traceparent } : s.headers;
    return { key: dossierCode(100_000 + (i % 900_000), day), value: s.value, headers };
  };
}

function recordBytes(r) {
  let n = Buffer.byteLength(r.key) + r.value.length;
  for (const [k, v] of Object.entries(r.headers)) {
    n += Buffer.byteLength(k) + Buffer.byteLength(v);
  }
  return n;
}

/** Sends batches of `batch` records, one request at a time, until `seconds` or `maxMessages`. */
export async function rawThroughput({
  kafka,
  topic,
  next,
  batch,
  seconds,
  maxMessages,
  transactional,
  warmSeconds = 0,
}) {
  const producer = transactional
    ? kafka.producer({
        idempotent: true,
        maxInFlightRequests: 1,
        transactionalId: transactional.transactionalId,
        transactionTimeout: 30_000,
      })
    : kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  let checkpoint = 0;
  try {
    // Untimed rounds first: connections, producer id, partition leaders, and JIT on both sides (a
    // freshly started broker is markedly slower for its first seconds of load).
    const warmUntil = performance.now() + warmSeconds * 1000;
    do {
      await sendOne(Array.from({ length: batch }, () => next()));
    } while (performance.now() < warmUntil);
    let sent = 0;
    let bytes = 0;
    let rounds = 0;
    const retriesBefore = kafkajsErrors.concurrentTransactions;
    const started = performance.now();
    const deadline = started + seconds * 1000;
    while (performance.now() < deadline && sent < maxMessages) {
      const messages = Array.from({ length: batch }, () => next());
      await sendOne(messages);
      sent += messages.length;
      bytes += messages.reduce((sum, m) => sum + recordBytes(m), 0);
      rounds += 1;
    }
    const elapsed = (performance.now() - started) / 1000;
    return {
      messages: sent,
      bytes,
      seconds: elapsed,
      rounds,
      msgsPerSec: sent / elapsed,
      bytesPerSec: bytes / elapsed,
      concurrentTransactions: kafkajsErrors.concurrentTransactions - retriesBefore,
    };
  } finally {
    await producer.disconnect().catch(() => undefined);
  }

  async function sendOne(messages) {
    checkpoint += 1;
    if (!transactional) {
      await producer.send({ topic, acks: -1, messages });
      return;
    }
    // What the relay does per batch: records + checkpoint offset in one transaction.
    const txn = await producer.transaction();
    try {
      await txn.send({ topic, acks: -1, messages });
      await txn.sendOffsets({
        consumerGroupId: transactional.checkpointGroup,
        topics: [
          {
            topic: transactional.checkpointTopic,
            partitions: [{ partition: 0, offset: String(checkpoint) }],
          },
        ],
      });
      await txn.commit();
    } catch (error) {
      await txn.abort().catch(() => undefined);
      throw error;
    }
  }
}

/**
 * Open loop at `rate` messages/s for `seconds`: one record per send (idempotent, acks=-1), each
 * scheduled on the clock whether or not the previous one was acknowledged. Measures the ack latency
 * and the send -> consumed (read_committed) latency.
 */
export async function rawLatency({ kafka, brokers, topic, next, rate, seconds, traceIds }) {
  const consumer = new BenchConsumer({ brokers, topics: [topic] });
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  try {
    await consumer.ready();
    await producer.send({ topic, acks: -1, messages: [next()] }); // connections, producer id
    const total = Math.round(rate * seconds);
    const sends = [];
    const started = wall();
    for (let i = 0; i < total; i += 1) {
      const due = started + (i * 1000) / rate;
      const wait = due - wall();
      if (wait > 0) {
        await sleep(wait);
      }
      const id = traceIds.traceId(0xf0, i);
      const at = due;
      sends.push(
        producer
          .send({ topic, acks: -1, messages: [next(traceIds.header(id))] })
          .then(() => ({ id, at, ack: wall() - at }))
          .catch((error) => ({ id, at, ack: null, error: error.message })),
      );
    }
    const results = await Promise.all(sends);
    await consumer.waitForCount(total + 1, 30_000);
    const { traces } = await consumer.dump();
    const seen = new Map(traces);
    return results.map((r) => ({ ...r, e2e: seen.has(r.id) ? seen.get(r.id)[1] - r.at : null }));
  } finally {
    await producer.disconnect().catch(() => undefined);
    await consumer.stop();
  }
}
