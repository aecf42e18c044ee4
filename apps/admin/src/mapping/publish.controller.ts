import { Body, Controller, Get, HttpCode, Inject, Post, Query } from '@nestjs/common';
import { ApiBody, ApiOkResponse, ApiOperation, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import { type AuthUser, Roles } from '@isohub/auth';
import { CatalogueAdminStore, MappingStore, UnmappedStatusStore, UnmappedStore } from '@isohub/persistence';
import { CurrentUser } from '../http/current-user.decorator';
import {
  DraftChangesDto,
  MappingVersionListDto,
  PublishInputDto,
  PublishResultDto,
  UnmappedPageDto,
  UnmappedStatusPageDto,
} from './dto/mapping.dto';
import { ProblemDto } from './dto/problem.dto';
import { orThrow, readPublish } from './mapping-validation';
import { enumParam, intParam, textParam } from '../http/query-params';

/** National code prefix of a suffixed local code: `1.001193.000.00.00.H56` -> `1.001193` (DOMAIN.md §5.1). */
const NATIONAL_PREFIX = /^(\d\.\d{6})(?:\.|$)/;

@ApiTags('mapping versions')
@ApiResponse({ status: 400, type: ProblemDto, description: 'application/problem+json' })
@Controller('api/mapping')
export class PublishController {
  constructor(
    @Inject(MappingStore) private readonly store: MappingStore,
    @Inject(UnmappedStore) private readonly unmapped: UnmappedStore,
    @Inject(CatalogueAdminStore) private readonly catalogue: CatalogueAdminStore,
    @Inject(UnmappedStatusStore) private readonly unmappedStatuses: UnmappedStatusStore,
  ) {}

  @Get('versions')
  @Roles('viewer')
  @ApiOperation({ summary: 'Published mapping versions, newest first, and which one is in effect' })
  @ApiOkResponse({ type: MappingVersionListDto })
  async versions() {
    return { current: await this.store.currentPublishedVersion(), items: await this.store.listVersions() };
  }

  @Get('draft/changes')
  @Roles('viewer')
  @ApiOperation({ summary: 'What publishing now would change, per kind, against the last published version' })
  @ApiOkResponse({ type: DraftChangesDto })
  async draftChanges() {
    const { base, changes } = await this.store.draftChanges();
    return { base, ...changes };
  }

  @Post('publish')
  @HttpCode(200)
  @Roles('admin')
  @ApiOperation({
    summary: 'Publish the draft as a new mapping version m-<n>',
    description:
      'Effective from effectiveFrom (default now, never before the previous version). The sync service reads ' +
      'the version in effect; codes and vendor statuses the version maps leave the unmapped queues.',
  })
  @ApiBody({ type: PublishInputDto, required: false })
  @ApiOkResponse({ type: PublishResultDto })
  @ApiResponse({ status: 409, type: ProblemDto, description: 'the draft has no changes' })
  @ApiResponse({
    status: 422,
    type: ProblemDto,
    description: 'effectiveFrom invalid or before the previous version',
  })
  publish(@CurrentUser() user: AuthUser, @Body() body: unknown) {
    const input = orThrow(readPublish(body));
    return this.store.publish(user.sub, input);
  }

  @Get('unmapped')
  @Roles('viewer')
  @ApiOperation({
    summary: 'Queue of procedure codes the sync service could not resolve',
    description:
      'state=open (default): not mapped yet; pending: mapped in the draft, waiting for publish; all. ' +
      'Map one with PUT /api/mapping/local-codes/{sourceSystem}/{code}.',
  })
  @ApiQuery({ name: 'sourceSystem', required: false })
  @ApiQuery({ name: 'state', required: false, enum: ['open', 'pending', 'all'] })
  @ApiQuery({ name: 'q', required: false })
  @ApiQuery({ name: 'limit', required: false, type: Number })
  @ApiQuery({ name: 'offset', required: false, type: Number })
  @ApiOkResponse({ type: UnmappedPageDto })
  async listUnmapped(@Query() q: Record<string, unknown>) {
    const page = await this.unmapped.list({
      sourceSystem: textParam(q.sourceSystem),
      state: enumParam(q.state, 'state', ['open', 'pending', 'all'] as const, 'open'),
      q: textParam(q.q),
      limit: intParam(q.limit, 'limit', 50, 1, 500),
      offset: intParam(q.offset, 'offset', 0, 0, 10_000_000),
    });
    const prefixes = page.items.map((u) => NATIONAL_PREFIX.exec(u.code)?.[1] ?? u.code);
    const known = await this.catalogue.lookup(prefixes);
    return {
      total: page.total,
      items: page.items.map((u, i) => {
        const hit = known.get(prefixes[i] ?? '');
        return {
          ...u,
          suggestion: hit && hit.validTo === null ? { nationalCode: hit.code, name: hit.name } : null,
        };
      }),
    };
  }

  @Get('unmapped-statuses')
  @Roles('viewer')
  @ApiOperation({
    summary: 'Queue of vendor statuses pull sources could not map to a national status',
    description:
      'One row per (sourceSystem, status, subStatus; "" = none sent): the changes went on without a national ' +
      'status. state=open (default): the draft does not map it; pending: the draft does, waiting for publish; ' +
      'all. Map one with PUT /api/mapping/statuses; publishing takes it out of the queue, and the sync service ' +
      'then reads its dossiers again from their source.',
  })
  @ApiQuery({ name: 'sourceSystem', required: false })
  @ApiQuery({ name: 'state', required: false, enum: ['open', 'pending', 'all'] })
  @ApiQuery({ name: 'q', required: false, description: 'part of the status or sub-status' })
  @ApiQuery({ name: 'limit', required: false, type: Number })
  @ApiQuery({ name: 'offset', required: false, type: Number })
  @ApiOkResponse({ type: UnmappedStatusPageDto })
  listUnmappedStatuses(@Query() q: Record<string, unknown>) {
    return this.unmappedStatuses.list({
      sourceSystem: textParam(q.sourceSystem),
      state: enumParam(q.state, 'state', ['open', 'pending', 'all'] as const, 'open'),
      q: textParam(q.q),
      limit: intParam(q.limit, 'limit', 50, 1, 500),
      offset: intParam(q.offset, 'offset', 0, 0, 10_000_000),
    });
  }
}
