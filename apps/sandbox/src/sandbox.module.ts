import { type DynamicModule, Global, Module } from '@nestjs/common';
import { defaultLgspSandboxConfig } from './lgsp/lgsp-sandbox.config';
import { LgspSandboxModule } from './lgsp/lgsp-sandbox.module';
import { OnestopModule } from './onestop/onestop.module';
import { OnestopApiModule } from './onestop-api/onestop-api.module';
import { PortalSimulatorModule } from './portal/portal-simulator.module';
import { SANDBOX_CONFIG, type SandboxConfig } from './sandbox.config';

@Global()
@Module({})
class SandboxConfigModule {
  static with(config: SandboxConfig): DynamicModule {
    return {
      module: SandboxConfigModule,
      providers: [{ provide: SANDBOX_CONFIG, useValue: config }],
      exports: [SANDBOX_CONFIG],
    };
  }
}

/** Simulated upstream systems for dev, demo and tests: the national portal, the LGSP and the one-stop senders. */
@Module({})
export class SandboxModule {
  static forRoot(config: SandboxConfig): DynamicModule {
    return {
      module: SandboxModule,
      imports: [
        SandboxConfigModule.with(config),
        PortalSimulatorModule,
        OnestopModule,
        OnestopApiModule,
        LgspSandboxModule.register(config.lgsp ?? defaultLgspSandboxConfig()),
      ],
    };
  }
}
