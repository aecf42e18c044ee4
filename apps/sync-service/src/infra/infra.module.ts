import { Global, Inject, Logger, Module, type DynamicModule, type OnModuleDestroy } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { EVENT_BUS_PORT, KafkaEventBus, OUTBOX_STORE_PORT, type EventBusPort } from '@isohub/messaging';
import { CatalogueStore, IngestStore, MappingStore, PgOutboxStore, openDatabase } from '@isohub/persistence';
import { SYNC_CONFIG, type SyncServiceConfig } from '../config/sync-service.config';
import { ensureTopics } from './topics';

export const DATA_SOURCE = Symbol('DATA_SOURCE');

const providers = [
  {
    provide: DATA_SOURCE,
    inject: [SYNC_CONFIG],
    useFactory: (c: SyncServiceConfig) =>
      openDatabase({
        url: c.databaseUrl,
        poolMax: c.databasePoolMax,
        applicationName: 'isohub-sync-service',
        statementTimeoutMs: c.guards.databaseStatementTimeoutMs,
        lockTimeoutMs: c.guards.databaseLockTimeoutMs,
      }),
  },
  {
    provide: EVENT_BUS_PORT,
    inject: [SYNC_CONFIG],
    useFactory: async (c: SyncServiceConfig): Promise<EventBusPort> => {
      const bus = new KafkaEventBus({
        brokers: c.kafkaBrokers,
        clientId: c.kafkaClientId,
        transactionalId: `${c.topicPrefix}-outbox-relay`,
        checkpointTopic: c.topics.relayCheckpoint,
        checkpointGroup: `${c.topicPrefix}-outbox-relay-checkpoint`,
      });
      // Topics are created at start; a broker that is down now must not stop the hub from taking
      // dossiers (they wait in the outbox), so creation is retried by the relay's first rounds.
      await ensureTopics(bus, c).catch((error: unknown) =>
        new Logger('Kafka').warn(`topics not verified yet (broker down?): ${String(error)}`),
      );
      return bus;
    },
  },
  {
    provide: OUTBOX_STORE_PORT,
    inject: [DATA_SOURCE],
    useFactory: (ds: DataSource) => new PgOutboxStore(ds),
  },
  { provide: IngestStore, inject: [DATA_SOURCE], useFactory: (ds: DataSource) => new IngestStore(ds) },
  { provide: CatalogueStore, inject: [DATA_SOURCE], useFactory: (ds: DataSource) => new CatalogueStore(ds) },
  { provide: MappingStore, inject: [DATA_SOURCE], useFactory: (ds: DataSource) => new MappingStore(ds) },
];

@Global()
@Module({})
export class InfraModule implements OnModuleDestroy {
  static forRoot(config: SyncServiceConfig): DynamicModule {
    return {
      module: InfraModule,
      providers: [{ provide: SYNC_CONFIG, useValue: config }, ...providers],
      exports: [
        SYNC_CONFIG,
        DATA_SOURCE,
        EVENT_BUS_PORT,
        OUTBOX_STORE_PORT,
        IngestStore,
        CatalogueStore,
        MappingStore,
      ],
    };
  }

  constructor(
    @Inject(DATA_SOURCE) private readonly ds: DataSource,
    @Inject(EVENT_BUS_PORT) private readonly bus: EventBusPort,
  ) {}

  async onModuleDestroy(): Promise<void> {
    await this.bus.disconnect();
    await this.ds.destroy();
  }
}
