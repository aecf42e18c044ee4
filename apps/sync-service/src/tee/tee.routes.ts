import { Logger, type INestApplication } from '@nestjs/common';
import type express from 'express';
import type { NextFunction, Request, Response } from 'express';
import type { SyncServiceConfig } from '../config/sync-service.config';
import { expressProblemHandler } from '../http/problem';
import type { SenderStyle } from './sender-styles';
import { TeeProxy } from './tee-proxy.service';

/**
 * Mounts the transparent tee on a base path: every method and every path below it goes to TeeProxy, which
 * finds the sender style and route (SENDER_STYLES) and relays the call. Bodies are read raw by the proxy,
 * with a limit that depends on the route and on whether the caller is known.
 */
export function mountTee(
  app: INestApplication,
  base: SenderStyle['base'],
  basePath: string,
  name: string,
): string[] {
  const proxy = app.get(TeeProxy);
  const server = app.getHttpAdapter().getInstance() as express.Express;
  const onError = expressProblemHandler(new Logger(name));
  const path = basePath.replace(/\/$/, '');
  server.use(path, (req: Request, res: Response, next: NextFunction) => {
    proxy.handle(base, req, res).catch((error: unknown) => onError(error, req, res, next));
  });
  return [`${path}/*`];
}

/** The portal-compatible endpoints (OpenCPS and Thanh Hóa styles) under TEE_BASE_PATH. */
export function registerTeeRoutes(app: INestApplication, config: SyncServiceConfig): string[] {
  return mountTee(app, 'tee', config.teeBasePath, 'Tee');
}
