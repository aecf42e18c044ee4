import { type DynamicModule, Module, type ModuleMetadata, type Provider } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { PortalAdapter } from '@isohub/adapters/portal';
import {
  AuditStore,
  CatalogueAdminStore,
  MappingStore,
  StepTimingStore,
  UnmappedStatusStore,
  UnmappedStore,
} from '@isohub/persistence';
import { ADMIN_CONFIG, type AdminConfig, type AuditAnchorConfig } from '../admin.config';
import { ADMIN_DATA_SOURCE } from '../admin.tokens';
import { AUDIT_ANCHOR_CONFIG, AuditAnchorService } from './audit-anchor.service';
import { AuditController } from './audit.controller';
import { CATALOGUE_PORTAL, type CataloguePortal, CataloguePortalService } from './catalogue-portal.service';
import { CataloguePortalController } from './catalogue-portal.controller';
import { CatalogueController } from './catalogue.controller';
import { CatalogueSeedService } from './catalogue-seed.service';
import { IsoStepsController } from './iso-steps.controller';
import { CatalogueService } from './catalogue.service';
import { MAPPING_CONFIG, type MappingConfig } from './mapping.config';
import { MappingWriteService } from './mapping-write.service';
import { MappingsController } from './mappings.controller';
import { PublishController } from './publish.controller';
import { TransferController } from './transfer.controller';
import { TransferService } from './transfer.service';

const STORES: Provider[] = [
  { provide: AuditStore, useFactory: (ds: DataSource) => new AuditStore(ds), inject: [ADMIN_DATA_SOURCE] },
  {
    provide: MappingStore,
    useFactory: (ds: DataSource, audit: AuditStore) => new MappingStore(ds, audit),
    inject: [ADMIN_DATA_SOURCE, AuditStore],
  },
  {
    provide: CatalogueAdminStore,
    useFactory: (ds: DataSource, audit: AuditStore) => new CatalogueAdminStore(ds, audit),
    inject: [ADMIN_DATA_SOURCE, AuditStore],
  },
  {
    provide: UnmappedStore,
    useFactory: (ds: DataSource) => new UnmappedStore(ds),
    inject: [ADMIN_DATA_SOURCE],
  },
  {
    provide: StepTimingStore,
    useFactory: (ds: DataSource) => new StepTimingStore(ds),
    inject: [ADMIN_DATA_SOURCE],
  },
  {
    provide: UnmappedStatusStore,
    useFactory: (ds: DataSource) => new UnmappedStatusStore(ds),
    inject: [ADMIN_DATA_SOURCE],
  },
];

/** The national portal for the catalogue pull, from the admin's config; none in apps without it. */
const PORTAL: Provider = {
  provide: CATALOGUE_PORTAL,
  inject: [{ token: ADMIN_CONFIG, optional: true }],
  useFactory: (config?: AdminConfig): CataloguePortal => {
    const portal = config?.cataloguePortal;
    return portal?.client ? { port: new PortalAdapter(portal.client), config: portal } : null;
  },
};

/** Audit checkpoints from the admin's config (AUDIT_CHECKPOINT_*); none in apps without it. */
const AUDIT_ANCHOR: Provider = {
  provide: AUDIT_ANCHOR_CONFIG,
  inject: [{ token: ADMIN_CONFIG, optional: true }],
  useFactory: (config?: AdminConfig) => config?.auditAnchor ?? null,
};

const METADATA: ModuleMetadata = {
  controllers: [
    CatalogueController,
    CataloguePortalController,
    MappingsController,
    PublishController,
    TransferController,
    AuditController,
    IsoStepsController,
  ],
  providers: [
    ...STORES,
    PORTAL,
    AUDIT_ANCHOR,
    AuditAnchorService,
    CatalogueService,
    CataloguePortalService,
    MappingWriteService,
    TransferService,
    CatalogueSeedService,
  ],
  exports: [MappingStore, UnmappedStore, UnmappedStatusStore, AuditStore, CatalogueAdminStore],
};

export interface MappingModuleOptions {
  /** Modules that export ADMIN_DATA_SOURCE (when it is not provided by a global module). */
  imports?: ModuleMetadata['imports'];
  /** Or the DataSource itself (tests). */
  dataSource?: DataSource;
  /** Catalogue seed path; default ../shared/data/procedures.csv when it exists. */
  config?: MappingConfig;
  /** Audit checkpoints (tests; the app takes them from ADMIN_CONFIG). */
  auditAnchor?: AuditAnchorConfig;
}

/**
 * Procedure catalogue, local-code and status mappings, ISO processes, drafts and publishing, imports
 * and exports, the unmapped queue and the audit log. Needs ADMIN_DATA_SOURCE: import `MappingModule`
 * where a global module provides it, or `MappingModule.register({ imports: [ModuleExportingIt] })`.
 * Roles are enforced by the app's global guard from `@Roles`; agency scope is checked here.
 */
@Module(METADATA)
export class MappingModule {
  static register(options: MappingModuleOptions = {}): DynamicModule {
    const providers: Provider[] = [];
    if (options.dataSource) {
      providers.push({ provide: ADMIN_DATA_SOURCE, useValue: options.dataSource });
    }
    if (options.config) {
      providers.push({ provide: MAPPING_CONFIG, useValue: options.config });
    }
    if (options.auditAnchor) {
      providers.push({ provide: AUDIT_ANCHOR_CONFIG, useValue: options.auditAnchor });
    }
    return { module: MappingModule, imports: options.imports ?? [], providers };
  }
}
