import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import {
  EVENT_BUS_PORT,
  OUTBOX_STORE_PORT,
  OutboxRelay,
  type EventBusPort,
  type OutboxStorePort,
  type RelayStatus,
} from '@isohub/messaging';
import { SYNC_CONFIG, type SyncServiceConfig } from '../config/sync-service.config';
import { ensureTopics } from '../infra/topics';
import { instrumentBus } from '../observability/instrumented-bus';
import { MetricsRegistry } from '../observability/metrics.registry';

@Injectable()
export class RelayService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(RelayService.name);
  readonly relay: OutboxRelay;

  constructor(
    @Inject(OUTBOX_STORE_PORT) private readonly store: OutboxStorePort,
    @Inject(EVENT_BUS_PORT) bus: EventBusPort,
    @Inject(SYNC_CONFIG) config: SyncServiceConfig,
    metrics: MetricsRegistry,
  ) {
    const prepare = (): Promise<void> => ensureTopics(bus, config);
    this.relay = new OutboxRelay(store, instrumentBus(bus, metrics), {
      batchSize: config.relayBatchSize,
      idleDelayMs: config.relayIdleMs,
      leaseTtlMs: 15_000,
      maxBackoffMs: 10_000,
      maxMessageBytes: config.guards.relayMaxMessageBytes,
      deadLetterTopic: config.topics.deadLetters,
      prepare,
      // The alert: an error line (no payload, only where it was and why), the readiness check's relay
      // detail (setAside, lastSetAside) and the isohub_relay_set_aside_total counter.
      onSetAside: (row) =>
        this.logger.error(
          `outbox row ${row.outboxId} set aside (${row.reasonCode}, ${row.bytes} bytes for ${row.topic}, key ${row.key ?? '-'}); ` +
            'the relay goes on, the dead-letter topic has its notice',
        ),
      onError: (error, stage) =>
        this.logger.warn(
          `outbox relay ${stage} failed, will retry: ${error instanceof Error ? error.message : String(error)}`,
        ),
    });
  }

  onApplicationBootstrap(): void {
    this.relay.start();
  }

  async onModuleDestroy(): Promise<void> {
    await this.relay.stop();
  }

  nudge(): void {
    this.relay.nudge();
  }

  status(): RelayStatus {
    return this.relay.getStatus();
  }

  pending(): Promise<number> {
    return this.store.pendingCount();
  }

  failed(): Promise<number> {
    return this.store.failedCount();
  }
}
