import { Module } from '@nestjs/common';
import { MappingModule } from '../mapping/mapping.module';
import { AdaptersController } from './adapters.controller';
import { SyncOpsClient } from './sync-ops.client';
import { TeeSendersController } from './tee-senders.controller';

/**
 * The console's view of the sync service's pull sources, through its operator API. Needs ADMIN_CONFIG
 * and ADMIN_DATA_SOURCE (AdminInfraModule); the audit log comes from MappingModule.
 */
@Module({
  imports: [MappingModule],
  controllers: [AdaptersController, TeeSendersController],
  providers: [SyncOpsClient],
})
export class AdaptersModule {}
