import { randomBytes } from 'node:crypto';
import { Kafka, logLevel, type Consumer, type IHeaders } from 'kafkajs';

export interface ConsumedRecord {
  topic: string;
  partition: number;
  offset: string;
  key: string | null;
  value: Buffer | null;
  headers: Record<string, string>;
}

export function brokers(): string[] {
  return (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',');
}

export function uniquePrefix(name: string): string {
  return `t${randomBytes(3).toString('hex')}-${name}`;
}

function headersOf(h: IHeaders | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(h ?? {})) {
    if (v !== undefined) {
      out[k] = Array.isArray(v) ? String(v[0]) : Buffer.isBuffer(v) ? v.toString('utf8') : String(v);
    }
  }
  return out;
}

/**
 * A plain kafkajs consumer, as a vendor would write one (read_committed, its own group), collecting
 * every record of the given topics from the beginning.
 */
export class TopicRecorder {
  readonly records: ConsumedRecord[] = [];
  private consumer: Consumer | null = null;

  constructor(private readonly topics: string[]) {}

  async start(): Promise<void> {
    const kafka = new Kafka({
      clientId: 'isohub-test-consumer',
      brokers: brokers(),
      logLevel: logLevel.NOTHING,
    });
    this.consumer = kafka.consumer({
      groupId: `test-${randomBytes(4).toString('hex')}`,
      readUncommitted: false,
    });
    await this.consumer.connect();
    await this.consumer.subscribe({ topics: this.topics, fromBeginning: true });
    await this.consumer.run({
      eachMessage: async ({ topic, partition, message }) => {
        this.records.push({
          topic,
          partition,
          offset: message.offset,
          key: message.key ? message.key.toString('utf8') : null,
          value: message.value,
          headers: headersOf(message.headers),
        });
      },
    });
  }

  of(topic: string): ConsumedRecord[] {
    return this.records.filter((r) => r.topic === topic);
  }

  /** Wait until `predicate` holds over the records seen so far (bounded). */
  async waitFor(predicate: (records: ConsumedRecord[]) => boolean, timeoutMs = 60_000): Promise<void> {
    const end = Date.now() + timeoutMs;
    while (!predicate(this.records)) {
      if (Date.now() > end) {
        throw new Error(`timed out after ${timeoutMs} ms with ${this.records.length} record(s)`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  async stop(): Promise<void> {
    await this.consumer?.disconnect();
  }
}
