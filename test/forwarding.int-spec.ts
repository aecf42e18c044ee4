import type { INestApplication } from '@nestjs/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { topicNames } from '@isohub/events';
import { simulateDay } from '../apps/sandbox/src/onestop/day-simulator';
import type { SimulatedMessage } from '../apps/sandbox/src/onestop/simulated-traffic';
import { replayTraffic, type ReplayTargets } from '../apps/sandbox/src/onestop/traffic-replayer';
import { createSandboxApp } from '../apps/sandbox/src/sandbox.app';
import { loadSandboxConfig } from '../apps/sandbox/src/sandbox.config';
import { freshDatabase, type TestDatabase } from './support/database';
import { DEV_SENDERS, opsHeaders, startHub, type RunningHub } from './support/hub';
import { TopicRecorder, uniquePrefix } from './support/kafka';
import { TAKEOVER_ACCOUNTS, takeoverSandboxEnv, takeoverSendersFile } from './support/senders';

interface PortalDossier {
  snapshot: Record<string, unknown> | null;
  progress: unknown[];
}

/**
 * Takeover mode: sandbox one-stop day -> isohub tee -> (Kafka events) + (store-and-forward, each sender with
 * its own portal account) -> sandbox portal. What the portal ends up holding must be what the senders sent,
 * even across a portal outage.
 */
describe('tee forwarding to the national portal (takeover: store-and-forward)', () => {
  let db: TestDatabase;
  let hub: RunningHub;
  let sandbox: INestApplication;
  let portalUrl: string;
  let recorder: TopicRecorder;
  const prefix = uniquePrefix('fwd');

  const targets = (): ReplayTargets => ({
    openCps: {
      authUrl: `${hub.url}/dvcqg/api/auth`,
      integrationUrl: `${hub.url}/dvcqg/api/integration`,
      username: DEV_SENDERS.opencps.username,
      password: DEV_SENDERS.opencps.password,
    },
    thanhHoa: {
      createUrl: `${hub.url}/dvcqg/th/${DEV_SENDERS.thanhhoaKey}/ThemMoi`,
      updateUrl: `${hub.url}/dvcqg/th/${DEV_SENDERS.thanhhoaKey}/CapNhat`,
      progressUrl: `${hub.url}/dvcqg/th/${DEV_SENDERS.thanhhoaKey}/DongBoTienTrinh`,
    },
  });

  const portalDossier = async (code: string): Promise<PortalDossier | null> => {
    const res = await fetch(`${portalUrl}/_sandbox/portal/dossiers/${encodeURIComponent(code)}`);
    return res.status === 200 ? ((await res.json()) as PortalDossier) : null;
  };

  const setFault = async (mode: string): Promise<void> => {
    const res = await fetch(`${portalUrl}/_sandbox/faults/portal`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ mode }),
    });
    expect(res.status).toBeLessThan(300);
  };

  /** The last snapshot each dossier's sender sent, as the portal should end up holding it. */
  const lastSnapshots = (messages: SimulatedMessage[]): Map<string, Record<string, unknown>> => {
    const out = new Map<string, Record<string, unknown>>();
    for (const m of messages) {
      const items =
        m.sender === 'opencps'
          ? m.service === 'DongBoHoSoMC'
            ? (m.body.data ?? [])
            : []
          : m.operation === 'progress'
            ? []
            : m.body;
      for (const item of items) {
        out.set(String((item as Record<string, unknown>)['MaHoSo']), item);
      }
    }
    return out;
  };

  const waitUntil = async (check: () => Promise<boolean>, timeoutMs = 60_000): Promise<void> => {
    const end = Date.now() + timeoutMs;
    while (!(await check())) {
      if (Date.now() > end) {
        throw new Error(`condition not met within ${timeoutMs} ms`);
      }
      await new Promise((r) => setTimeout(r, 250));
    }
  };

  beforeAll(async () => {
    db = await freshDatabase();
    const config = loadSandboxConfig({ SANDBOX_PORT: '0', ...takeoverSandboxEnv() });
    sandbox = await createSandboxApp(config, { logger: false });
    await sandbox.listen(0, '127.0.0.1');
    portalUrl = (await sandbox.getUrl()).replace('[::1]', '127.0.0.1');
    hub = await startHub({
      databaseUrl: db.url,
      topicPrefix: prefix,
      upstream: portalUrl,
      env: {
        SENDERS_FILE: takeoverSendersFile(portalUrl),
        PORTAL_BASE_URL: portalUrl,
        PORTAL_USERNAME: config.portal.username,
        PORTAL_PASSWORD: config.portal.password,
        PORTAL_TIMEOUT_MS: '2000',
      },
    });
    recorder = new TopicRecorder([topicNames(prefix).events]);
    await recorder.start();
  });

  afterAll(async () => {
    await recorder?.stop();
    await hub?.stop();
    await sandbox?.close();
    await db?.drop();
  });

  it('forwards every accepted request and the portal ends with the senders latest snapshots', async () => {
    const day = simulateDay({ seed: 'fwd-1', count: 12 });
    const calls = await replayTraffic(day.messages, targets());
    const failed = calls.filter((c) => !c.acknowledged && c.message.sender === 'thanhhoa' && c.status !== 0);
    expect(failed).toEqual([]);
    const expected = lastSnapshots(day.messages);
    await waitUntil(async () => {
      for (const code of expected.keys()) {
        if (!(await portalDossier(code))?.snapshot) {
          return false;
        }
      }
      return true;
    });
    // the forwarder delivers in arrival order per sender, so the final state matches
    await waitUntil(async () => {
      for (const [code, item] of expected) {
        const held = await portalDossier(code);
        if (held?.snapshot?.['TrangThaiHoSo'] !== item['TrangThaiHoSo']) {
          return false;
        }
      }
      return true;
    });
    // and every dossier has its events on Kafka
    await recorder.waitFor((rs) => [...expected.keys()].every((code) => rs.some((r) => r.key === code)));
    // delivered as the sender, with its own portal account: never a shared one
    const received = (await (await fetch(`${portalUrl}/_sandbox/portal/received`)).json()) as {
      requests: { endpoint: string; rawBody: string }[];
    };
    const logins = received.requests.filter((r) => r.endpoint === 'login');
    expect(logins.length).toBeGreaterThan(0);
    for (const login of logins) {
      expect((JSON.parse(login.rawBody) as { username: string }).username).toBe(
        TAKEOVER_ACCOUNTS.opencps.username,
      );
    }
  });

  it('answers the sender after commit while the portal is down, then delivers everything', async () => {
    await setFault('down');
    const day = simulateDay({ seed: 'fwd-outage', count: 6, openCpsShare: 0, date: '2025-07-02' });
    const calls = await replayTraffic(day.messages, targets());
    // Thanh Hóa marks rows synced on "thành công": the hub said so only because it stored them
    expect(calls.every((c) => c.acknowledged)).toBe(true);
    const expected = lastSnapshots(day.messages);
    const codes = [...expected.keys()];
    const ready = (await (await fetch(`${hub.url}/health/ready`, { headers: opsHeaders(hub) })).json()) as {
      checks: { forwarder: { pending: number } };
    };
    expect(ready.checks.forwarder.pending).toBeGreaterThan(0);
    for (const code of codes) {
      expect(await portalDossier(code)).toBeNull();
    }
    await setFault('none');
    await waitUntil(async () => {
      for (const [code, item] of expected) {
        const held = await portalDossier(code);
        if (held?.snapshot?.['TrangThaiHoSo'] !== item['TrangThaiHoSo']) {
          return false;
        }
      }
      return true;
    }, 90_000);
  });
});
