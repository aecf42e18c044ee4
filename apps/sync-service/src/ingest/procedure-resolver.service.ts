import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import type { EventSource } from '@isohub/events';
import type { ProcedureResolver, ResolvedProcedure } from '@isohub/mapping';
import { CatalogueStore, MappingStore } from '@isohub/persistence';
import { SYNC_CONFIG, type SyncServiceConfig } from '../config/sync-service.config';

/** National code prefix of a suffixed local code: `1.001193.000.00.00.H56` -> `1.001193`. */
const NATIONAL_PREFIX = /^(\d\.\d{6})(?:\.|$)/;

/**
 * Resolves a source's procedure code, in order: the configured local->national mapping for that
 * source; the code itself in the national catalogue; the national prefix of a suffixed local code.
 * Anything else is `unmapped`: the events still flow, flagged, and the code lands in the unmapped queue.
 */
@Injectable()
export class ProcedureResolverService implements OnModuleInit {
  private readonly logger = new Logger(ProcedureResolverService.name);
  private names = new Map<string, string>();
  private mappings = new Map<string, string>();
  private version: string;

  constructor(
    private readonly catalogue: CatalogueStore,
    private readonly published: MappingStore,
    @Inject(SYNC_CONFIG) private readonly config: SyncServiceConfig,
  ) {
    this.version = config.mappingVersion;
  }

  async onModuleInit(): Promise<void> {
    if (this.config.catalogueCsv) {
      const seeded = await this.catalogue.seedFromCsv(this.config.catalogueCsv).catch((error: unknown) => {
        this.logger.warn(`catalogue not seeded from ${this.config.catalogueCsv}: ${String(error)}`);
        return 0;
      });
      if (seeded > 0) {
        this.logger.log(`seeded ${seeded} national procedures from ${this.config.catalogueCsv}`);
      }
    }
    await this.catalogue.upsertMappings(this.config.procedureMappings, this.config.mappingVersion);
    await this.reload();
  }

  /**
   * The configured mappings overlaid by the admin console's published version in effect now; events
   * carry that version (or MAPPING_VERSION while nothing has been published).
   */
  async reload(): Promise<void> {
    this.names = await this.catalogue.loadNames();
    this.mappings = await this.published.loadMappings();
    this.version = (await this.published.currentPublishedVersion()) ?? this.config.mappingVersion;
  }

  mappingVersion(): string {
    return this.version;
  }

  resolver(): ProcedureResolver {
    return (code, source) => this.resolve(code, source);
  }

  resolve(sourceCode: string | null, source: EventSource): ResolvedProcedure {
    if (!sourceCode) {
      return { nationalCode: null, name: null, mappingStatus: 'unmapped' };
    }
    const code = sourceCode.normalize('NFC').trim();
    const mapped = this.mappings.get(`${source.system}\u0000${code}`);
    const national =
      mapped ??
      (this.names.has(code)
        ? code
        : this.config.deriveFromSuffix
          ? NATIONAL_PREFIX.exec(code)?.[1]
          : undefined);
    if (national && this.names.has(national)) {
      return { nationalCode: national, name: this.names.get(national) ?? null, mappingStatus: 'mapped' };
    }
    if (mapped) {
      // Mapped by configuration to a code the catalogue does not (yet) list: trust the admin.
      return { nationalCode: mapped, name: null, mappingStatus: 'mapped' };
    }
    return { nationalCode: null, name: null, mappingStatus: 'unmapped' };
  }
}
