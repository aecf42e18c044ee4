import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { topicNames } from '@isohub/events';
import { deleteTopics } from '../support/broker';
import { buildSyncService, freePort, spawnHub, type ChildHub } from '../support/child-hub';
import { freshDatabase, type TestDatabase } from '../support/database';
import { checkExactlyOnce, readDatabase, waitForDelivery } from '../support/exactly-once';
import { TopicRecorder, uniquePrefix } from '../support/kafka';
import { answerAtCommitEnv } from '../support/senders';
import { planDossiers, Traffic } from '../support/traffic';

/**
 * The built sync service is SIGKILLed twice mid-stream (no shutdown hook, lease not released, HTTP
 * requests and Kafka transactions cut off) and started again on the same port. Senders retry what
 * went unanswered. Exactly once per ce_id, contiguous sequences, nothing lost.
 */
describe('resilience: hub process SIGKILL', () => {
  let db: TestDatabase;
  let port: number;
  let recorder: TopicRecorder | null = null;
  const hubs: ChildHub[] = [];
  const prefix = uniquePrefix('sigkill');
  const topics = topicNames(prefix);
  // Small batches: the relay always has work in flight when the process dies.
  const env = { RELAY_BATCH_SIZE: '5', RELAY_IDLE_MS: '50', ...answerAtCommitEnv() };

  beforeAll(async () => {
    buildSyncService();
    db = await freshDatabase();
    port = await freePort();
  });

  afterAll(async () => {
    await recorder?.stop();
    for (const h of hubs) {
      await h.stop();
    }
    await db?.drop();
    await deleteTopics(prefix);
  });

  const start = async (): Promise<ChildHub> => {
    const hub = await spawnHub({ databaseUrl: db.url, topicPrefix: prefix, port, env });
    hubs.push(hub);
    return hub;
  };

  it('a killed hub loses nothing and duplicates nothing once restarted', async () => {
    let hub = await start();
    const url = hub.url;
    const plans = planDossiers(160, { tag: '260801', badEvery: 20 });
    const traffic = new Traffic(plans, {
      target: () => url,
      concurrency: 4,
      paceMs: 20,
      giveUpAfterMs: 60_000,
      requestTimeoutMs: 10_000,
    }).start();

    const pendingAtKill: number[] = [];
    for (const after of [60, 90]) {
      await traffic.waitForAccepted(traffic.accepted() + after, 30_000);
      await hub.kill();
      pendingAtKill.push((await readDatabase(db.url)).outboxPending);
      await new Promise((r) => setTimeout(r, 500));
      hub = await start();
    }
    await traffic.finished();
    const summary = traffic.summary();
    console.log('traffic', summary, 'outbox pending at each kill:', pendingAtKill);
    expect(pendingAtKill.some((n) => n > 0)).toBe(true);

    recorder = new TopicRecorder([topics.events, topics.state, topics.deadLetters]);
    await recorder.start();
    // the killed relay's lease (15 s) has to run out before the new process publishes
    await waitForDelivery(recorder, topics, db.url, { timeoutMs: 60_000 });
    const report = await checkExactlyOnce({
      recorder,
      topics,
      plans,
      outcomes: traffic.outcomes,
      databaseUrl: db.url,
      eventsPerDossier: 3, // received, two handovers (the first carries 2 -> 4)
    });
    expect(report.violations, hub.output().slice(-2000)).toEqual([]);
    expect(report.acceptedRequests).toBe(plans.filter((p) => !p.bad).length * 2);
    expect(report.events).toBe(plans.filter((p) => !p.bad).length * 3);
  });
});
