import { Client } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { topicNames } from '@isohub/events';
import { deleteTopics } from '../support/broker';
import { freshDatabase, type TestDatabase } from '../support/database';
import { checkExactlyOnce, readiness, waitForDelivery, waitForReadiness } from '../support/exactly-once';
import { startHub, type RunningHub } from '../support/hub';
import { TopicRecorder, uniquePrefix } from '../support/kafka';
import { answerAtCommitEnv } from '../support/senders';
import { planDossiers, Traffic } from '../support/traffic';

/**
 * The hub loses its database mid-stream: every connection is terminated, and for a few seconds no new
 * one is allowed. Requests then get 503 problem+json (never "thành công"); senders retry the same
 * bodies; afterwards the hub must carry on without a restart, and what it accepted must reach Kafka
 * exactly once.
 */
describe('resilience: database connection loss', () => {
  let db: TestDatabase;
  let hub: RunningHub;
  let recorder: TopicRecorder | null = null;
  const prefix = uniquePrefix('dbloss');
  const topics = topicNames(prefix);
  const dbName = (): string => new URL(db.url).pathname.slice(1);

  /** Runs SQL on the server's maintenance database, not the hub's. */
  async function admin(sql: string): Promise<number> {
    const c = new Client({ connectionString: process.env.DATABASE_URL });
    await c.connect();
    try {
      return (await c.query(sql)).rowCount ?? 0;
    } finally {
      await c.end();
    }
  }

  const terminateAll = (): Promise<number> =>
    admin(
      `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '${dbName()}' AND pid <> pg_backend_pid()`,
    );

  beforeAll(async () => {
    db = await freshDatabase();
    hub = await startHub({
      databaseUrl: db.url,
      topicPrefix: prefix,
      env: { RELAY_BATCH_SIZE: '20', ...answerAtCommitEnv() },
      upstream: false,
    });
  });

  afterAll(async () => {
    await admin(`ALTER DATABASE ${dbName()} ALLOW_CONNECTIONS true`).catch(() => undefined);
    await recorder?.stop();
    await hub?.stop();
    await db?.drop();
    await deleteTopics(prefix);
  });

  it('answers 503 during the outage, recovers by itself, and delivers every accepted change exactly once', async () => {
    const plans = planDossiers(160, { tag: '260701', badEvery: 20 });
    const traffic = new Traffic(plans, {
      target: () => hub.url,
      concurrency: 4,
      paceMs: 30,
      giveUpAfterMs: 45_000,
    }).start();

    let terminated = 0;
    let duringOutage: Awaited<ReturnType<typeof readiness>>;
    await traffic.waitForAccepted(60);
    // 1. a blip: every connection killed, reconnecting allowed (transactions and relay rounds cut short)
    for (let i = 0; i < 5; i += 1) {
      terminated += await terminateAll();
      await new Promise((r) => setTimeout(r, 150));
    }
    await traffic.waitForAccepted(traffic.accepted() + 40, 20_000);
    // 2. an outage: connections killed and refused for a few seconds
    try {
      await admin(`ALTER DATABASE ${dbName()} ALLOW_CONNECTIONS false`);
      terminated += await terminateAll();
      await new Promise((r) => setTimeout(r, 1_500));
      duringOutage = await readiness(hub.url);
      await new Promise((r) => setTimeout(r, 2_000));
    } finally {
      await admin(`ALTER DATABASE ${dbName()} ALLOW_CONNECTIONS true`);
    }
    await traffic.finished();
    const summary = traffic.summary();
    console.log('traffic', summary, 'connections terminated:', terminated);

    expect(terminated).toBeGreaterThan(0);
    expect(duringOutage?.status).toBe(503);
    expect(duringOutage?.body.checks.database.ok).toBe(false);
    // the outage was felt by senders, as 503s
    expect(summary['http-503'] ?? 0).toBeGreaterThan(0);

    // the same hub, no restart: ready again, relay running
    await waitForReadiness(hub.url, (r) => r.status === 200 && r.body.checks.database.ok, 20_000);

    recorder = new TopicRecorder([topics.events, topics.state, topics.deadLetters]);
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
    expect(report.rejectedRequests).toBe(plans.filter((p) => p.bad).length);
    expect(report.events).toBe(plans.filter((p) => !p.bad).length * 3);
    await waitForReadiness(hub.url, (r) => r.body.checks.relay.consecutiveFailures === 0, 10_000);
  });
});
