import type { Provider } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { ReconciliationStore } from '@isohub/persistence';
import { DATA_SOURCE } from '../infra/infra.module';
import { ReconciliationService } from './reconciliation.service';

export { ReconciliationController } from './reconciliation.controller';

/** What the sync service registers for the TraCuuHoSo reconciliation and its operator API. */
export const RECONCILIATION_PROVIDERS: Provider[] = [
  {
    provide: ReconciliationStore,
    inject: [DATA_SOURCE],
    useFactory: (ds: DataSource) => new ReconciliationStore(ds),
  },
  ReconciliationService,
];
