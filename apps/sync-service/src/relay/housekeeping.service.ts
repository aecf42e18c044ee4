import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { ForwardStore, PgOutboxStore } from '@isohub/persistence';
import { SYNC_CONFIG, type SyncServiceConfig } from '../config/sync-service.config';
import { DATA_SOURCE } from '../infra/infra.module';

const EVERY_MS = 10 * 60_000;

/**
 * Published outbox rows and delivered forward jobs are only history: keep them OUTBOX_RETAIN_HOURS,
 * so the tables the hot path reads do not grow without bound (bench finding).
 */
@Injectable()
export class HousekeepingService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(HousekeepingService.name);
  private timer: NodeJS.Timeout | null = null;
  private readonly outbox: PgOutboxStore;

  constructor(
    @Inject(DATA_SOURCE) ds: DataSource,
    private readonly forwards: ForwardStore,
    @Inject(SYNC_CONFIG) private readonly config: SyncServiceConfig,
  ) {
    this.outbox = new PgOutboxStore(ds);
  }

  onApplicationBootstrap(): void {
    this.timer = setInterval(
      () => void this.runOnce().catch((e: unknown) => this.logger.warn(String(e))),
      EVERY_MS,
    );
    this.timer.unref();
  }

  onModuleDestroy(): void {
    if (this.timer) {
      clearInterval(this.timer);
    }
  }

  async runOnce(): Promise<{ outbox: number; forwards: number }> {
    const hours = this.config.outboxRetainHours;
    const outbox = await this.outbox.purgePublished(hours);
    const forwards = await this.forwards.purgeDone(hours);
    if (outbox + forwards > 0) {
      this.logger.log(`purged ${outbox} published outbox row(s) and ${forwards} delivered forward job(s)`);
    }
    return { outbox, forwards };
  }
}
