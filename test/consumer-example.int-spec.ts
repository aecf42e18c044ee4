import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exampleSequencedEvent, toKafkaRecord, topicNames, type SequencedEvent } from '@isohub/events';
import { brokers, uniquePrefix } from './support/kafka';

const run = promisify(execFile);
const example = resolve(__dirname, '../examples/consumer/print-dossier.mjs');

/** docs/event-contract.md's consumer example, against the real broker and records encoded as the relay encodes them. */
describe('examples/consumer/print-dossier.mjs', () => {
  const prefix = uniquePrefix('consumer');
  const topic = topicNames(prefix).events;
  const kafka = new Kafka({
    clientId: 'consumer-example-test',
    brokers: brokers(),
    logLevel: logLevel.NOTHING,
  });
  const code = `${prefix}-H56-0001`;
  const event = (sequence: number, milestone: SequencedEvent['data']['milestone'], occurredAt: string) =>
    exampleSequencedEvent({
      id: `${code}-${sequence}`,
      sequence,
      time: occurredAt,
      subject: code,
      data: { dossierCode: code, milestone, occurredAt },
    });

  beforeAll(async () => {
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: 3 }], waitForLeaders: true });
    await admin.disconnect();
    const producer = kafka.producer();
    await producer.connect();
    const other = exampleSequencedEvent({
      subject: `${prefix}-other`,
      data: { dossierCode: `${prefix}-other` },
    });
    await producer.send({
      topic,
      messages: [
        event(2, 'STEP_HANDOVER', '2025-07-01T14:30:00+07:00'),
        event(1, 'DOSSIER_RECEIVED', '2025-07-01T09:00:00+07:00'),
        other,
        event(3, 'RESULT_READY', '2025-07-03T16:45:00+07:00'),
      ].map((e) => {
        const r = toKafkaRecord(e);
        return { key: r.key, value: r.value, headers: r.headers };
      }),
    });
    await producer.disconnect();
  });

  afterAll(async () => {
    const admin = kafka.admin();
    await admin.connect();
    await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
    await admin.disconnect();
  });

  it("prints one dossier's events as a control sheet, in sequence order, on the Vietnam clock", async () => {
    const { stdout } = await run(process.execPath, [example, code], {
      env: { ...process.env, KAFKA_BROKERS: brokers().join(','), TOPIC_PREFIX: prefix },
      timeout: 90_000,
    });
    const lines = stdout.trim().split('\n');
    expect(lines[0]).toBe(`Hồ sơ / Dossier ${code}`);
    expect(lines[1]).toContain('1.001193 Đăng ký khai sinh');
    const rows = lines.filter((l) => /^\d+\s+\|/.test(l));
    expect(
      rows.map((r) =>
        r
          .split('|')
          .map((c) => c.trim())
          .slice(0, 3),
      ),
    ).toEqual([
      ['1', '01/07/2025 09:00', 'DOSSIER_RECEIVED'],
      ['2', '01/07/2025 14:30', 'STEP_HANDOVER'],
      ['3', '03/07/2025 16:45', 'RESULT_READY'],
    ]);
    expect(rows[1]).toContain('Trần Thị Bình');
    expect(stdout).not.toContain(`${prefix}-other`);
  });

  it('says so when the dossier has no events', async () => {
    await expect(
      run(process.execPath, [example, `${prefix}-none`], {
        env: { ...process.env, KAFKA_BROKERS: brokers().join(','), TOPIC_PREFIX: prefix },
        timeout: 90_000,
      }),
    ).rejects.toMatchObject({
      code: 1,
      stderr: expect.stringContaining(`no events for ${prefix}-none`) as unknown,
    });
  });
});
