import type { INestApplication } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import type { Provider } from 'oidc-provider';
import { ssoInteractionRouter } from './sso-interactions';
import { SSO_MOUNT, createSsoProvider } from './sso-provider';
import type { SsoConfig } from './sso.config';

interface Mounted {
  provider: Provider;
  handle: ReturnType<Provider['callback']>;
}

/**
 * Mounts the development SSO on the sandbox's express app under `/sso` (oidc-provider is a Koa app;
 * express strips the mount path and oidc-provider reads it back from `originalUrl`). The provider is
 * created at the first request: when no public URL is configured the issuer takes the port the
 * sandbox actually listens on, which tests only know after `listen(0)`.
 */
export function mountSso(app: INestApplication, config: SsoConfig): void {
  let mounted: Mounted | null = null;
  const mount = (req: Request): Mounted => {
    if (mounted === null) {
      const origin = config.publicUrl ?? `http://127.0.0.1:${req.socket.localPort}`;
      const provider = createSsoProvider(`${origin}${SSO_MOUNT}`, config);
      mounted = { provider, handle: provider.callback() };
    }
    return mounted;
  };
  app.use(
    `${SSO_MOUNT}/interaction`,
    ssoInteractionRouter(config, (req) => Promise.resolve(mount(req).provider)),
  );
  app.use(SSO_MOUNT, (req: Request, res: Response, next: NextFunction) => {
    mount(req).handle(req, res).catch(next);
  });
}
