import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { IsohubLogger } from '@isohub/config';
import { loadSyncServiceConfig, type SyncServiceConfig } from './config/sync-service.config';
import type { Server } from 'node:http';
import { GracefulShutdown } from './http/graceful-shutdown';
import { expressProblemHandler } from './http/problem';
import { ProblemFilter } from './http/problem.filter';
import { httpMetricsMiddleware, RouteLabels } from './observability/http-metrics';
import { MetricsRegistry } from './observability/metrics.registry';
import { startTracing, tracingMiddleware } from './observability/tracing';
import { SyncServiceModule } from './sync-service.module';
import { registerLgspRoutes } from './lgsp/lgsp.routes';
import { registerTeeRoutes } from './tee/tee.routes';

export async function createSyncService(config: SyncServiceConfig = loadSyncServiceConfig()): Promise<{
  app: Awaited<ReturnType<typeof NestFactory.create>>;
  config: SyncServiceConfig;
  paths: string[];
}> {
  startTracing(config.observability);
  const app = await NestFactory.create(SyncServiceModule.forRoot(config), {
    bodyParser: false,
    bufferLogs: false,
    // JSON lines at LOG_LEVEL (info by default), secrets masked.
    logger: new IsohubLogger(config.observability),
    // Senders retry at once on keep-alive connections; without this the HTTP server never finishes
    // closing and shutdown (app.close(), SIGTERM) hangs for as long as any sender keeps retrying.
    forceCloseConnections: true,
  });
  // One HTTP edge: every Nest controller answers failures as problem+json (raw routes: expressProblemHandler).
  app.useGlobalFilters(new ProblemFilter());
  // No enableShutdownHooks: on a signal it closes the database before the HTTP server. main() drains first.
  // Before every route: each request is timed (and traced when tracing is on), refusals included.
  const express = app.getHttpAdapter().getInstance() as { use: (h: unknown) => void };
  const labels = new RouteLabels();
  const traced = tracingMiddleware(labels);
  if (traced !== null) {
    express.use(traced);
  }
  express.use(httpMetricsMiddleware(app.get(MetricsRegistry), labels));
  const paths = [...registerTeeRoutes(app, config), ...registerLgspRoutes(app, config)];
  const tee = config.teeBasePath.replace(/\/$/, '');
  const lgsp = config.lgspBasePath.replace(/\/$/, '');
  labels.addPaths([
    `${tee}${config.authPath}`,
    `${tee}${config.integrationPath}`,
    `${tee}/th/:key/:action`,
    `${lgsp}/token`,
    `${lgsp}/Document/SyncDocument`,
    `${lgsp}/Document/UpdateDocumentTraces`,
    ...paths,
  ]);
  labels.addPrefix(config.teeBasePath);
  labels.addPrefix(config.lgspBasePath);
  await app.init();
  const server = app.getHttpAdapter().getInstance() as { use: (h: unknown) => void };
  server.use(expressProblemHandler(new Logger('Http')));
  return { app, config, paths };
}

async function main(): Promise<void> {
  const { app, config, paths } = await createSyncService();
  await app.listen(config.port, config.host);
  const server = app.getHttpServer() as Server;
  new GracefulShutdown(app, server, config.guards.shutdownGraceMs, new Logger('Shutdown')).listen();
  const url = await app.getUrl();
  new Logger('SyncService').log(`listening on ${url}; tee and LGSP endpoints: ${paths.join(', ')}`);
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
