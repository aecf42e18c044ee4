import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import { SANDBOX_ONESTOP_API } from '../../apps/sandbox/src/onestop-api/onestop-api.credentials';
import { createSandboxApp } from '../../apps/sandbox/src/sandbox.app';
import { loadSandboxConfig } from '../../apps/sandbox/src/sandbox.config';

export { SANDBOX_ONESTOP_API };

/** The sandbox (with its OpenCPS-shaped one-stop API) on a free port, for tests outside the root test/ folder. */
export async function startSandbox(): Promise<{ app: INestApplication; url: string; stop(): Promise<void> }> {
  const app = await createSandboxApp(loadSandboxConfig({ SANDBOX_PORT: '0' }), { logger: false });
  await app.listen(0, '127.0.0.1');
  const url = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  return { app, url, stop: () => app.close() };
}

/**
 * A pull-sources file (PULL_SOURCES_FILE) with one `opencps-rest` source reading the sandbox's one-stop API
 * through the upstream `sandbox`; `source` names it and adds or overrides its settings, `upstream` the
 * upstream's limits. Written in `dir` (default: a fresh temporary folder); returns the file's path.
 */
export function writeSandboxPullSources(opts: {
  sandboxUrl: string;
  source: { id: string } & Record<string, unknown>;
  upstream?: Record<string, unknown>;
  dir?: string;
}): string {
  const file = join(opts.dir ?? mkdtempSync(join(tmpdir(), 'isohub-pull-')), 'pull-sources.json');
  const source = {
    type: 'opencps-rest',
    agency: '000.00.01.H56',
    upstream: 'sandbox',
    baseUrl: `${opts.sandboxUrl}${SANDBOX_ONESTOP_API.basePath}`,
    credentials: {
      groupId: SANDBOX_ONESTOP_API.groupId,
      username: SANDBOX_ONESTOP_API.username,
      password: SANDBOX_ONESTOP_API.password,
    },
    intervalSeconds: 3600,
    ...opts.source,
  };
  const upstream = { requestsPerSecond: 200, maxConcurrent: 4, ...opts.upstream };
  writeFileSync(file, JSON.stringify({ upstreams: { sandbox: upstream }, sources: [source] }));
  return file;
}
