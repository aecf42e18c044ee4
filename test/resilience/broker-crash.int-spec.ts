import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { topicNames } from '@isohub/events';
import { crashKafka, deleteTopics, ensureKafkaRunning, restartKafka } from '../support/broker';
import { freshDatabase, type TestDatabase } from '../support/database';
import { checkExactlyOnce, readiness, waitForDelivery, waitForReadiness } from '../support/exactly-once';
import { startHub, type RunningHub } from '../support/hub';
import { TopicRecorder, uniquePrefix } from '../support/kafka';
import { answerAtCommitEnv } from '../support/senders';
import { planDossiers, Traffic } from '../support/traffic';

/**
 * The broker dies (SIGKILL) while one-stop systems keep sending. The hub answers after the database
 * commit, so senders must keep being accepted; once the broker is back, everything accepted must be on
 * the topic exactly once and in order.
 */
describe('resilience: Kafka broker crash mid-stream', () => {
  let db: TestDatabase;
  let hub: RunningHub;
  let recorder: TopicRecorder | null = null;
  const prefix = uniquePrefix('crash');
  const topics = topicNames(prefix);

  beforeAll(async () => {
    await ensureKafkaRunning();
    db = await freshDatabase();
    hub = await startHub({
      databaseUrl: db.url,
      topicPrefix: prefix,
      env: { RELAY_BATCH_SIZE: '50', ...answerAtCommitEnv() },
      upstream: false,
    });
  });

  afterAll(async () => {
    await recorder?.stop();
    await hub?.stop();
    await db?.drop();
    await ensureKafkaRunning();
    await deleteTopics(prefix);
  });

  it('keeps accepting while the broker is down, then delivers every accepted change exactly once', async () => {
    const plans = planDossiers(200, { tag: '260501', badEvery: 25 });
    const traffic = new Traffic(plans, {
      target: () => hub.url,
      concurrency: 4,
      paceMs: 60,
      giveUpAfterMs: 45_000,
    }).start();

    let whileDown: Awaited<ReturnType<typeof readiness>>;
    let acceptedWhileDown: number;
    try {
      await traffic.waitForAccepted(60);
      // something has already gone out, so the crash hits a relay that is publishing
      await waitForReadiness(hub.url, (r) => r.body.checks.relay.published > 0, 20_000);
      await crashKafka();
      const atCrash = traffic.accepted();
      const downSince = Date.now();
      await traffic.waitForAccepted(atCrash + 60, 20_000);
      whileDown = await waitForReadiness(
        hub.url,
        (r) =>
          !r.body.checks.kafka.ok &&
          (r.body.checks.relay.outboxPending ?? 0) > 0 &&
          r.body.checks.relay.consecutiveFailures > 0,
        20_000,
      ).catch(() => readiness(hub.url));
      acceptedWhileDown = traffic.accepted() - atCrash;
      await new Promise((r) => setTimeout(r, Math.max(0, 4_000 - (Date.now() - downSince))));
    } finally {
      await restartKafka();
    }
    await traffic.finished();
    console.log('traffic', traffic.summary(), 'accepted while the broker was down:', acceptedWhileDown);

    // while the broker was down: ready (the database answers), Kafka and the backlog reported
    expect(whileDown?.status).toBe(200);
    expect(whileDown?.body.checks.database.ok).toBe(true);
    expect(whileDown?.body.checks.kafka.ok).toBe(false);
    expect(whileDown?.body.checks.relay.outboxPending).toBeGreaterThan(0);
    expect(
      whileDown?.body.checks.relay.consecutiveFailures,
      JSON.stringify(whileDown?.body.checks.relay),
    ).toBeGreaterThan(0);
    expect(acceptedWhileDown).toBeGreaterThanOrEqual(60);

    recorder = new TopicRecorder([topics.events, topics.state, topics.deadLetters]);
    await recorder.start();
    await waitForDelivery(recorder, topics, db.url, { timeoutMs: 45_000 });

    const after = await waitForReadiness(
      hub.url,
      (r) =>
        r.body.checks.kafka.ok &&
        r.body.checks.relay.outboxPending === 0 &&
        r.body.checks.relay.consecutiveFailures === 0,
      20_000,
    );
    expect(after.status).toBe(200);

    const report = await checkExactlyOnce({
      recorder,
      topics,
      plans,
      outcomes: traffic.outcomes,
      databaseUrl: db.url,
      eventsPerDossier: 3, // received, two handovers (the first carries 2 -> 4)
    });
    expect(report.violations).toEqual([]);
    // every good request was eventually accepted, every bad one refused
    expect(report.acceptedRequests).toBe(plans.filter((p) => !p.bad).length * 2);
    expect(report.rejectedRequests).toBe(plans.filter((p) => p.bad).length);
    expect(report.events).toBe(plans.filter((p) => !p.bad).length * 3);
  });
});
