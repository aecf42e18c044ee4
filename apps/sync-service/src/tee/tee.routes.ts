import { Logger, type INestApplication } from '@nestjs/common';
import { expressProblemHandler } from '../http/problem';
import express, { type NextFunction, type Request, type Response } from 'express';
import type { SyncServiceConfig } from '../config/sync-service.config';
import { TeeHandler } from './tee.handler';

type Handler = (req: Request, res: Response) => Promise<void>;

/**
 * Binds the portal-compatible endpoints at the configured paths. Bodies are taken raw (any
 * Content-Type, up to MAX_BODY) so they can be forwarded byte for byte and dead-lettered as received.
 */
export function registerTeeRoutes(app: INestApplication, config: SyncServiceConfig): string[] {
  const tee = app.get(TeeHandler);
  const server = app.getHttpAdapter().getInstance() as express.Express;
  const raw = express.raw({ type: () => true, limit: config.maxBodyBytes });
  const onError = expressProblemHandler(new Logger('Tee'));
  const wrap =
    (fn: Handler) =>
    (req: Request, res: Response, next: NextFunction): void => {
      fn(req, res).catch((error: unknown) => onError(error, req, res, next));
    };
  const base = config.teeBasePath.replace(/\/$/, '');
  const paths = {
    auth: `${base}${config.authPath}`,
    integration: `${base}${config.integrationPath}`,
    thanhhoa: `${base}/th/:key/:action`,
  };
  server.post(
    paths.auth,
    raw,
    wrap((req, res) => tee.login(req, res)),
  );
  server.post(
    paths.integration,
    raw,
    wrap((req, res) => tee.integration(req, res)),
  );
  server.post(
    paths.thanhhoa,
    tolerate(raw),
    wrap((req, res) => tee.thanhHoa(req, res, String(req.params['key']), String(req.params['action']))),
  );
  return Object.values(paths);

  /** Body-reading errors (too large, aborted) become problem+json too, not express's HTML page. */
  function tolerate(mw: express.RequestHandler): express.RequestHandler {
    return (req, res, next) => mw(req, res, (err?: unknown) => (err ? onError(err, req, res, next) : next()));
  }
}
