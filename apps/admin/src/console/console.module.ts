import { Module } from '@nestjs/common';
import { SyncOpsClient } from '../adapters/sync-ops.client';
import { MappingModule } from '../mapping/mapping.module';
import { ConfigMappingsController } from './config-mappings.controller';
import { ControlSheetController } from './control-sheet.controller';
import { DeadLettersController } from './dead-letters.controller';
import { DossierReadService } from './dossier-read.service';
import { DossiersController } from './dossiers.controller';

/**
 * What the console shows of the hub at work: the dossier page (read over the shared database), the
 * dead-letter page (over the sync service's operator API) and the configuration file's mappings. Needs
 * ADMIN_CONFIG and ADMIN_DATA_SOURCE (AdminInfraModule); the audit log comes from MappingModule.
 */
@Module({
  imports: [MappingModule],
  controllers: [DossiersController, DeadLettersController, ConfigMappingsController, ControlSheetController],
  providers: [DossierReadService, SyncOpsClient],
})
export class ConsoleModule {}
