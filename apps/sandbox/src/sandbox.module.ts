import { type DynamicModule, Global, Module } from '@nestjs/common';
import { OnestopModule } from './onestop/onestop.module';
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

/** Simulated upstream systems for dev, demo and tests: the national portal and the one-stop senders. */
@Module({})
export class SandboxModule {
  static forRoot(config: SandboxConfig): DynamicModule {
    return {
      module: SandboxModule,
      imports: [SandboxConfigModule.with(config), PortalSimulatorModule, OnestopModule],
    };
  }
}
