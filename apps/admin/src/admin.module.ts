import { type DynamicModule, Module } from '@nestjs/common';
import { AuthModule } from '@isohub/auth';
import { AdminInfraModule } from './admin-infra.module';
import type { AdminConfig } from './admin.config';
import { AuthController } from './auth/auth.controller';
import { MeController } from './auth/me.controller';
import { MappingModule } from './mapping/mapping.module';
import { StatusController } from './status.controller';

/** The admin app: SSO login and roles on every route, the status page, the mapping console. */
@Module({})
export class AdminModule {
  static forRoot(config: AdminConfig): DynamicModule {
    return {
      module: AdminModule,
      imports: [AdminInfraModule.forRoot(config), AuthModule.forRoot(config.auth), MappingModule],
      controllers: [StatusController, AuthController, MeController],
    };
  }
}
