import { randomUUID } from 'node:crypto';
import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import { isPortalError, type PortalAnswer, type SendEnvelopeParams } from '@isohub/adapters/portal';
import { ForwardStore, type ForwardJob, type ForwardStyle } from '@isohub/persistence';
import { SYNC_CONFIG, type SenderConfig, type SyncServiceConfig } from '../config/sync-service.config';
import { deliverLgsp, lgspRetryable, type DeliveryOutcome } from './lgsp-delivery';
import { TakeoverUpstreams } from './takeover-upstreams';

export interface ForwarderStatus {
  enabled: boolean;
  /** The styles being delivered: `opencps`/`thanhhoa` with the portal, `lgsp` with the bus. */
  styles: ForwardStyle[];
  leader: boolean;
  forwarded: number;
  refused: number;
  consecutiveFailures: number;
  lastError: string | null;
  /** Delivered and refused since start, per style. */
  byStyleSinceStart: Partial<Record<ForwardStyle, { forwarded: number; refused: number }>>;
}

const BASE_DELAY_MS = 1_000;
const MAX_DELAY_MS = 5 * 60_000;
/**
 * The forwarder lease. One delivery can outlast it (a bus call alone may take LGSP_BUS_TIMEOUT_MS, 30 s
 * by default, and a token fetch or a 401 retry comes on top): the lease is renewed while a pass runs,
 * or another instance would take it and send the same head-of-queue job again.
 */
const LEASE_TTL_MS = 30_000;
const LEASE_RENEW_MS = LEASE_TTL_MS / 3;

/**
 * Store-and-forward for senders in takeover mode (docs/tee.md), towards the real portal and the real LGSP
 * bus, each as that sender (its own account: TakeoverUpstreams). The sender was already answered after
 * commit; here each stored request is delivered in arrival order per sender, retried with exponential
 * backoff and jitter while the upstream is down, and kept with the upstream's answer when it refuses it.
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
    @Inject(SYNC_CONFIG) private readonly config: SyncServiceConfig,
    private readonly upstreams: TakeoverUpstreams,
  ) {
    const styles = this.upstreams.styles();
    this.state = {
      enabled: styles.length > 0,
      styles,
      byStyleSinceStart: {},
      leader: false,
      forwarded: 0,
      refused: 0,
      consecutiveFailures: 0,
      lastError: null,
    };
  }

  onApplicationBootstrap(): void {
    if (this.state.enabled) {
      const senders = this.upstreams.senders().map((s) => s.id);
      this.logger.log(`forwarding for the takeover senders ${senders.join(', ')}`);
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
    return {
      ...this.state,
      styles: [...this.state.styles],
      byStyleSinceStart: structuredClone(this.state.byStyleSinceStart),
    };
  }

  /** One pass over the due jobs; returns how many were settled (delivered or refused). */
  async runOnce(): Promise<number> {
    if (!this.state.enabled) {
      return 0;
    }
    this.state.leader = await this.store.acquireLease(this.owner, LEASE_TTL_MS);
    if (!this.state.leader) {
      return 0;
    }
    const renew = setInterval(() => {
      this.store.acquireLease(this.owner, LEASE_TTL_MS).then(
        (held) => {
          this.state.leader = held;
        },
        () => undefined,
      );
    }, LEASE_RENEW_MS);
    try {
      const jobs = await this.store.nextDue(20, this.state.styles);
      const settled = await Promise.all(jobs.map((job) => this.deliver(job)));
      return settled.filter(Boolean).length;
    } finally {
      clearInterval(renew);
    }
  }

  private async deliver(job: ForwardJob): Promise<boolean> {
    const counts = (this.state.byStyleSinceStart[job.style] ??= { forwarded: 0, refused: 0 });
    const sender = this.upstreams.sender(job.sender);
    if (!sender) {
      // A sender no longer in takeover mode (or without its own upstream account): nobody may deliver as it.
      await this.store.complete(
        job.id,
        'failed',
        null,
        `sender ${job.sender} is not in takeover mode with its own upstream account`,
      );
      this.state.refused += 1;
      counts.refused += 1;
      return true;
    }
    try {
      const answer =
        job.style === 'lgsp'
          ? await this.sendToBus(sender, job)
          : portalOutcome(await this.send(sender, job));
      if (answer.outcome === 'success') {
        await this.store.complete(job.id, 'done', answer.raw, null);
        this.state.forwarded += 1;
        counts.forwarded += 1;
      } else {
        await this.store.complete(job.id, 'failed', answer.raw, answer.reason);
        this.state.refused += 1;
        counts.refused += 1;
        this.logger.warn(
          `${upstreamOf(job)} refused forward job ${job.id} from ${job.sender}: ${answer.reason}`,
        );
      }
      this.state.consecutiveFailures = 0;
      return true;
    } catch (error) {
      const message = `${upstreamOf(job)}: ${error instanceof Error ? error.message : String(error)}`;
      this.state.lastError = message;
      const retryable =
        job.style === 'lgsp' ? lgspRetryable(error) : !isPortalError(error) || error.retryable;
      const max = this.config.portal.maxAttempts;
      if (!retryable || (max > 0 && job.attempts + 1 >= max)) {
        await this.store.complete(job.id, 'failed', null, message);
        this.state.refused += 1;
        counts.refused += 1;
        return true;
      }
      this.state.consecutiveFailures += 1;
      const exp = Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** Math.min(job.attempts, 16));
      await this.store.retryLater(job.id, exp / 2 + Math.random() * (exp / 2), message);
      return false;
    }
  }

  private sendToBus(sender: SenderConfig, job: ForwardJob): Promise<DeliveryOutcome> {
    return deliverLgsp(this.upstreams.bus(sender), this.config.lgspForward.paths, job);
  }

  private async send(sender: SenderConfig, job: ForwardJob): Promise<PortalAnswer> {
    if (job.style === 'thanhhoa') {
      const { portal, urls } = this.upstreams.thanhHoa(sender);
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
    const portal = this.upstreams.portal(sender);
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

function upstreamOf(job: ForwardJob): string {
  return job.style === 'lgsp' ? 'LGSP bus' : 'portal';
}

function portalOutcome(answer: PortalAnswer): DeliveryOutcome {
  return answer.outcome === 'success'
    ? { outcome: 'success', raw: answer.raw, reason: null }
    : {
        outcome: 'refused',
        raw: answer.raw,
        reason: `portal answered ${answer.errorCode}: ${answer.message}`,
      };
}
