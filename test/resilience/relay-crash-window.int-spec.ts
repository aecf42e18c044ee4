import { afterEach, describe, expect, it } from 'vitest';
import { deleteTopics } from '../support/broker';
import { freshDatabase, type TestDatabase } from '../support/database';
import { distinctRecords, eventTopicViolations } from '../support/exactly-once';
import { TopicRecorder, uniquePrefix } from '../support/kafka';
import {
  FaultyStore,
  createTopics,
  interceptCommits,
  never,
  pendingRows,
  relayProcess,
  seedOutbox,
  type RelayProcess,
} from '../support/relay-rig';

/**
 * The relay's exactly-once claim, at its crash windows: claim (DB) -> messages + checkpoint in one
 * Kafka transaction -> mark (DB). A relay that dies anywhere in there, or stalls and comes back,
 * must never make a read_committed consumer see a row twice, and must lose nothing.
 */
describe('resilience: outbox relay crash windows', () => {
  const cleanup: (() => Promise<unknown>)[] = [];

  afterEach(async () => {
    for (const fn of cleanup.splice(0).reverse()) {
      await fn().catch((e: unknown) => console.warn(`cleanup: ${String(e)}`));
    }
  });

  async function rig(name: string): Promise<{
    db: TestDatabase;
    prefix: string;
    first: RelayProcess;
    spawn: () => Promise<RelayProcess>;
    recorder: TopicRecorder;
  }> {
    const db = await freshDatabase();
    const prefix = uniquePrefix(name);
    cleanup.push(
      () => deleteTopics(prefix),
      () => db.drop(),
    );
    const spawn = async (): Promise<RelayProcess> => {
      const p = await relayProcess(db.url, prefix);
      cleanup.push(() => p.kill());
      return p;
    };
    const first = await spawn();
    await createTopics(first.bus, first.topics);
    const recorder = new TopicRecorder([first.topics.events]);
    cleanup.push(() => recorder.stop());
    return { db, prefix, first, spawn, recorder };
  }

  /** Wait until the topic holds every id once the outbox is drained, then a little longer. */
  async function delivered(recorder: TopicRecorder, p: RelayProcess, ids: string[]): Promise<string[]> {
    await recorder.start();
    const want = new Set(ids);
    const end = Date.now() + 40_000;
    for (;;) {
      const seen = new Set(recorder.records.map((r) => r.headers['ce_id']));
      if ((await pendingRows(p.ds)) === 0 && [...want].every((id) => seen.has(id))) {
        break;
      }
      if (Date.now() > end) {
        throw new Error(
          `not delivered: ${await pendingRows(p.ds)} pending, ${[...want].filter((id) => !seen.has(id)).length} missing`,
        );
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    await new Promise((r) => setTimeout(r, 1_500));
    const records = distinctRecords(recorder.records);
    const violations = eventTopicViolations(records);
    const extra = records.filter((r) => !want.has(r.headers['ce_id'] ?? '')).length;
    if (extra > 0) {
      violations.push(`${extra} record(s) with unknown ce_id`);
    }
    if (records.length !== ids.length) {
      violations.push(`${records.length} records on the topic for ${ids.length} outbox rows`);
    }
    return violations;
  }

  it('mark fails once after the Kafka commit: the same relay recovers from the checkpoint', async () => {
    const { recorder, first: p } = await rig('mark-once');
    const ids = await seedOutbox(p.ds, p.topics, { dossiers: 20, perDossier: 6, tag: '260601' });
    let failed = 0;
    p.start(
      new FaultyStore(p.store, {
        markPublished: async (batchNo, inner) => {
          if (failed === 0 && batchNo >= 3n) {
            failed += 1;
            throw new Error('simulated: connection lost before the mark');
          }
          await inner.markPublished(batchNo);
        },
      }),
    );
    const violations = await delivered(recorder, p, ids);
    expect(failed).toBe(1);
    expect(p.errors.map((e) => e.stage)).toContain('mark');
    expect(violations).toEqual([]);
  });

  it('the commit reached Kafka but its answer was lost: recovery marks it, nothing is sent twice', async () => {
    const { recorder, first: p } = await rig('lost-ack');
    const ids = await seedOutbox(p.ds, p.topics, { dossiers: 20, perDossier: 6, tag: '260602' });
    interceptCommits(p.bus, async (commit, n) => {
      await commit();
      if (n === 3) {
        throw new Error('simulated: EndTxn answer lost');
      }
    });
    p.start();
    const violations = await delivered(recorder, p, ids);
    expect(p.errors.map((e) => e.stage)).toContain('publish');
    expect(violations).toEqual([]);
  });

  it('relay process dies between the Kafka commit and the mark: the next process publishes the rest exactly once', async () => {
    const { recorder, first: a, spawn } = await rig('dies-after-commit');
    const ids = await seedOutbox(a.ds, a.topics, { dossiers: 20, perDossier: 6, tag: '260603' });
    let died = false;
    a.start(
      new FaultyStore(a.store, {
        markPublished: async (batchNo, inner) => {
          if (batchNo >= 4n) {
            died = true;
            return never(); // frozen for good: the batch is on Kafka, the rows are not marked
          }
          await inner.markPublished(batchNo);
        },
      }),
    );
    await waitFor(() => died, 20_000);
    await a.kill();
    const b = await spawn();
    b.start();
    const violations = await delivered(recorder, b, ids);
    expect(violations).toEqual([]);
  });

  it('relay process dies inside the Kafka transaction (sent, never committed): nothing leaks, nothing is lost', async () => {
    const { recorder, first: a, spawn } = await rig('dies-in-txn');
    const ids = await seedOutbox(a.ds, a.topics, { dossiers: 20, perDossier: 6, tag: '260604' });
    let died = false;
    interceptCommits(a.bus, async (commit, n) => {
      if (n >= 3) {
        died = true;
        return never(); // messages and checkpoint sent in the open transaction, then the process is gone
      }
      await commit();
    });
    a.start();
    await waitFor(() => died, 20_000);
    await a.kill();
    const b = await spawn();
    b.start();
    const violations = await delivered(recorder, b, ids);
    expect(violations).toEqual([]);
  });

  it('a relay that stalls after claiming, past its lease, cannot publish its stale batch next to the new leader', async () => {
    const { recorder, first: a, spawn } = await rig('zombie');
    const ids = await seedOutbox(a.ds, a.topics, { dossiers: 20, perDossier: 6, tag: '260605' });
    let release: () => void = () => undefined;
    const gate = new Promise<void>((r) => (release = r));
    let stalled = false;
    // Stalls on its very first batch (e.g. a long GC pause or a slow network): lease expires meanwhile.
    a.start(
      new FaultyStore(a.store, {
        afterClaim: async () => {
          if (!stalled) {
            stalled = true;
            await gate;
          }
        },
      }),
    );
    await waitFor(() => stalled, 10_000);
    const b = await spawn();
    b.start();
    await waitFor(async () => (await pendingRows(b.ds)) === 0, 30_000);
    release(); // the stalled relay wakes up and carries on with what it claimed
    await new Promise((r) => setTimeout(r, 3_000));
    // more traffic after the zombie woke: the leader must still publish it, once
    ids.push(
      ...(await seedOutbox(b.ds, b.topics, { dossiers: 20, perDossier: 2, tag: '260605', fromSequence: 7 })),
    );
    const violations = await delivered(recorder, b, ids);
    await a.relay?.stop();
    expect(violations).toEqual([]);
  });

  it('a relay that lost its lease while stalled cannot re-claim rows the new leader is publishing', async () => {
    const { recorder, first: a, spawn } = await rig('zombie-claim');
    const ids = await seedOutbox(a.ds, a.topics, { dossiers: 20, perDossier: 6, tag: '260606' });
    const gateA = deferred();
    const gateB = deferred();
    let aStalled = false;
    let bStalled = false;
    // A stalls after taking the lease and recovering, right before it claims.
    a.start(
      new FaultyStore(a.store, {
        beforeClaim: async () => {
          if (!aStalled) {
            aStalled = true;
            await gateA.promise;
          }
        },
      }),
    );
    await waitFor(() => aStalled, 10_000);
    await new Promise((r) => setTimeout(r, 2_000)); // A's 1.5 s lease runs out
    // B takes over, and stalls holding its first claimed batch (its lease stays valid meanwhile).
    const b = await spawn();
    b.start(
      new FaultyStore(b.store, {
        afterClaim: async () => {
          if (!bStalled) {
            bStalled = true;
            await gateB.promise;
          }
        },
      }),
      { leaseTtlMs: 60_000 },
    );
    await waitFor(() => bStalled, 10_000);
    gateA.resolve(); // A wakes and claims while B's batch is in flight
    await new Promise((r) => setTimeout(r, 1_000));
    gateB.resolve();
    const violations = await delivered(recorder, b, ids);
    await a.relay?.stop();
    await b.relay?.stop();
    expect(violations).toEqual([]);
  });
});

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve: () => void = () => undefined;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

async function waitFor(check: () => boolean | Promise<boolean>, timeoutMs: number): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) {
      throw new Error(`condition not met after ${timeoutMs} ms`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}
