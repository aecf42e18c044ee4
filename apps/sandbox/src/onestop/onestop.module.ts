import { Module } from '@nestjs/common';
import { OnestopController } from './onestop.controller';

@Module({ controllers: [OnestopController] })
export class OnestopModule {}
