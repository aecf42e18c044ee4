import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Put, Query } from '@nestjs/common';
import {
  ApiBody,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiQuery,
  ApiResponse,
  ApiTags,
} from '@nestjs/swagger';
import { type AuthUser, Roles } from '@isohub/auth';
import { MappingStore, matchStatusMapping } from '@isohub/persistence';
import { CurrentUser } from '../http/current-user.decorator';
import {
  IsoProcessDto,
  IsoProcessInputDto,
  IsoProcessPageDto,
  LocalCodeInputDto,
  LocalCodeMappingDto,
  LocalCodePageDto,
  StatusMappingDto,
  StatusMappingInputDto,
  StatusMappingPageDto,
  StatusResolutionDto,
} from './dto/mapping.dto';
import { ProblemDto } from './dto/problem.dto';
import { orThrow, readStatusQuery } from './mapping-validation';
import { MappingWriteService } from './mapping-write.service';
import { ProblemException } from '../http/problem';
import { intParam, textParam } from '../http/query-params';

const VERSION_QUERY = {
  name: 'version',
  required: false,
  description: '"draft" (default), "current" (the published version in effect) or "m-<n>"',
};

/**
 * Local procedure codes, source status mappings and ISO processes. Reads take any version; writes go
 * to the draft (see /api/mapping/publish) and are agency-scoped for mappers.
 */
@ApiTags('mappings')
@ApiResponse({ status: 400, type: ProblemDto, description: 'application/problem+json' })
@ApiResponse({ status: 403, type: ProblemDto, description: 'role or agency not allowed' })
@ApiResponse({ status: 422, type: ProblemDto, description: 'invalid fields, each named by JSON pointer' })
@Controller('api/mapping')
export class MappingsController {
  constructor(
    @Inject(MappingStore) private readonly store: MappingStore,
    @Inject(MappingWriteService) private readonly writes: MappingWriteService,
  ) {}

  private page(q: Record<string, unknown>) {
    return {
      limit: intParam(q.limit, 'limit', 100, 1, 1000),
      offset: intParam(q.offset, 'offset', 0, 0, 10_000_000),
    };
  }

  // ----- local codes --------------------------------------------------------------------------------

  @Get('local-codes')
  @Roles('viewer')
  @ApiOperation({ summary: 'Local procedure codes per source system -> national code' })
  @ApiQuery(VERSION_QUERY)
  @ApiQuery({ name: 'sourceSystem', required: false })
  @ApiQuery({ name: 'agencyCode', required: false })
  @ApiQuery({ name: 'q', required: false, description: 'local or national code contains' })
  @ApiQuery({ name: 'limit', required: false, type: Number })
  @ApiQuery({ name: 'offset', required: false, type: Number })
  @ApiOkResponse({ type: LocalCodePageDto })
  async listLocalCodes(@Query() q: Record<string, unknown>) {
    const version = await this.store.resolveVersion(textParam(q.version));
    const { rows, total } = await this.store.list('local_code', version, {
      equals: { source_system: textParam(q.sourceSystem), agency_code: textParam(q.agencyCode) },
      q: textParam(q.q),
      ...this.page(q),
    });
    return { items: rows, total, version };
  }

  @Put('local-codes/:sourceSystem/:localCode')
  @Roles('mapper')
  @ApiOperation({
    summary: 'Map a local code (draft)',
    description:
      'Creates or replaces the draft row; mapping a queued unmapped code marks it pending until published.',
  })
  @ApiParam({ name: 'localCode', example: '1.001193.000.00.00.H56' })
  @ApiBody({ type: LocalCodeInputDto })
  @ApiOkResponse({ type: LocalCodeMappingDto })
  async putLocalCode(
    @CurrentUser() user: AuthUser,
    @Param('sourceSystem') sourceSystem: string,
    @Param('localCode') localCode: string,
    @Body() body: unknown,
  ) {
    return (await this.writes.saveLocalCode(user, { sourceSystem, localCode }, body)).after;
  }

  @Delete('local-codes/:sourceSystem/:localCode')
  @Roles('mapper')
  @ApiOperation({ summary: 'Remove a local-code mapping from the draft' })
  @ApiOkResponse({ type: LocalCodeMappingDto, description: 'the removed row' })
  @ApiResponse({ status: 404, type: ProblemDto })
  deleteLocalCode(
    @CurrentUser() user: AuthUser,
    @Param('sourceSystem') sourceSystem: string,
    @Param('localCode') localCode: string,
  ) {
    return this.writes.deleteLocalCode(user, { sourceSystem, localCode });
  }

  // ----- status mappings ----------------------------------------------------------------------------

  @Get('statuses')
  @Roles('viewer')
  @ApiOperation({ summary: 'Source status (+ sub-status) -> national status and milestone' })
  @ApiQuery(VERSION_QUERY)
  @ApiQuery({ name: 'sourceSystem', required: false })
  @ApiQuery({ name: 'status', required: false })
  @ApiOkResponse({ type: StatusMappingPageDto })
  async listStatuses(@Query() q: Record<string, unknown>) {
    const version = await this.store.resolveVersion(textParam(q.version));
    const { rows, total } = await this.store.list('status', version, {
      equals: { source_system: textParam(q.sourceSystem), status: textParam(q.status) },
      ...this.page(q),
    });
    return { items: rows, total, version };
  }

  @Get('statuses/resolve')
  @Roles('viewer')
  @ApiOperation({
    summary: 'Which row a source status maps to',
    description: 'A sub-status match wins, else the status’s "*" row, else null (held and flagged).',
  })
  @ApiQuery(VERSION_QUERY)
  @ApiQuery({ name: 'sourceSystem', required: true })
  @ApiQuery({ name: 'status', required: true })
  @ApiQuery({ name: 'subStatus', required: false })
  @ApiQuery({ name: 'on', required: false, description: 'YYYY-MM-DD; default: every row' })
  @ApiOkResponse({ type: StatusResolutionDto })
  async resolveStatus(@Query() q: Record<string, unknown>) {
    const query = orThrow(readStatusQuery(q));
    const version = await this.store.resolveVersion(textParam(q.version));
    const { rows } = await this.store.list('status', version, {
      equals: { source_system: query.sourceSystem },
    });
    const match = matchStatusMapping(rows, query);
    return { match, version };
  }

  @Put('statuses')
  @Roles('mapper')
  @ApiOperation({
    summary: 'Create or replace a status mapping row (draft); key: source, status, subStatus, validFrom',
  })
  @ApiBody({ type: StatusMappingInputDto })
  @ApiOkResponse({ type: StatusMappingDto })
  async putStatus(@CurrentUser() user: AuthUser, @Body() body: unknown) {
    return (await this.writes.saveStatus(user, body)).after;
  }

  @Delete('statuses')
  @Roles('mapper')
  @ApiOperation({ summary: 'Remove a status mapping row from the draft' })
  @ApiQuery({ name: 'sourceSystem', required: true })
  @ApiQuery({ name: 'status', required: true })
  @ApiQuery({ name: 'subStatus', required: false, description: 'default "*"' })
  @ApiQuery({ name: 'validFrom', required: true })
  @ApiOkResponse({ type: StatusMappingDto, description: 'the removed row' })
  deleteStatus(@CurrentUser() user: AuthUser, @Query() q: Record<string, unknown>) {
    return this.writes.deleteStatus(user, q);
  }

  // ----- ISO processes ------------------------------------------------------------------------------

  @Get('processes')
  @Roles('viewer')
  @ApiOperation({ summary: 'ISO processes (steps with working-hour allowances, statutory time per channel)' })
  @ApiQuery(VERSION_QUERY)
  @ApiQuery({ name: 'agencyCode', required: false })
  @ApiQuery({ name: 'procedureCode', required: false })
  @ApiQuery({ name: 'q', required: false, description: 'procedure code, ISO code or name contains' })
  @ApiOkResponse({ type: IsoProcessPageDto })
  async listProcesses(@Query() q: Record<string, unknown>) {
    const version = await this.store.resolveVersion(textParam(q.version));
    const { rows, total } = await this.store.list('process', version, {
      equals: { agency_code: textParam(q.agencyCode), procedure_code: textParam(q.procedureCode) },
      q: textParam(q.q),
      ...this.page(q),
    });
    return { items: rows, total, version };
  }

  @Get('processes/:agencyCode/:procedureCode')
  @Roles('viewer')
  @ApiOperation({ summary: 'One ISO process' })
  @ApiQuery(VERSION_QUERY)
  @ApiQuery({ name: 'caseCode', required: false })
  @ApiOkResponse({ type: IsoProcessDto })
  @ApiResponse({ status: 404, type: ProblemDto })
  async getProcess(
    @Param('agencyCode') agencyCode: string,
    @Param('procedureCode') procedureCode: string,
    @Query() q: Record<string, unknown>,
  ) {
    const version = await this.store.resolveVersion(textParam(q.version));
    const found = await this.store.get('process', version, {
      agencyCode,
      procedureCode,
      caseCode: textParam(q.caseCode) ?? '',
    });
    if (!found) {
      throw ProblemException.notFound(`no ISO process ${agencyCode}/${procedureCode} in ${version}`);
    }
    return found;
  }

  @Put('processes/:agencyCode/:procedureCode')
  @Roles('mapper')
  @ApiOperation({
    summary: 'Create or replace an ISO process (draft)',
    description:
      'Steps in order; allowance as allowanceHours or fractional allowanceDays (× 8). Statutory times as text ' +
      '("5 ngày làm việc") or { value, unit }; left out, they come from the catalogue.',
  })
  @ApiBody({ type: IsoProcessInputDto })
  @ApiOkResponse({ type: IsoProcessDto })
  async putProcess(
    @CurrentUser() user: AuthUser,
    @Param('agencyCode') agencyCode: string,
    @Param('procedureCode') procedureCode: string,
    @Body() body: unknown,
  ) {
    return (await this.writes.saveProcess(user, { agencyCode, procedureCode }, body)).after;
  }

  @Delete('processes/:agencyCode/:procedureCode')
  @HttpCode(200)
  @Roles('mapper')
  @ApiOperation({ summary: 'Remove an ISO process from the draft' })
  @ApiQuery({ name: 'caseCode', required: false })
  @ApiOkResponse({ type: IsoProcessDto, description: 'the removed process' })
  deleteProcess(
    @CurrentUser() user: AuthUser,
    @Param('agencyCode') agencyCode: string,
    @Param('procedureCode') procedureCode: string,
    @Query() q: Record<string, unknown>,
  ) {
    return this.writes.deleteProcess(user, { agencyCode, procedureCode }, textParam(q.caseCode));
  }
}
