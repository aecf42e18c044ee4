import type { INestApplication, LoggerService, LogLevel } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { isLgspRestPath } from './lgsp/lgsp-sandbox.tokens';
import { isPortalPath } from './portal/portal-paths';
import type { SandboxConfig } from './sandbox.config';
import { SandboxModule } from './sandbox.module';
import { defaultSsoConfig } from './sso/sso.config';
import { mountSso } from './sso/sso.mount';

/** Builds the sandbox app without listening, so tests can listen on port 0. */
export async function createSandboxApp(
  config: SandboxConfig,
  options: { logger?: LoggerService | LogLevel[] | false } = {},
): Promise<INestApplication> {
  const app = await NestFactory.create<NestExpressApplication>(SandboxModule.forRoot(config), {
    bodyParser: false,
    forceCloseConnections: true,
    ...(options.logger === undefined ? {} : { logger: options.logger }),
  });
  // The portal endpoints keep the exact bytes and take any Content-Type: the senders send no charset
  // and OpenCPS a bogus `Charset:` header (docs/research/wire-formats.md, "Implications" 1). So do the
  // LGSP REST services, whose recorder shows what isohub forwarded byte for byte.
  app.useBodyParser('raw', {
    type: (req) => isPortalPath(req.url) || isLgspRestPath(req.url),
    limit: config.maxBody,
  });
  app.useBodyParser('json', { limit: config.maxBody });
  mountSso(app, config.sso ?? defaultSsoConfig());
  return app;
}
