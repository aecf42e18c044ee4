import { type DynamicModule, Global, Inject, Module, type OnModuleDestroy } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { openDatabase } from '@isohub/persistence';
import { ADMIN_CONFIG, type AdminConfig } from './admin.config';
import { ADMIN_DATA_SOURCE } from './admin.tokens';

/**
 * What every admin feature module may inject: the typed config (`ADMIN_CONFIG`) and the database
 * (`ADMIN_DATA_SOURCE`, migrated at start, as the sync service does).
 */
@Global()
@Module({})
export class AdminInfraModule implements OnModuleDestroy {
  static forRoot(config: AdminConfig): DynamicModule {
    return {
      module: AdminInfraModule,
      providers: [
        { provide: ADMIN_CONFIG, useValue: config },
        {
          provide: ADMIN_DATA_SOURCE,
          useFactory: () =>
            openDatabase({
              url: config.databaseUrl,
              poolMax: config.databasePoolMax,
              applicationName: 'isohub-admin',
            }),
        },
      ],
      exports: [ADMIN_CONFIG, ADMIN_DATA_SOURCE],
    };
  }

  constructor(@Inject(ADMIN_DATA_SOURCE) private readonly ds: DataSource) {}

  async onModuleDestroy(): Promise<void> {
    await this.ds.destroy();
  }
}
