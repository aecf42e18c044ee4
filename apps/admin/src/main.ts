import 'reflect-metadata';
import { type INestApplication, Logger, type LoggerService, type LogLevel } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import helmet from 'helmet';
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
  app.use(securityHeaders(config));
  if (config.trustProxyHops > 0) {
    // Needed behind a TLS proxy: express-session sets a Secure cookie only on a request it sees as https.
    app.set('trust proxy', config.trustProxyHops);
  }
  setupOpenApi(app, config.auth);
  return app;
}

/**
 * Security headers on every answer (helmet): a CSP allowing this origin only (styles may be inline: the
 * status and sign-in pages carry theirs), no framing by anyone (frame-ancestors 'none', X-Frame-Options
 * DENY), nosniff, no referrer. Forms may also post on to the SSO (the logout redirects there).
 */
export function securityHeaders(config: AdminConfig): ReturnType<typeof helmet> {
  const https = config.auth.publicUrl?.startsWith('https:') ?? false;
  return helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        fontSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'", new URL(config.auth.oidc.issuerUrl).origin],
        frameAncestors: ["'none'"],
        ...(https ? { upgradeInsecureRequests: [] } : {}),
      },
    },
    frameguard: { action: 'deny' },
    referrerPolicy: { policy: 'no-referrer' },
    strictTransportSecurity: https ? { maxAge: 31_536_000 } : false,
  });
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
