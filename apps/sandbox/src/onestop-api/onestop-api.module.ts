import { Module } from '@nestjs/common';
import { ApiFaults } from './api-faults';
import { OnestopApiAdminController } from './onestop-api-admin.controller';
import { OnestopApiController } from './onestop-api.controller';
import { OnestopSite } from './onestop-site';

/** A one-stop system that offers an API instead of pushing (OpenCPS-shaped), for isohub's pull sources. */
@Module({
  controllers: [OnestopApiController, OnestopApiAdminController],
  providers: [OnestopSite, ApiFaults],
})
export class OnestopApiModule {}
