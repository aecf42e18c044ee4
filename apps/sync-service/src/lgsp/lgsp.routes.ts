import { Logger, type INestApplication } from '@nestjs/common';
import express, { type NextFunction, type Request, type Response } from 'express';
import type { SenderConfig, SyncServiceConfig } from '../config/sync-service.config';
import { expressProblemHandler } from '../http/problem';
import type { IngestOperation } from '../ingest/ingest.types';
import { LgspHandler } from './lgsp.handler';

/** Token requests are a few form fields; anything bigger is not one. */
const TOKEN_BODY_LIMIT = '16kb';

/**
 * Binds the LGSP-compatible endpoints under LGSP_BASE_PATH: `/token`, `/Document/SyncDocument`,
 * `/Document/UpdateDocumentTraces`. OpenCPS configures the token URL (`SERVER_URL`) and the adapter URL
 * (`CONSUMER_ADAPTER`) separately; both point at this base. (Its LGSPRestClient cuts TWO characters off a
 * URL ending in `/`, so configure them without a trailing slash.) The Bearer token is checked before the
 * body is read, so an unauthenticated caller cannot make the hub buffer MAX_BODY of Base64.
 */
export function registerLgspRoutes(app: INestApplication, config: SyncServiceConfig): string[] {
  const lgsp = app.get(LgspHandler);
  const server = app.getHttpAdapter().getInstance() as express.Express;
  const onError = expressProblemHandler(new Logger('Lgsp'));
  const base = config.lgspBasePath.replace(/\/$/, '');
  const paths = {
    token: `${base}/token`,
    sync: `${base}/Document/SyncDocument`,
    traces: `${base}/Document/UpdateDocumentTraces`,
  };
  const tolerate =
    (mw: express.RequestHandler): express.RequestHandler =>
    (req, res, next) =>
      mw(req, res, (err?: unknown) => (err ? onError(err, req, res, next) : next()));
  const tokenBody = tolerate(express.raw({ type: () => true, limit: TOKEN_BODY_LIMIT }));
  const documentBody = tolerate(express.raw({ type: () => true, limit: config.maxBodyBytes }));

  server.post(paths.token, tokenBody, (req: Request, res: Response, next: NextFunction) => {
    lgsp.token(req, res).catch((error: unknown) => onError(error, req, res, next));
  });
  const documents = (operation: IngestOperation) => [
    (req: Request, res: Response, next: NextFunction): void => {
      const sender = lgsp.authenticate(req, res);
      if (sender) {
        (res.locals as { sender?: SenderConfig }).sender = sender;
        next();
      }
    },
    documentBody,
    (req: Request, res: Response, next: NextFunction): void => {
      const sender = (res.locals as { sender: SenderConfig }).sender;
      lgsp.documents(req, res, sender, operation).catch((error: unknown) => onError(error, req, res, next));
    },
  ];
  server.post(paths.sync, ...documents('LgspSyncDocument'));
  server.post(paths.traces, ...documents('LgspUpdateDocumentTraces'));
  return Object.values(paths);
}
