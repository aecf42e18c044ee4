import type { INestApplication } from '@nestjs/common';
import type { SyncServiceConfig } from '../config/sync-service.config';
import { mountTee } from '../tee/tee.routes';

/**
 * The LGSP-compatible endpoints under LGSP_BASE_PATH: `/token`, `/Document/SyncDocument`,
 * `/Document/UpdateDocumentTraces` and any other path, relayed to the bus (the `lgsp-rest` sender style).
 * OpenCPS configures the token URL (`SERVER_URL`) and the adapter URL (`CONSUMER_ADAPTER`) separately; both
 * point at this base. (Its LGSPRestClient cuts TWO characters off a URL ending in `/`, so configure them
 * without a trailing slash.) A Bearer token is looked up before the body is read, so an unknown caller gets
 * only the small unidentified body limit.
 */
export function registerLgspRoutes(app: INestApplication, config: SyncServiceConfig): string[] {
  return mountTee(app, 'lgsp', config.lgspBasePath, 'Lgsp');
}
