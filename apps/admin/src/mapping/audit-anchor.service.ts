import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
  Optional,
} from '@nestjs/common';
import { type AuditAnchor, type AuditCheckpoint, AuditCheckpointFile, AuditStore } from '@isohub/persistence';
import type { AuditAnchorConfig } from '../admin.config';

export const AUDIT_ANCHOR_CONFIG = Symbol('AUDIT_ANCHOR_CONFIG');

/**
 * Anchors the audit chain outside the database: a checkpoint of its head, HMAC-signed with a key the
 * database never holds, written at start, every `intervalMs` and on demand (POST /api/audit/checkpoint)
 * to a file the database role cannot reach. `verify` checks the chain against the newest one, so
 * removing the newest entries (which leaves the rest of the chain whole) is found.
 */
@Injectable()
export class AuditAnchorService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('AuditAnchor');
  private readonly file: AuditCheckpointFile | null;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    @Inject(AuditStore) private readonly audit: AuditStore,
    @Optional() @Inject(AUDIT_ANCHOR_CONFIG) private readonly config: AuditAnchorConfig | null = null,
  ) {
    this.file = config ? new AuditCheckpointFile(config.file) : null;
  }

  get enabled(): boolean {
    return this.file !== null;
  }

  async onApplicationBootstrap(): Promise<void> {
    if (!this.config) {
      return;
    }
    await this.writeNow();
    this.timer = setInterval(() => {
      this.writeNow().catch((error: unknown) =>
        this.logger.error(
          `audit checkpoint not written: ${error instanceof Error ? error.message : 'error'}`,
        ),
      );
    }, this.config.intervalMs);
    this.timer.unref();
  }

  onModuleDestroy(): void {
    if (this.timer) {
      clearInterval(this.timer);
    }
  }

  /** Signs the head now and writes it out; null when anchoring is not configured. */
  async writeNow(): Promise<AuditCheckpoint | null> {
    if (!this.config || !this.file) {
      return null;
    }
    const checkpoint = await this.audit.checkpoint(this.config.key);
    this.file.write(checkpoint);
    return checkpoint;
  }

  /** What `verify` checks against: the newest checkpoint written; undefined when not configured. */
  anchor(): AuditAnchor | undefined {
    if (!this.config || !this.file) {
      return undefined;
    }
    return { checkpoint: this.file.read(), key: this.config.key };
  }
}
