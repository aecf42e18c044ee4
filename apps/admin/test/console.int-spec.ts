import { Client } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AdminStack } from '../../../test/support/admin-stack';
import { type ConsoleStack, startConsoleStack } from '../../../test/support/console-stack';
import { type TestDatabase, freshDatabase } from '../../../test/support/database';
import { OpenCpsClient, type RunningHub } from '../../../test/support/hub';
import type { TestBrowser } from '../../../test/support/sso-browser';
import { AGENCY, progressRow, snapshot } from '../../../test/support/traffic';

/**
 * The console's dossier and dead-letter routes over a real sync service (real ingest, PostgreSQL,
 * Kafka): search by part of a code within the user's agencies, the dossier's events and dead letters,
 * dead letters listed, filtered, read masked, discarded and replayed by an admin only, each audited.
 */
const OPS_TOKEN = 'console-test-ops-token-0123456789';
const CODE = `${AGENCY}-261201-0001`;
const OTHER_AGENCY_CODE = '000.00.09.H56-261201-0002';
const BAD_CODE = `${AGENCY}-261201-0003`;

interface Answer {
  status: number;
  body: Record<string, unknown> & { items?: Record<string, unknown>[] };
}

let db: TestDatabase;
let hub: RunningHub;
let stack: AdminStack;
let running: ConsoleStack;
const sessions = new Map<string, { browser: TestBrowser; csrf: string }>();

async function as(username: string, method: 'GET' | 'POST', path: string): Promise<Answer> {
  let session = sessions.get(username);
  if (!session) {
    const browser = await stack.signIn(username);
    const { csrfToken } = JSON.parse((await browser.request(`${stack.adminUrl}/auth/csrf`)).body) as {
      csrfToken: string;
    };
    session = { browser, csrf: csrfToken };
    sessions.set(username, session);
  }
  const res = await session.browser.request(`${stack.adminUrl}${path}`, {
    method,
    headers: { accept: 'application/json', ...(method === 'POST' ? { 'x-csrf-token': session.csrf } : {}) },
  });
  return { status: res.status, body: JSON.parse(res.body) as Answer['body'] };
}

beforeAll(async () => {
  db = await freshDatabase();
  running = await startConsoleStack({ databaseUrl: db.url, topic: 'admin-console', opsToken: OPS_TOKEN });
  ({ hub, stack } = running);
  const client = new OpenCpsClient(hub.url);
  expect((await client.send('DongBoHoSoMC', [snapshot(CODE)])).status).toBe(200);
  expect(
    (
      await client.send('CapNhatTienDoHoSoMC', [
        progressRow(CODE, '20260401100000', 'Trần Văn Bình', 'Phòng Tư pháp', 'Thẩm định hồ sơ'),
      ])
    ).status,
  ).toBe(200);
  expect((await client.send('DongBoHoSoMC', [snapshot(OTHER_AGENCY_CODE)])).status).toBe(200);
  // Refused by isohub: an impossible status. Its payload names the applicant, who must never be shown.
  // The sender gets the portal's own answer (transparent tee); isohub keeps what it could not read.
  await client.send('DongBoHoSoMC', [snapshot(BAD_CODE, { TrangThaiHoSo: '42' })]);
}, 180_000);

afterAll(async () => {
  await running?.stop();
  await db?.drop();
});

describe('the console’s dossier routes', () => {
  it('finds dossiers by part of the code, within the user’s agencies, dead-letter-only ones too', async () => {
    const all = await as('viewer', 'GET', '/api/dossiers?q=261201');
    expect(all.status).toBe(200);
    expect(all.body.items?.map((i) => i['dossierCode']).sort()).toEqual(
      [OTHER_AGENCY_CODE, CODE, BAD_CODE].sort(),
    );
    expect(all.body.items?.find((i) => i['dossierCode'] === BAD_CODE)).toMatchObject({
      onlyDeadLetters: true,
    });
    expect(all.body.items?.find((i) => i['dossierCode'] === CODE)).toMatchObject({
      nationalStatus: 4,
      procedureCode: '1.001193',
      onlyDeadLetters: false,
    });

    const scoped = await as('mapper-h56', 'GET', '/api/dossiers?q=261201');
    expect(scoped.body.items?.map((i) => i['dossierCode']).sort()).toEqual([CODE, BAD_CODE].sort());
    expect((await as('mapper-h56', 'GET', `/api/dossiers/${OTHER_AGENCY_CODE}`)).status).toBe(404);
    // A LIKE wildcard is a character like any other.
    expect((await as('viewer', 'GET', '/api/dossiers?q=%25%25%25')).status).toBe(400);
    expect((await as('viewer', 'GET', '/api/dossiers?q=26_201')).body.items).toEqual([]);
  });

  it('shows a dossier’s state, events in order and dead letters, never the applicant', async () => {
    const one = await as('viewer', 'GET', `/api/dossiers/${CODE}`);
    expect(one.status).toBe(200);
    const events = one.body['events'] as { sequence: number; data: Record<string, unknown> }[];
    expect(events.map((e) => e.sequence)).toEqual([...events.keys()].map((i) => i + 1));
    expect(events.map((e) => e.data['milestone'])).toContain('DOSSIER_RECEIVED');
    expect(events.map((e) => e.data['milestone'])).toContain('STEP_HANDOVER');
    expect(one.body['state']).toMatchObject({ dossierCode: CODE, status: { national: 4 } });
    expect(one.body['publication']).toMatchObject({ held: 0 });
    // ISO time: the handover opened a step instance; no ISO process here, so the sender's deadline holds.
    expect(one.body['steps']).toEqual([
      expect.objectContaining({
        instance: 1,
        step: 'Phòng Tư pháp',
        deadlineSource: 'sender',
        deadline: '2026-04-03T17:00:00+07:00',
      }),
    ]);
    expect(one.body['verdict']).toBeNull();
    expect(JSON.stringify(one.body)).not.toMatch(/Nguyễn Văn An|0912345678/);

    const bad = await as('viewer', 'GET', `/api/dossiers/${BAD_CODE}`);
    expect(bad.status).toBe(200);
    expect(bad.body['state']).toBeNull();
    expect(bad.body['deadLetters']).toEqual([
      expect.objectContaining({ field: '/TrangThaiHoSo', replayedAt: null, discardedAt: null }),
    ]);
    expect((await as('viewer', 'GET', '/api/dossiers/000.00.01.H56-000000-0000')).status).toBe(404);
  });
});

describe('the console’s dead-letter routes', () => {
  const letterOf = async (): Promise<Record<string, unknown>> => {
    const list = await as('viewer', 'GET', `/api/dead-letters?state=all&dossierCode=${BAD_CODE}`);
    expect(list.status).toBe(200);
    expect(list.body.items).toHaveLength(1);
    return list.body.items?.[0] ?? {};
  };

  it('lists and filters for readers, shows the payload masked, keeps scoped users to their dossiers', async () => {
    const letter = await letterOf();
    expect(letter).toMatchObject({ sourceSystem: 'opencps-demo', dossierCode: BAD_CODE });
    const today = new Date(Date.now() + 7 * 3_600_000).toISOString().slice(0, 10);
    const filtered = await as(
      'viewer',
      'GET',
      `/api/dead-letters?sourceSystem=opencps-demo&reasonCode=${String(letter['reasonCode'])}&from=${today}&to=${today}`,
    );
    expect(filtered.body.items?.map((i) => i['id'])).toContain(letter['id']);
    expect((await as('viewer', 'GET', '/api/dead-letters?to=2000-01-01')).body.items).toEqual([]);
    expect((await as('viewer', 'GET', '/api/dead-letters?from=01/12/2026')).status).toBe(400);

    const one = await as('viewer', 'GET', `/api/dead-letters/${String(letter['id'])}`);
    expect(one.status).toBe(200);
    const payload = one.body['payload'] as { format: string; text: string; masked: number };
    expect(payload.format).toBe('json');
    expect(payload.text).toContain(BAD_CODE);
    expect(payload.text).not.toMatch(/Nguyễn Văn An|0912345678/);
    expect(payload.masked).toBeGreaterThanOrEqual(2);
    expect(JSON.stringify(one.body)).not.toContain(OPS_TOKEN);

    // A user limited to agencies reads the dead letters of the dossiers they may read, and no others.
    const scoped = await as('mapper-h56', 'GET', '/api/dead-letters?state=all');
    expect(scoped.status).toBe(200);
    expect(scoped.body.items?.map((i) => i['dossierCode'])).toEqual([BAD_CODE]);
    expect((await as('mapper-h56', 'GET', `/api/dead-letters/${String(letter['id'])}`)).status).toBe(200);
    expect((await as('viewer', 'GET', '/api/dead-letters/abc')).status).toBe(404);
  });

  it('lets an admin discard (once) and replay, refuses a viewer, and audits both', async () => {
    const letter = await letterOf();
    const id = String(letter['id']);
    expect((await as('viewer', 'POST', `/api/dead-letters/${id}/discard`)).status).toBe(403);
    expect((await as('viewer', 'POST', `/api/dead-letters/${id}/replay`)).status).toBe(403);

    const refused = await as('admin', 'POST', `/api/dead-letters/${id}/replay`);
    expect(refused.status).toBe(422);
    expect(JSON.stringify(refused.body['errors'])).toContain('/TrangThaiHoSo');

    const discarded = await as('admin', 'POST', `/api/dead-letters/${id}/discard`);
    expect(discarded.status).toBe(200);
    expect(discarded.body).toMatchObject({ id, discardedBy: 'admin' });
    expect((await as('admin', 'POST', `/api/dead-letters/${id}/discard`)).status).toBe(409);
    expect((await as('viewer', 'GET', `/api/dead-letters?dossierCode=${BAD_CODE}`)).body.items).toEqual([]);

    // A letter the hub accepts now (kept from a stricter time) is replayed into events.
    const sql = new Client({ connectionString: db.url });
    await sql.connect();
    const code = `${AGENCY}-261201-0004`;
    const { rows } = await sql.query<{ id: string }>(
      `INSERT INTO dead_letter (source_system, protocol, operation, reason_code, reason, field, dossier_code,
                                item_index, payload, payload_sha256)
       VALUES ('opencps-demo', 'dvcqg-tee', 'DongBoHoSoMC', 'REQUIRED', 'older rule', '/X', $1, 0, $2, 'console')
       RETURNING id`,
      [code, Buffer.from(JSON.stringify(snapshot(code)))],
    );
    const replayed = await as('admin', 'POST', `/api/dead-letters/${String(rows[0]?.id)}/replay`);
    expect(replayed.status).toBe(200);
    expect(replayed.body['replayed']).toBe(true);
    expect((await as('viewer', 'GET', `/api/dossiers/${code}`)).body['state']).toMatchObject({
      dossierCode: code,
    });

    const audit = await sql.query<{ action: string; entity_id: string; actor: string }>(
      `SELECT action, entity_id, actor FROM audit_log WHERE entity_type = 'dead_letter' ORDER BY id`,
    );
    await sql.end();
    // The sync service's own entry (naming the admin's user) comes first, then the admin's.
    expect(audit.rows).toEqual([
      { action: 'ops.dead_letter.discard', entity_id: id, actor: 'admin' },
      { action: 'dead_letter.discard', entity_id: id, actor: 'admin' },
      { action: 'ops.dead_letter.replay', entity_id: String(rows[0]?.id), actor: 'admin' },
      { action: 'dead_letter.replay', entity_id: String(rows[0]?.id), actor: 'admin' },
    ]);
  });

  it('lists the configuration file’s mappings read-only', async () => {
    const config = await as('viewer', 'GET', '/api/config-mappings');
    expect(config.status).toBe(200);
    expect(config.body.items).toContainEqual(
      expect.objectContaining({
        sourceSystem: 'thanhhoa-demo',
        localCode: '2.000488.000.00.00.H56',
        nationalCode: '3.000333',
        overriddenBy: null,
      }),
    );
  });

  it('reads the hub’s readiness with the operator token', async () => {
    const ready = await as('viewer', 'GET', '/api/status/ready');
    expect(ready.body).toMatchObject({ reachable: true, status: 'up', checks: { database: { ok: true } } });
    // The plain status page says the same in words, the raw JSON folded away.
    const page = await (sessions.get('viewer')?.browser ?? (await stack.signIn('viewer'))).request(
      `${stack.adminUrl}/status`,
    );
    expect(page.body).toContain(
      '<th>Cơ sở dữ liệu (PostgreSQL)</th><td><b style="color:#166534">Bình thường</b>',
    );
    expect(page.body).toContain('Sẵn sàng (up)');
    expect(page.body).toContain('<details><summary>Chi tiết kỹ thuật</summary>');
  });
});
