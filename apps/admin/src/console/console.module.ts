import { Module } from '@nestjs/common';
import { SyncOpsClient } from '../adapters/sync-ops.client';
import { MappingModule } from '../mapping/mapping.module';
import { DeadLettersController } from './dead-letters.controller';
import { DossierReadService } from './dossier-read.service';
import { DossiersController } from './dossiers.controller';

/**
 * What the console shows of the hub at work: the dossier page (read over the shared database) and the
 * dead-letter page (over the sync service's operator API). Needs ADMIN_CONFIG and ADMIN_DATA_SOURCE
 * (AdminInfraModule); the audit log comes from MappingModule.
 */
@Module({
  imports: [MappingModule],
  controllers: [DossiersController, DeadLettersController],
  providers: [DossierReadService, SyncOpsClient],
})
export class ConsoleModule {}
