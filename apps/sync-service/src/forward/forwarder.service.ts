import { randomUUID } from 'node:crypto';
import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import {
  isPortalError,
  PORTAL_PORT,
  type PortalAnswer,
  type PortalPort,
  type SendEnvelopeParams,
} from '@isohub/adapters/portal';
import { ForwardStore, type ForwardJob } from '@isohub/persistence';
import { SYNC_CONFIG, type SyncServiceConfig } from '../config/sync-service.config';

export interface ForwarderStatus {
  enabled: boolean;
  leader: boolean;
  forwarded: number;
  refused: number;
  consecutiveFailures: number;
  lastError: string | null;
}

const BASE_DELAY_MS = 1_000;
const MAX_DELAY_MS = 5 * 60_000;

/**
 * Store-and-forward towards the real portal. The sender was already answered after commit; here each
 * stored request is delivered in arrival order per sender, retried with exponential backoff and jitter
 * while the portal is down, and kept with the portal's answer when the portal refuses it.
 * "đã tồn tại" on a create is resent as an update, as both real senders do (DOMAIN.md §4.2).
 */
@Injectable()
export class ForwarderService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(ForwarderService.name);
  private readonly owner = `forwarder-${randomUUID()}`;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private stopping = false;
  private readonly state: ForwarderStatus;

  constructor(
    private readonly store: ForwardStore,
    @Inject(PORTAL_PORT) private readonly portal: PortalPort | null,
    @Inject(SYNC_CONFIG) private readonly config: SyncServiceConfig,
  ) {
    this.state = {
      enabled: config.portal.enabled && portal !== null,
      leader: false,
      forwarded: 0,
      refused: 0,
      consecutiveFailures: 0,
      lastError: null,
    };
  }

  onApplicationBootstrap(): void {
    if (this.state.enabled) {
      this.schedule(500);
    }
  }

  async onModuleDestroy(): Promise<void> {
    this.stopping = true;
    if (this.timer) {
      clearTimeout(this.timer);
    }
    await this.running;
    if (this.state.leader) {
      await this.store.releaseLease(this.owner).catch(() => undefined);
    }
  }

  status(): ForwarderStatus {
    return { ...this.state };
  }

  /** One pass over the due jobs; returns how many were settled (delivered or refused). */
  async runOnce(): Promise<number> {
    if (!this.portal) {
      return 0;
    }
    this.state.leader = await this.store.acquireLease(this.owner, 30_000);
    if (!this.state.leader) {
      return 0;
    }
    const jobs = await this.store.nextDue(20);
    const settled = await Promise.all(jobs.map((job) => this.deliver(job)));
    return settled.filter(Boolean).length;
  }

  private async deliver(job: ForwardJob): Promise<boolean> {
    try {
      const answer = await this.send(job);
      if (answer.outcome === 'success') {
        await this.store.complete(job.id, 'done', answer.raw, null);
        this.state.forwarded += 1;
      } else {
        await this.store.complete(
          job.id,
          'failed',
          answer.raw,
          `portal answered ${answer.errorCode}: ${answer.message}`,
        );
        this.state.refused += 1;
        this.logger.warn(
          `portal refused forward job ${job.id} from ${job.sender}: ${answer.errorCode} ${answer.message}`,
        );
      }
      this.state.consecutiveFailures = 0;
      return true;
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      this.state.lastError = message;
      const retryable = !isPortalError(error) || error.retryable;
      const max = this.config.portal.maxAttempts;
      if (!retryable || (max > 0 && job.attempts + 1 >= max)) {
        await this.store.complete(job.id, 'failed', null, message);
        this.state.refused += 1;
        return true;
      }
      this.state.consecutiveFailures += 1;
      const exp = Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** Math.min(job.attempts, 16));
      await this.store.retryLater(job.id, exp / 2 + Math.random() * (exp / 2), message);
      return false;
    }
  }

  private async send(job: ForwardJob): Promise<PortalAnswer> {
    const portal = this.portal as PortalPort;
    if (job.style === 'thanhhoa') {
      const urls = this.config.portal.thanhhoa;
      const url =
        job.operation === 'create'
          ? urls.createUrl
          : job.operation === 'update'
            ? urls.updateUrl
            : urls.progressUrl;
      const answer = await portal.postRaw({ url, body: job.body });
      return answer.outcome === 'already_exists' && job.operation === 'create'
        ? portal.postRaw({ url: urls.updateUrl, body: job.body })
        : answer;
    }
    const envelope = JSON.parse(job.body.toString('utf8')) as { data?: unknown[]; service?: string };
    const params: SendEnvelopeParams = {
      service: job.operation,
      madonvi: job.madonvi ?? '',
      isUpdating: job.isUpdating === 'True' ? 'True' : job.isUpdating === 'False' ? 'False' : undefined,
      data: envelope.data ?? [],
    };
    const answer = await portal.sendEnvelope(params);
    return answer.outcome === 'already_exists' && job.operation === 'DongBoHoSoMC'
      ? portal.sendEnvelope({ ...params, isUpdating: 'True' })
      : answer;
  }

  private schedule(delayMs: number): void {
    if (this.stopping) {
      return;
    }
    this.timer = setTimeout(() => {
      this.running = this.runOnce()
        .then((n) => this.schedule(n > 0 ? 0 : 1_000))
        .catch((error: unknown) => {
          this.state.lastError = error instanceof Error ? error.message : String(error);
          this.schedule(5_000);
        });
    }, delayMs);
  }
}
