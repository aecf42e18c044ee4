import { createSandboxApp } from '../../apps/sandbox/src/sandbox.app';
import { loadSandboxConfig } from '../../apps/sandbox/src/sandbox.config';

/**
 * A sandbox of its own on a free port, serving the simulated national portal (and its catalogue from
 * procedures.csv), for app tests that may not import the sandbox app themselves (lib boundaries).
 */
export async function startPortalSandbox(
  env: Record<string, string> = {},
): Promise<{ url: string; stop(): Promise<void> }> {
  const app = await createSandboxApp(loadSandboxConfig({ SANDBOX_PORT: '0', ...env }), { logger: false });
  await app.listen(0, '127.0.0.1');
  const url = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  return { url, stop: () => app.close() };
}
