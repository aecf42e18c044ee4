import { Client } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { topicNames } from '@isohub/events';
import { HousekeepingService } from '../src/relay/housekeeping.service';
import { freshDatabase, type TestDatabase } from '../../../test/support/database';
import { OpenCpsClient, startHub, type RunningHub } from '../../../test/support/hub';
import { TopicRecorder, uniquePrefix } from '../../../test/support/kafka';

const AGENCY = '000.00.01.H56';

/**
 * Nothing stops the stream (issue 10): one unauthenticated 2 MB body must not block the dossiers behind it,
 * is never kept whole, and no answer echoes what was sent.
 */
describe('stream guards: poison bodies do not stop the stream', () => {
  let db: TestDatabase;
  let hub: RunningHub;
  let recorder: TopicRecorder;
  let sql: Client;
  const prefix = uniquePrefix('guards');
  const topics = topicNames(prefix);

  beforeAll(async () => {
    db = await freshDatabase();
    hub = await startHub({ databaseUrl: db.url, topicPrefix: prefix });
    recorder = new TopicRecorder([topics.events, topics.deadLetters]);
    await recorder.start();
    sql = new Client({ connectionString: db.url });
    await sql.connect();
  });

  afterAll(async () => {
    await sql?.end();
    await recorder?.stop();
    await hub?.stop();
    await db?.drop();
  });

  const post = async (body: string): Promise<{ status: number; text: string }> => {
    const res = await fetch(`${hub.url}/dvcqg/api/integration`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
    });
    return { status: res.status, text: await res.text() };
  };

  it('a 2 MB unauthenticated non-object body, then a valid dossier: its events arrive within seconds', async () => {
    const poison = JSON.stringify('CCCD 001234567890 '.repeat(120_000)); // ~2 MB JSON string, not an object
    expect(poison.length).toBeGreaterThan(2_000_000);
    const answer = await post(poison);
    expect(answer.status).toBeGreaterThanOrEqual(400);
    expect(answer.status).toBeLessThan(500);
    expect(answer.text).not.toContain('001234567890');

    // Never stored whole: at most the digest and a short prefix, and every outbox row fits the broker.
    const kept = await sql.query<{ bytes: number; received: string | null }>(
      `SELECT octet_length(payload) AS bytes, received_bytes AS received FROM dead_letter`,
    );
    for (const row of kept.rows) {
      expect(row.bytes).toBeLessThanOrEqual(256 * 1024);
    }
    const unauthenticated = await sql.query<{ bytes: number }>(
      `SELECT octet_length(payload) AS bytes FROM dead_letter WHERE source_system = 'unauthenticated'`,
    );
    for (const row of unauthenticated.rows) {
      expect(row.bytes).toBeLessThanOrEqual(256);
    }
    const [largest] = (
      await sql.query<{ bytes: number | null }>(`SELECT max(octet_length(payload)) AS bytes FROM outbox`)
    ).rows;
    expect(largest?.bytes ?? 0).toBeLessThan(1_000_000);

    const code = `${AGENCY}-261201-0001`;
    const started = Date.now();
    const sent = await new OpenCpsClient(hub.url).send('DongBoHoSoMC', [
      { MaHoSo: code, MaTTHC: '1.001193', TrangThaiHoSo: '2', NgayTiepNhan: '20261201090000' },
    ]);
    expect(sent.status).toBe(200);
    await recorder.waitFor((rs) => rs.some((r) => r.topic === topics.events && r.key === code), 15_000);
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('invalid or deeply nested JSON is a 400 that names the reason, never the content', async () => {
    const broken = await post('{"HoTen": "Nguyễn Văn An", "CCCD": 038123456789,,}');
    expect(broken.status).toBe(400);
    expect(broken.text).not.toContain('038123456789');
    expect(broken.text).not.toContain('Nguy');

    const deep = await post(`${'['.repeat(5_000)}${']'.repeat(5_000)}`);
    expect(deep.status).toBe(400);
  });

  it('text PostgreSQL cannot store (NUL, a lone surrogate) is replaced, never a 5xx', async () => {
    const code = `${AGENCY}-261201-0002`;
    const client = new OpenCpsClient(hub.url);
    const session = await client.login();
    // Raw JSON text: the escapes reach JSON.parse as they would from a sender.
    const body =
      `{"session":"${session}","madonvi":"${AGENCY}","service":"DongBoHoSoMC","isUpdating":"False","data":[` +
      `{"MaHoSo":"${code}","MaTTHC":"1.001193","TrangThaiHoSo":"2","NgayTiepNhan":"20261201100000",` +
      `"TenTTHC":"A\\u0000B","DonViXuLy":"x \\ud800 y","TenLinhVuc":"z \\udc00"}]}`;
    const answer = await post(body);
    expect(answer.status).toBe(200);
    await recorder.waitFor((rs) => rs.some((r) => r.topic === topics.events && r.key === code), 15_000);
  });

  it('one HTTP edge: Nest controllers and raw routes answer failures with the same problem+json', async () => {
    const nest = await fetch(`${hub.url}/health/ready`); // no ops token
    expect(nest.status).toBe(401);
    expect(nest.headers.get('content-type')).toContain('application/problem+json');
    expect(await nest.json()).toMatchObject({ type: 'about:blank', status: 401, title: 'Unauthorized' });
    const raw = await post('{not json');
    expect(raw.status).toBe(400);
    expect(JSON.parse(raw.text)).toMatchObject({ type: 'about:blank', status: 400 });
  });

  it('an authenticated item that is dead-lettered is kept up to DEAD_LETTER_MAX_BYTES, with its whole digest', async () => {
    const pad = 'x'.repeat(400 * 1024);
    await new OpenCpsClient(hub.url).send('DongBoHoSoMC', [
      { MaTTHC: '1.001193', TrangThaiHoSo: '2', GhiChu: pad },
    ]);
    const { rows } = await sql.query<{ bytes: number; received: string; truncated: boolean }>(
      `SELECT octet_length(payload) AS bytes, received_bytes AS received, payload_truncated AS truncated
         FROM dead_letter WHERE source_system = 'opencps-demo' AND received_bytes > 400000`,
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]?.bytes).toBe(256 * 1024);
    expect(rows[0]?.truncated).toBe(true);
  });

  it('housekeeping removes dead-letter payloads after the retention period and they cannot be replayed', async () => {
    const inserted = await sql.query<{ id: string }>(
      `INSERT INTO dead_letter (source_system, protocol, operation, reason_code, reason, field, dossier_code,
                                item_index, payload, payload_sha256, first_seen_at, last_seen_at)
       VALUES ('opencps-demo', 'dvcqg-tee', 'DongBoHoSoMC', 'REQUIRED', 'old', '/X', $1, 0, $2, 'y',
               now() - interval '400 days', now() - interval '400 days')
       RETURNING id`,
      [`${AGENCY}-250101-0009`, Buffer.from('{"HoTen":"Trần Thị B"}')],
    );
    const id = inserted.rows[0]?.id;
    const done = await hub.app.get(HousekeepingService).runOnce();
    expect(done.deadLetters).toBeGreaterThanOrEqual(1);
    const [row] = (
      await sql.query<{ bytes: number; redacted: Date | null }>(
        `SELECT octet_length(payload) AS bytes, redacted_at AS redacted FROM dead_letter WHERE id = $1`,
        [id],
      )
    ).rows;
    expect(row?.bytes).toBe(0);
    expect(row?.redacted).not.toBeNull();
    const replay = await fetch(`${hub.url}/ops/dead-letters/${id}/replay`, {
      method: 'POST',
      headers: { authorization: `Bearer ${hub.config.opsToken ?? ''}` },
    });
    expect(replay.status).toBeGreaterThanOrEqual(400);
    expect(replay.status).toBeLessThan(500);
  });
});
