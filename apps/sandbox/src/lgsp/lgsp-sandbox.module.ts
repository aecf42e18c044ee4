import { type DynamicModule, Module } from '@nestjs/common';
import { LgspAdminController } from './lgsp-admin.controller';
import { LgspBusController } from './lgsp-bus.controller';
import { LgspBusRecorder } from './lgsp-bus-recorder';
import { LgspBusStats } from './lgsp-bus-stats';
import { LgspDossierWorld } from './lgsp-dossier-world';
import { LgspFaultInjector } from './lgsp-faults';
import type { LgspSandboxConfig } from './lgsp-sandbox.config';
import { LGSP_SANDBOX_CONFIG } from './lgsp-sandbox.tokens';
import { LgspTokenStore } from './lgsp-token.store';

/**
 * The simulated provincial service bus (LGSP): token endpoint, REST echo (recording what it receives),
 * SOAP dossier service, faults.
 */
@Module({})
export class LgspSandboxModule {
  static register(config: LgspSandboxConfig): DynamicModule {
    return {
      module: LgspSandboxModule,
      controllers: [LgspBusController, LgspAdminController],
      providers: [
        { provide: LGSP_SANDBOX_CONFIG, useValue: config },
        LgspBusStats,
        LgspBusRecorder,
        LgspTokenStore,
        LgspDossierWorld,
        LgspFaultInjector,
      ],
    };
  }
}
