import {
  BadRequestException,
  ConflictException,
  Controller,
  Get,
  Inject,
  NotFoundException,
  Param,
  Post,
  Query,
  Req,
  Res,
  UseGuards,
} from '@nestjs/common';
import type { Request, Response } from 'express';
import {
  ReconciliationStore,
  type ReconciliationMismatch,
  type ReconciliationRun,
} from '@isohub/persistence';
import { SYNC_CONFIG, type SyncServiceConfig } from '../config/sync-service.config';
import { readOpsBody } from '../http/ops-body';
import { OpsTokenGuard } from '../polling/ops-token.guard';
import { MISMATCH_KINDS } from './reconciliation.comparator';
import { mismatchesCsv } from './reconciliation-csv';
import { parseRunRequest } from './reconciliation-request';
import {
  PortalDisabledError,
  ReconciliationService,
  RunInProgressError,
  type ReconciliationStatusView,
} from './reconciliation.service';

const MAX_BODY = 2 * 1024 * 1024;
const CSV_PAGE = 5_000;

function queryInt(name: string, raw: string | undefined, fallback: number, min: number, max: number): number {
  if (raw === undefined || raw === '') {
    return fallback;
  }
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) {
    const message = `${name} must be an integer from ${min} to ${max}`;
    throw new BadRequestException({ message, errors: [{ field: name, code: 'range', message }] });
  }
  return n;
}

function queryKind(raw: string | undefined): string | undefined {
  if (raw === undefined || raw === '' || (MISMATCH_KINDS as readonly string[]).includes(raw)) {
    return raw || undefined;
  }
  const message = `kind must be one of ${MISMATCH_KINDS.join(', ')}`;
  throw new BadRequestException({ message, errors: [{ field: 'kind', code: 'range', message }] });
}

/**
 * Operator API of the TraCuuHoSo reconciliation (Bearer OPS_TOKEN). Starting a run answers 202 with the
 * run (status `running`) and its Location; the run is read back with its mismatches, or as CSV.
 */
@Controller('ops/reconciliation')
@UseGuards(OpsTokenGuard)
export class ReconciliationController {
  constructor(
    private readonly service: ReconciliationService,
    private readonly store: ReconciliationStore,
    @Inject(SYNC_CONFIG) private readonly config: SyncServiceConfig,
  ) {}

  @Post('runs')
  async start(@Req() req: Request, @Res() res: Response): Promise<void> {
    const scope = parseRunRequest(await readOpsBody(req, MAX_BODY), this.config.reconciliation);
    let run: ReconciliationRun;
    try {
      run = await this.service.start(scope, 'manual');
    } catch (error) {
      if (error instanceof RunInProgressError || error instanceof PortalDisabledError) {
        throw new ConflictException(error.message);
      }
      throw error;
    }
    res.status(202).location(`/ops/reconciliation/runs/${run.id}`).json(run);
  }

  @Get('runs')
  async list(
    @Query('beforeId') beforeId?: string,
    @Query('limit') limit?: string,
  ): Promise<ReconciliationStatusView & { items: ReconciliationRun[] }> {
    const n = queryInt('limit', limit, 20, 1, 200);
    const before =
      beforeId === undefined
        ? undefined
        : String(queryInt('beforeId', beforeId, 0, 1, Number.MAX_SAFE_INTEGER));
    return { ...this.service.status(), items: await this.store.listRuns({ beforeId: before, limit: n }) };
  }

  @Get('runs/:id')
  async one(
    @Param('id') id: string,
    @Res({ passthrough: true }) res: Response,
    @Query('kind') kindParam?: string,
    @Query('limit') limitParam?: string,
    @Query('offset') offsetParam?: string,
    @Query('format') format?: string,
  ): Promise<unknown> {
    const kind = queryKind(kindParam);
    const limit = queryInt('limit', limitParam, 100, 1, 1000);
    const offset = queryInt('offset', offsetParam, 0, 0, Number.MAX_SAFE_INTEGER);
    if (format !== undefined && format !== 'json' && format !== 'csv') {
      const message = 'format must be json or csv';
      throw new BadRequestException({ message, errors: [{ field: 'format', code: 'range', message }] });
    }
    const run = /^\d{1,18}$/.test(id) ? await this.store.getRun(id) : null;
    if (!run) {
      throw new NotFoundException(`no reconciliation run ${id}`);
    }
    if (format === 'csv') {
      const rows: ReconciliationMismatch[] = [];
      for (let page = 0; ; page += CSV_PAGE) {
        const { items } = await this.store.mismatches(run.id, { kind, limit: CSV_PAGE, offset: page });
        rows.push(...items);
        if (items.length < CSV_PAGE) {
          break;
        }
      }
      res.type('text/csv; charset=utf-8');
      res.setHeader('Content-Disposition', `attachment; filename="reconciliation-run-${run.id}.csv"`);
      return mismatchesCsv(rows);
    }
    const mismatches = await this.store.mismatches(run.id, { kind, limit, offset });
    return {
      ...run,
      mismatchesByKind: await this.store.mismatchCountsByKind(run.id),
      mismatches: { ...mismatches, kind: kind ?? null, limit, offset },
    };
  }
}
