import { type DynamicModule, Module } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { AuthModule, PostgresSessionStore } from '@isohub/auth';
import { AdaptersModule } from './adapters/adapters.module';
import { AdminInfraModule } from './admin-infra.module';
import type { AdminConfig } from './admin.config';
import { ADMIN_DATA_SOURCE } from './admin.tokens';
import { AuthController } from './auth/auth.controller';
import { CalendarModule } from './calendar/calendar.module';
import { ConsoleModule } from './console/console.module';
import { MeController } from './auth/me.controller';
import { ADMIN_EXCEPTION_FILTER } from './http/admin-exception.filter';
import { MappingModule } from './mapping/mapping.module';
import { StatusController } from './status.controller';
import { WebModule } from './web/web.module';

/** The admin app: SSO login and roles on every route, the status page (/status), the mapping
 * console API and its web UI at `/`. */
@Module({})
export class AdminModule {
  static forRoot(config: AdminConfig): DynamicModule {
    return {
      module: AdminModule,
      // WebModule last: its catch-all route (the console, SPA fallback) must come after every other route.
      imports: [
        AdminInfraModule.forRoot(config),
        AuthModule.forRoot(config.auth, {
          // In PostgreSQL: every admin replica sees every session, and a restart signs nobody out.
          sessionStore: {
            inject: [ADMIN_DATA_SOURCE],
            useFactory: (ds: DataSource) =>
              new PostgresSessionStore(ds, {
                ttlMs: config.auth.session.idleTimeoutMs,
                preLoginTtlMs: config.auth.session.preLoginTtlMs,
                preLoginMax: config.auth.session.preLoginMax,
              }),
          },
        }),
        MappingModule,
        AdaptersModule,
        ConsoleModule,
        CalendarModule,
        WebModule.forRoot(),
      ],
      controllers: [StatusController, AuthController, MeController],
      // One HTTP error edge for every controller (problem+json), whichever module it lives in.
      providers: [ADMIN_EXCEPTION_FILTER],
    };
  }
}
