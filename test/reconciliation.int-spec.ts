import { createServer } from 'node:net';
import type { INestApplication } from '@nestjs/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSandboxApp } from '../apps/sandbox/src/sandbox.app';
import { loadSandboxConfig } from '../apps/sandbox/src/sandbox.config';
import { freshDatabase, type TestDatabase } from './support/database';
import { DEV_SENDERS, OpenCpsClient, opsHeaders, postJson, startHub, type RunningHub } from './support/hub';
import { snapshot } from './support/traffic';
import { uniquePrefix } from './support/kafka';
import { sendersFile, TAKEOVER_ACCOUNTS, takeoverSandboxEnv } from './support/senders';

const OPS_TOKEN = 'reconciliation-test-ops-token';
const AGENCY = DEV_SENDERS.opencps.agency;

interface Run {
  id: string;
  status: string;
  checked: number;
  matched: number;
  mismatched: number;
  skipped: number;
  skippedByReason: Record<string, number>;
  errors: number;
  lastError: string | null;
}

interface Mismatch {
  dossierCode: string;
  agency: string | null;
  sender: string | null;
  kind: string;
  field: string;
  oneStopValue: string | null;
  portalValue: string | null;
}

type RunWithMismatches = Run & { mismatches: { total: number; items: Mismatch[] } };

/** A port nothing listens on: the Thanh Hóa-style portal URLs point there, so those forward jobs stay pending. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address() as { port: number };
  await new Promise<void>((ok) => server.close(() => ok()));
  return port;
}

/**
 * Dossiers sent through the tee and forwarded to the sandbox portal; the portal's copy is then made to
 * disagree, and a reconciliation run must find exactly those disagreements over real HTTP, PostgreSQL
 * and Kafka, skip what is still in flight, and never call a dossier missing when the portal is down.
 */
describe('reconciliation with the national portal (TraCuuHoSo)', () => {
  let db: TestDatabase;
  let hub: RunningHub;
  let sandbox: INestApplication;
  let portalUrl: string;
  const tag = uniquePrefix('rc').replace(/[^a-z0-9]/gi, '');
  const code = (i: number) => `${AGENCY}-${tag}-${i}`;
  const opencps = [1, 2, 3, 4, 5].map(code);
  const thanhHoa = `000.00.00.H56-${tag}-th`;

  const ops = (path: string, init: RequestInit = {}, token: string | null = OPS_TOKEN) =>
    fetch(`${hub.url}/ops/reconciliation${path}`, {
      ...init,
      headers: {
        'content-type': 'application/json',
        ...(token === null ? {} : { authorization: `Bearer ${token}` }),
      },
    });

  const sandboxPost = async (path: string, body: unknown, method = 'POST'): Promise<void> => {
    const res = await fetch(`${portalUrl}${path}`, {
      method,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    expect(res.status, await res.text()).toBeLessThan(300);
  };

  const waitUntil = async (check: () => Promise<boolean>, timeoutMs = 60_000): Promise<void> => {
    const end = Date.now() + timeoutMs;
    while (!(await check())) {
      if (Date.now() > end) {
        throw new Error(`condition not met within ${timeoutMs} ms`);
      }
      await new Promise((r) => setTimeout(r, 200));
    }
  };

  const startRun = async (body: unknown): Promise<string> => {
    const res = await ops('/runs', { method: 'POST', body: JSON.stringify(body) });
    expect(res.status).toBe(202);
    const run = (await res.json()) as Run;
    expect(run.status).toBe('running');
    expect(res.headers.get('location')).toBe(`/ops/reconciliation/runs/${run.id}`);
    return run.id;
  };

  const finished = async (id: string): Promise<RunWithMismatches> => {
    let run: RunWithMismatches | null = null;
    await waitUntil(async () => {
      run = (await (await ops(`/runs/${id}?limit=1000`)).json()) as RunWithMismatches;
      return run.status !== 'running';
    });
    return run as unknown as RunWithMismatches;
  };

  beforeAll(async () => {
    db = await freshDatabase();
    const config = loadSandboxConfig({ SANDBOX_PORT: '0', ...takeoverSandboxEnv() });
    sandbox = await createSandboxApp(config, { logger: false });
    await sandbox.listen(0, '127.0.0.1');
    portalUrl = (await sandbox.getUrl()).replace('[::1]', '127.0.0.1');
    const nowhere = `http://127.0.0.1:${await closedPort()}`;
    // Takeover senders (isohub answers at commit and delivers as each sender): the Thanh Hóa sender's own
    // URLs lead nowhere, so its request stays pending while the OpenCPS ones are delivered.
    const senders = sendersFile((s) =>
      s['style'] === 'opencps'
        ? { ...s, mode: 'takeover', upstreamAccount: TAKEOVER_ACCOUNTS.opencps }
        : s['style'] === 'thanhhoa'
          ? {
              ...s,
              mode: 'takeover',
              upstream: {
                createUrl: `${nowhere}/ThemMoi`,
                updateUrl: `${nowhere}/CapNhat`,
                progressUrl: `${nowhere}/DongBoTienTrinh`,
              },
            }
          : s,
    );
    hub = await startHub({
      databaseUrl: db.url,
      topicPrefix: uniquePrefix('rc'),
      upstream: portalUrl,
      env: {
        SENDERS_FILE: senders,
        PORTAL_BASE_URL: portalUrl,
        PORTAL_USERNAME: config.portal.username,
        PORTAL_PASSWORD: config.portal.password,
        PORTAL_TIMEOUT_MS: '2000',
        PORTAL_TH_CREATE_URL: `${nowhere}/ThemMoi`,
        PORTAL_TH_UPDATE_URL: `${nowhere}/CapNhat`,
        PORTAL_TH_PROGRESS_URL: `${nowhere}/DongBoTienTrinh`,
        OPS_TOKEN,
        RECONCILE_INTERVAL_MINUTES: '0',
        RECONCILE_RATE_PER_SECOND: '3',
      },
    });

    const client = new OpenCpsClient(hub.url);
    for (const c of opencps) {
      const item =
        c === opencps[4]
          ? snapshot(c, { TrangThaiHoSo: '9', NgayKetThucXuLy: '20260402150000' })
          : snapshot(c);
      expect((await client.send('DongBoHoSoMC', [item])).body.error_code).toBe('0');
    }
    const th = await postJson(`${hub.url}/dvcqg/th/${DEV_SENDERS.thanhhoaKey}/ThemMoi`, [snapshot(thanhHoa)]);
    expect(th.body.error_code).toBe('0');

    // every OpenCPS request delivered; only the Thanh Hóa one still waits for its (unreachable) endpoint
    await waitUntil(async () => {
      for (const c of opencps) {
        if ((await fetch(`${portalUrl}/_sandbox/portal/dossiers/${encodeURIComponent(c)}`)).status !== 200) {
          return false;
        }
      }
      const ready = (await (await fetch(`${hub.url}/health/ready`, { headers: opsHeaders(hub) })).json()) as {
        checks: { forwarder: { pending: number } };
      };
      return ready.checks.forwarder.pending === 1;
    });

    const tamper = (c: string, body: unknown) =>
      sandboxPost(`/_sandbox/portal/dossiers/${encodeURIComponent(c)}/tamper`, body);
    await tamper(opencps[0], { TrangThaiHoSo: '4' });
    await tamper(opencps[1], { NgayHenTra: '20260410170000' });
    await tamper(opencps[2], { forget: true });
  });

  afterAll(async () => {
    await hub?.stop();
    await sandbox?.close();
    await db?.drop();
  });

  it('refuses calls without the operator token, or with a wrong one', async () => {
    for (const token of [null, 'not-the-token-at-all']) {
      const res = await ops('/runs', { method: 'POST', body: '{}' }, token);
      expect(res.status).toBe(401);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      expect((await ops('/runs', {}, token)).status).toBe(401);
    }
  });

  it('names the field of a bad request in a 400 problem', async () => {
    const res = await ops('/runs', { method: 'POST', body: JSON.stringify({ windowHours: 0 }) });
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    const body = (await res.json()) as { errors: { field: string }[] };
    expect(body.errors[0]?.field).toBe('/windowHours');
  });

  it('reports exactly the tampered and forgotten dossiers, with both values, and skips the one in flight', async () => {
    const id = await startRun({});
    const again = await ops('/runs', { method: 'POST', body: '{}' });
    expect(again.status).toBe(409);
    expect(again.headers.get('content-type')).toContain('application/problem+json');

    const run = await finished(id);
    expect(run).toMatchObject({
      status: 'done',
      checked: 5,
      matched: 2,
      mismatched: 3,
      skipped: 1,
      skippedByReason: { 'in-flight': 1 },
      errors: 0,
    });
    const found = run.mismatches.items
      .map((m) => ({
        dossierCode: m.dossierCode,
        kind: m.kind,
        field: m.field,
        oneStopValue: m.oneStopValue,
        portalValue: m.portalValue,
      }))
      .sort((a, b) => a.dossierCode.localeCompare(b.dossierCode));
    expect(found).toEqual([
      {
        dossierCode: opencps[0],
        kind: 'status',
        field: 'TrangThaiHoSo',
        oneStopValue: '2',
        portalValue: '4',
      },
      {
        dossierCode: opencps[1],
        kind: 'due-date',
        field: 'NgayHenTra',
        oneStopValue: '2026-04-03T17:00:00+07:00',
        portalValue: '20260410170000',
      },
      {
        dossierCode: opencps[2],
        kind: 'missing',
        field: 'MaHoSo',
        oneStopValue: opencps[2],
        portalValue: null,
      },
    ]);
    expect(run.mismatches.items.every((m) => m.agency === AGENCY && m.sender === 'opencps-demo')).toBe(true);
    expect(JSON.stringify(run)).not.toContain('Nguyễn');

    const statusOnly = (await (await ops(`/runs/${id}?kind=status`)).json()) as RunWithMismatches;
    expect(statusOnly.mismatches.total).toBe(1);
    expect((await ops(`/runs/${id}?kind=nonsense`)).status).toBe(400);

    const list = (await (await ops('/runs')).json()) as { items: Run[] };
    expect(list.items[0]?.id).toBe(id);

    const csv = await ops(`/runs/${id}?format=csv`);
    expect(csv.headers.get('content-type')).toContain('text/csv');
    const text = Buffer.from(await csv.arrayBuffer()).toString('utf8');
    expect(text.charCodeAt(0)).toBe(0xfeff);
    const lines = text.slice(1).trim().split('\r\n');
    expect(lines[0]).toBe(
      'run_id,dossier_code,agency,sender,kind,field,onestop_value,portal_value,note,detected_at',
    );
    expect(lines).toHaveLength(4);
    expect(lines.find((l) => l.includes(`${opencps[1]},`))).toContain(
      ',due-date,NgayHenTra,2026-04-03T17:00:00+07:00,20260410170000,',
    );

    const metrics = await (await fetch(`${hub.url}/metrics`, { headers: opsHeaders(hub) })).text();
    expect(metrics).toContain('isohub_reconciliation_last_run_mismatches{kind="missing"} 1');
    expect(metrics).toContain('isohub_reconciliation_last_run_mismatches{kind="status"} 1');
    expect(metrics).toContain('isohub_reconciliation_last_run_status{status="done"} 1');
    expect(metrics).toMatch(/isohub_reconciliation_last_run_timestamp_seconds \d{10}/);
    const ready = await fetch(`${hub.url}/health/ready`, { headers: opsHeaders(hub) });
    expect(ready.status).toBe(200);
    const health = (await ready.json()) as { checks: { reconciliation: { lastRun: Run } } };
    expect(health.checks.reconciliation.lastRun).toMatchObject({ id, status: 'done', mismatched: 3 });
  });

  it('checks an explicit list and skips codes the hub has never seen', async () => {
    const run = await finished(await startRun({ dossiers: [opencps[0], `${tag}-unknown`] }));
    expect(run).toMatchObject({
      status: 'done',
      checked: 1,
      mismatched: 1,
      skippedByReason: { 'not-in-hub': 1 },
    });
    expect(run.mismatches.items.map((m) => m.kind)).toEqual(['status']);
  });

  it('counts portal error answers as errors, not as missing dossiers (partial run)', async () => {
    await sandboxPost('/_sandbox/faults/portal', { mode: 'reject', count: 2 }, 'PUT');
    const dossiers = [opencps[0], opencps[1], opencps[3], opencps[4]];
    const run = await finished(await startRun({ dossiers }));
    expect(run).toMatchObject({ status: 'partial', checked: 2, errors: 2 });
    expect(run.lastError).toContain('error_code -1');
    expect(run.mismatches.items.some((m) => m.kind === 'missing')).toBe(false);
  });

  it('fails the run, with its error and no false "missing", while the portal is down', async () => {
    await sandboxPost('/_sandbox/faults/portal', { mode: 'down' }, 'PUT');
    try {
      const run = await finished(await startRun({}));
      expect(run).toMatchObject({ status: 'failed', checked: 0, matched: 0, mismatched: 0, errors: 5 });
      expect(run.lastError).toMatch(/UNAVAILABLE/);
      expect(run.mismatches.total).toBe(0);
      const metrics = await (await fetch(`${hub.url}/metrics`, { headers: opsHeaders(hub) })).text();
      expect(metrics).toContain('isohub_reconciliation_last_run_status{status="failed"} 1');
      expect(metrics).toContain('isohub_reconciliation_last_run_mismatches{kind="missing"} 0');
      expect((await fetch(`${hub.url}/health/ready`, { headers: opsHeaders(hub) })).status).toBe(200);
    } finally {
      await sandboxPost('/_sandbox/faults/portal', { mode: 'none' }, 'PUT');
    }
  });
});
