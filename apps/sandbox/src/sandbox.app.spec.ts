import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import { PortalAdapter, validatePortalConfig } from '@isohub/adapters/portal';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { simulateDay } from './onestop/day-simulator';
import { replayTraffic } from './onestop/traffic-replayer';
import { createSandboxApp } from './sandbox.app';
import type { SandboxConfig } from './sandbox.config';

const CONFIG: SandboxConfig = {
  host: '127.0.0.1',
  port: 0,
  maxBody: '1mb',
  portal: { username: 'isohub', password: 'sandbox-test-pass' },
};

const CODE = '000.00.01.H56-250701-0001';
const ITEM = { MaHoSo: CODE, MaTTHC: '1.001193', ChuHoSo: 'Nguyễn Thị Hồng Nhung', TrangThaiHoSo: '2' };

/** Asymmetric matchers are typed `any`; these keep the object literals type-safe. */
const containing = (text: string) => expect.stringContaining(text) as string;
const matching = (pattern: RegExp) => expect.stringMatching(pattern) as string;

let app: INestApplication;
let base: string;

async function post(path: string, body: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
  const response = await fetch(`${base}${path}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await response.text();
  return {
    status: response.status,
    json: text.startsWith('{') ? (JSON.parse(text) as Record<string, unknown>) : { text },
  };
}

async function get(path: string): Promise<{ status: number; json: Record<string, unknown> }> {
  const response = await fetch(`${base}${path}`);
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
}

async function setFault(body: unknown): Promise<Response> {
  return fetch(`${base}/_sandbox/faults/portal`, {
    method: 'PUT',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
}

async function login(): Promise<string> {
  const { json } = await post('/api/auth', { username: 'isohub', password: 'sandbox-test-pass' });
  return json['session'] as string;
}

function portalClient(timeoutMs = 2_000): PortalAdapter {
  return new PortalAdapter(
    validatePortalConfig({ baseUrl: base, username: 'isohub', password: 'sandbox-test-pass', timeoutMs }),
  );
}

beforeAll(async () => {
  app = await createSandboxApp(CONFIG, { logger: false });
  await app.listen(0, '127.0.0.1');
  base = (await app.getUrl()).replace('[::1]', '127.0.0.1');
});

afterAll(async () => {
  await app.close();
});

beforeEach(async () => {
  await setFault({ mode: 'none' });
  await fetch(`${base}/_sandbox/portal/received`, { method: 'DELETE' });
});

describe('simulated portal, OpenCPS style', () => {
  it('issues a session only for the configured account', async () => {
    const refused = await post('/api/auth', { username: 'isohub', password: 'wrong' });
    const accepted = await post('/api/auth', { username: 'isohub', password: 'sandbox-test-pass' });

    expect(refused.json).toMatchObject({ error_code: '-1' });
    expect(refused.json['session']).toBeUndefined();
    expect(accepted.json).toMatchObject({ error_code: '0', message: containing('thành công') });
    expect(typeof accepted.json['session']).toBe('string');
  });

  it('creates, refuses a second create with "đã tồn tại", and updates', async () => {
    const session = await login();
    const envelope = { session, madonvi: '000.00.01.H56', service: 'DongBoHoSoMC', data: [ITEM] };

    const created = await post('/api/integration', { ...envelope, isUpdating: 'False' });
    const again = await post('/api/integration', { ...envelope, isUpdating: 'False' });
    const updated = await post('/api/integration', {
      ...envelope,
      isUpdating: 'True',
      data: [{ ...ITEM, TrangThaiHoSo: '4' }],
    });

    expect(created.json).toMatchObject({ error_code: '0', message: containing('thành công') });
    expect(again.json).toMatchObject({ error_code: '3', message: containing('đã tồn tại') });
    expect(updated.json).toMatchObject({ error_code: '0' });
    const dossier = (await get(`/_sandbox/portal/dossiers/${CODE}`)).json;
    expect(dossier).toMatchObject({ maHoSo: CODE, madonvi: '000.00.01.H56', style: 'opencps', versions: 2 });
    expect(dossier['statusHistory']).toEqual(['2', '4']);
    expect(dossier['snapshot']).toMatchObject({ TrangThaiHoSo: '4' });
  });

  it('records progress rows and answers TraCuuHoSo with a result array', async () => {
    const session = await login();
    await post('/api/integration', {
      session,
      madonvi: 'M',
      service: 'DongBoHoSoMC',
      isUpdating: 'False',
      data: [ITEM],
    });
    const row = { MaHoSo: CODE, NguoiXuLy: 'Phạm Thu Trang', TrangThai: '2', ThoiDiemXuLy: '20250701081530' };

    const progress = await post('/api/integration', {
      session,
      madonvi: 'M',
      service: 'CapNhatTienDoHoSoMC',
      data: [row],
    });
    const found = await post('/api/integration', {
      session,
      madonvi: 'M',
      service: 'TraCuuHoSo',
      mahoso: CODE,
    });
    const missing = await post('/api/integration', {
      session,
      madonvi: 'M',
      service: 'TraCuuHoSo',
      mahoso: 'nope',
    });

    expect(progress.json).toMatchObject({ error_code: '0', message: containing('thành công') });
    expect(found.json).toMatchObject({ error_code: '0', result: [ITEM] });
    expect(missing.json).toMatchObject({ error_code: '0', result: [] });
    const dossier = (await get(`/_sandbox/portal/dossiers/${CODE}`)).json;
    expect(dossier['progress']).toEqual([expect.objectContaining({ style: 'opencps', row })]);
  });

  it('refuses unknown and expired sessions in the words of a stale-session answer', async () => {
    const session = await login();
    await fetch(`${base}/_sandbox/portal/sessions`, { method: 'DELETE' });

    const answer = await post('/api/integration', {
      session,
      madonvi: 'M',
      service: 'DongBoHoSoMC',
      data: [ITEM],
    });

    expect(answer.json).toMatchObject({ error_code: '-1', message: containing('Phiên') });
  });

  it('records each request with its raw body byte-for-byte and masks the login password', async () => {
    const session = await login();
    const raw = `{"service":"DongBoHoSoMC","session":"${session}","madonvi":"M","isUpdating":"False",  "data":[{"MaHoSo":"${CODE}","ChuHoSo":"${'Lê Văn Bình'.normalize('NFD')}"}]}`;

    await post('/api/integration', raw);

    const { requests } = (await get('/_sandbox/portal/received')).json as {
      requests: Record<string, unknown>[];
    };
    expect(requests.map((r) => r['endpoint'])).toEqual(['login', 'integration']);
    expect(requests[0]?.['rawBody']).not.toContain('sandbox-test-pass');
    expect(requests[1]).toMatchObject({
      service: 'DongBoHoSoMC',
      madonvi: 'M',
      isUpdating: 'False',
      rawBody: raw,
      fault: null,
      answer: { error_code: '0' },
    });
    expect(requests[1]?.['receivedAt']).toEqual(matching(/^\d{4}-\d\d-\d\dT/));
  });

  it('forgets everything on DELETE /_sandbox/portal/received', async () => {
    const session = await login();
    await post('/api/integration', {
      session,
      madonvi: 'M',
      service: 'DongBoHoSoMC',
      isUpdating: 'False',
      data: [ITEM],
    });

    await fetch(`${base}/_sandbox/portal/received`, { method: 'DELETE' });

    expect((await get('/_sandbox/portal/received')).json).toEqual({ requests: [], dossiers: [] });
    expect((await get(`/_sandbox/portal/dossiers/${CODE}`)).status).toBe(404);
  });
});

describe('simulated portal against the recorded-style payloads of both senders', () => {
  const fixture = (name: string) =>
    readFileSync(resolve(process.cwd(), 'libs/adapters/portal/src/__fixtures__', name), 'utf8');

  it('accepts them byte-for-byte and records them verbatim', async () => {
    const session = await login();
    const opencps = fixture('ok/opencps-dongbohoso.json').replace(
      /"session":"[^"]*"/,
      `"session":"${session}"`,
    );
    const progress = fixture('ok/opencps-capnhattiendo.json').replace(
      /"session":"[^"]*"/,
      `"session":"${session}"`,
    );
    const lookup = fixture('ok/opencps-tracuuhoso.json').replace(
      /"session":"[^"]*"/,
      `"session":"${session}"`,
    );

    const answers = [
      await post('/api/integration', opencps),
      await post('/api/integration', progress),
      await post('/api/integration', lookup),
      await post('/thanhhoa/ThemMoi', fixture('ok/thanhhoa-themmoi.json')),
      await post('/thanhhoa/CapNhat', fixture('ok/thanhhoa-capnhat.json')),
      await post('/thanhhoa/DongBoTienTrinh', fixture('ok/thanhhoa-tientrinh.json')),
    ];

    expect(answers.map((a) => a.json['error_code'])).toEqual(['0', '0', '0', '-3', '0', '0']);
    expect((answers[2]?.json['result'] as unknown[]).length).toBe(1);
    const { requests } = (await get('/_sandbox/portal/received')).json as { requests: { rawBody: string }[] };
    expect(requests[1]?.rawBody).toBe(opencps);
    expect(requests[4]?.rawBody).toBe(fixture('ok/thanhhoa-themmoi.json'));
  });

  it('refuses the bad ones with error_code "-1"', async () => {
    for (const name of ['thanhhoa-missing-mahoso.json', 'thanhhoa-non-object-item.json']) {
      expect((await post('/thanhhoa/ThemMoi', fixture(`bad/${name}`))).json['error_code']).toBe('-1');
    }
  });
});

describe('simulated portal, Thanh Hóa style', () => {
  it('takes bare arrays without credentials on its three URLs', async () => {
    const created = await post('/thanhhoa/ThemMoi', [ITEM]);
    const duplicate = await post('/thanhhoa/ThemMoi', [ITEM]);
    const updated = await post('/thanhhoa/CapNhat', [{ ...ITEM, TrangThaiHoSo: '4' }]);
    const progress = await post('/thanhhoa/DongBoTienTrinh', [{ MaHoSo: CODE, TrangThai: '4' }]);

    expect(created.json).toMatchObject({ error_code: '0', message: containing('thành công') });
    expect(duplicate.json).toMatchObject({ error_code: '-3', message: containing('đã tồn tại') });
    expect(updated.json).toMatchObject({ error_code: '0' });
    expect(progress.json).toMatchObject({ error_code: '0', message: containing('thành công') });
    const dossier = (await get(`/_sandbox/portal/dossiers/${CODE}`)).json;
    expect(dossier).toMatchObject({ style: 'thanhhoa', versions: 2, statusHistory: ['2', '4'] });
  });

  it('takes any Content-Type and a BOM, and answers a body that is not JSON with "-1", recording it', async () => {
    const plain = await fetch(`${base}/thanhhoa/ThemMoi`, {
      method: 'POST',
      headers: { 'Content-Type': 'text/plain' },
      body: `\uFEFF${JSON.stringify([ITEM])}`,
    });
    const truncated = await post('/thanhhoa/ThemMoi', '[{"MaHoSo":"000.00.01.H56-2507');

    expect(await plain.json()).toMatchObject({ error_code: '0' });
    expect(truncated.json).toMatchObject({ error_code: '-1' });
    const { requests } = (await get('/_sandbox/portal/received')).json as { requests: { rawBody: string }[] };
    expect(requests.map((r) => r.rawBody)).toEqual([
      `\uFEFF${JSON.stringify([ITEM])}`,
      '[{"MaHoSo":"000.00.01.H56-2507',
    ]);
  });

  it('refuses an item without MaHoSo', async () => {
    expect((await post('/thanhhoa/ThemMoi', [{ ChuHoSo: 'x' }])).json).toMatchObject({ error_code: '-1' });
  });
});

describe('fault injection', () => {
  it('reads and validates the fault settings', async () => {
    expect((await setFault({ mode: 'bogus' })).status).toBe(400);
    expect((await setFault({ mode: 'slow', latencyMs: -1 })).status).toBe(400);
    expect(await (await setFault({ mode: 'reject', count: 2 })).json()).toEqual({
      mode: 'reject',
      latencyMs: 2000,
      remaining: 2,
      injected: 0,
    });
    expect((await get('/_sandbox/faults/portal')).json).toMatchObject({ mode: 'reject', remaining: 2 });
  });

  it('drops the connection in mode down, for count requests only', async () => {
    await setFault({ mode: 'down', count: 1 });

    await expect(post('/api/auth', {})).rejects.toThrow();
    expect((await post('/api/auth', {})).json).toMatchObject({ error_code: '-1' });
    expect((await get('/_sandbox/faults/portal')).json).toMatchObject({ mode: 'none' });
    const { requests } = (await get('/_sandbox/portal/received')).json as {
      requests: Record<string, unknown>[];
    };
    expect(requests.map((r) => r['fault'])).toEqual(['down', null]);
  });

  it('answers HTTP 500 with an HTML page in mode http500', async () => {
    await setFault({ mode: 'http500' });

    const answer = await post('/thanhhoa/ThemMoi', [ITEM]);

    expect(answer.status).toBe(500);
    expect(String(answer.json['text'])).toContain('<html>');
    expect((await get(`/_sandbox/portal/dossiers/${CODE}`)).status).toBe(404);
  });

  it('answers error_code "-1" without "thành công" in mode reject', async () => {
    await setFault({ mode: 'reject' });

    const answer = await post('/thanhhoa/ThemMoi', [ITEM]);

    expect(answer.json['error_code']).toBe('-1');
    expect(String(answer.json['message'])).not.toContain('thành công');
  });

  it('delays but still processes in mode slow', async () => {
    await setFault({ mode: 'slow', latencyMs: 300 });
    const started = Date.now();

    const answer = await post('/thanhhoa/ThemMoi', [ITEM]);

    expect(Date.now() - started).toBeGreaterThanOrEqual(280);
    expect(answer.json).toMatchObject({ error_code: '0' });
  });

  it('never answers in mode timeout, and leaves the admin endpoints alone', async () => {
    await setFault({ mode: 'timeout' });

    await expect(
      fetch(`${base}/api/auth`, { method: 'POST', body: '{}', signal: AbortSignal.timeout(300) }),
    ).rejects.toThrow();
    expect((await get('/_sandbox/faults/portal')).json).toMatchObject({ mode: 'timeout', injected: 1 });
  });
});

describe('isohub portal client against the sandbox', () => {
  it('logs in, creates, meets "đã tồn tại", updates and looks up', async () => {
    const portal = portalClient();
    const envelope = { service: 'DongBoHoSoMC', madonvi: '000.00.01.H56', data: [ITEM] } as const;

    expect((await portal.sendEnvelope({ ...envelope, isUpdating: false })).outcome).toBe('success');
    expect((await portal.sendEnvelope({ ...envelope, isUpdating: false })).outcome).toBe('already_exists');
    expect((await portal.sendEnvelope({ ...envelope, isUpdating: true })).outcome).toBe('success');
    const lookup = await portal.lookupDossier({ madonvi: '000.00.01.H56', maHoSo: CODE });
    expect(lookup.dossiers).toEqual([ITEM]);
    expect(
      (await portal.postRaw({ url: `${base}/thanhhoa/ThemMoi`, body: JSON.stringify([ITEM]) })).outcome,
    ).toBe('already_exists');
    await expect(portal.checkConnection()).resolves.toMatchObject({ ok: true });
  });

  it('recovers from an expired session by logging in again', async () => {
    const portal = portalClient();
    await portal.sendEnvelope({ service: 'CapNhatTienDoHoSoMC', madonvi: 'M', data: [{ MaHoSo: CODE }] });
    await fetch(`${base}/_sandbox/portal/sessions`, { method: 'DELETE' });

    const answer = await portal.sendEnvelope({
      service: 'CapNhatTienDoHoSoMC',
      madonvi: 'M',
      data: [{ MaHoSo: CODE }],
    });

    expect(answer.outcome).toBe('success');
    const { requests } = (await get('/_sandbox/portal/received')).json as {
      requests: Record<string, unknown>[];
    };
    expect(requests.map((r) => r['endpoint'])).toEqual([
      'login',
      'integration',
      'integration',
      'login',
      'integration',
    ]);
  });

  it.each([
    ['down', 'UNAVAILABLE'],
    ['http500', 'UNAVAILABLE'],
    ['timeout', 'TIMEOUT'],
  ] as const)('turns fault %s into a retryable %s', async (mode, code) => {
    await setFault({ mode });

    await expect(portalClient(300).checkConnection()).resolves.toMatchObject({
      ok: false,
      detail: matching(new RegExp(`^${code}`)),
    });
    await expect(
      portalClient(300).postRaw({ url: `${base}/thanhhoa/DongBoTienTrinh`, body: '[]' }),
    ).rejects.toMatchObject({ code, retryable: true });
  });
});

describe('simulated one-stop senders', () => {
  it('serves a generated day as JSON and refuses bad options', async () => {
    const day = await get('/_sandbox/onestop/day?seed=7&count=3');

    expect(day.status).toBe(200);
    expect(day.json).toEqual(JSON.parse(JSON.stringify(simulateDay({ seed: '7', count: 3 }))));
    expect((await get('/_sandbox/onestop/day?count=-1')).status).toBe(400);
    expect((await get('/_sandbox/onestop/day?date=2025-13-01')).status).toBe(400);
  });

  it('replays a generated day to the given targets', async () => {
    const summary = await post('/_sandbox/onestop/replay', {
      seed: 3,
      count: 4,
      targets: {
        thanhHoa: {
          createUrl: `${base}/thanhhoa/ThemMoi`,
          updateUrl: `${base}/thanhhoa/CapNhat`,
          progressUrl: `${base}/thanhhoa/DongBoTienTrinh`,
        },
      },
    });

    expect(summary.json).toMatchObject({ dossiers: 4, unanswered: 0, notAcknowledged: [] });
    expect(summary.json['acknowledged']).toBe(summary.json['calls']);
  });
});

describe('a simulated day replayed against the sandbox', () => {
  it('lands every dossier with its last status, as both senders react to the answers', async () => {
    const day = simulateDay({ seed: 'replay', count: 12 });

    const calls = await replayTraffic(day.messages, {
      openCps: {
        authUrl: `${base}/api/auth`,
        integrationUrl: `${base}/api/integration`,
        username: 'isohub',
        password: 'sandbox-test-pass',
      },
      thanhHoa: {
        createUrl: `${base}/thanhhoa/ThemMoi`,
        updateUrl: `${base}/thanhhoa/CapNhat`,
        progressUrl: `${base}/thanhhoa/DongBoTienTrinh`,
      },
    });

    expect(calls.length).toBeGreaterThan(0);
    expect(calls.filter((c) => !c.acknowledged)).toEqual([]);
    for (const dossier of day.dossiers) {
      const lastSnapshot = day.messages
        .filter(
          (m) =>
            m.dossierCode === dossier.code &&
            (m.sender === 'thanhhoa' ? m.operation === 'create' : m.service === 'DongBoHoSoMC'),
        )
        .map((m) => (m.sender === 'thanhhoa' ? m.body[0] : m.body.data?.[0]))
        .at(-1);
      if (!lastSnapshot) {
        continue;
      }
      const recorded = (await get(`/_sandbox/portal/dossiers/${dossier.code}`)).json;
      expect(recorded['snapshot']).toMatchObject({ TrangThaiHoSo: lastSnapshot['TrangThaiHoSo'] });
    }
  });
});
