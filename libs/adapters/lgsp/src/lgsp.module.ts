import { type DynamicModule, Module, type ModuleMetadata } from '@nestjs/common';
import { LgspAdapter } from './lgsp.adapter';
import { LGSP_CONFIG, type LgspConfig, type LgspConfigInput, validateLgspConfig } from './lgsp.config';
import { LGSP_PORT } from './lgsp.port';

export interface LgspModuleAsyncOptions {
  imports?: ModuleMetadata['imports'];
  inject?: (string | symbol | (abstract new (...args: never[]) => unknown))[];
  useFactory: (...args: never[]) => LgspConfigInput | Promise<LgspConfigInput>;
}

/** Binds `LGSP_PORT` to the LGSP adapter; the configuration is validated when the app starts. */
@Module({})
export class LgspModule {
  static register(input: LgspConfigInput): DynamicModule {
    return LgspModule.registerAsync({ useFactory: () => input });
  }

  static registerAsync(options: LgspModuleAsyncOptions): DynamicModule {
    return {
      module: LgspModule,
      imports: options.imports ?? [],
      providers: [
        {
          provide: LGSP_CONFIG,
          inject: options.inject ?? [],
          useFactory: async (...args: never[]) => validateLgspConfig(await options.useFactory(...args)),
        },
        {
          provide: LGSP_PORT,
          inject: [LGSP_CONFIG],
          useFactory: (config: LgspConfig) => new LgspAdapter(config),
        },
      ],
      exports: [LGSP_PORT, LGSP_CONFIG],
    };
  }
}
