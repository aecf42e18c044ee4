import {
  BadRequestException,
  ConflictException,
  Controller,
  Get,
  HttpCode,
  NotFoundException,
  Param,
  Post,
  Query,
  Req,
  UnprocessableEntityException,
  UseGuards,
} from '@nestjs/common';
import type { Request } from 'express';
import {
  DEAD_LETTER_STATES,
  DeadLetterStore,
  type DeadLetterState,
  type DeadLetterSummary,
} from '@isohub/persistence';
import { readOpsBody } from '../http/ops-body';
import { OpsTokenGuard } from '../polling/ops-token.guard';
import { DeadLetterReplayService, type ReplayOutcome } from './dead-letter-replay.service';

const MAX_BODY = 4 * 1024;
/** Who discards, as the admin console names its user (the SSO subject). */
const ACTOR = /^[^\s\p{Cc}]{1,200}$/u;

function instantParam(value: string | undefined, name: string): Date | undefined {
  if (value === undefined || value === '') {
    return undefined;
  }
  const at = new Date(value);
  if (!/^\d{4}-\d{2}-\d{2}/.test(value) || Number.isNaN(at.getTime())) {
    throw new BadRequestException(`${name} must be an ISO 8601 date or instant`);
  }
  return at;
}

function stateParam(value: string | undefined): DeadLetterState {
  if (value === undefined || value === '') {
    return 'open';
  }
  if (!(DEAD_LETTER_STATES as readonly string[]).includes(value)) {
    throw new BadRequestException(`state must be one of ${DEAD_LETTER_STATES.join(', ')}`);
  }
  return value as DeadLetterState;
}

/**
 * Operator API over the dead letters (Bearer OPS_TOKEN): list without payloads (filtered by state,
 * sender, reason code, dossier and last-seen time), read one with its original payload (it may hold
 * personal data: this API is for operators only), replay one, or discard one (kept, marked).
 */
@Controller('ops/dead-letters')
@UseGuards(OpsTokenGuard)
export class DeadLettersController {
  constructor(
    private readonly store: DeadLetterStore,
    private readonly replayer: DeadLetterReplayService,
  ) {}

  @Get()
  async list(
    @Query('state') state?: string,
    @Query('sourceSystem') sourceSystem?: string,
    @Query('beforeId') beforeId?: string,
    @Query('limit') limit?: string,
    @Query('reasonCode') reasonCode?: string,
    @Query('dossierCode') dossierCode?: string,
    @Query('from') from?: string,
    @Query('to') to?: string,
  ): Promise<{ items: DeadLetterSummary[] }> {
    const n = Math.min(Math.max(Number(limit ?? 100) || 100, 1), 500);
    const before = beforeId && /^\d+$/.test(beforeId) ? beforeId : undefined;
    return {
      items: await this.store.list({
        state: stateParam(state),
        sourceSystem: sourceSystem || undefined,
        reasonCode: reasonCode || undefined,
        dossierCode: dossierCode || undefined,
        seenFrom: instantParam(from, 'from'),
        seenTo: instantParam(to, 'to'),
        beforeId: before,
        limit: n,
      }),
    };
  }

  @Get(':id')
  async one(
    @Param('id') id: string,
  ): Promise<DeadLetterSummary & { payload: string; payloadBase64: string }> {
    const letter = /^\d+$/.test(id) ? await this.store.get(id) : null;
    if (!letter) {
      throw new NotFoundException(`no dead letter ${id}`);
    }
    const { payload, ...rest } = letter;
    return { ...rest, payload: payload.toString('utf8'), payloadBase64: payload.toString('base64') };
  }

  @Post(':id/replay')
  @HttpCode(200)
  async replay(@Param('id') id: string): Promise<ReplayOutcome> {
    const letter = /^\d+$/.test(id) ? await this.store.get(id) : null;
    if (!letter) {
      throw new NotFoundException(`no dead letter ${id}`);
    }
    const outcome = await this.replayer.replay(letter);
    if (!outcome.replayed) {
      throw new UnprocessableEntityException({ message: outcome.reason, errors: outcome.errors });
    }
    return outcome;
  }

  /** Body `{ "by": "<who>" }`; 409 when the letter was already replayed or discarded. */
  @Post(':id/discard')
  @HttpCode(200)
  async discard(@Param('id') id: string, @Req() req: Request): Promise<DeadLetterSummary> {
    let by: unknown;
    try {
      by = (JSON.parse((await readOpsBody(req, MAX_BODY)).toString('utf8')) as { by?: unknown }).by;
    } catch {
      throw new BadRequestException('the body must be JSON: { "by": "<who discards>" }');
    }
    if (typeof by !== 'string' || !ACTOR.test(by)) {
      throw new BadRequestException('by must name who discards (1-200 characters, no spaces)');
    }
    const outcome = /^\d+$/.test(id) ? await this.store.discard(id, by) : null;
    if (!outcome) {
      throw new NotFoundException(`no dead letter ${id}`);
    }
    if (!outcome.changed) {
      throw new ConflictException(
        `dead letter ${id} was already ${outcome.letter.replayedAt ? 'replayed' : 'discarded'}`,
      );
    }
    return outcome.letter;
  }
}
