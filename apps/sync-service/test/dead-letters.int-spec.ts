import { Client } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fromKafkaRecord, topicNames } from '@isohub/events';
import { HousekeepingService } from '../src/relay/housekeeping.service';
import { freshDatabase, type TestDatabase } from '../../../test/support/database';
import { OpenCpsClient, startHub, type RunningHub } from '../../../test/support/hub';
import { TopicRecorder, uniquePrefix } from '../../../test/support/kafka';

const OPS = { authorization: 'Bearer dev-only-ops-token-change-me' };
const AGENCY = '000.00.01.H56';

interface Summary {
  id: string;
  field: string | null;
  reasonCode: string;
  replayedAt: string | null;
  payloadBytes: number;
  payload?: string;
}

interface OpsBody {
  items?: Summary[];
  payload?: string;
  errors?: unknown[];
  replayedAt?: string | null;
  replayed?: boolean;
}

/** Issue 3 §5: dead letters keep the original payload and context; they can be listed and replayed. */
describe('dead letters: list, read, replay', () => {
  let db: TestDatabase;
  let hub: RunningHub;
  let recorder: TopicRecorder;
  const prefix = uniquePrefix('dlq');
  const topics = topicNames(prefix);

  const ops = async (path: string, init: RequestInit = {}): Promise<{ status: number; body: OpsBody }> => {
    const res = await fetch(`${hub.url}${path}`, { ...init, headers: { ...OPS, ...(init.headers ?? {}) } });
    return { status: res.status, body: (await res.json()) as OpsBody };
  };

  beforeAll(async () => {
    db = await freshDatabase();
    hub = await startHub({ databaseUrl: db.url, topicPrefix: prefix, env: { OUTBOX_RETAIN_HOURS: '0' } });
    recorder = new TopicRecorder([topics.events]);
    await recorder.start();
  });

  afterAll(async () => {
    await recorder?.stop();
    await hub?.stop();
    await db?.drop();
  });

  it('lists without payloads, shows one with its original bytes, refuses without the ops token', async () => {
    const client = new OpenCpsClient(hub.url);
    const code = `${AGENCY}-260501-0001`;
    const bad = { MaHoSo: code, MaTTHC: '1.001193', TrangThaiHoSo: '42', NgayTiepNhan: '20260501090000' };
    // The portal's answer is the sender's (the tee is transparent); isohub dead-letters what it cannot read.
    expect((await client.send('DongBoHoSoMC', [bad])).status).toBe(200);

    expect((await fetch(`${hub.url}/ops/dead-letters`)).status).toBe(401);
    const list = await ops('/ops/dead-letters');
    expect(list.status).toBe(200);
    const item = (list.body.items ?? []).find((i) => i.field === '/TrangThaiHoSo');
    expect(item).toBeDefined();
    expect(item?.payload).toBeUndefined();
    const one = await ops(`/ops/dead-letters/${item?.id}`);
    expect(JSON.parse(one.body.payload ?? '')).toEqual(bad);

    // still bad: replay is refused, naming the field, and the letter stays open
    const replay = await ops(`/ops/dead-letters/${item?.id}/replay`, { method: 'POST' });
    expect(replay.status).toBe(422);
    expect(JSON.stringify(replay.body.errors)).toContain('/TrangThaiHoSo');
    expect((await ops(`/ops/dead-letters/${item?.id}`)).body.replayedAt).toBeNull();
  });

  it('replays a letter that the hub now accepts: events on Kafka, letter closed, second replay harmless', async () => {
    // A dead letter kept from an older, stricter hub (e.g. before a sender rule was added).
    const code = `${AGENCY}-260501-0002`;
    const item = { MaHoSo: code, MaTTHC: '1.001193', TrangThaiHoSo: '2', NgayTiepNhan: '20260501100000' };
    const sql = new Client({ connectionString: db.url });
    await sql.connect();
    const inserted = await sql.query<{ id: string }>(
      `INSERT INTO dead_letter (source_system, protocol, operation, reason_code, reason, field, dossier_code,
                                item_index, payload, payload_sha256)
       VALUES ('opencps-demo', 'dvcqg-tee', 'DongBoHoSoMC', 'REQUIRED', 'older rule', '/X', $1, 0, $2, 'x')
       RETURNING id`,
      [code, Buffer.from(JSON.stringify(item))],
    );
    await sql.end();
    const id = inserted.rows[0]?.id;

    const replay = await ops(`/ops/dead-letters/${id}/replay`, { method: 'POST' });
    expect(replay.status).toBe(200);
    expect(replay.body.replayed).toBe(true);
    await recorder.waitFor((rs) => rs.some((r) => r.key === code));
    const [event] = recorder.records
      .filter((r) => r.key === code)
      .map((r) => fromKafkaRecord(r.headers, r.value));
    expect(event?.data.milestone).toBe('DOSSIER_RECEIVED');

    const open = await ops('/ops/dead-letters');
    expect((open.body.items ?? []).some((i) => i.id === id)).toBe(false);
    const all = await ops('/ops/dead-letters?state=all');
    expect((all.body.items ?? []).find((i) => i.id === id)?.replayedAt).not.toBeNull();

    // replaying again stores nothing new: same event ids
    expect((await ops(`/ops/dead-letters/${id}/replay`, { method: 'POST' })).status).toBe(200);
    await new Promise((r) => setTimeout(r, 800));
    expect(recorder.records.filter((r) => r.key === code)).toHaveLength(1);
  });

  it('filters by reason, dossier and time; discards a letter once, keeping it, by name', async () => {
    const client = new OpenCpsClient(hub.url);
    const code = `${AGENCY}-260501-0003`;
    const bad = { MaHoSo: code, MaTTHC: '1.001193', TrangThaiHoSo: '77', NgayTiepNhan: '20260501090000' };
    // The portal's answer is the sender's (the tee is transparent); isohub dead-letters what it cannot read.
    expect((await client.send('DongBoHoSoMC', [bad])).status).toBe(200);
    const mine = await ops(`/ops/dead-letters?dossierCode=${encodeURIComponent(code)}`);
    expect(mine.body.items).toHaveLength(1);
    const letter = mine.body.items?.[0];
    const reason = letter?.reasonCode ?? '';
    expect((await ops(`/ops/dead-letters?reasonCode=${reason}&dossierCode=${code}`)).body.items).toHaveLength(
      1,
    );
    expect((await ops(`/ops/dead-letters?reasonCode=NO_SUCH_REASON`)).body.items).toEqual([]);
    expect((await ops(`/ops/dead-letters?dossierCode=${code}&from=2999-01-01`)).body.items).toEqual([]);
    expect((await ops(`/ops/dead-letters?dossierCode=${code}&to=2000-01-01`)).body.items).toEqual([]);
    expect((await ops('/ops/dead-letters?from=yesterday')).status).toBe(400);
    expect((await ops('/ops/dead-letters?state=gone')).status).toBe(400);

    const discard = (by: unknown) =>
      ops(`/ops/dead-letters/${letter?.id}/discard`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ by }),
      });
    expect((await discard('')).status).toBe(400);
    const done = await discard('admin-h56');
    expect(done.status).toBe(200);
    expect(done.body).toMatchObject({ id: letter?.id, discardedBy: 'admin-h56', replayedAt: null });
    expect((await discard('admin-h56')).status).toBe(409);
    expect(
      (await ops('/ops/dead-letters/999999999/discard', { method: 'POST', body: '{"by":"x"}' })).status,
    ).toBe(404);
    // Gone from the open list, kept (with its payload) under "discarded".
    expect((await ops(`/ops/dead-letters?dossierCode=${code}`)).body.items).toEqual([]);
    const kept = await ops(`/ops/dead-letters?state=discarded&dossierCode=${code}`);
    expect(kept.body.items?.map((i) => i.id)).toEqual([letter?.id]);
    expect(JSON.parse((await ops(`/ops/dead-letters/${letter?.id}`)).body.payload ?? '')).toEqual(bad);
  });

  it('housekeeping purges published outbox rows and keeps unpublished ones', async () => {
    await new Promise((r) => setTimeout(r, 500));
    const sql = new Client({ connectionString: db.url });
    await sql.connect();
    try {
      const count = async (where: string): Promise<number> =>
        (await sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM outbox WHERE ${where}`)).rows[0]?.n ??
        -1;
      expect(await count('published_at IS NOT NULL')).toBeGreaterThan(0);
      await sql.query(
        `INSERT INTO outbox (aggregatetype, aggregateid, type, topic, payload, held_key)
         VALUES ('dossier', 'x', 't', 'never-published', '\\x7b7d', 'opencps-demo UNKNOWN')`,
      );
      const purged = await hub.app.get(HousekeepingService).runOnce();
      expect(purged.outbox).toBeGreaterThan(0);
      expect(await count('published_at IS NOT NULL')).toBe(0);
      expect(await count('published_at IS NULL')).toBe(1);
    } finally {
      await sql.end();
    }
  });
});
