import type { Server } from 'node:http';
import type { INestApplication, LoggerService } from '@nestjs/common';

/**
 * Shutdown in the order that loses nothing (docs/security.md): stop accepting connections, let the requests
 * in flight finish (answers during the drain close their keep-alive connection), then close the app, which
 * stops the relay and closes Kafka and PostgreSQL. Requests still running after `graceMs` are cut.
 */
export class GracefulShutdown {
  private inFlight = 0;
  private draining = false;
  private idle: (() => void) | null = null;
  private closing: Promise<void> | null = null;

  constructor(
    private readonly app: INestApplication,
    private readonly server: Server,
    private readonly graceMs: number,
    private readonly logger: LoggerService,
  ) {
    server.on('request', (_req, res) => {
      this.inFlight += 1;
      if (this.draining) {
        res.setHeader('Connection', 'close');
      }
      res.on('close', () => {
        this.inFlight -= 1;
        if (this.inFlight === 0) {
          this.idle?.();
        }
      });
    });
  }

  /** SIGTERM and SIGINT run `close` once, then end the process. */
  listen(): void {
    for (const signal of ['SIGTERM', 'SIGINT'] as const) {
      process.once(signal, () => {
        this.logger.log(`${signal}: no new connections; finishing ${this.inFlight} request(s) in flight`);
        this.close().then(
          () => process.exit(0),
          (error: unknown) => {
            this.logger.error(`shutdown failed: ${error instanceof Error ? error.message : String(error)}`);
            process.exit(1);
          },
        );
      });
    }
  }

  close(): Promise<void> {
    this.closing ??= this.run();
    return this.closing;
  }

  private async run(): Promise<void> {
    this.draining = true;
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeIdleConnections();
    if (this.inFlight > 0) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, this.graceMs);
        this.idle = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
    if (this.inFlight > 0) {
      this.logger.warn(`${this.inFlight} request(s) still running after ${this.graceMs} ms: cut`);
    }
    this.server.closeAllConnections();
    await closed;
    await this.app.close(); // relay, Kafka, PostgreSQL (module destroy hooks)
    this.logger.log('stopped');
  }
}
