import { Controller, Get, HttpCode, Inject, Param, Post } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiParam, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { DataSource } from 'typeorm';
import { type AuthUser, Roles } from '@isohub/auth';
import { AuditStore } from '@isohub/persistence';
import { ADMIN_DATA_SOURCE } from '../admin.tokens';
import { CurrentUser } from '../http/current-user.decorator';
import { ProblemDto } from '../mapping/dto/problem.dto';
import { ProblemException } from '../http/problem';
import { AdapterListDto, AdapterStatusDto, ConnectionTestDto } from './adapters.dto';
import { type ConnectionTest, type OpsAdapterView, SyncOpsClient, SyncOpsError } from './sync-ops.client';

/** 503 when the sync service cannot be reached, 502 when it answers wrongly (token, status, body). */
const STATUS_OF = {
  UNREACHABLE: 503,
  TIMEOUT: 503,
  REFUSED_TOKEN: 502,
  BAD_ANSWER: 502,
  NOT_FOUND: 404,
} as const;
const TITLE_OF = { 503: 'Service unavailable', 502: 'Bad gateway', 404: 'Not found' } as const;

function problemOf(error: unknown): unknown {
  if (!(error instanceof SyncOpsError)) {
    return error;
  }
  const status = STATUS_OF[error.code];
  return new ProblemException(status, TITLE_OF[status], error.message, [
    { field: '/', code: error.code.toLowerCase(), message: error.message },
  ]);
}

/** What the console shows of a pull source: the sync service's view, minus what it has no use for. */
function statusOf(v: OpsAdapterView, deadLetters: { count: number; capped: boolean }): AdapterStatusDto {
  return {
    id: v.id,
    type: v.type,
    enabled: v.enabled,
    agency: v.agency,
    health: v.health,
    circuit: v.circuit,
    paused: v.paused,
    lagSeconds: v.lagSeconds,
    lastPollAt: v.lastPollAt,
    lastSuccessAt: v.lastSuccessAt,
    lastError: v.lastError,
    consecutiveFailures: v.consecutiveFailures,
    intervalSeconds: v.intervalSeconds,
    cursor: v.cursor,
    flags: v.flags,
    openDeadLetters: deadLetters.count,
    openDeadLettersCapped: deadLetters.capped,
  };
}

/**
 * The sync service's pull sources (one-stop APIs, LGSP) for the console: their status with open
 * dead-letter counts, a connection test and pause/resume. The admin calls the sync service's operator
 * API server-side with its token; browsers never see that token.
 */
@ApiTags('adapters')
@ApiResponse({ status: 502, type: ProblemDto, description: 'the sync service answered wrongly (e.g. token)' })
@ApiResponse({ status: 503, type: ProblemDto, description: 'the sync service is unreachable' })
@Controller('api/adapters')
export class AdaptersController {
  constructor(
    @Inject(SyncOpsClient) private readonly ops: SyncOpsClient,
    @Inject(AuditStore) private readonly audit: AuditStore,
    @Inject(ADMIN_DATA_SOURCE) private readonly ds: DataSource,
  ) {}

  @Get()
  @Roles('viewer')
  @ApiOperation({
    summary: 'Pull sources: health, lag, last poll, cursor, paused, circuit, flags, open dead letters',
  })
  @ApiOkResponse({ type: AdapterListDto })
  async list(): Promise<AdapterListDto> {
    try {
      const views = await this.ops.adapters();
      const counts = await Promise.all(views.map((v) => this.ops.openDeadLetters(v.id)));
      return { adapters: views.map((v, i) => statusOf(v, counts[i] ?? { count: 0, capped: false })) };
    } catch (error) {
      throw problemOf(error);
    }
  }

  @Post(':id/test-connection')
  @HttpCode(200)
  @Roles('admin')
  @ApiOperation({ summary: 'Try the source’s upstream now (the same check the poller uses)' })
  @ApiParam({ name: 'id', example: 'opencps-api-h56' })
  @ApiOkResponse({ type: ConnectionTestDto })
  @ApiResponse({ status: 404, type: ProblemDto, description: 'no such pull source' })
  async testConnection(@Param('id') id: string): Promise<ConnectionTest & { testedAt: string }> {
    try {
      return { ...(await this.ops.testConnection(id)), testedAt: new Date().toISOString() };
    } catch (error) {
      throw problemOf(error);
    }
  }

  @Post(':id/pause')
  @HttpCode(200)
  @Roles('admin')
  @ApiOperation({ summary: 'Pause polling of a source (recorded in the audit log)' })
  @ApiParam({ name: 'id', example: 'opencps-api-h56' })
  @ApiOkResponse({ type: AdapterStatusDto })
  @ApiResponse({ status: 404, type: ProblemDto, description: 'no such pull source' })
  pause(@CurrentUser() user: AuthUser, @Param('id') id: string): Promise<AdapterStatusDto> {
    return this.switchPolling(user, id, true);
  }

  @Post(':id/resume')
  @HttpCode(200)
  @Roles('admin')
  @ApiOperation({ summary: 'Resume polling of a source (recorded in the audit log)' })
  @ApiParam({ name: 'id', example: 'opencps-api-h56' })
  @ApiOkResponse({ type: AdapterStatusDto })
  @ApiResponse({ status: 404, type: ProblemDto, description: 'no such pull source' })
  resume(@CurrentUser() user: AuthUser, @Param('id') id: string): Promise<AdapterStatusDto> {
    return this.switchPolling(user, id, false);
  }

  private async switchPolling(user: AuthUser, id: string, pause: boolean): Promise<AdapterStatusDto> {
    let view: OpsAdapterView;
    let deadLetters: { count: number; capped: boolean };
    try {
      view = pause ? await this.ops.pause(id, user.sub) : await this.ops.resume(id, user.sub);
      deadLetters = await this.ops.openDeadLetters(view.id);
    } catch (error) {
      throw problemOf(error);
    }
    await this.ds.transaction((m) =>
      this.audit.append(m, {
        actor: user.sub,
        action: pause ? 'adapter.pause' : 'adapter.resume',
        entityType: 'adapter',
        entityId: view.id,
        before: null,
        after: { paused: view.paused },
      }),
    );
    return statusOf(view, deadLetters);
  }
}
