import {
  Body,
  Controller,
  Get,
  HttpCode,
  Inject,
  Param,
  Post,
  Query,
  UploadedFile,
  UseInterceptors,
} from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import {
  ApiBody,
  ApiConsumes,
  ApiOkResponse,
  ApiOperation,
  ApiQuery,
  ApiResponse,
  ApiTags,
} from '@nestjs/swagger';
import { type AuthUser, Roles } from '@isohub/auth';
import { CatalogueAdminStore } from '@isohub/persistence';
import { CatalogueService } from './catalogue.service';
import { CurrentUser } from '../http/current-user.decorator';
import {
  CatalogueDetailDto,
  CataloguePageDto,
  CatalogueRefreshInputDto,
  CatalogueRefreshResultDto,
  CatalogueVersionDto,
  UnparsedReportDto,
} from './dto/catalogue.dto';
import { ProblemDto } from './dto/problem.dto';
import { MAX_UPLOAD_BYTES } from './mapping.config';
import { boolParam, intParam, textParam, type UploadedFileLike } from '../http/query-params';

@ApiTags('catalogue')
@ApiResponse({ status: 400, type: ProblemDto, description: 'application/problem+json' })
@Controller('api/catalogue')
export class CatalogueController {
  constructor(
    @Inject(CatalogueService) private readonly service: CatalogueService,
    @Inject(CatalogueAdminStore) private readonly store: CatalogueAdminStore,
  ) {}

  @Get('procedures')
  @Roles('viewer')
  @ApiOperation({
    summary: 'Search the national catalogue',
    description:
      'Accent-insensitive over code and name: "dang ky khai sinh" finds "Đăng ký khai sinh". Code prefix or every word of q in the name.',
  })
  @ApiQuery({ name: 'q', required: false })
  @ApiQuery({ name: 'field', required: false, description: 'lĩnh vực, exact' })
  @ApiQuery({ name: 'includeRetired', required: false, type: Boolean })
  @ApiQuery({ name: 'limit', required: false, type: Number })
  @ApiQuery({ name: 'offset', required: false, type: Number })
  @ApiOkResponse({ type: CataloguePageDto })
  search(@Query() q: Record<string, unknown>) {
    return this.service.search({
      q: textParam(q.q),
      field: textParam(q.field),
      includeRetired: boolParam(q.includeRetired, 'includeRetired', false),
      limit: intParam(q.limit, 'limit', 20, 1, 200),
      offset: intParam(q.offset, 'offset', 0, 0, 1_000_000),
    });
  }

  @Get('procedures/:code')
  @Roles('viewer')
  @ApiOperation({ summary: 'One procedure with its parsed times, history and the code it resolves to' })
  @ApiOkResponse({ type: CatalogueDetailDto })
  @ApiResponse({ status: 404, type: ProblemDto })
  detail(@Param('code') code: string) {
    return this.service.detail(code);
  }

  @Get('processing-times/unparsed')
  @Roles('viewer')
  @ApiOperation({
    summary: 'Processing-time texts the parser cannot read',
    description: 'For a human to settle (set the statutory time on the ISO process); with the parsed share.',
  })
  @ApiQuery({ name: 'reason', required: false, enum: ['no_duration', 'several_durations', 'open_ended'] })
  @ApiQuery({ name: 'q', required: false, description: 'code or text contains' })
  @ApiQuery({ name: 'limit', required: false, type: Number })
  @ApiQuery({ name: 'offset', required: false, type: Number })
  @ApiOkResponse({ type: UnparsedReportDto })
  unparsed(@Query() q: Record<string, unknown>) {
    return this.service.unparsed({
      reason: textParam(q.reason),
      q: textParam(q.q),
      limit: intParam(q.limit, 'limit', 100, 1, 1000),
      offset: intParam(q.offset, 'offset', 0, 0, 1_000_000),
    });
  }

  @Get('versions')
  @Roles('viewer')
  @ApiOperation({ summary: 'Catalogue versions (cat-1 = the seed), newest first' })
  @ApiOkResponse({ type: [CatalogueVersionDto] })
  versions() {
    return this.store.versions();
  }

  @Get('history')
  @Roles('viewer')
  @ApiOperation({
    summary: 'Per-code changes across refreshes (added, changed, removed with replacement, restored)',
  })
  @ApiQuery({ name: 'code', required: false })
  @ApiQuery({ name: 'version', required: false })
  @ApiQuery({ name: 'beforeId', required: false, type: Number })
  @ApiQuery({ name: 'limit', required: false, type: Number })
  history(@Query() q: Record<string, unknown>) {
    return this.store.history({
      code: textParam(q.code),
      version: textParam(q.version),
      beforeId:
        q.beforeId === undefined
          ? undefined
          : intParam(q.beforeId, 'beforeId', 0, 0, Number.MAX_SAFE_INTEGER),
      limit: intParam(q.limit, 'limit', 100, 1, 1000),
    });
  }

  @Post('refresh')
  @HttpCode(200)
  @Roles('admin')
  @UseInterceptors(FileInterceptor('file', { limits: { fileSize: MAX_UPLOAD_BYTES } }))
  @ApiOperation({
    summary: 'Refresh the catalogue from a complete new one (dry run by default)',
    description:
      'JSON { rows } or a CSV/XLSX upload with the catalogue columns and an optional "replaces" column. ' +
      'Missing codes are retired (kept resolvable, replaced_by from "replaces" or an identical name); ' +
      'dryRun=false applies it as version cat-<n> with per-code history and an audit entry.',
  })
  @ApiConsumes('application/json', 'multipart/form-data')
  @ApiBody({ type: CatalogueRefreshInputDto })
  @ApiQuery({ name: 'dryRun', required: false, type: Boolean, description: 'default true' })
  @ApiQuery({ name: 'expectedDiffHash', required: false })
  @ApiOkResponse({ type: CatalogueRefreshResultDto })
  @ApiResponse({ status: 409, type: ProblemDto, description: 'expectedDiffHash no longer matches' })
  @ApiResponse({ status: 422, type: ProblemDto, description: 'rows with errors (commit only)' })
  refresh(
    @CurrentUser() user: AuthUser,
    @Query() q: Record<string, unknown>,
    @Body() body: unknown,
    @UploadedFile() file: UploadedFileLike | undefined,
  ) {
    return this.service.refresh(
      user,
      { body, file },
      { dryRun: boolParam(q.dryRun, 'dryRun', true), expectedDiffHash: textParam(q.expectedDiffHash) },
    );
  }
}
