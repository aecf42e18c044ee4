import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fromKafkaRecord, topicNames, type SequencedEvent } from '@isohub/events';
import { milestoneForTransition } from '@isohub/mapping';
import { MappingStore, type StatusMapping } from '@isohub/persistence';
import { freshDatabase, type TestDatabase } from '../../../test/support/database';
import { startHub, type RunningHub } from '../../../test/support/hub';
import { TopicRecorder, uniquePrefix } from '../../../test/support/kafka';
import { startSandbox, writeSandboxPullSources } from '../../../test/support/onestop-sandbox';
import { ProcedureResolverService } from '../src/ingest/procedure-resolver.service';
import { PollingService } from '../src/polling/polling.service';

const SOURCE = 'opencps-api-mapped';
/** The admins' name for the site: the pull source's `sourceSystem`, not its id. */
const SOURCE_SYSTEM = 'opencps-site-h56';
const COUNT = 6;

interface TruthDossier {
  code: string;
  statuses: number[];
  kinds: string[];
}

/**
 * The site's file table lacks two rows the admin console then publishes: `processing/tiep_nhan` (so a
 * reception reads as plain processing, 4) and `releasing` (unmapped: no national status, flagged).
 */
const FILE_TABLE = [
  { status: 'new', national: 1 },
  { status: 'processing', subStatus: 'cho_thanh_toan', national: 6 },
  { status: 'processing', national: 4 },
  { status: 'waiting', national: 5 },
  { status: 'denied', national: 3 },
  { status: 'cancelled', national: 7 },
  { status: 'unresolved', national: 8 },
  { status: 'done', national: 10 },
];

const published = (over: Partial<StatusMapping>): StatusMapping => ({
  sourceSystem: SOURCE_SYSTEM,
  status: 'processing',
  subStatus: '*',
  validFrom: '2025-01-01',
  nationalStatus: 4,
  milestone: 'STEP_HANDOVER',
  agencyCode: null,
  note: null,
  ...over,
});

/**
 * Receptions whose own row read as plain processing (4): the mapper replays the reception, then a
 * 2 -> 4 change (the row's handover) at the same moment.
 */
const receptionsReadAsProcessing = (events: SequencedEvent[]): SequencedEvent[] =>
  events.filter(
    (e) =>
      e.data.milestone === 'DOSSIER_RECEIVED' &&
      events.some(
        (f) =>
          f.subject === e.subject &&
          (f.data.milestone === 'STATUS_CHANGED' || f.data.milestone === 'STEP_HANDOVER') &&
          f.data.occurredAt === e.data.occurredAt &&
          f.data.status.national === 4,
      ),
  );

/**
 * sandbox one-stop API -> pull source -> events, before and after an admin publishes status mappings for
 * the source system (through MappingStore on the real database, as the admin API does).
 */
describe('pull sources use the published status mappings', () => {
  let db: TestDatabase;
  let hub: RunningHub;
  let sandbox: Awaited<ReturnType<typeof startSandbox>>;
  let recorder: TopicRecorder;
  let polling: PollingService;
  let pg: Client;
  let admin: DataSource;
  const prefix = uniquePrefix('pullmap');
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
  const loadDay = (date: string) =>
    site('/scenario', { seed: `pullmap-${date}`, count: COUNT, date, clockAt: 'end', speed: 0 });
  /** The day's dossiers as the site knows them, after a poll (days only move forward: the cursor does). */
  const pollDay = async (): Promise<TruthDossier[]> => {
    // a run already under way (the poller starts with the hub) may have read the site before the scenario
    await polling.pollNow(SOURCE);
    await polling.pollNow(SOURCE);
    return ((await site('/truth')) as { dossiers: TruthDossier[] }).dossiers;
  };
  /** The dossiers' events once everything stored has reached Kafka. */
  const eventsOf = async (codes: string[]): Promise<Map<string, SequencedEvent[]>> => {
    const { rows } = await pg.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM dossier_event WHERE dossier_code = ANY($1)`,
      [codes],
    );
    const mine = () => recorder.of(topics.events).filter((r) => r.key !== null && codes.includes(r.key));
    await recorder.waitFor(() => mine().length >= (rows[0]?.n ?? 0), 90_000);
    const out = new Map<string, SequencedEvent[]>(codes.map((c) => [c, []]));
    for (const r of mine()) {
      out.get(r.key as string)?.push(fromKafkaRecord(r.headers, r.value));
    }
    return out;
  };

  beforeAll(async () => {
    db = await freshDatabase();
    pg = new Client({ connectionString: db.url });
    await pg.connect();
    sandbox = await startSandbox();
    await loadDay('2025-07-01');
    const sourcesFile = writeSandboxPullSources({
      sandboxUrl: sandbox.url,
      source: { id: SOURCE, sourceSystem: SOURCE_SYSTEM, pageSize: 10, statusTable: FILE_TABLE },
    });
    recorder = new TopicRecorder([topics.events]);
    hub = await startHub({
      databaseUrl: db.url,
      topicPrefix: prefix,
      env: { PULL_SOURCES_FILE: sourcesFile, MAPPING_RELOAD_MS: '200' },
    });
    await recorder.start();
    polling = hub.app.get(PollingService);
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

  it('maps with the file table while nothing is published, and flags the status it lacks', async () => {
    const day = await pollDay();
    expect(day.some((d) => d.statuses.includes(9))).toBe(true);
    const events = [...(await eventsOf(day.map((d) => d.code))).values()].flat();
    expect(events.length).toBeGreaterThan(0);
    expect(new Set(events.map((e) => e.data.mappingVersion))).toEqual(new Set(['config-1']));
    // reception reads as plain processing (4: the reception is replayed, then a bare status change);
    // a finished dossier has no national status for `releasing`
    expect(receptionsReadAsProcessing(events).length).toBeGreaterThan(0);
    expect(events.some((e) => e.data.milestone === 'RESULT_READY')).toBe(false);
    const flags = polling.statuses().find((s) => s.id === SOURCE)?.status.flags ?? [];
    expect(flags).toContainEqual(expect.objectContaining({ code: 'unmapped-status', detail: 'releasing' }));
  });

  it('picks up a newly published version: its rows first, the file for the rest, its version on the events', async () => {
    const mappings = new MappingStore(admin);
    await mappings.save(
      'admin',
      'status',
      published({ subStatus: 'tiep_nhan', nationalStatus: 2, milestone: 'DOSSIER_RECEIVED' }),
    );
    await mappings.save(
      'admin',
      'status',
      published({ status: 'releasing', nationalStatus: 9, milestone: 'RESULT_READY' }),
    );
    // not yet in force on the day's date: `done` stays the file's 10
    await mappings.save(
      'admin',
      'status',
      published({
        status: 'done',
        validFrom: '2030-01-01',
        nationalStatus: 7,
        milestone: 'WITHDRAWAL_REQUESTED',
      }),
    );
    // another source system's row changes nothing here
    await mappings.save('admin', 'status', published({ sourceSystem: SOURCE, nationalStatus: 8 }));
    const { version } = await mappings.publish('admin');
    expect(version).toBe('m-1');
    const resolver = hub.app.get(ProcedureResolverService);
    const end = Date.now() + 10_000;
    while (resolver.mappingVersion() !== version && Date.now() < end) {
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(resolver.mappingVersion()).toBe(version);

    await loadDay('2025-07-02');
    const day = await pollDay();
    const events = await eventsOf(day.map((d) => d.code));
    const all = [...events.values()].flat();
    expect(new Set(all.map((e) => e.data.mappingVersion))).toEqual(new Set(['m-1']));
    expect(receptionsReadAsProcessing(all)).toEqual([]);
    const received = all.filter((e) => e.data.milestone === 'DOSSIER_RECEIVED');
    expect(received.length).toBeGreaterThan(0);
    expect(received.every((e) => e.data.status.national === 2)).toBe(true);
    expect(
      all.filter((e) => e.data.milestone === 'RESULT_READY').every((e) => e.data.status.national === 9),
    ).toBe(true);
    // published rows + the file's give the site's whole table: each dossier's life reads as the truth
    for (const d of day) {
      const evs = events.get(d.code) ?? [];
      const expected: string[] = [];
      let prev: number | null = null;
      for (const s of d.statuses) {
        // one event per action: its milestone, or its handover when it is no other milestone
        const m = s === prev ? 'STEP_HANDOVER' : (milestoneForTransition(prev, s) ?? 'STATUS_CHANGED');
        expected.push(m === 'STATUS_CHANGED' && s === 4 ? 'STEP_HANDOVER' : m);
        prev = s;
      }
      expect(
        evs.map((e) => e.data.milestone).filter((m) => m !== 'DEADLINE_EXTENDED'),
        d.code,
      ).toEqual(expected);
      expect(evs.at(-1)?.data.status.national, d.code).toBe(d.statuses.at(-1));
    }
    expect(day.some((d) => d.statuses.at(-1) === 10)).toBe(true);
  });
});
