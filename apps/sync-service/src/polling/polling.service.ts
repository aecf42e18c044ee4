import { randomUUID } from 'node:crypto';
import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import { SourceCursorStore, UnmappedStatusStore, type SourceCursorRow } from '@isohub/persistence';
import { SYNC_CONFIG, type SyncServiceConfig } from '../config/sync-service.config';
import { IngestService } from '../ingest/ingest.service';
import { DeadLetterService } from '../tee/dead-letter.service';
import { PublishedStatusMappingsService } from './published-status-mappings.service';
import { PULL_SOURCE_TYPES } from './pull-source-types';
import { SourcePoller, type PollerStatus } from './source-poller';
import { Upstream } from './upstream-limits';

export class UnknownAdapterError extends Error {
  override readonly name = 'UnknownAdapterError';
}

export class NotPausedError extends Error {
  override readonly name = 'NotPausedError';
}

export class InvalidCursorError extends Error {
  override readonly name = 'InvalidCursorError';
}

export interface AdapterView extends Omit<PollerStatus, 'paused'> {
  id: string;
  type: string;
  enabled: boolean;
  agency: string | null;
  upstream: string;
  circuit: string;
  paused: boolean;
  intervalSeconds: number;
  /** now - cursorTime, seconds; null when the source cannot say. */
  lagSeconds: number | null;
  cursor: {
    value: string | null;
    time: string | null;
    version: number;
    updatedBy: string;
    updatedAt: string;
  };
}

const OPERATOR = 'operator';

/** Builds and runs the configured pull sources; what the ops API, health and metrics read. */
@Injectable()
export class PollingService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(PollingService.name);
  private readonly upstreams = new Map<string, Upstream>();
  private readonly pollers = new Map<string, SourcePoller>();
  /** This process on the pull sources' leases (one poller per source across replicas). */
  private readonly leaseOwner = `poller-${randomUUID()}`;

  constructor(
    @Inject(SYNC_CONFIG) private readonly config: SyncServiceConfig,
    private readonly cursors: SourceCursorStore,
    ingest: IngestService,
    deadLetters: DeadLetterService,
    statusMappings: PublishedStatusMappingsService,
    unmappedStatuses: UnmappedStatusStore,
  ) {
    for (const u of config.pullSources.upstreams) {
      this.upstreams.set(u.key, new Upstream(u));
    }
    for (const source of config.pullSources.sources) {
      const type = PULL_SOURCE_TYPES[source.type];
      const upstream = this.upstreams.get(source.upstream);
      if (!type || !upstream) {
        throw new Error(`pull source ${source.id}: unknown type or upstream`);
      }
      const sourceSystem = source.sourceSystem ?? source.id;
      const deps = { gate: upstream.gate, statusLookup: statusMappings.lookupFor(sourceSystem) };
      const port = type.create(source.settings, deps);
      const poller = new SourcePoller(source, port, {
        ingest,
        cursors,
        deadLetters,
        upstream,
        prepare: () => statusMappings.refresh(),
        unmappedStatuses,
        sourceSystem,
        leaseOwner: this.leaseOwner,
        protocol: type.protocol,
        sender: {
          id: source.id,
          profile: type.senderProfile,
          agency: source.agency,
          applicantFields: source.applicantFields,
          ...type.statusReading?.(source.settings, deps),
        },
      });
      this.pollers.set(source.id, poller);
    }
  }

  onApplicationBootstrap(): void {
    const enabled = [...this.pollers.values()].filter((p) => p.config.enabled);
    for (const p of enabled) {
      p.start();
    }
    if (this.pollers.size > 0) {
      this.logger.log(`pull sources: ${enabled.map((p) => p.id).join(', ') || 'none enabled'}`);
    }
  }

  async onModuleDestroy(): Promise<void> {
    await Promise.all([...this.pollers.values()].map((p) => p.stop()));
    await Promise.all([...this.upstreams.values()].map((u) => u.stop()));
  }

  /** For tests and tools: one run of a source now, whatever its timer. */
  async pollNow(id: string): Promise<void> {
    await this.poller(id).runOnce();
  }

  /** Status without touching the database (health and metrics must answer while it is down). */
  statuses(): {
    id: string;
    agency: string | null;
    enabled: boolean;
    circuit: string;
    status: PollerStatus;
  }[] {
    return [...this.pollers.values()].map((p) => ({
      id: p.id,
      agency: p.config.agency,
      enabled: p.config.enabled,
      circuit: this.upstreams.get(p.config.upstream)?.circuit() ?? 'closed',
      status: p.status(),
    }));
  }

  async list(): Promise<AdapterView[]> {
    return Promise.all([...this.pollers.keys()].map((id) => this.view(id)));
  }

  async view(id: string): Promise<AdapterView> {
    const p = this.poller(id);
    return this.toView(p, await this.cursors.get(id, p.config.agency));
  }

  async pause(id: string): Promise<AdapterView> {
    const p = this.poller(id);
    p.requestPause();
    const row = await this.cursors.setPaused(id, p.config.agency, true, OPERATOR);
    this.logger.warn(`${id} paused by an operator`);
    return this.toView(p, row);
  }

  async resume(id: string): Promise<AdapterView> {
    const p = this.poller(id);
    const row = await this.cursors.setPaused(id, p.config.agency, false, OPERATOR);
    this.logger.warn(`${id} resumed by an operator`);
    if (p.config.enabled) {
      p.kick();
    }
    return this.toView(p, row);
  }

  /** Only while paused (NotPausedError otherwise); the cursor must read as one of this source's. */
  async resetCursor(id: string, cursor: string | null): Promise<AdapterView> {
    const p = this.poller(id);
    const described = p.source.describeCursor ? p.source.describeCursor(cursor) : { time: null };
    if (described === null) {
      throw new InvalidCursorError(`not a cursor of ${id}: give the stored form or an ISO 8601 timestamp`);
    }
    const { outcome, row } = await this.cursors.reset(id, p.config.agency, cursor, described.time, OPERATOR);
    if (outcome === 'not-paused') {
      throw new NotPausedError(`${id} is not paused: pause it before setting its cursor`);
    }
    p.setCursorTime(described.time);
    this.logger.warn(`${id} cursor set by an operator to ${cursor ?? '(configured start)'}`);
    return this.toView(p, row);
  }

  async testConnection(id: string): Promise<{ ok: boolean; detail: string; latencyMs: number }> {
    const p = this.poller(id);
    const started = Date.now();
    const r = await p.source.checkConnection().catch((e: unknown) => ({
      ok: false,
      detail: e instanceof Error ? e.message : String(e),
    }));
    return { ...r, latencyMs: Date.now() - started };
  }

  lagSeconds(cursorTime: string | null): number | null {
    if (cursorTime === null) {
      return null;
    }
    return Math.max(0, Math.round((Date.now() - Date.parse(cursorTime)) / 1000));
  }

  private poller(id: string): SourcePoller {
    const p = this.pollers.get(id);
    if (!p) {
      throw new UnknownAdapterError(`no pull source "${id}"`);
    }
    return p;
  }

  private toView(p: SourcePoller, row: SourceCursorRow): AdapterView {
    const status = p.status();
    const cursorTime = row.cursorTime ?? status.cursorTime;
    return {
      id: p.id,
      type: p.config.type,
      enabled: p.config.enabled,
      agency: p.config.agency,
      upstream: p.config.upstream,
      circuit: this.upstreams.get(p.config.upstream)?.circuit() ?? 'closed',
      intervalSeconds: p.config.intervalMs / 1000,
      ...status,
      paused: row.paused,
      cursorTime,
      lagSeconds: this.lagSeconds(cursorTime),
      cursor: {
        value: row.cursor,
        time: row.cursorTime,
        version: row.version,
        updatedBy: row.updatedBy,
        updatedAt: row.updatedAt,
      },
    };
  }
}
