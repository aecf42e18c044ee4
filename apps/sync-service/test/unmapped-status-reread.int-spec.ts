import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fromKafkaRecord, topicNames, type SequencedEvent } from '@isohub/events';
import { MappingStore, UnmappedStatusStore, type UnmappedStatusItem } from '@isohub/persistence';
import { freshDatabase, type TestDatabase } from '../../../test/support/database';
import { startHub, type RunningHub } from '../../../test/support/hub';
import { TopicRecorder, uniquePrefix } from '../../../test/support/kafka';
import { startSandbox, writeSandboxPullSources } from '../../../test/support/onestop-sandbox';
import { ProcedureResolverService } from '../src/ingest/procedure-resolver.service';
import { PollingService } from '../src/polling/polling.service';

const SOURCE = 'opencps-api-reread';
const SOURCE_SYSTEM = 'opencps-site-reread';
const COUNT = 8;

/** The site's table without `releasing` (national 9): those changes go on without a national status. */
const FILE_TABLE = [
  { status: 'new', national: 1 },
  { status: 'processing', subStatus: 'tiep_nhan', national: 2 },
  { status: 'processing', subStatus: 'cho_thanh_toan', national: 6 },
  { status: 'processing', national: 4 },
  { status: 'waiting', national: 5 },
  { status: 'denied', national: 3 },
  { status: 'cancelled', national: 7 },
  { status: 'unresolved', national: 8 },
  { status: 'done', national: 10 },
];

interface TruthDossier {
  code: string;
  statuses: number[];
}

/**
 * sandbox one-stop API -> pull source with a status it cannot map -> the persistent queue (across a hub
 * restart) -> an admin publishes the mapping (MappingStore, as the admin API does) -> the queue row leaves in
 * the publish transaction and the sync service reads the affected dossiers again: the mapped events follow
 * on Kafka, once per id, in order per dossier.
 */
describe('unmapped vendor statuses: queued, then read again once mapped', () => {
  let db: TestDatabase;
  let hub: RunningHub;
  let sandbox: Awaited<ReturnType<typeof startSandbox>>;
  let recorder: TopicRecorder;
  let pg: Client;
  let admin: DataSource;
  let sourcesFile: string;
  let day: TruthDossier[];
  let before: Map<string, SequencedEvent[]>;
  const prefix = uniquePrefix('reread');
  const topics = topicNames(prefix);

  const site = async (path: string, body?: unknown): Promise<unknown> => {
    const res = await fetch(`${sandbox.url}/_sandbox/onestop-api${path}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers: { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    expect(res.status).toBeLessThan(300);
    return res.json();
  };
  const boot = () =>
    startHub({
      databaseUrl: db.url,
      topicPrefix: prefix,
      env: { PULL_SOURCES_FILE: sourcesFile, MAPPING_RELOAD_MS: '200' },
    });
  const poll = async (): Promise<void> => {
    const polling = hub.app.get(PollingService);
    // a run already under way (the poller starts with the hub) may have read the site before the scenario
    await polling.pollNow(SOURCE);
    await polling.pollNow(SOURCE);
  };
  /** The dossiers' events once everything stored has reached Kafka, in arrival order. */
  const eventsOf = async (codes: string[]): Promise<Map<string, SequencedEvent[]>> => {
    const { rows } = await pg.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM dossier_event WHERE dossier_code = ANY($1)`,
      [codes],
    );
    const mine = () => recorder.of(topics.events).filter((r) => r.key !== null && codes.includes(r.key));
    await recorder.waitFor(() => mine().length >= (rows[0]?.n ?? 0), 90_000);
    expect(mine().length).toBe(rows[0]?.n);
    const out = new Map<string, SequencedEvent[]>(codes.map((c) => [c, []]));
    for (const r of mine()) {
      out.get(r.key as string)?.push(fromKafkaRecord(r.headers, r.value));
    }
    return out;
  };
  const queued = async (): Promise<UnmappedStatusItem[]> =>
    (await new UnmappedStatusStore(admin).list({ sourceSystem: SOURCE_SYSTEM, state: 'all' })).items;

  beforeAll(async () => {
    db = await freshDatabase();
    pg = new Client({ connectionString: db.url });
    await pg.connect();
    sandbox = await startSandbox();
    await site('/scenario', { seed: 'reread-1', count: COUNT, date: '2025-07-01', clockAt: 'end', speed: 0 });
    sourcesFile = writeSandboxPullSources({
      sandboxUrl: sandbox.url,
      source: { id: SOURCE, sourceSystem: SOURCE_SYSTEM, pageSize: 5, statusTable: FILE_TABLE },
    });
    recorder = new TopicRecorder([topics.events]);
    hub = await boot();
    await recorder.start();
    admin = new DataSource({ type: 'postgres', url: db.url });
    await admin.initialize();
  });

  afterAll(async () => {
    await admin?.destroy();
    await recorder?.stop();
    await hub?.stop();
    await sandbox?.stop();
    await pg?.end();
    await db?.drop();
  });

  it('sends the changes on without a national status and queues the status with counts and samples', async () => {
    await poll();
    day = ((await site('/truth')) as { dossiers: TruthDossier[] }).dossiers;
    const affected = day.filter((d) => d.statuses.includes(9)).map((d) => d.code);
    expect(affected.length).toBeGreaterThan(0);
    before = await eventsOf(day.map((d) => d.code));
    const all = [...before.values()].flat();
    expect(all.some((e) => e.data.status.national === 9)).toBe(false);
    // the releasing action still reaches Kafka: its step handover, at the status the dossier had before
    for (const code of affected) {
      expect(
        before.get(code)?.some((e) => e.data.milestone === 'STEP_HANDOVER'),
        code,
      ).toBe(true);
    }

    const rows = await queued();
    expect(rows.map((r) => [r.status, r.subStatus])).toEqual([['releasing', '']]);
    const row = rows[0];
    if (!row) {
      throw new Error('no queue row');
    }
    expect(row.occurrences).toBeGreaterThanOrEqual(affected.length);
    expect(row.affectedDossiers).toBe(affected.length);
    expect(row.sampleDossiers.length).toBe(Math.min(10, affected.length));
    expect(affected).toEqual(expect.arrayContaining(row.sampleDossiers));
    expect(row.draft).toBeNull();

    // a re-poll of the same history (here: the whole day from the start) counts nothing again
    await pg.query(`UPDATE source_cursor SET cursor = NULL, version = version + 1 WHERE source_id = $1`, [
      SOURCE,
    ]);
    await poll();
    expect((await queued())[0]?.occurrences).toBe(row.occurrences);
  });

  it('keeps the queue across a hub restart; a publish takes the status out and the dossiers are read again', async () => {
    await hub.stop();
    hub = await boot();
    await poll();
    const kept = await queued();
    expect(kept.map((r) => r.status)).toEqual(['releasing']);

    const mappings = new MappingStore(admin);
    await mappings.save('admin', 'status', {
      sourceSystem: SOURCE_SYSTEM,
      status: 'releasing',
      subStatus: '*',
      validFrom: '2025-01-01',
      nationalStatus: 9,
      milestone: 'RESULT_READY',
      agencyCode: null,
      note: null,
    });
    expect((await queued())[0]?.draft).toEqual({
      nationalStatus: 9,
      milestone: 'RESULT_READY',
      subStatus: '*',
    });
    const published = await mappings.publish('admin');
    expect(published.resolvedUnmappedStatuses).toEqual([
      { sourceSystem: SOURCE_SYSTEM, status: 'releasing', subStatus: '' },
    ]);
    expect(await queued()).toEqual([]);
    const { rows: waiting } = await pg.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM unmapped_status_dossier WHERE source_id = $1`,
      [SOURCE],
    );
    expect(waiting[0]?.n).toBe(kept[0]?.affectedDossiers);

    const resolver = hub.app.get(ProcedureResolverService);
    const end = Date.now() + 10_000;
    while (resolver.mappingVersion() !== published.version && Date.now() < end) {
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(resolver.mappingVersion()).toBe(published.version);
    await poll();

    const { rows: left } = await pg.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM unmapped_status_dossier WHERE source_id = $1`,
      [SOURCE],
    );
    expect(left[0]?.n).toBe(0);
    expect(await queued()).toEqual([]);
    expect(hub.app.get(PollingService).statuses()[0]?.status.rereadDossiersTotal).toBe(
      kept[0]?.affectedDossiers,
    );

    const after = await eventsOf(day.map((d) => d.code));
    const ids = [...after.values()].flat().map((e) => e.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const d of day) {
      const old = before.get(d.code) ?? [];
      const evs = after.get(d.code) ?? [];
      // per dossier: contiguous sequences, the earlier events first and unchanged
      expect(
        evs.map((e) => e.sequence),
        d.code,
      ).toEqual(evs.map((_, i) => i + 1));
      expect(
        evs.slice(0, old.length).map((e) => e.id),
        d.code,
      ).toEqual(old.map((e) => e.id));
      const added = evs.slice(old.length);
      if (!d.statuses.includes(9)) {
        expect(added, d.code).toEqual([]);
        continue;
      }
      expect(added.length, d.code).toBeGreaterThan(0);
      expect(new Set(added.map((e) => e.data.mappingVersion))).toEqual(new Set([published.version]));
      // what the re-read adds: the releasing step handovers again, now at national status 9 when the
      // dossier's status can still move there, and RESULT_READY before them
      for (const e of added) {
        expect(['STEP_HANDOVER', 'RESULT_READY'], d.code).toContain(e.data.milestone);
        if (e.data.milestone === 'STEP_HANDOVER') {
          expect(
            old.some(
              (o) =>
                o.data.milestone === 'STEP_HANDOVER' &&
                o.data.handover?.handedOverAt === e.data.handover?.handedOverAt,
            ),
            d.code,
          ).toBe(true);
        }
      }
      if (d.statuses.at(-1) === 9) {
        const ready = added.find((e) => e.data.milestone === 'RESULT_READY');
        expect(ready?.data.status.national, d.code).toBe(9);
        expect(evs.at(-1)?.data.status.national, d.code).toBe(9);
      }
    }
    expect(day.some((d) => d.statuses.at(-1) === 9)).toBe(true);
  });
});
