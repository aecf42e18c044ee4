import { afterEach, describe, expect, it } from 'vitest';
import { padSequence } from '@isohub/events';
import { IngestStore, type OutboxInsert } from '@isohub/persistence';
import { deleteTopics } from './support/broker';
import { freshDatabase } from './support/database';
import { TopicRecorder, uniquePrefix } from './support/kafka';
import { createTopics, pendingRows, relayProcess, type RelayProcess } from './support/relay-rig';

/**
 * No outbox row can block the ones behind it: a row the broker will never take (too large) is set aside as
 * failed, announced on the dead-letter topic, and the relay goes on, in order, exactly once.
 */
describe('outbox relay: a row the broker refuses is set aside, the stream goes on', () => {
  const cleanup: (() => Promise<unknown>)[] = [];

  afterEach(async () => {
    for (const fn of cleanup.splice(0).reverse()) {
      await fn().catch((e: unknown) => console.warn(`cleanup: ${String(e)}`));
    }
  });

  function row(topic: string, code: string, seq: number, bytes = 200): OutboxInsert {
    const body = JSON.stringify({ dossierCode: code, n: seq, pad: 'x'.repeat(Math.max(0, bytes - 60)) });
    return {
      aggregatetype: 'dossier',
      type: 'vn.gov.dossier.step-handover.v1',
      topic,
      key: code,
      value: Buffer.from(body),
      headers: { ce_id: `${code}#${seq}`, ce_sequence: padSequence(seq), ce_subject: code },
    };
  }

  async function rig(name: string): Promise<{ p: RelayProcess; recorder: TopicRecorder }> {
    const db = await freshDatabase();
    const prefix = uniquePrefix(name);
    cleanup.push(
      () => deleteTopics(prefix),
      () => db.drop(),
    );
    const p = await relayProcess(db.url, prefix);
    cleanup.push(() => p.stop());
    await createTopics(p.bus, p.topics);
    await p.bus.ensureTopics([{ topic: p.topics.deadLetters, partitions: 1, replicationFactor: 1 }]);
    const recorder = new TopicRecorder([p.topics.events, p.topics.deadLetters]);
    cleanup.push(() => recorder.stop());
    await recorder.start();
    return { p, recorder };
  }

  async function failedRows(p: RelayProcess): Promise<{ id: string; failure_reason: string }[]> {
    return p.ds.query(`SELECT id, failure_reason FROM outbox WHERE failed_at IS NOT NULL ORDER BY id`);
  }

  it.each([
    // Checked before sending: the row is over the relay's own limit (below the topic's).
    { name: 'limit', maxMessageBytes: undefined, reason: 'TOO_LARGE' },
    // Offered to the broker, refused for good (MESSAGE_TOO_LARGE): found by retrying the batch row by row.
    { name: 'broker', maxMessageBytes: 50_000_000, reason: 'MESSAGE_TOO_LARGE' },
  ])(
    'an oversize row ($name) is set aside; every other row arrives in order',
    async (c) => {
      const { p, recorder } = await rig(`set-aside-${c.name}`);
      const a = '000.00.01.H56-251201-0001';
      const b = '000.00.01.H56-251201-0002';
      const rows = [
        row(p.topics.events, a, 1),
        row(p.topics.events, b, 1),
        row(p.topics.events, a, 2, 2 * 1024 * 1024), // 2 MB: over Kafka's default 1 MB limit
        row(p.topics.events, b, 2),
        row(p.topics.events, a, 3),
      ];
      await new IngestStore(p.ds).transaction((tx) => tx.addOutbox(rows));
      const relay = p.start(undefined, {
        maxMessageBytes: c.maxMessageBytes,
        deadLetterTopic: p.topics.deadLetters,
      });

      const started = Date.now();
      await recorder.waitFor((r) => r.filter((x) => x.topic === p.topics.events).length >= 4, 30_000);
      await recorder.waitFor((r) => r.some((x) => x.topic === p.topics.deadLetters), 30_000);
      expect(Date.now() - started).toBeLessThan(15_000);

      const events = recorder.of(p.topics.events);
      expect(events.map((r) => r.headers['ce_id'])).toEqual(
        expect.arrayContaining([`${a}#1`, `${b}#1`, `${b}#2`, `${a}#3`]),
      );
      expect(events).toHaveLength(4);
      // Per dossier, the offset order is the outbox order.
      expect(events.filter((r) => r.key === a).map((r) => r.headers['ce_id'])).toEqual([`${a}#1`, `${a}#3`]);
      expect(events.filter((r) => r.key === b).map((r) => r.headers['ce_id'])).toEqual([`${b}#1`, `${b}#2`]);

      // The notice names the skipped event (the gap a consumer sees), not its payload.
      const [notice] = recorder.of(p.topics.deadLetters);
      expect(notice?.key).toBe(a);
      expect(notice?.headers['dlq_reason_code']).toBe(`OUTBOX_${c.reason}`);
      const value = JSON.parse(notice?.value?.toString('utf8') ?? '{}') as Record<string, unknown>;
      expect(value).toMatchObject({ setAside: true, ceId: `${a}#2`, reasonCode: c.reason });
      expect(notice?.value?.length).toBeLessThan(2_000);

      expect((await failedRows(p)).map((r) => r.failure_reason)).toEqual([c.reason]);
      expect(relay.getStatus()).toMatchObject({
        setAside: 1,
        lastSetAside: { key: a, reasonCode: c.reason },
      });
      expect(await pendingRows(p.ds)).toBe(1); // only the failed row is unpublished
      expect(await p.store.failedCount()).toBe(1);
      expect(await p.store.pendingCount()).toBe(0);

      // The relay goes on with what comes next.
      await new IngestStore(p.ds).transaction((tx) => tx.addOutbox([row(p.topics.events, b, 3)]));
      await recorder.waitFor((r) => r.some((x) => x.headers['ce_id'] === `${b}#3`), 15_000);
      expect(recorder.of(p.topics.events)).toHaveLength(5);
    },
    90_000,
  );
});
