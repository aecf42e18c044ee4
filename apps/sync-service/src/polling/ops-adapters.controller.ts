import {
  BadRequestException,
  Controller,
  Get,
  HttpCode,
  Param,
  Post,
  Put,
  Req,
  UseGuards,
} from '@nestjs/common';
import type { Request } from 'express';
import { readOpsBody } from '../http/ops-body';
import { OpsTokenGuard } from './ops-token.guard';
import { PollingService, type AdapterView } from './polling.service';

const MAX_BODY = 16 * 1024;

async function readJson(req: Request): Promise<unknown> {
  const body = await readOpsBody(req, MAX_BODY);
  try {
    return JSON.parse(body.toString('utf8')) as unknown;
  } catch {
    throw new BadRequestException('the body must be JSON: { "cursor": "<cursor or ISO 8601 time>" | null }');
  }
}

/**
 * Operator API over the pull sources (the admin console calls it): health, lag, last poll, cursor,
 * pause/resume, cursor reset (only while paused: 409 otherwise) and a connection test.
 */
@Controller('ops/adapters')
@UseGuards(OpsTokenGuard)
export class OpsAdaptersController {
  constructor(private readonly polling: PollingService) {}

  @Get()
  async list(): Promise<{ adapters: AdapterView[] }> {
    return { adapters: await this.polling.list() };
  }

  @Get(':id')
  one(@Param('id') id: string): Promise<AdapterView> {
    return this.polling.view(id);
  }

  @Get(':id/cursor')
  async cursor(
    @Param('id') id: string,
  ): Promise<AdapterView['cursor'] & { lagSeconds: number | null; paused: boolean }> {
    const v = await this.polling.view(id);
    return { ...v.cursor, lagSeconds: v.lagSeconds, paused: v.paused };
  }

  @Post(':id/pause')
  @HttpCode(200)
  pause(@Param('id') id: string): Promise<AdapterView> {
    return this.polling.pause(id);
  }

  @Post(':id/resume')
  @HttpCode(200)
  resume(@Param('id') id: string): Promise<AdapterView> {
    return this.polling.resume(id);
  }

  @Put(':id/cursor')
  async setCursor(@Param('id') id: string, @Req() req: Request): Promise<AdapterView> {
    const body = await readJson(req);
    const cursor =
      body !== null && typeof body === 'object' ? (body as { cursor?: unknown }).cursor : undefined;
    if (cursor !== null && typeof cursor !== 'string') {
      throw new BadRequestException(
        '"cursor" must be a string (the stored form or an ISO 8601 time) or null',
      );
    }
    return this.polling.resetCursor(id, cursor);
  }

  @Post(':id/test-connection')
  @HttpCode(200)
  testConnection(@Param('id') id: string): Promise<{ ok: boolean; detail: string; latencyMs: number }> {
    return this.polling.testConnection(id);
  }
}
