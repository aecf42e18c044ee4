import { Controller, Get, Inject } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { DataSource } from 'typeorm';
import { Roles } from '@isohub/auth';
import { MappingStore } from '@isohub/persistence';
import { ADMIN_DATA_SOURCE } from '../admin.tokens';

export interface ConfigProcedureMapping {
  sourceSystem: string;
  localCode: string;
  nationalCode: string;
  /** The MAPPING_VERSION the sync service wrote it under. */
  version: string;
  updatedAt: string;
  /** A console mapping of the same source and code, in the version in effect, wins over this one. */
  overriddenBy: string | null;
}

/**
 * The local-code mappings from the sync service's configuration file (SENDERS_FILE `procedureMappings`,
 * written at its start to `procedure_mapping`): read-only here, shown beside the console's own, which
 * win over them once published.
 */
@ApiTags('mapping')
@Controller('api/config-mappings')
export class ConfigMappingsController {
  constructor(
    @Inject(ADMIN_DATA_SOURCE) private readonly ds: DataSource,
    @Inject(MappingStore) private readonly mappings: MappingStore,
  ) {}

  @Get()
  @Roles('viewer')
  @ApiOperation({
    summary: 'Local-code mappings from the configuration file (read-only), with what overrides them',
  })
  @ApiOkResponse({ description: '{ items: ConfigProcedureMapping[], publishedVersion }' })
  async list(): Promise<{ items: ConfigProcedureMapping[]; publishedVersion: string | null }> {
    const version = await this.mappings.currentPublishedVersion();
    const rows: {
      source_system: string;
      local_code: string;
      national_code: string;
      version: string;
      updated_at: Date;
      overridden_by: string | null;
    }[] = await this.ds.query(
      `SELECT p.source_system, p.local_code, p.national_code, p.version, p.updated_at, l.national_code AS overridden_by
         FROM procedure_mapping p
         LEFT JOIN local_code_mapping l
           ON l.version = $1 AND l.source_system = p.source_system AND l.local_code = p.local_code
        ORDER BY p.source_system, p.local_code
        LIMIT 5000`,
      [version],
    );
    return {
      publishedVersion: version,
      items: rows.map((r) => ({
        sourceSystem: r.source_system,
        localCode: r.local_code,
        nationalCode: r.national_code,
        version: r.version,
        updatedAt: new Date(r.updated_at).toISOString(),
        overriddenBy: r.overridden_by,
      })),
    };
  }
}
