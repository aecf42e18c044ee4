import { Controller, Get, Header, HttpStatus, Inject, Res } from '@nestjs/common';
import type { Response } from 'express';
import type { DataSource } from 'typeorm';
import { EVENT_BUS_PORT, type EventBusPort } from '@isohub/messaging';
import { ForwardStore, ReconciliationStore } from '@isohub/persistence';
import { ForwarderService } from '../forward/forwarder.service';
import { DATA_SOURCE } from '../infra/infra.module';
import { adapterChecks, adapterMetrics } from '../polling/adapter-health';
import { PollingService } from '../polling/polling.service';
import { reconciliationCheck, reconciliationMetrics } from '../reconciliation/reconciliation-health';
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

  @Get('live')
  live(): { status: 'up' } {
    return { status: 'up' };
  }

  /**
   * Ready = can take dossiers: the database answers. Kafka being down does not make the hub unready
   * (accepted dossiers wait in the outbox); it is reported so operators see the backlog's cause.
   */
  @Get('ready')
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

@Controller()
export class MetricsController {
  constructor(
    private readonly relay: RelayService,
    private readonly forwarder: ForwarderService,
    private readonly forwards: ForwardStore,
    @Inject(DATA_SOURCE) private readonly ds: DataSource,
    private readonly polling: PollingService,
    private readonly reconciliation: ReconciliationService,
    private readonly reconciliations: ReconciliationStore,
  ) {}

  /** Prometheus text format. */
  @Get('metrics')
  @Header('Content-Type', 'text/plain; version=0.0.4')
  async metrics(): Promise<string> {
    const r = this.relay.status();
    const f = this.forwarder.status();
    const pending = await this.relay.pending().catch(() => -1);
    const fs = await this.forwards.stats().catch(() => null);
    const [dl] = (await this.ds
      .query(`SELECT count(*)::int AS n FROM dead_letter WHERE replayed_at IS NULL`)
      .catch(() => [{ n: -1 }])) as { n: number }[];
    const reconciliationLines = await reconciliationMetrics(this.reconciliation, this.reconciliations);
    const lines = [
      ['isohub_outbox_pending', pending],
      ['isohub_relay_published_total', r.published],
      ['isohub_relay_batches_total', r.batches],
      ['isohub_relay_consecutive_failures', r.consecutiveFailures],
      ['isohub_relay_leader', r.leader ? 1 : 0],
      ['isohub_relay_set_aside_total', r.setAside],
      ['isohub_outbox_failed', await this.relay.failed().catch(() => -1)],
      ['isohub_forward_pending', fs?.pending ?? -1],
      ['isohub_forward_failed', fs?.failed ?? -1],
      ['isohub_forward_delivered_total', f.forwarded],
      ['isohub_dead_letters_open', dl?.n ?? -1],
      // Per style (`opencps`, `thanhhoa` to the portal; `lgsp` to the bus), beside the totals above.
      ...Object.entries(fs?.byStyle ?? {}).flatMap(([style, c]) => [
        [`isohub_forward_style_pending{style="${style}"}`, c.pending],
        [`isohub_forward_style_failed{style="${style}"}`, c.failed],
      ]),
    ];
    return (
      [
        ...lines.map(([k, v]) => `${String(k)} ${String(v)}`),
        ...adapterMetrics(this.polling),
        ...reconciliationLines,
      ].join('\n') + '\n'
    );
  }
}
