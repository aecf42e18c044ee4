import { Logger } from '@nestjs/common';
import { createSandboxApp } from './sandbox.app';
import { loadSandboxConfig } from './sandbox.config';

async function bootstrap(): Promise<void> {
  const config = loadSandboxConfig();
  const app = await createSandboxApp(config);
  app.enableShutdownHooks();
  await app.listen(config.port, config.host);
  new Logger('Sandbox').log(`simulated portal listening on ${await app.getUrl()}`);
}

bootstrap().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
