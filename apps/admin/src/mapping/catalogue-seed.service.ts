import { Inject, Injectable, Logger, type OnApplicationBootstrap, Optional } from '@nestjs/common';
import { CatalogueAdminStore } from '@isohub/persistence';
import { defaultMappingConfig, MAPPING_CONFIG, type MappingConfig } from './mapping.config';

/**
 * Seeds an empty catalogue from the CSV, as the sync service does (whichever starts first seeds), and
 * records the catalogue found at first start as version cat-1 so later refreshes have a base.
 */
@Injectable()
export class CatalogueSeedService implements OnApplicationBootstrap {
  private readonly logger = new Logger('CatalogueSeed');
  private readonly config: MappingConfig;

  constructor(
    @Inject(CatalogueAdminStore) private readonly store: CatalogueAdminStore,
    @Optional() @Inject(MAPPING_CONFIG) config?: MappingConfig,
  ) {
    this.config = config ?? defaultMappingConfig();
  }

  async onApplicationBootstrap(): Promise<void> {
    try {
      const baseline = await this.store.ensureBaseline(this.config.catalogueCsv);
      if (baseline) {
        this.logger.log(`catalogue baseline ${baseline.version}: ${baseline.rowCount} procedures`);
      }
    } catch (error) {
      // The console still serves mappings and the audit log without a catalogue; say why it is empty.
      this.logger.warn(
        `catalogue not seeded from ${this.config.catalogueCsv ?? '(no CSV)'}: ${String(error)}`,
      );
    }
  }
}
