import {
  Controller,
  Get,
  HttpCode,
  NotFoundException,
  Param,
  Post,
  Query,
  UnprocessableEntityException,
  UseFilters,
  UseGuards,
} from '@nestjs/common';
import { DeadLetterStore, type DeadLetterSummary } from '@isohub/persistence';
import { OpsProblemFilter } from '../polling/ops-problem.filter';
import { OpsTokenGuard } from '../polling/ops-token.guard';
import { DeadLetterReplayService, type ReplayOutcome } from './dead-letter-replay.service';

/**
 * Operator API over the dead letters (Bearer OPS_TOKEN): list without payloads, read one with its
 * original payload (it may hold personal data: this API is for operators only), replay one.
 */
@Controller('ops/dead-letters')
@UseGuards(OpsTokenGuard)
@UseFilters(OpsProblemFilter)
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
  ): Promise<{ items: DeadLetterSummary[] }> {
    const n = Math.min(Math.max(Number(limit ?? 100) || 100, 1), 500);
    const before = beforeId && /^\d+$/.test(beforeId) ? beforeId : undefined;
    return {
      items: await this.store.list({ open: state !== 'all', sourceSystem, beforeId: before, limit: n }),
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
}
