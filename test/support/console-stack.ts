import { type AdminStack, startAdminStack } from './admin-stack';
import { DEV_SENDERS, type RunningHub, startHub } from './hub';
import { uniquePrefix } from './kafka';
import { startPortalSandbox } from './portal-sandbox';

export interface ConsoleStack {
  hub: RunningHub;
  portal: { url: string; stop(): Promise<void> };
  stack: AdminStack;
  stop(): Promise<void>;
}

/**
 * What the console's tests watch: a sync service whose transparent tee relays the demo OpenCPS sender to a
 * sandbox portal that takes that sender's own login, and the admin (with the sandbox SSO) calling the sync
 * service's operator API with `opsToken`.
 */
export async function startConsoleStack(opts: {
  databaseUrl: string;
  topic: string;
  opsToken: string;
}): Promise<ConsoleStack> {
  const login = { username: DEV_SENDERS.opencps.username, password: DEV_SENDERS.opencps.password };
  const portal = await startPortalSandbox({
    SANDBOX_PORTAL_USERNAME: login.username,
    SANDBOX_PORTAL_PASSWORD: login.password,
  });
  const hub = await startHub({
    databaseUrl: opts.databaseUrl,
    topicPrefix: uniquePrefix(opts.topic),
    env: {
      OPS_TOKEN: opts.opsToken,
      PORTAL_BASE_URL: portal.url,
      PORTAL_USERNAME: login.username,
      PORTAL_PASSWORD: login.password,
    },
  });
  const stack = await startAdminStack({
    databaseUrl: opts.databaseUrl,
    adminEnv: { SYNC_SERVICE_URL: hub.url, SYNC_SERVICE_OPS_TOKEN: opts.opsToken },
  });
  return {
    hub,
    portal,
    stack,
    async stop() {
      await stack.stop();
      await hub.stop();
      await portal.stop();
    },
  };
}
