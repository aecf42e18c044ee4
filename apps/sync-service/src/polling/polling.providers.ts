import type { Provider } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { SourceCursorStore, UnmappedStatusStore } from '@isohub/persistence';
import { DATA_SOURCE } from '../infra/infra.module';
import { OpsTokenGuard } from './ops-token.guard';
import { PollingService } from './polling.service';
import { PublishedStatusMappingsService } from './published-status-mappings.service';

export { OpsAdaptersController } from './ops-adapters.controller';

/** What the sync service registers for the pull sources and their operator API. */
export const POLLING_PROVIDERS: Provider[] = [
  {
    provide: SourceCursorStore,
    inject: [DATA_SOURCE],
    useFactory: (ds: DataSource) => new SourceCursorStore(ds),
  },
  {
    provide: UnmappedStatusStore,
    inject: [DATA_SOURCE],
    useFactory: (ds: DataSource) => new UnmappedStatusStore(ds),
  },
  PublishedStatusMappingsService,
  PollingService,
  OpsTokenGuard,
];
