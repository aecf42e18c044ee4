import { randomUUID } from 'node:crypto';
import { Logger } from '@nestjs/common';
import { ExponentialBackoff, handleWhen, retry, type RetryPolicy } from 'cockatiel';
import type { PullPage, SourcePort } from '@isohub/adapters/source';
import { CursorConflictError, type SourceCursorStore, type UnmappedStatusStore } from '@isohub/persistence';
import type { IngestService } from '../ingest/ingest.service';
import type { SenderIdentity } from '../ingest/ingest.types';
import type { DeadLetterService } from '../tee/dead-letter.service';
import type { PullSourceConfig } from './pull-sources.config';
import { rereadMappedDossiers } from './status-reread';
import { errorCode, errorMessage, isRetryablePullError, unreadablePayload } from './pull-errors';
import type { Upstream } from './upstream-limits';

export type AdapterHealth = 'unknown' | 'up' | 'down';

/** What operators see of one pull source (ops API, /health/ready, /metrics). */
export interface PollerStatus {
  health: AdapterHealth;
  /** As last read from the store (null before the first read). */
  paused: boolean | null;
  running: boolean;
  consecutiveFailures: number;
  failuresTotal: number;
  pollsTotal: number;
  pagesTotal: number;
  eventsTotal: number;
  deadLettersTotal: number;
  /** Pages rolled back because the cursor moved under them (operator reset, another instance). */
  conflictsTotal: number;
  /** Dossiers read again after a status mapping they needed was published, and failed re-reads. */
  rereadDossiersTotal: number;
  rereadFailuresTotal: number;
  lastPollAt: string | null;
  lastSuccessAt: string | null;
  lastError: { code: string; message: string; at: string } | null;
  /** What the stored cursor vouches for; null until known. */
  cursorTime: string | null;
  /** Flags the source raised (e.g. unmapped vendor statuses), with counts. */
  flags: { code: string; detail: string; count: number }[];
  /** Holds the source's poll lease (this replica polls it); null before the first try. */
  leader: boolean | null;
}

export interface PollerDeps {
  ingest: IngestService;
  cursors: SourceCursorStore;
  deadLetters: DeadLetterService;
  upstream: Upstream;
  sender: SenderIdentity;
  protocol: string;
  now?: () => Date;
  /** Runs before each poll run, e.g. to load a newly published status mapping version. */
  prepare?: () => Promise<void>;
  /** The queue of unmapped vendor statuses; without it nothing is queued or read again. */
  unmappedStatuses?: UnmappedStatusStore;
  /** Whose status mappings apply (the queue's source system); default the source's id. */
  sourceSystem?: string;
  /** This process's name on the source's poll lease; one per process (default: one per poller). */
  leaseOwner?: string;
}

/** Long enough to cover the gap between runs, so the holder keeps the source while it lives. */
export const pollLeaseTtlMs = (intervalMs: number): number => 2 * intervalMs + 30_000;

/**
 * Runs one pull source on its interval: each run pulls pages (retry with exponential backoff and
 * jitter, inside the upstream's circuit breaker; each HTTP call under the upstream's rate limit) and
 * ingests each page with its cursor in one transaction, until the source has nothing more. A run that
 * fails leaves the cursor where the last committed page put it, so nothing is skipped.
 */
export class SourcePoller {
  private readonly logger: Logger;
  private readonly retry: RetryPolicy;
  private timer: NodeJS.Timeout | null = null;
  private current: Promise<void> | null = null;
  private stopped = true;
  private pauseRequested = false;
  private rerun = false;
  private leader: boolean | null = null;
  private readonly leaseOwner: string;
  private readonly flags = new Map<string, { code: string; detail: string; count: number }>();
  private readonly s: Omit<PollerStatus, 'flags' | 'running' | 'leader'> = {
    health: 'unknown',
    paused: null,
    consecutiveFailures: 0,
    failuresTotal: 0,
    pollsTotal: 0,
    pagesTotal: 0,
    eventsTotal: 0,
    deadLettersTotal: 0,
    conflictsTotal: 0,
    rereadDossiersTotal: 0,
    rereadFailuresTotal: 0,
    lastPollAt: null,
    lastSuccessAt: null,
    lastError: null,
    cursorTime: null,
  };

  constructor(
    readonly config: PullSourceConfig,
    readonly source: SourcePort,
    private readonly deps: PollerDeps,
  ) {
    this.logger = new Logger(`Poller ${config.id}`);
    this.leaseOwner = deps.leaseOwner ?? `poller-${randomUUID()}`;
    this.retry = retry(handleWhen(isRetryablePullError), {
      maxAttempts: config.retry.maxAttempts,
      backoff: new ExponentialBackoff({
        initialDelay: config.retry.initialDelayMs,
        maxDelay: config.retry.maxDelayMs,
      }),
    });
    this.retry.onRetry((r) => {
      const reason = 'error' in r ? `${errorCode(r.error)}: ${errorMessage(r.error)}` : 'unexpected result';
      this.logger.warn(`pull failed, retrying in ${Math.round(r.delay)} ms (${reason})`);
    });
  }

  get id(): string {
    return this.config.id;
  }

  status(): PollerStatus {
    return {
      ...this.s,
      running: this.current !== null,
      flags: [...this.flags.values()],
      leader: this.leader,
    };
  }

  start(): void {
    if (!this.stopped) {
      return;
    }
    this.stopped = false;
    this.schedule(0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.clearTimer();
    await this.current;
    if (this.leader) {
      this.leader = false;
      await this.deps.cursors
        .releasePollLease(this.config.id, this.config.agency, this.leaseOwner)
        .catch(() => undefined);
    }
  }

  /** An operator paused the source: stop after the page in hand (the store holds the flag). */
  requestPause(): void {
    this.pauseRequested = true;
    this.s.paused = true;
  }

  /** Poll now (after resume or a cursor reset), or right after the run in progress. */
  kick(): void {
    this.pauseRequested = false;
    this.s.paused = false;
    if (this.stopped) {
      return;
    }
    if (this.current) {
      this.rerun = true;
      return;
    }
    this.clearTimer();
    this.schedule(0);
  }

  setCursorTime(time: string | null): void {
    this.s.cursorTime = time;
  }

  /** One run (also used by tests to poll without waiting for the timer). */
  async runOnce(): Promise<void> {
    if (this.current) {
      return this.current;
    }
    this.current = this.run().finally(() => {
      this.current = null;
    });
    return this.current;
  }

  private schedule(delayMs: number): void {
    if (this.stopped) {
      return;
    }
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.runOnce().then(() => {
        const again = this.rerun || this.catchUp;
        this.rerun = false;
        this.catchUp = false;
        this.schedule(again ? 10 : this.config.intervalMs);
      });
    }, delayMs);
    this.timer.unref();
  }

  private catchUp = false;

  private clearTimer(): void {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
  }

  private now(): Date {
    return (this.deps.now ?? (() => new Date()))();
  }

  /** Takes or renews the source's lease; false = another replica polls it (or the database is down). */
  private async holdLease(): Promise<boolean> {
    const held = await this.deps.cursors.acquirePollLease(
      this.config.id,
      this.config.agency,
      this.leaseOwner,
      pollLeaseTtlMs(this.config.intervalMs),
    );
    if (held !== this.leader) {
      this.logger.log(held ? 'polling here (lease taken)' : 'another replica polls this source');
    }
    this.leader = held;
    return held;
  }

  private async run(): Promise<void> {
    const { cursors } = this.deps;
    let row;
    try {
      if (!(await this.holdLease())) {
        return;
      }
      row = await cursors.get(this.config.id, this.config.agency);
    } catch (error) {
      this.failed(error);
      return;
    }
    this.s.cursorTime = row.cursorTime ?? this.s.cursorTime;
    this.s.paused = row.paused;
    if (row.paused) {
      return;
    }
    this.pauseRequested = false;
    this.s.pollsTotal += 1;
    this.s.lastPollAt = this.now().toISOString();
    let cursor = row.cursor;
    let version = row.version;
    try {
      await this.deps.prepare?.();
      await this.reread();
      for (let page = 1; ; page += 1) {
        const pulled = await this.pull(cursor);
        const time = this.source.describeCursor?.(pulled.nextCursor)?.time ?? null;
        const result = await this.deps.ingest.ingestPulled({
          sender: this.deps.sender,
          protocol: this.deps.protocol,
          batches: pulled.batches,
          receivedAt: this.now(),
          unmapped: this.deps.unmappedStatuses
            ? { sourceId: this.config.id, sourceSystem: this.sourceSystem, notes: pulled.unmapped ?? [] }
            : undefined,
          cursor: {
            sourceId: this.config.id,
            agency: this.config.agency,
            cursor: pulled.nextCursor,
            cursorTime: time,
            expectedVersion: version,
          },
        });
        version += 1;
        cursor = pulled.nextCursor;
        this.s.cursorTime = time;
        this.s.pagesTotal += 1;
        this.s.eventsTotal += result.events;
        this.noteFlags(pulled);
        if (!pulled.hasMore || this.pauseRequested || this.stopped) {
          break;
        }
        // A long run renews the lease with each page; a replica that lost it stops (its next page would
        // conflict on the cursor anyway).
        if (!(await this.holdLease())) {
          break;
        }
        if (page >= this.config.maxPagesPerRun) {
          this.catchUp = true;
          break;
        }
      }
      this.succeeded();
    } catch (error) {
      if (error instanceof CursorConflictError) {
        this.s.conflictsTotal += 1;
        this.logger.log(`page rolled back: ${error.message} (operator reset or another instance)`);
        return;
      }
      this.failed(error);
      await this.deadLetterUnreadable(error);
    }
  }

  private pull(cursor: string | null): Promise<PullPage> {
    return this.upstreamCall(() => this.source.pull({ cursor, limit: this.config.pageSize }));
  }

  private upstreamCall<T>(fn: () => Promise<T>): Promise<T> {
    return this.retry.execute(() => this.deps.upstream.breaker.execute(fn));
  }

  private get sourceSystem(): string {
    return this.deps.sourceSystem ?? this.config.id;
  }

  /**
   * Before the pages: dossiers whose status the version in force now maps are read again. A failure here is
   * logged and counted, and the pages are read as usual (the dossiers stay listed for the next run).
   */
  private async reread(): Promise<void> {
    const store = this.deps.unmappedStatuses;
    if (!store) {
      return;
    }
    try {
      const done = await rereadMappedDossiers(this.source, {
        store,
        ingest: this.deps.ingest,
        sender: this.deps.sender,
        protocol: this.deps.protocol,
        sourceSystem: this.sourceSystem,
        call: (fn) => this.upstreamCall(fn),
        now: () => this.now(),
        logger: this.logger,
      });
      this.s.rereadDossiersTotal += done.dossiers;
      this.s.eventsTotal += done.events;
      if (done.more) {
        this.catchUp = true;
      }
    } catch (error) {
      this.s.rereadFailuresTotal += 1;
      this.logger.warn(`re-read after a status mapping failed: ${errorCode(error)}: ${errorMessage(error)}`);
    }
  }

  private succeeded(): void {
    if (this.s.health === 'down') {
      this.logger.log('up again');
    }
    this.s.health = 'up';
    this.s.consecutiveFailures = 0;
    this.s.lastSuccessAt = this.now().toISOString();
  }

  private failed(error: unknown): void {
    this.s.consecutiveFailures += 1;
    this.s.failuresTotal += 1;
    const code = errorCode(error);
    this.s.lastError = { code, message: errorMessage(error), at: this.now().toISOString() };
    if (this.s.consecutiveFailures >= this.config.downAfterFailures && this.s.health !== 'down') {
      this.s.health = 'down';
      this.logger.error(
        `down after ${this.s.consecutiveFailures} failed polls: ${code}: ${errorMessage(error)}`,
      );
    } else {
      this.logger.warn(
        `poll failed (${this.s.consecutiveFailures} in a row): ${code}: ${errorMessage(error)}`,
      );
    }
  }

  /** An answer that could not be read even after the retries: kept byte for byte for the operator. */
  private async deadLetterUnreadable(error: unknown): Promise<void> {
    const unreadable = unreadablePayload(error);
    if (!unreadable) {
      return;
    }
    try {
      await this.deps.deadLetters.rawRequest({
        senderId: this.config.id,
        protocol: this.deps.protocol,
        operation: `pull:${unreadable.endpoint ?? 'unknown'}`,
        raw: unreadable.payload,
        error: { field: '', code: 'format', message: errorMessage(error) },
        receivedAt: this.now(),
      });
      this.s.deadLettersTotal += 1;
    } catch (e) {
      this.logger.warn(`could not store the unreadable answer as a dead letter: ${errorMessage(e)}`);
    }
  }

  private noteFlags(page: PullPage): void {
    for (const f of page.flags ?? []) {
      const key = `${f.code}\u0000${f.detail}`;
      const seen = this.flags.get(key);
      if (seen) {
        seen.count += 1;
      } else {
        this.flags.set(key, { ...f, count: 1 });
        this.logger.warn(`flagged by the source: ${f.code}: ${f.detail}`);
      }
    }
  }
}
