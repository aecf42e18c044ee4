import { Module, type DynamicModule } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { PORTAL_PORT, PortalAdapter, validatePortalConfig } from '@isohub/adapters/portal';
import { DeadLetterStore, ForwardStore, HeldEventsStore } from '@isohub/persistence';
import { SYNC_CONFIG, type SyncServiceConfig } from './config/sync-service.config';
import { FORWARD_PROVIDERS } from './forward/forward.providers';
import { HealthController, MetricsController } from './health/health.controller';
import { DATA_SOURCE, InfraModule } from './infra/infra.module';
import { HubMetrics } from './observability/hub-metrics';
import { MetricsRegistry } from './observability/metrics.registry';
import { HeldReleaseService } from './ingest/held-release.service';
import { HousekeepingService } from './relay/housekeeping.service';
import { DeadLettersController } from './ops/dead-letters.controller';
import { DeadLetterReplayService } from './ops/dead-letter-replay.service';
import { OPS_AUDIT_PROVIDERS } from './ops/ops-audit.interceptor';
import { IngestService } from './ingest/ingest.service';
import { LgspHandler } from './lgsp/lgsp.handler';
import { LgspTokenService } from './lgsp/lgsp-token.service';
import { ProcedureResolverService } from './ingest/procedure-resolver.service';
import { OpsAdaptersController, POLLING_PROVIDERS } from './polling/polling.providers';
import { RelayService } from './relay/relay.service';
import {
  RECONCILIATION_PROVIDERS,
  ReconciliationController,
} from './reconciliation/reconciliation.providers';
import { DeadLetterService } from './tee/dead-letter.service';
import { LookupService } from './tee/lookup.service';
import { TeeHandler } from './tee/tee.handler';
import { TeeSessionService } from './tee/tee-session.service';
import { TEE_PROVIDERS, TeeCallsController } from './tee/tee.providers';
import { TIMING_PROVIDERS } from './timing/timing.providers';

const providers = [
  MetricsRegistry,
  HubMetrics,
  {
    provide: PORTAL_PORT,
    inject: [SYNC_CONFIG],
    useFactory: (c: SyncServiceConfig) =>
      c.portal.enabled
        ? new PortalAdapter(
            validatePortalConfig({
              baseUrl: c.portal.baseUrl,
              authPath: c.portal.authPath,
              integrationPath: c.portal.integrationPath,
              username: c.portal.username,
              password: c.portal.password,
              timeoutMs: c.portal.timeoutMs,
            }),
          )
        : null,
  },
  { provide: ForwardStore, inject: [DATA_SOURCE], useFactory: (ds: DataSource) => new ForwardStore(ds) },
  {
    provide: HeldEventsStore,
    inject: [DATA_SOURCE],
    useFactory: (ds: DataSource) => new HeldEventsStore(ds),
  },
  HeldReleaseService,
  HousekeepingService,
  {
    provide: DeadLetterStore,
    inject: [DATA_SOURCE],
    useFactory: (ds: DataSource) => new DeadLetterStore(ds),
  },
  DeadLetterReplayService,
  RelayService,
  ProcedureResolverService,
  IngestService,
  TeeSessionService,
  DeadLetterService,
  LookupService,
  TeeHandler,
  LgspTokenService,
  LgspHandler,
  ...TEE_PROVIDERS,
  ...FORWARD_PROVIDERS,
  ...TIMING_PROVIDERS,
  ...POLLING_PROVIDERS,
  ...RECONCILIATION_PROVIDERS,
  ...OPS_AUDIT_PROVIDERS,
];

@Module({})
export class SyncServiceModule {
  static forRoot(config: SyncServiceConfig): DynamicModule {
    return {
      module: SyncServiceModule,
      imports: [InfraModule.forRoot(config)],
      controllers: [
        HealthController,
        MetricsController,
        OpsAdaptersController,
        DeadLettersController,
        ReconciliationController,
        TeeCallsController,
      ],
      providers,
    };
  }
}
