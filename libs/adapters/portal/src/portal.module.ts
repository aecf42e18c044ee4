import { type DynamicModule, Module, type ModuleMetadata } from '@nestjs/common';
import { PortalAdapter } from './portal.adapter';
import {
  PORTAL_CONFIG,
  type PortalConfig,
  type PortalConfigInput,
  validatePortalConfig,
} from './portal.config';
import { PORTAL_PORT } from './portal.port';

export interface PortalModuleAsyncOptions {
  imports?: ModuleMetadata['imports'];
  inject?: (string | symbol | (abstract new (...args: never[]) => unknown))[];
  useFactory: (...args: never[]) => PortalConfigInput | Promise<PortalConfigInput>;
}

/** Binds `PORTAL_PORT` to the axios adapter; the configuration is validated when the app starts. */
@Module({})
export class PortalModule {
  static register(input: PortalConfigInput): DynamicModule {
    return PortalModule.registerAsync({ useFactory: () => input });
  }

  static registerAsync(options: PortalModuleAsyncOptions): DynamicModule {
    return {
      module: PortalModule,
      imports: options.imports ?? [],
      providers: [
        {
          provide: PORTAL_CONFIG,
          inject: options.inject ?? [],
          useFactory: async (...args: never[]) => validatePortalConfig(await options.useFactory(...args)),
        },
        {
          provide: PORTAL_PORT,
          inject: [PORTAL_CONFIG],
          useFactory: (config: PortalConfig) => new PortalAdapter(config),
        },
      ],
      exports: [PORTAL_PORT, PORTAL_CONFIG],
    };
  }
}
