import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fromKafkaRecord, topicNames, validateEventData } from '@isohub/events';
import { freshDatabase, type TestDatabase } from '../../../test/support/database';
import { OpenCpsClient, startHub, type RunningHub } from '../../../test/support/hub';
import { TopicRecorder, uniquePrefix, type ConsumedRecord } from '../../../test/support/kafka';

/** The lgsp-style sender in config/senders.dev.json. */
const CLIENT = { id: 'opencps-lgsp-demo', secret: 'lgsp-demo-secret-change-me' };
const AGENCY = '000.00.01.H56';
const NO_DATE = '0000-00-00T00:00:00.000+0700';

/** A SyncDocument as OpenCPS's LGSP client writes it (OpenCPSConverter.convertDossierToLGSPJSON). */
function document(code: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    DocTypeCode: '1.001193.000.00.00.H56',
    DocTypeName: 'Thủ tục đăng ký khai sinh'.normalize('NFD'),
    DocCode: code,
    CitizenName: 'Nguyễn Văn An',
    ApplicantsId: '038190012345',
    ApplicantsType: 1,
    Address: 'Số 1 Lê Lợi',
    Email: 'an@example.com',
    Phone: '0912345678',
    DateReceived: '2026-04-01T02:00:00.000Z',
    DateAppointed: '2026-04-03T10:00:00.000Z',
    IsSuccess: false,
    SuccessDate: NO_DATE,
    IsReturned: false,
    ReturnedDate: '2026-04-03T10:00:00.000Z',
    ReturnedType: 0,
    Status: 1,
    ProcessingOrganName: 'UBND xã Quảng Phú'.normalize('NFD'),
    HasSupplementary: false,
    Attachments: [
      { AttachmentId: 1, AttachmentName: 'Tờ khai', IsDeleted: false, IsVerified: true, Base64: 'JVBERi0=' },
    ],
    DocFees: [],
    OrganInchargeIdLevel1: AGENCY,
    OrganInchargeName: 'UBND xã Quảng Phú',
    ...overrides,
  };
}

function trace(code: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    DocumentId: 40123,
    DocCode: code,
    UserName: 'Trần Thị Bình',
    UserPosition: 'Chuyên viên',
    DateCreated: '2026-04-01T03:00:00.000Z',
    Comment: 'Chuyển lãnh đạo xem xét',
    Status: 0,
    OrganizationInchargeIdLevel1: AGENCY,
    OrganizationInchargeName: 'UBND xã Quảng Phú',
    ...overrides,
  };
}

interface Reply {
  status: number;
  headers: Headers;
  body: Record<string, unknown>;
  text: string;
}

async function post(
  url: string,
  body: string | Buffer,
  headers: Record<string, string> = {},
): Promise<Reply> {
  const res = await fetch(url, { method: 'POST', headers, body });
  const text = await res.text();
  let parsed: Record<string, unknown>;
  try {
    parsed = JSON.parse(text) as Record<string, unknown>;
  } catch {
    parsed = { raw: text };
  }
  return { status: res.status, headers: res.headers, body: parsed, text };
}

/** As OpenCPS's LGSPRestClient: a form-encoded token request without a Content-Type of its own. */
function requestToken(base: string, form: Record<string, string>, headers: Record<string, string> = {}) {
  return post(`${base}/token`, new URLSearchParams(form).toString(), {
    accept: 'application/json',
    'content-type': 'application/x-www-form-urlencoded',
    ...headers,
  });
}

describe('LGSP face -> canonical events on Kafka', () => {
  let db: TestDatabase;
  let hub: RunningHub;
  let recorder: TopicRecorder;
  let topics: ReturnType<typeof topicNames>;
  let base: string;
  let token: string;
  const prefix = uniquePrefix('lgsp');
  const run = randomBytes(2).toString('hex');
  const codeOf = (n: number) => `${AGENCY}-2604${run}-${String(n).padStart(4, '0')}`;

  const send = (path: 'SyncDocument' | 'UpdateDocumentTraces', body: unknown, bearer = token) =>
    post(`${base}/Document/${path}`, typeof body === 'string' ? body : JSON.stringify(body), {
      'content-type': 'application/json',
      accept: 'application/json',
      authorization: `Bearer ${bearer}`,
    });
  const eventsOf = (code: string) =>
    recorder
      .of(topics.events)
      .filter((r) => r.key === code)
      .map((r) => fromKafkaRecord(r.headers, r.value));

  beforeAll(async () => {
    db = await freshDatabase();
    hub = await startHub({ databaseUrl: db.url, topicPrefix: prefix });
    base = `${hub.url}/lgsp`;
    topics = topicNames(prefix);
    recorder = new TopicRecorder([topics.events, topics.deadLetters]);
    await recorder.start();
    const r = await requestToken(base, {
      grant_type: 'client_credentials',
      client_id: CLIENT.id,
      client_secret: CLIENT.secret,
    });
    token = String(r.body['access_token']);
  });

  afterAll(async () => {
    await recorder?.stop();
    await hub?.stop();
    await db?.drop();
  });

  it('relays token requests to the bus: its tokens, its refusals of bad clients and grants (RFC 6749 §5)', async () => {
    const ok = await requestToken(base, {
      client_secret: CLIENT.secret,
      grant_type: 'client_credentials',
      client_id: CLIENT.id,
    });
    expect(ok.status).toBe(200);
    // The bus's own token and lifetime (the sandbox bus issues 300 s tokens), not isohub's.
    expect(ok.body).toMatchObject({ token_type: 'Bearer', expires_in: 300 });
    expect(typeof ok.body['access_token']).toBe('string');
    expect(ok.headers.get('cache-control')).toBe('no-store');

    const basic = Buffer.from(`${CLIENT.id}:${CLIENT.secret}`).toString('base64');
    const viaBasic = await requestToken(
      base,
      { grant_type: 'client_credentials' },
      { authorization: `Basic ${basic}` },
    );
    expect(viaBasic.status).toBe(200);

    const wrong = await requestToken(base, {
      grant_type: 'client_credentials',
      client_id: CLIENT.id,
      client_secret: 'not-the-secret-at-all',
    });
    expect(wrong.status).toBe(401);
    expect(wrong.body['error']).toBe('invalid_client');
    expect(wrong.text).not.toContain('not-the-secret-at-all');

    const grant = await requestToken(base, {
      grant_type: 'password',
      client_id: CLIENT.id,
      client_secret: CLIENT.secret,
    });
    expect(grant.status).toBe(400);
    expect(grant.body['error']).toBe('unsupported_grant_type');
  });

  it('refuses Document calls without a token, with a forged one and with a portal-tee session', async () => {
    const body = JSON.stringify(document(codeOf(90)));
    const none = await post(`${base}/Document/SyncDocument`, body, { 'content-type': 'application/json' });
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toMatch(/^Bearer /);
    const forged = await send('SyncDocument', body, `${CLIENT.id}.zzzzzz.forged-signature`);
    expect(forged.status).toBe(401);
    expect(forged.headers.get('www-authenticate')).toContain('invalid_token');
    const session = await new OpenCpsClient(hub.url).login();
    expect((await send('UpdateDocumentTraces', body, session)).status).toBe(401);
  });

  it('an unreadable body from an authenticated sender is a 400 and a dead letter with the original bytes', async () => {
    const truncated = '{"DocCode": "trunc-lgsp", "DateReceived": "2026-04';
    const r = await send('SyncDocument', truncated);
    expect(r.status).toBe(400);
    expect(r.headers.get('content-type')).toContain('application/problem+json');
    await recorder.waitFor((rs) =>
      rs.some(
        (x) =>
          x.topic === topics.deadLetters &&
          x.headers['dlq_protocol'] === 'lgsp-rest' &&
          x.value?.toString() === truncated,
      ),
    );
  });

  it('turns SyncDocument and UpdateDocumentTraces into schema-valid CloudEvents keyed by dossier', async () => {
    const code = codeOf(1);
    const r1 = await send('SyncDocument', document(code));
    expect(r1.status).toBe(200);
    expect(r1.body['Status']).toBe(200);
    expect((await send('UpdateDocumentTraces', trace(code))).status).toBe(200);
    const ready = { IsSuccess: true, Status: 2, SuccessDate: '2026-04-02T08:00:00.000Z' };
    expect((await send('SyncDocument', [document(code, ready)])).status).toBe(200);
    const returned = {
      IsReturned: true,
      Status: 1,
      SuccessDate: '2026-04-02T08:00:00.000Z',
      ReturnedDate: '2026-04-03T02:00:00.000Z',
      FinishedDate: '2026-04-03T02:00:00.000Z',
    };
    expect((await send('SyncDocument', document(code, returned))).status).toBe(200);

    await recorder.waitFor(() => eventsOf(code).length >= 5);
    const events = eventsOf(code);
    expect(events.map((e) => e.data.milestone)).toEqual([
      'DOSSIER_RECEIVED',
      'STATUS_CHANGED',
      'STEP_HANDOVER',
      'RESULT_READY',
      'RESULT_RETURNED',
    ]);
    expect(events.map((e) => e.sequence)).toEqual([1, 2, 3, 4, 5]);
    for (const r of recorder.of(topics.events).filter((x) => x.key === code)) {
      expect(r.headers['ce_specversion']).toBe('1.0');
      expect(r.headers['ce_source']).toBe(`isohub://${CLIENT.id}/${encodeURIComponent(AGENCY)}`);
      expect(r.headers['ce_subject']).toBe(code);
      expect(r.headers['ce_partitionkey']).toBe(code);
      expect(r.headers['ce_time']).toMatch(/\+07:00$/);
      expect(r.headers['ce_sequence']).toMatch(/^\d{12}$/);
      expect(r.headers['content-type']).toContain('application/json');
    }
    for (const e of events) {
      const v = validateEventData(e.data);
      expect(v.valid, JSON.stringify(v.errors)).toBe(true);
      expect(e.data.source).toMatchObject({ system: CLIENT.id, protocol: 'lgsp-rest' });
      expect(e.data.procedure).toMatchObject({
        localCode: '1.001193.000.00.00.H56',
        nationalCode: '1.001193',
      });
      expect(e.data.processingUnit).toEqual({ code: AGENCY, name: 'UBND xã Quảng Phú'.normalize('NFC') });
      const json = JSON.stringify(e.data);
      for (const personal of ['Nguyễn Văn An', '038190012345', '0912345678', 'an@example.com', 'JVBERi0=']) {
        expect(json).not.toContain(personal);
      }
    }
    expect(events[0]?.data.dates.receivedAt).toBe('2026-04-01T09:00:00+07:00');
    expect(events[2]?.data.handover).toMatchObject({
      handedOverAt: '2026-04-01T10:00:00+07:00',
      userTo: { name: 'Trần Thị Bình', title: 'Chuyên viên' },
      note: 'Chuyển lãnh đạo xem xét',
    });
    expect(events[3]?.data.occurredAt).toBe('2026-04-02T15:00:00+07:00');
    expect(events[4]?.data.dates.returnedAt).toBe('2026-04-03T09:00:00+07:00');
  });

  it('dead-letters a bad item with its original payload and lands the rest of the batch', async () => {
    const good = codeOf(2);
    const bad = codeOf(3);
    const local = codeOf(4);
    const r = await send('SyncDocument', [
      document(good),
      document(bad, { DateReceived: '2026-13-45T02:00:00.000Z' }),
      document(local, { DocTypeCode: 'KS-LOCAL-99' }),
    ]);
    // The request was readable: forwarded as sent, and the bus's answer (its echo) is the sender's answer.
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ Status: 200, Message: 'OK', Path: '/Document/SyncDocument' });

    await recorder.waitFor(() => eventsOf(good).length >= 2 && eventsOf(local).length >= 2);
    await recorder.waitFor((rs) => rs.some((x) => x.topic === topics.deadLetters && x.key === bad));
    const dlq = recorder.of(topics.deadLetters).find((x) => x.key === bad) as ConsumedRecord;
    expect(dlq.headers['dlq_field']).toBe('/DateReceived');
    expect(dlq.headers['dlq_protocol']).toBe('lgsp-rest');
    expect(dlq.headers['dlq_operation']).toBe('LgspSyncDocument');
    expect(dlq.headers['dlq_source_system']).toBe(CLIENT.id);
    const payload = JSON.parse(dlq.value?.toString() ?? '{}') as Record<string, unknown>;
    expect(payload['DateReceived']).toBe('2026-13-45T02:00:00.000Z');
    expect(payload['DocCode']).toBe(bad);
    expect(eventsOf(bad)).toEqual([]);

    // the local code nobody mapped reaches the admins' queue
    expect(eventsOf(local)[0]?.data.procedure).toMatchObject({
      localCode: 'KS-LOCAL-99',
      mappingStatus: 'unmapped',
    });
    const pg = new Client({ connectionString: db.url });
    await pg.connect();
    try {
      const rows = await pg.query<{ code: string }>(
        'SELECT code FROM unmapped_code WHERE source_system = $1',
        [CLIENT.id],
      );
      expect(rows.rows.map((x) => x.code)).toContain('KS-LOCAL-99');
    } finally {
      await pg.end();
    }
  });

  it('accepts a 2 MB Base64 attachment and keeps it out of the event', async () => {
    const code = codeOf(5);
    const base64 = randomBytes(1_536 * 1024).toString('base64');
    expect(base64.length).toBeGreaterThanOrEqual(2 * 1024 * 1024);
    const body = document(code, {
      Attachments: [
        { AttachmentId: 7, AttachmentName: 'Bản scan', IsDeleted: false, IsVerified: true, Base64: base64 },
      ],
    });
    const r = await send('SyncDocument', body);
    expect(r.status).toBe(200);
    await recorder.waitFor(() => eventsOf(code).length >= 2);
    const records = recorder.of(topics.events).filter((x) => x.key === code);
    for (const rec of records) {
      expect(rec.value?.length ?? 0).toBeLessThan(16 * 1024);
      expect(rec.value?.toString()).not.toContain(base64.slice(0, 64));
    }
  });
});
