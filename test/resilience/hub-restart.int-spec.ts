import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { topicNames } from '@isohub/events';
import { crashKafka, deleteTopics, ensureKafkaRunning, restartKafka } from '../support/broker';
import { freshDatabase, type TestDatabase } from '../support/database';
import { checkExactlyOnce, readDatabase, waitForDelivery, waitForReadiness } from '../support/exactly-once';
import { startHub, type RunningHub } from '../support/hub';
import { TopicRecorder, uniquePrefix } from '../support/kafka';
import { answerAtCommitEnv } from '../support/senders';
import { planDossiers, Traffic } from '../support/traffic';

/**
 * The hub (and with it the outbox relay) is shut down while the outbox still holds unpublished rows,
 * and a new hub takes over on the same database and topics. Nothing may be lost or published twice.
 */
describe('resilience: hub restart with an unpublished outbox', () => {
  const cleanup: (() => Promise<unknown>)[] = [];

  afterEach(async () => {
    for (const fn of cleanup.splice(0).reverse()) {
      await fn().catch((e: unknown) => console.warn(`cleanup: ${String(e)}`));
    }
    await ensureKafkaRunning();
  });

  afterAll(async () => {
    await ensureKafkaRunning();
  });

  async function setup(name: string): Promise<{ db: TestDatabase; prefix: string }> {
    const db = await freshDatabase();
    const prefix = uniquePrefix(name);
    cleanup.push(
      () => deleteTopics(prefix),
      () => db.drop(),
    );
    return { db, prefix };
  }

  async function hubOn(
    db: TestDatabase,
    prefix: string,
    env: Record<string, string> = {},
    port?: number,
  ): Promise<RunningHub> {
    const hub = await startHub({
      databaseUrl: db.url,
      topicPrefix: prefix,
      env: { ...answerAtCommitEnv(), ...env },
      port,
      upstream: false,
    });
    cleanup.push(() => hub.stop());
    return hub;
  }

  it('backlog built while Kafka is down survives app.close(); a new hub publishes it exactly once', async () => {
    const { db, prefix } = await setup('restart-down');
    const topics = topicNames(prefix);
    const first = await hubOn(db, prefix);
    // senders keep the hub's address; the new hub comes back on the same port
    const url = first.url;
    const plans = planDossiers(120, { tag: '260502', badEvery: 30 });
    const traffic = new Traffic(plans, {
      target: () => url,
      concurrency: 4,
      paceMs: 40,
      giveUpAfterMs: 45_000,
    }).start();

    let pendingAtClose: number;
    let closeMs: number;
    try {
      await traffic.waitForAccepted(40);
      await crashKafka();
      await traffic.waitForAccepted(traffic.accepted() + 60, 20_000);
      const closeStarted = Date.now();
      await first.stop(); // senders now get connection errors and keep retrying
      closeMs = Date.now() - closeStarted;
      pendingAtClose = (await readDatabase(db.url)).outboxPending;
    } finally {
      await restartKafka();
    }
    const second = await hubOn(db, prefix, {}, Number(new URL(url).port));
    await traffic.finished();
    console.log(
      'traffic',
      traffic.summary(),
      `outbox pending at close: ${pendingAtClose}, close took ${closeMs} ms`,
    );
    expect(pendingAtClose).toBeGreaterThan(0);

    const recorder = new TopicRecorder([topics.events, topics.state, topics.deadLetters]);
    cleanup.push(() => recorder.stop());
    await recorder.start();
    await waitForDelivery(recorder, topics, db.url, { timeoutMs: 45_000 });
    const report = await checkExactlyOnce({
      recorder,
      topics,
      plans,
      outcomes: traffic.outcomes,
      databaseUrl: db.url,
      eventsPerDossier: 3, // received, two handovers (the first carries 2 -> 4)
    });
    expect(report.violations).toEqual([]);
    expect(report.acceptedRequests).toBe(plans.filter((p) => !p.bad).length * 2);
    expect(report.events).toBe(plans.filter((p) => !p.bad).length * 3);
    await waitForReadiness(second.url, (r) => r.body.checks.relay.outboxPending === 0, 10_000);
  });

  it('hub closed while its relay is publishing (tiny batches): the next hub carries on exactly once', async () => {
    const { db, prefix } = await setup('restart-busy');
    const topics = topicNames(prefix);
    // Two rows per Kafka transaction: the relay falls behind the senders, so the close hits it mid-work.
    const env = { RELAY_BATCH_SIZE: '2' };
    const first = await hubOn(db, prefix, env);
    const url = first.url;
    const plans = planDossiers(100, { tag: '260503', badEvery: 25 });
    const traffic = new Traffic(plans, {
      target: () => url,
      concurrency: 4,
      paceMs: 10,
      giveUpAfterMs: 45_000,
    }).start();

    await traffic.waitForAccepted(80);
    await waitForReadiness(url, (r) => r.body.checks.relay.published > 0, 10_000);
    await first.stop();
    const pendingAtClose = (await readDatabase(db.url)).outboxPending;
    // a few seconds without a hub: senders retry into the void
    await new Promise((r) => setTimeout(r, 1_500));
    const restartedAt = Date.now();
    await hubOn(db, prefix, env, Number(new URL(url).port));
    await traffic.finished();
    console.log('traffic', traffic.summary(), 'outbox pending at close:', pendingAtClose);
    expect(pendingAtClose).toBeGreaterThan(0);

    const recorder = new TopicRecorder([topics.events, topics.state, topics.deadLetters]);
    cleanup.push(() => recorder.stop());
    await recorder.start();
    await waitForDelivery(recorder, topics, db.url, { timeoutMs: 60_000 });
    console.log(`new hub drained the outbox within ${Date.now() - restartedAt} ms of starting`);
    const report = await checkExactlyOnce({
      recorder,
      topics,
      plans,
      outcomes: traffic.outcomes,
      databaseUrl: db.url,
      eventsPerDossier: 3, // received, two handovers (the first carries 2 -> 4)
    });
    expect(report.violations).toEqual([]);
    expect(report.acceptedRequests).toBe(plans.filter((p) => !p.bad).length * 2);
    expect(report.events).toBe(plans.filter((p) => !p.bad).length * 3);
  });
});
