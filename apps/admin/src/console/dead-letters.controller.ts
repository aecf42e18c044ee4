import { Controller, Get, HttpCode, Inject, Param, Post, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiParam, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { DataSource } from 'typeorm';
import { type AuthUser, Roles } from '@isohub/auth';
import { AuditStore } from '@isohub/persistence';
import { ADMIN_DATA_SOURCE } from '../admin.tokens';
import { type OpsDeadLetter, SyncOpsClient, SyncOpsError } from '../adapters/sync-ops.client';
import { CurrentUser } from '../http/current-user.decorator';
import { ProblemException } from '../http/problem';
import { enumParam, intParam, textParam } from '../http/query-params';
import { ProblemDto } from '../mapping/dto/problem.dto';
import { DossierReadService } from './dossier-read.service';
import { type MaskedPayload, maskPayload } from './payload-mask';
import { readableAgencies } from './read-scope';

const STATES = ['open', 'replayed', 'discarded', 'all'] as const;
const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** Why the sync service could not do it, as the console's problem: its own refusals pass through. */
function problemOf(error: unknown): unknown {
  if (!(error instanceof SyncOpsError)) {
    return error;
  }
  const passed = error.upstreamStatus;
  if (passed === 400 || passed === 409 || passed === 422) {
    return new ProblemException(passed, passed === 409 ? 'Conflict' : 'Refused', error.message, error.errors);
  }
  const status =
    error.code === 'NOT_FOUND' ? 404 : error.code === 'UNREACHABLE' || error.code === 'TIMEOUT' ? 503 : 502;
  return new ProblemException(status, status === 404 ? 'Not found' : 'Sync service', error.message, [
    { field: '/', code: error.code.toLowerCase(), message: error.message },
  ]);
}

/** A day (yyyy-mm-dd, Vietnam time) as the instant it starts; `plusDays` 1 for an inclusive end. */
function dayStart(value: unknown, name: string, plusDays: number): string | undefined {
  const day = textParam(value);
  if (day === undefined) {
    return undefined;
  }
  const at = DAY.test(day) ? new Date(`${day}T00:00:00+07:00`) : new Date(Number.NaN);
  if (Number.isNaN(at.getTime())) {
    throw ProblemException.badRequest(`/${name}`, `${name} must be a date yyyy-mm-dd`);
  }
  return new Date(at.getTime() + plusDays * 86_400_000).toISOString();
}

/**
 * Dead letters for the console, over the sync service's operator API (its token stays server-side):
 * list and filter, read the original payload masked (applicant fields, attachments, secrets), replay or
 * discard (admins; each recorded in the audit log). Dead letters name no agency: users limited to agencies
 * see those of the dossiers they may read (as the dossier page decides), and none without a dossier code.
 */
@ApiTags('dead-letters')
@ApiResponse({ status: 400, type: ProblemDto, description: 'application/problem+json' })
@ApiResponse({ status: 403, type: ProblemDto, description: 'not an admin (actions)' })
@ApiResponse({ status: 502, type: ProblemDto, description: 'the sync service answered wrongly (e.g. token)' })
@ApiResponse({ status: 503, type: ProblemDto, description: 'the sync service is unreachable' })
@Controller('api/dead-letters')
export class DeadLettersController {
  constructor(
    @Inject(SyncOpsClient) private readonly ops: SyncOpsClient,
    @Inject(AuditStore) private readonly audit: AuditStore,
    @Inject(ADMIN_DATA_SOURCE) private readonly ds: DataSource,
    @Inject(DossierReadService) private readonly dossiers: DossierReadService,
  ) {}

  @Get()
  @Roles('viewer')
  @ApiOperation({
    summary: 'Dead letters, newest first, filtered by state, sender, reason code, dossier and day',
  })
  @ApiQuery({ name: 'state', required: false, enum: STATES })
  @ApiQuery({ name: 'sourceSystem', required: false, example: 'opencps-demo' })
  @ApiQuery({ name: 'reasonCode', required: false, example: 'range' })
  @ApiQuery({ name: 'dossierCode', required: false })
  @ApiQuery({ name: 'from', required: false, description: 'last seen on or after this day (yyyy-mm-dd)' })
  @ApiQuery({ name: 'to', required: false, description: 'last seen on or before this day (yyyy-mm-dd)' })
  @ApiQuery({ name: 'beforeId', required: false })
  @ApiQuery({ name: 'limit', required: false, type: Number })
  @ApiOkResponse({ description: '{ items: DeadLetter[] } (no payloads)' })
  async list(
    @CurrentUser() user: AuthUser,
    @Query() q: Record<string, unknown>,
  ): Promise<{ items: OpsDeadLetter[] }> {
    const query = new URLSearchParams({
      state: enumParam(q.state, 'state', STATES, 'open'),
      limit: String(intParam(q.limit, 'limit', 100, 1, 500)),
    });
    const optional: Record<string, string | undefined> = {
      sourceSystem: textParam(q.sourceSystem),
      reasonCode: textParam(q.reasonCode),
      dossierCode: textParam(q.dossierCode),
      from: dayStart(q.from, 'from', 0),
      to: dayStart(q.to, 'to', 1),
      beforeId:
        q.beforeId === undefined
          ? undefined
          : String(intParam(q.beforeId, 'beforeId', 0, 1, Number.MAX_SAFE_INTEGER)),
    };
    for (const [name, value] of Object.entries(optional)) {
      if (value !== undefined) {
        query.set(name, value);
      }
    }
    let items: OpsDeadLetter[];
    try {
      items = await this.ops.deadLetters(query);
    } catch (error) {
      throw problemOf(error);
    }
    const agencies = readableAgencies(user);
    if (agencies === null) {
      return { items };
    }
    const readable = await this.dossiers.readableCodes(
      items.flatMap((d) => (d.dossierCode ? [d.dossierCode] : [])),
      agencies,
    );
    return { items: items.filter((d) => d.dossierCode !== null && readable.has(d.dossierCode)) };
  }

  @Get(':id')
  @Roles('viewer')
  @ApiOperation({ summary: 'One dead letter with its original payload, personal data and secrets masked' })
  @ApiParam({ name: 'id', example: '42' })
  @ApiOkResponse({ description: 'DeadLetter & { payload: { format, text, masked } }' })
  @ApiResponse({ status: 404, type: ProblemDto, description: 'no such dead letter' })
  async one(
    @CurrentUser() user: AuthUser,
    @Param('id') id: string,
  ): Promise<OpsDeadLetter & { payload: MaskedPayload }> {
    let found: Awaited<ReturnType<SyncOpsClient['deadLetter']>>;
    try {
      found = await this.ops.deadLetter(id);
    } catch (error) {
      throw problemOf(error);
    }
    const { payload, ...letter } = found;
    const agencies = readableAgencies(user);
    if (agencies !== null) {
      const readable = letter.dossierCode
        ? await this.dossiers.readableCodes([letter.dossierCode], agencies)
        : new Set<string>();
      if (!letter.dossierCode || !readable.has(letter.dossierCode)) {
        // Outside the user's agencies reads as unknown, never as "exists but forbidden".
        throw ProblemException.notFound(`no dead letter ${id}`);
      }
    }
    return { ...letter, payload: maskPayload(payload) };
  }

  @Post(':id/replay')
  @HttpCode(200)
  @Roles('admin')
  @ApiOperation({
    summary: 'Replay the original payload through ingest (audited); 422 with the errors when still refused',
  })
  @ApiParam({ name: 'id', example: '42' })
  @ApiOkResponse({ description: '{ replayed: true, result }' })
  @ApiResponse({ status: 422, type: ProblemDto, description: 'the payload is still refused' })
  async replay(
    @CurrentUser() user: AuthUser,
    @Param('id') id: string,
  ): Promise<{ replayed: boolean; result?: unknown }> {
    let outcome: { replayed: boolean; result?: unknown };
    try {
      outcome = await this.ops.replayDeadLetter(id, user.sub);
    } catch (error) {
      throw problemOf(error);
    }
    await this.record(user, 'dead_letter.replay', id, { replayed: outcome.replayed });
    return outcome;
  }

  @Post(':id/discard')
  @HttpCode(200)
  @Roles('admin')
  @ApiOperation({
    summary: 'Set a dead letter aside without replaying it (kept, marked; audited); 409 when closed',
  })
  @ApiParam({ name: 'id', example: '42' })
  @ApiOkResponse({ description: 'the dead letter, discarded' })
  @ApiResponse({ status: 409, type: ProblemDto, description: 'already replayed or discarded' })
  async discard(@CurrentUser() user: AuthUser, @Param('id') id: string): Promise<OpsDeadLetter> {
    let letter: OpsDeadLetter;
    try {
      letter = await this.ops.discardDeadLetter(id, user.sub);
    } catch (error) {
      throw problemOf(error);
    }
    await this.record(user, 'dead_letter.discard', id, { discardedAt: letter.discardedAt });
    return letter;
  }

  private async record(
    user: AuthUser,
    action: string,
    id: string,
    after: Record<string, unknown>,
  ): Promise<void> {
    await this.ds.transaction((m) =>
      this.audit.append(m, {
        actor: user.sub,
        action,
        entityType: 'dead_letter',
        entityId: id,
        before: null,
        after,
      }),
    );
  }
}
