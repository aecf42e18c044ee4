import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { DeadLetterStore, ForwardStore, PgOutboxStore } from '@isohub/persistence';
import { SYNC_CONFIG, type SyncServiceConfig } from '../config/sync-service.config';
import { DATA_SOURCE } from '../infra/infra.module';

const EVERY_MS = 10 * 60_000;

/**
 * Published outbox rows and delivered forward jobs are only history: keep them OUTBOX_RETAIN_HOURS,
 * so the tables the hot path reads do not grow without bound (bench finding). Dead-letter payloads hold
 * personal data: removed after DEAD_LETTER_RETAIN_DAYS (0 = kept), the rows stay for the record.
 */
@Injectable()
export class HousekeepingService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(HousekeepingService.name);
  private timer: NodeJS.Timeout | null = null;
  private readonly outbox: PgOutboxStore;

  constructor(
    @Inject(DATA_SOURCE) ds: DataSource,
    private readonly forwards: ForwardStore,
    private readonly deadLetters: DeadLetterStore,
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

  async runOnce(): Promise<{ outbox: number; forwards: number; deadLetters: number }> {
    const hours = this.config.outboxRetainHours;
    const outbox = await this.outbox.purgePublished(hours);
    const forwards = await this.forwards.purgeDone(hours);
    const days = this.config.guards.deadLetterRetainDays;
    const deadLetters = days > 0 ? await this.deadLetters.redactOlderThan(days) : 0;
    if (outbox + forwards + deadLetters > 0) {
      this.logger.log(
        `purged ${outbox} published outbox row(s) and ${forwards} delivered forward job(s); ` +
          `removed the payload of ${deadLetters} dead letter(s) older than ${days} day(s)`,
      );
    }
    return { outbox, forwards, deadLetters };
  }
}
