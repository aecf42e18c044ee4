import { Module } from '@nestjs/common';
import { FaultInjector } from './fault-injector';
import { PortalAdminController } from './portal-admin.controller';
import { PortalCatalogueController } from './portal-catalogue.controller';
import { PortalCatalogue } from './portal-catalogue.service';
import { PortalRecorder } from './portal-recorder';
import { PortalSimulatorController } from './portal-simulator.controller';
import { PortalSimulator } from './portal-simulator.service';

/** The simulated national portal (DVCQG): its sync and catalogue endpoints, a recorder, catalogue drift and fault injection. */
@Module({
  controllers: [PortalSimulatorController, PortalAdminController, PortalCatalogueController],
  providers: [PortalRecorder, PortalSimulator, FaultInjector, PortalCatalogue],
})
export class PortalSimulatorModule {}
