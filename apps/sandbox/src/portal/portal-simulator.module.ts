import { Module } from '@nestjs/common';
import { FaultInjector } from './fault-injector';
import { PortalAdminController } from './portal-admin.controller';
import { PortalRecorder } from './portal-recorder';
import { PortalSimulatorController } from './portal-simulator.controller';
import { PortalSimulator } from './portal-simulator.service';

/** The simulated national portal (DVCQG): its sync endpoints, a recorder and fault injection. */
@Module({
  controllers: [PortalSimulatorController, PortalAdminController],
  providers: [PortalRecorder, PortalSimulator, FaultInjector],
})
export class PortalSimulatorModule {}
