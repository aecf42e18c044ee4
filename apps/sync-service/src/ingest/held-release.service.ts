import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import { HeldEventsStore } from '@isohub/persistence';
import { SYNC_CONFIG, type SyncServiceConfig } from '../config/sync-service.config';
import { RelayService } from '../relay/relay.service';
import { ProcedureResolverService } from './procedure-resolver.service';

/**
 * Re-reads the procedure mappings (the admin console writes them) and releases the events held for
 * codes that are mapped now, in their original order.
 */
@Injectable()
export class HeldReleaseService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(HeldReleaseService.name);
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<unknown> | null = null;

  constructor(
    private readonly held: HeldEventsStore,
    private readonly resolver: ProcedureResolverService,
    private readonly relay: RelayService,
    @Inject(SYNC_CONFIG) private readonly config: SyncServiceConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => {
      if (!this.running) {
        this.running = this.runOnce()
          .catch((error: unknown) => this.logger.warn(`mapping reload failed: ${String(error)}`))
          .finally(() => (this.running = null));
      }
    }, this.config.mappingReloadMs);
  }

  async onModuleDestroy(): Promise<void> {
    if (this.timer) {
      clearInterval(this.timer);
    }
    await this.running;
  }

  /** Returns the number of outbox rows released. */
  async runOnce(): Promise<number> {
    await this.resolver.reload();
    let released = 0;
    for (const h of await this.held.heldKeys()) {
      const resolved = this.resolver.resolve(h.code, {
        system: h.sourceSystem,
        agency: null,
        protocol: 'release',
        operation: null,
      });
      if (resolved.mappingStatus === 'mapped' && resolved.nationalCode) {
        const n = await this.held.release(h.key, {
          nationalCode: resolved.nationalCode,
          name: resolved.name,
        });
        this.logger.log(
          `released ${n} held row(s) for ${h.sourceSystem} ${h.code} -> ${resolved.nationalCode}`,
        );
        released += n;
      }
    }
    if (released > 0) {
      this.relay.nudge();
    }
    return released;
  }
}
