import { type DynamicModule, Module, type ModuleMetadata, type Provider } from '@nestjs/common';
import { AuditStore, CalendarStore } from '@isohub/persistence';
import type { DataSource } from 'typeorm';
import { ADMIN_DATA_SOURCE } from '../admin.tokens';
import { CalendarController } from './calendar.controller';

const METADATA: ModuleMetadata = {
  controllers: [CalendarController],
  providers: [
    {
      provide: CalendarStore,
      // The console shows a publish at once: no version cache.
      useFactory: (ds: DataSource) => new CalendarStore(ds, { versionTtlMs: 0, audit: new AuditStore(ds) }),
      inject: [ADMIN_DATA_SOURCE],
    },
  ],
  exports: [CalendarStore],
};

/** Working calendars: the year view, days off and make-up days, province/agency overrides, import, publish. */
@Module(METADATA)
export class CalendarModule {
  static register(
    options: { dataSource?: DataSource; imports?: ModuleMetadata['imports'] } = {},
  ): DynamicModule {
    const providers: Provider[] = options.dataSource
      ? [{ provide: ADMIN_DATA_SOURCE, useValue: options.dataSource }]
      : [];
    return { module: CalendarModule, imports: options.imports ?? [], providers };
  }
}
