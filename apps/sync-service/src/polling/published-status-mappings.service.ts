import { Injectable, Logger } from '@nestjs/common';
import type { StatusLookup } from '@isohub/adapters/onestop';
import { MappingStore, matchStatusMapping, type StatusMapping } from '@isohub/persistence';
import { ProcedureResolverService } from '../ingest/procedure-resolver.service';

/** Published versions are `m-<n>`; anything else is MAPPING_VERSION (nothing published yet). */
const PUBLISHED = /^m-\d+$/;
const VIETNAM_OFFSET_MS = 7 * 3_600_000;

/**
 * The admin console's published status mappings, for the pull sources. The rows are those of the version
 * the events are stamped with (`ProcedureResolverService.mappingVersion()`, re-read every
 * MAPPING_RELOAD_MS); `refresh()` before each poll run loads them when that version changes. A version that
 * comes into force while a run is under way is stamped on the rest of that run's events although their
 * statuses were read with the previous rows: the two agree again from the next run on.
 */
@Injectable()
export class PublishedStatusMappingsService {
  private readonly logger = new Logger(PublishedStatusMappingsService.name);
  private rows: readonly StatusMapping[] = [];
  private loadedVersion: string | null = null;

  constructor(
    private readonly store: MappingStore,
    private readonly procedures: ProcedureResolverService,
  ) {}

  /** The version whose rows are in use (null before the first refresh). */
  version(): string | null {
    return this.loadedVersion;
  }

  async refresh(): Promise<void> {
    const version = this.procedures.mappingVersion();
    if (version === this.loadedVersion) {
      return;
    }
    this.rows = PUBLISHED.test(version) ? (await this.store.list('status', version)).rows : [];
    this.loadedVersion = version;
    this.logger.log(`status mappings of ${version}: ${this.rows.length} row(s)`);
  }

  /**
   * The lookup a pull source consults before its own table: the row for the exact sub-status, else the
   * status's wildcard row, valid on the Vietnam date the change happened (today when it has no time).
   */
  lookupFor(sourceSystem: string): StatusLookup {
    return ({ status, subStatus, at }) =>
      matchStatusMapping(this.rows, { sourceSystem, status, subStatus, on: vietnamDate(at) })
        ?.nationalStatus ?? null;
  }
}

/** `YYYY-MM-DD` in Vietnam (UTC+7 all year, no daylight saving), as mapping rows' `validFrom`. */
export function vietnamDate(at: string | null): string {
  const ms = at === null ? Number.NaN : Date.parse(at);
  return new Date((Number.isNaN(ms) ? Date.now() : ms) + VIETNAM_OFFSET_MS).toISOString().slice(0, 10);
}
