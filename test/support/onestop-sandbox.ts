import type { INestApplication } from '@nestjs/common';
import { createSandboxApp } from '../../apps/sandbox/src/sandbox.app';
import { loadSandboxConfig } from '../../apps/sandbox/src/sandbox.config';

export { SANDBOX_ONESTOP_API } from '../../apps/sandbox/src/onestop-api/onestop-api.credentials';

/** The sandbox (with its OpenCPS-shaped one-stop API) on a free port, for tests outside the root test/ folder. */
export async function startSandbox(): Promise<{ app: INestApplication; url: string; stop(): Promise<void> }> {
  const app = await createSandboxApp(loadSandboxConfig({ SANDBOX_PORT: '0' }), { logger: false });
  await app.listen(0, '127.0.0.1');
  const url = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  return { app, url, stop: () => app.close() };
}
