import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Kafka, logLevel } from 'kafkajs';
import { brokers } from './kafka';

/** deploy/kafka/kafka.mjs as the tests use it (it is plain ESM JavaScript without type declarations). */
interface KafkaScript {
  startKafka(opts?: { timeoutMs?: number; log?: (m: string) => void }): Promise<{ started: boolean }>;
  stopKafka(opts?: { kill?: boolean; timeoutMs?: number; log?: (m: string) => void }): Promise<boolean>;
  waitForKafka(brokers?: string, timeoutMs?: number, opts?: { log?: (m: string) => void }): Promise<void>;
  kafkaStatus(): { running: boolean; pid: number | null };
}

let script: Promise<KafkaScript> | null = null;

function kafkaScript(): Promise<KafkaScript> {
  script ??= import(
    pathToFileURL(resolve(__dirname, '../../deploy/kafka/kafka.mjs')).href
  ) as Promise<KafkaScript>;
  return script;
}

const log = (m: string): void => console.log(`[kafka] ${m}`);

/** SIGKILL the local broker: a crash, not a controlled shutdown. */
export async function crashKafka(): Promise<void> {
  const k = await kafkaScript();
  if (!(await k.stopKafka({ kill: true, log }))) {
    throw new Error('no local Kafka broker was running to crash (is KAFKA_BROKERS a remote cluster?)');
  }
}

/** Start the local broker (no-op when it runs) and wait until it serves clients. */
export async function restartKafka(): Promise<void> {
  const k = await kafkaScript();
  await k.startKafka({ timeoutMs: 60_000, log });
}

/** For `finally` blocks: whatever happened, leave a running broker behind. */
export async function ensureKafkaRunning(): Promise<void> {
  const k = await kafkaScript();
  if (!k.kafkaStatus().running) {
    await k.startKafka({ timeoutMs: 60_000, log });
  }
}

/**
 * Delete a test's topics (`<prefix>.*`). Every topic makes a broker restart after a crash slower (log
 * recovery walks all partitions), so crash tests clean up after themselves.
 */
export async function deleteTopics(prefix: string): Promise<void> {
  const admin = new Kafka({
    clientId: 'isohub-test-cleanup',
    brokers: brokers(),
    logLevel: logLevel.NOTHING,
  }).admin();
  await admin.connect();
  try {
    const mine = (await admin.listTopics()).filter((t) => t.startsWith(`${prefix}.`));
    if (mine.length > 0) {
      await admin.deleteTopics({ topics: mine, timeout: 10_000 });
    }
  } finally {
    await admin.disconnect();
  }
}
