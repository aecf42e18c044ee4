import 'reflect-metadata';
import { type INestApplication, Logger, type LoggerService, type LogLevel } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { type AdminConfig, loadAdminConfig } from './admin.config';
import { AdminModule } from './admin.module';
import { setupOpenApi } from './openapi';

/** Builds the admin app without listening, so tests can listen on port 0. */
export async function createAdminApp(
  config: AdminConfig,
  options: { logger?: LoggerService | LogLevel[] | false } = {},
): Promise<INestApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AdminModule.forRoot(config), {
    forceCloseConnections: true,
    ...(options.logger === undefined ? {} : { logger: options.logger }),
  });
  app.disable('x-powered-by');
  if (config.trustProxyHops > 0) {
    // Needed behind a TLS proxy: express-session sets a Secure cookie only on a request it sees as https.
    app.set('trust proxy', config.trustProxyHops);
  }
  setupOpenApi(app, config.auth);
  return app;
}

async function main(): Promise<void> {
  const config = loadAdminConfig();
  const app = await createAdminApp(config);
  app.enableShutdownHooks();
  await app.listen(config.port, config.host);
  new Logger('Admin').log(`listening on ${await app.getUrl()}; SSO ${config.auth.oidc.issuerUrl}`);
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
