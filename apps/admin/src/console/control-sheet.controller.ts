import { Controller, Get, Inject, Param, Query, Res, StreamableFile } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiParam, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { type AuthUser, Roles } from '@isohub/auth';
import type { DossierState, Handover, HandoverTiming } from '@isohub/events';
import {
  buildControlSheet,
  type ControlSheet,
  renderControlSheetPdf,
  renderControlSheetXlsx,
} from '@isohub/outputs';
import { ADMIN_CONFIG, type AdminConfig } from '../admin.config';
import { CurrentUser } from '../http/current-user.decorator';
import { ProblemException } from '../http/problem';
import { textParam } from '../http/query-params';
import { ProblemDto } from '../mapping/dto/problem.dto';
import { DossierReadService, type DossierView } from './dossier-read.service';
import { readableAgencies } from './read-scope';

const TYPES = {
  pdf: 'application/pdf',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
} as const;

const CODE = /^[\p{L}\p{N}._\-/]{3,100}$/u;

/** The control sheet of one dossier from what the dossier page reads (snapshot, events, step timings). */
export function controlSheetOf(view: DossierView, config: AdminConfig['controlSheet']): ControlSheet | null {
  if (!view.state) {
    return null;
  }
  const handovers = view.events.flatMap((e) => {
    const handover = e.data['handover'] as Handover | null | undefined;
    const timing = e.data['timing'] as HandoverTiming | undefined;
    return handover ? [{ handover, closedInstance: timing?.closed?.instance ?? null }] : [];
  });
  return buildControlSheet(
    { state: view.state as unknown as DossierState, handovers, steps: view.steps },
    // Applicant data never reaches the admin API (the dossier page drops it), so the fields stay blank.
    { edition: config?.edition ?? undefined, isoFormCode: config?.isoFormCode ?? undefined },
  );
}

/**
 * The phiếu kiểm soát quá trình giải quyết hồ sơ of one dossier, as JSON, PDF or XLSX, under the dossier
 * page's rules: a user limited to agencies gets only their agencies' dossiers.
 */
@ApiTags('dossiers')
@ApiResponse({ status: 400, type: ProblemDto, description: 'application/problem+json' })
@Controller('api/dossiers')
export class ControlSheetController {
  constructor(
    @Inject(DossierReadService) private readonly dossiers: DossierReadService,
    @Inject(ADMIN_CONFIG) private readonly config: AdminConfig,
  ) {}

  @Get(':code/control-sheet')
  @Roles('viewer')
  @ApiOperation({
    summary: 'The dossier’s control sheet (Mẫu 05 TT 01/2018 or Mẫu 06 TT 03/2025) as JSON or PDF',
  })
  @ApiParam({ name: 'code', example: '000.00.01.H56-260501-0001' })
  @ApiQuery({ name: 'format', required: false, enum: ['json', 'pdf', 'xlsx'] })
  @ApiOkResponse({ description: 'ControlSheet (JSON), application/pdf or XLSX' })
  @ApiResponse({ status: 404, type: ProblemDto, description: 'unknown, or not in your agencies' })
  async sheet(
    @CurrentUser() user: AuthUser,
    @Param('code') code: string,
    @Query() q: Record<string, unknown>,
    @Res({ passthrough: true }) res: Response,
  ): Promise<ControlSheet | StreamableFile> {
    const format = textParam(q.format) ?? 'json';
    if (format !== 'json' && format !== 'pdf' && format !== 'xlsx') {
      throw ProblemException.badRequest('/format', 'format must be json, pdf or xlsx');
    }
    const exact = code.normalize('NFC').trim();
    const view = CODE.test(exact) ? await this.dossiers.get(exact, readableAgencies(user)) : null;
    const sheet = view ? controlSheetOf(view, this.config.controlSheet) : null;
    if (!sheet) {
      throw ProblemException.notFound(`no dossier ${exact.slice(0, 100)} (or not one of your agencies)`);
    }
    if (format === 'json') {
      return sheet;
    }
    const file = `phieu-kiem-soat-${exact.replace(/[^\w.-]/g, '_')}.${format}`;
    const body = format === 'pdf' ? await renderControlSheetPdf(sheet) : await renderControlSheetXlsx(sheet);
    res.setHeader('content-disposition', `${format === 'pdf' ? 'inline' : 'attachment'}; filename="${file}"`);
    return new StreamableFile(body, { type: TYPES[format], length: body.length });
  }
}
