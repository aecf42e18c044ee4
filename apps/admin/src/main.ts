import 'reflect-metadata';
import { Logger, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ADMIN_CONFIG, loadAdminConfig } from './admin.config';
import { StatusController } from './status.controller';

async function main(): Promise<void> {
  const config = loadAdminConfig();
  @Module({ controllers: [StatusController], providers: [{ provide: ADMIN_CONFIG, useValue: config }] })
  class AdminModule {}
  const app = await NestFactory.create(AdminModule);
  app.enableShutdownHooks();
  await app.listen(config.port, config.host);
  new Logger('Admin').log(`listening on ${await app.getUrl()}`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
