import { resolve } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import {
  loadSyncServiceConfig,
  type SyncServiceConfig,
} from '../../apps/sync-service/src/config/sync-service.config';
import { createSyncService } from '../../apps/sync-service/src/main';
import { brokers } from './kafka';
import { startPortalSandbox } from './portal-sandbox';

export interface RunningHub {
  app: INestApplication;
  url: string;
  config: SyncServiceConfig;
  /** The sandbox portal and LGSP bus the tee relays to (started with the hub unless `upstream: false`). */
  upstream: { url: string } | null;
  stop(): Promise<void>;
}

/** The tee's upstream settings for a sandbox at `url` (portal at its root, LGSP under /lgsp). */
export function sandboxUpstreamEnv(url: string): Record<string, string> {
  return {
    TEE_PORTAL_BASE_URL: url,
    LGSP_UPSTREAM_BASE_URL: `${url}/lgsp/rest`,
    LGSP_UPSTREAM_TOKEN_URL: `${url}/lgsp/token`,
  };
}

export const DEV_SENDERS = {
  opencps: { username: 'opencps-demo', password: 'demo-password-change-me', agency: '000.00.01.H56' },
  thanhhoaKey: 'th-demo-key-change-me',
};

/** The sync service's development OPS_TOKEN (what a test hub runs with unless it sets its own). */
export const DEV_OPS_TOKEN = 'dev-only-ops-token-change-me';

/**
 * `/health/ready` and `/metrics` are operator-only: the hub's OPS_TOKEN as a bearer header
 * (`/health/live` stays public).
 */
export function opsHeaders(
  hub: { config: SyncServiceConfig } | string = DEV_OPS_TOKEN,
): Record<string, string> {
  const token = typeof hub === 'string' ? hub : (hub.config.opsToken ?? '');
  return { authorization: `Bearer ${token}` };
}

/** Boot the real sync service (HTTP on a free port) against the given database and topic prefix. */
export async function startHub(opts: {
  databaseUrl: string;
  topicPrefix: string;
  env?: Record<string, string>;
  /** Listen on this port (e.g. to come back where senders point after a restart); default: a free one. */
  port?: number;
  /**
   * The upstream the transparent tee relays to: a sandbox of its own (default), an existing one (its URL),
   * or none (`false`: every relayed call is then answered 502, as with the real portal down).
   */
  upstream?: false | string;
  /** Settings of the hub's own sandbox upstream (e.g. SANDBOX_PORTAL_ACCOUNTS, SANDBOX_LGSP_CLIENTS). */
  upstreamEnv?: Record<string, string>;
}): Promise<RunningHub> {
  const sandbox =
    opts.upstream === undefined
      ? await startPortalSandbox({ SANDBOX_LGSP_DOSSIERS: '0', ...opts.upstreamEnv })
      : null;
  const upstreamUrl = sandbox?.url ?? (opts.upstream === false ? null : (opts.upstream ?? null));
  const config = loadSyncServiceConfig({
    DATABASE_URL: opts.databaseUrl,
    KAFKA_BROKERS: brokers().join(','),
    TOPIC_PREFIX: opts.topicPrefix,
    TOPIC_PARTITIONS: '3',
    PORT: '0',
    SENDERS_FILE: resolve(__dirname, '../../config/senders.dev.json'),
    CATALOGUE_CSV: resolve(__dirname, '../../../shared/data/procedures.csv'),
    RELAY_IDLE_MS: '50',
    // Tests drive the deadline scheduler with their own clock (DeadlineScheduler.tick); on only when asked.
    DEADLINE_SCHEDULER: 'off',
    ...(upstreamUrl === null ? {} : sandboxUpstreamEnv(upstreamUrl)),
    ...opts.env,
  });
  const { app } = await createSyncService(config);
  await app.listen(opts.port ?? 0, '127.0.0.1');
  const url = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  let closing: Promise<void> | null = null;
  // idempotent, so a test can close the hub mid-test and still list it for cleanup
  return {
    app,
    url,
    config,
    upstream: upstreamUrl === null ? null : { url: upstreamUrl },
    stop: () => (closing ??= app.close().then(() => sandbox?.stop())),
  };
}

/** The portal-style answer the tee gives (problem+json bodies carry the same members). */
export interface TeeReply {
  error_code: string;
  message: string;
  session?: string;
  data?: { index: number; MaHoSo: string | null; error_code: string; message: string }[];
  errors?: { field: string; code: string; message: string }[];
}

export async function postJson(
  url: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: TeeReply }> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body),
  });
  const text = await res.text();
  let parsed: TeeReply;
  try {
    parsed = JSON.parse(text) as TeeReply;
  } catch {
    parsed = { error_code: 'not-json', message: text };
  }
  return { status: res.status, body: parsed };
}

/** OpenCPS-style client: log in once, then post envelopes. */
export class OpenCpsClient {
  private session: string | null = null;

  constructor(private readonly base: string) {}

  async login(): Promise<string> {
    const r = await postJson(`${this.base}/dvcqg/api/auth`, {
      username: DEV_SENDERS.opencps.username,
      password: DEV_SENDERS.opencps.password,
    });
    if (r.status !== 200) {
      throw new Error(`login failed: ${r.status} ${JSON.stringify(r.body)}`);
    }
    this.session = r.body.session ?? null;
    if (!this.session) {
      throw new Error('login answered without a session');
    }
    return this.session;
  }

  async send(
    service: string,
    data: unknown[],
    isUpdating = 'False',
  ): Promise<{ status: number; body: TeeReply }> {
    if (!this.session) {
      await this.login();
    }
    return postJson(`${this.base}/dvcqg/api/integration`, {
      session: this.session,
      madonvi: DEV_SENDERS.opencps.agency,
      service,
      isUpdating,
      data,
    });
  }
}
