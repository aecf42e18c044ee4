import { Controller, Get, HttpStatus, Inject, Res, UseGuards } from '@nestjs/common';
import type { Response } from 'express';
import type { DataSource } from 'typeorm';
import { EVENT_BUS_PORT, type EventBusPort } from '@isohub/messaging';
import { ForwardStore, ReconciliationStore } from '@isohub/persistence';
import { ForwarderService } from '../forward/forwarder.service';
import { DATA_SOURCE } from '../infra/infra.module';
import { MetricsRegistry } from '../observability/metrics.registry';
import { adapterChecks } from '../polling/adapter-health';
import { OpsTokenGuard } from '../polling/ops-token.guard';
import { PollingService } from '../polling/polling.service';
import { reconciliationCheck } from '../reconciliation/reconciliation-health';
import { ReconciliationService } from '../reconciliation/reconciliation.service';
import { RelayService } from '../relay/relay.service';

@Controller('health')
export class HealthController {
  constructor(
    @Inject(DATA_SOURCE) private readonly ds: DataSource,
    @Inject(EVENT_BUS_PORT) private readonly bus: EventBusPort,
    private readonly relay: RelayService,
    private readonly forwarder: ForwarderService,
    private readonly forwards: ForwardStore,
    private readonly polling: PollingService,
    private readonly reconciliation: ReconciliationService,
    private readonly reconciliations: ReconciliationStore,
  ) {}

  /** Liveness, public: the process answers HTTP. No detail, so nothing to protect. */
  @Get('live')
  live(): { status: 'up' } {
    return { status: 'up' };
  }

  /**
   * Ready = can take dossiers: the database answers. Kafka being down does not make the hub unready
   * (accepted dossiers wait in the outbox); it is reported so operators see the backlog's cause.
   * Its detail names hosts and errors, so it is operator-only: `Authorization: Bearer <OPS_TOKEN>`.
   */
  @Get('ready')
  @UseGuards(OpsTokenGuard)
  async ready(@Res() res: Response): Promise<void> {
    const database = await this.ds
      .query('SELECT 1')
      .then(() => ({ ok: true, detail: 'ok' }))
      .catch((e: unknown) => ({ ok: false, detail: e instanceof Error ? e.message : String(e) }));
    const kafka = await this.bus.checkConnection();
    const outboxPending = database.ok ? await this.relay.pending().catch(() => null) : null;
    // Rows the broker refused for good: set aside (the stream goes on), waiting for an operator.
    const outboxFailed = database.ok ? await this.relay.failed().catch(() => null) : null;
    const forwarding = database.ok ? await this.forwards.stats().catch(() => null) : null;
    const body = {
      status: database.ok ? 'up' : 'down',
      checks: {
        database,
        kafka,
        relay: { ...this.relay.status(), outboxPending, outboxFailed },
        forwarder: { ...this.forwarder.status(), ...forwarding },
        // A pull source being down does not make the hub unready: it reports, the others go on.
        adapters: adapterChecks(this.polling),
        // Information only: mismatches or a failed run never make the hub unready.
        reconciliation: await reconciliationCheck(this.reconciliation, this.reconciliations),
      },
    };
    res.status(database.ok ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE).json(body);
  }
}

/**
 * Prometheus text exposition (`# HELP`, `# TYPE`) of every metric registered with MetricsRegistry.
 * Operator-only, like `/health/ready`: `Authorization: Bearer <OPS_TOKEN>`.
 */
@Controller()
@UseGuards(OpsTokenGuard)
export class MetricsController {
  constructor(private readonly metrics: MetricsRegistry) {}

  @Get('metrics')
  async scrape(@Res() res: Response): Promise<void> {
    const text = await this.metrics.metrics();
    res.status(HttpStatus.OK).type(this.metrics.contentType).send(text);
  }
}
