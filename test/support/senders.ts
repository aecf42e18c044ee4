import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

type Sender = Record<string, unknown>;

/**
 * A senders file: the development senders (config/senders.dev.json), each passed through `change` (return
 * the sender as it should be), plus `extra` senders. Returns its path, for SENDERS_FILE.
 */
export function sendersFile(change: (sender: Sender) => Sender = (s) => s, extra: Sender[] = []): string {
  const dev = JSON.parse(readFileSync(resolve(__dirname, '../../config/senders.dev.json'), 'utf8')) as {
    senders: Sender[];
  };
  const path = join(mkdtempSync(join(tmpdir(), 'isohub-senders-')), 'senders.json');
  writeFileSync(path, JSON.stringify({ ...dev, senders: [...dev.senders.map(change), ...extra] }));
  return path;
}

/** The takeover accounts the development senders get in the takeover tests, one per sender (never shared). */
export const TAKEOVER_ACCOUNTS = {
  opencps: { username: 'h56-opencps-demo', password: 'own-portal-password-1' },
  lgsp: { clientId: 'h56-opencps-lgsp-demo', clientSecret: 'own-bus-client-secret-1' },
};

/**
 * The development senders in takeover mode, each with its own upstream account at the sandbox at `url`:
 * OpenCPS with TAKEOVER_ACCOUNTS.opencps, Thanh Hóa with the sandbox's three URLs, LGSP with its own client.
 */
export function takeoverSendersFile(url: string | null): string {
  return sendersFile((s) => {
    switch (s['style']) {
      case 'opencps':
        return { ...s, mode: 'takeover', upstreamAccount: TAKEOVER_ACCOUNTS.opencps };
      case 'thanhhoa':
        return url === null
          ? s
          : {
              ...s,
              mode: 'takeover',
              upstream: {
                createUrl: `${url}/thanhhoa/ThemMoi`,
                updateUrl: `${url}/thanhhoa/CapNhat`,
                progressUrl: `${url}/thanhhoa/DongBoTienTrinh`,
              },
            };
      default:
        return { ...s, mode: 'takeover', upstreamClient: TAKEOVER_ACCOUNTS.lgsp };
    }
  });
}

/** Sandbox settings that make it accept the takeover accounts (besides its defaults). */
export function takeoverSandboxEnv(): Record<string, string> {
  const o = TAKEOVER_ACCOUNTS.opencps;
  const l = TAKEOVER_ACCOUNTS.lgsp;
  return {
    SANDBOX_PORTAL_ACCOUNTS: `${o.username}:${o.password}`,
    SANDBOX_LGSP_CLIENTS: `${l.clientId}:${l.clientSecret}`,
  };
}

/**
 * The hub the resilience tests run: OpenCPS and LGSP senders in takeover mode with no upstream, so isohub
 * answers every request itself at commit (and queues nothing): what they test is the hub, not the portal.
 */
export function answerAtCommitEnv(): Record<string, string> {
  return { SENDERS_FILE: takeoverSendersFile(null) };
}
