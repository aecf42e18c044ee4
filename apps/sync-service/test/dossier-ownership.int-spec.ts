import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import type { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EnvReader } from '@isohub/config';
import { topicNames } from '@isohub/events';
import { IngestStore, openDatabase } from '@isohub/persistence';
import { loadGuardsConfig, type OwnershipConfig } from '../src/config/guards.config';
import type { SenderConfig } from '../src/config/sync-service.config';
import { ownershipRefusals } from '../src/ingest/dossier-ownership';
import type { SenderIdentity } from '../src/ingest/ingest.types';
import { freshDatabase, type TestDatabase } from '../../../test/support/database';
import { DEV_SENDERS, OpenCpsClient, postJson, startHub, type RunningHub } from '../../../test/support/hub';
import { TopicRecorder, uniquePrefix } from '../../../test/support/kafka';

const H56 = '000.00.01.H56';
const OTHER = '000.00.02.H56';

const sender = (id: string, agency: string | null): SenderIdentity => ({
  id,
  profile: 'opencps',
  agency,
  applicantFields: [],
});
const senders = [
  { id: 'a', agency: H56 },
  { id: 'b', agency: OTHER },
] as SenderConfig[];

describe('dossier ownership rules (real PostgreSQL)', () => {
  let db: TestDatabase;
  let ds: DataSource;

  beforeAll(async () => {
    db = await freshDatabase();
    ds = await openDatabase({ url: db.url, poolMax: 2 });
  });

  afterAll(async () => {
    await ds?.destroy();
    await db?.drop();
  });

  const refusals = (config: OwnershipConfig, who: SenderIdentity, codes: string[]) =>
    new IngestStore(ds).transaction(async (tx) => {
      await tx.lockDossiers(codes);
      return ownershipRefusals(config, senders, tx, who, codes);
    });

  it('first-writer: the first sender owns the dossier; another may write only through a liên thông link', async () => {
    const rule: OwnershipConfig = { rule: 'first-writer', agencies: {}, links: {} };
    const code = `${H56}-251201-0001`;
    expect((await refusals(rule, sender('a', H56), [code])).size).toBe(0);
    expect((await refusals(rule, sender('a', H56), [code])).size).toBe(0);
    const refused = await refusals(rule, sender('b', OTHER), [code]);
    expect(refused.get(code)?.message).toContain('first written by sender a');
    const linked = { ...rule, links: { b: ['a'] } };
    expect((await refusals(linked, sender('b', OTHER), [code])).size).toBe(0);
    // the link let b write, it did not make b the owner
    const [row] = await ds.query<{ owner_sender: string }[]>(
      `SELECT owner_sender FROM dossier_state WHERE dossier_code = $1`,
      [code],
    );
    expect(row?.owner_sender).toBe('a');
  });

  it('agency-prefix: a sender writes only codes of its own agencies (or linked ones)', async () => {
    const rule: OwnershipConfig = { rule: 'agency-prefix', agencies: {}, links: {} };
    const mine = `${H56}-251201-0002`;
    const theirs = `${OTHER}-251201-0003`;
    const refused = await refusals(rule, sender('a', H56), [mine, theirs]);
    expect([...refused.keys()]).toEqual([theirs]);
    const linked = { ...rule, links: { a: [OTHER] } };
    expect((await refusals(linked, sender('a', H56), [mine, theirs])).size).toBe(0);
  });

  it('a madonvi outside the sender’s agencies is refused, not believed; `off` checks nothing', async () => {
    const code = `${H56}-251201-0004`;
    const rule: OwnershipConfig = { rule: 'first-writer', agencies: { a: [H56, OTHER] }, links: {} };
    expect((await refusals(rule, sender('a', OTHER), [code])).size).toBe(0);
    const refused = await refusals(rule, sender('a', '000.00.09.H56'), [code]);
    expect(refused.get(code)).toMatchObject({ field: '/madonvi' });
    const off: OwnershipConfig = { rule: 'off', agencies: {}, links: {} };
    expect((await refusals(off, sender('b', '000.00.09.H56'), [code])).size).toBe(0);
  });

  it('reads DOSSIER_OWNERSHIP and its file, refusing a malformed one', () => {
    const dir = mkdtempSync(join(tmpdir(), 'owner-'));
    const file = join(dir, 'ownership.json');
    writeFileSync(file, JSON.stringify({ agencies: { a: [H56] }, links: { b: ['a'] } }));
    const env = (vars: Record<string, string>) => loadGuardsConfig(new EnvReader(vars)).ownership;
    expect(env({ DOSSIER_OWNERSHIP: 'first-writer', DOSSIER_OWNERSHIP_FILE: file })).toEqual({
      rule: 'first-writer',
      agencies: { a: [H56] },
      links: { b: ['a'] },
    });
    expect(() => env({ DOSSIER_OWNERSHIP: 'whoever' })).toThrow(/DOSSIER_OWNERSHIP/);
    writeFileSync(file, JSON.stringify({ links: { b: 'a' } }));
    expect(() => env({ DOSSIER_OWNERSHIP_FILE: file })).toThrow(/links\.b/);
  });
});

describe('dossier ownership in the hub: another sender’s write is dead-lettered with the reason', () => {
  let db: TestDatabase;
  let hub: RunningHub;
  let recorder: TopicRecorder;
  const prefix = uniquePrefix('owner');
  const topics = topicNames(prefix);

  beforeAll(async () => {
    db = await freshDatabase();
    hub = await startHub({
      databaseUrl: db.url,
      topicPrefix: prefix,
      env: { DOSSIER_OWNERSHIP: 'first-writer' },
    });
    recorder = new TopicRecorder([topics.events]);
    await recorder.start();
  });

  afterAll(async () => {
    await recorder?.stop();
    await hub?.stop();
    await db?.drop();
  });

  it('first-writer: the Thanh Hóa sender cannot rewrite the OpenCPS sender’s dossier', async () => {
    const code = `${H56}-251202-0001`;
    const item = { MaHoSo: code, MaTTHC: '1.001193', TrangThaiHoSo: '2', NgayTiepNhan: '20251202090000' };
    expect((await new OpenCpsClient(hub.url).send('DongBoHoSoMC', [item])).status).toBe(200);
    await recorder.waitFor((rs) => rs.some((r) => r.key === code), 15_000);

    const takeover = await postJson(`${hub.url}/dvcqg/th/${DEV_SENDERS.thanhhoaKey}/CapNhat`, [
      { ...item, TrangThaiHoSo: '10', NgayKetThucXuLy: '20251202100000' },
    ]);
    // A transparent tee answers with the portal's answer; what isohub stores is the dead letter below.
    expect(takeover.status).toBeLessThan(500);
    const sql = new Client({ connectionString: db.url });
    await sql.connect();
    try {
      const { rows } = await sql.query<{ source_system: string; reason: string }>(
        `SELECT source_system, reason FROM dead_letter WHERE dossier_code = $1`,
        [code],
      );
      expect(rows).toEqual([
        {
          source_system: 'thanhhoa-demo',
          reason: expect.stringContaining('first written by sender opencps-demo') as string,
        },
      ]);
    } finally {
      await sql.end();
    }
    await new Promise((r) => setTimeout(r, 500));
    expect(recorder.records.filter((r) => r.key === code)).toHaveLength(1);
  });
});
