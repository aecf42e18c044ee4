import { Controller, Get, Inject, Param, Query, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { ApiFaults, type ApiEndpoint } from './api-faults';
import { authorised } from './onestop-api.credentials';
import { OnestopSite } from './onestop-site';
import { parseFilterDate } from './vendor-timeline';

type Answer = { total: number; data: Record<string, unknown>[] };

function int(v: unknown, fallback: number): number {
  const n = typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
  return Number.isInteger(n) && n >= 0 ? n : fallback;
}

function shuffle<T>(items: T[]): T[] {
  // Deterministic enough for a fault (the order is simply not the promised one): reverse, then rotate.
  const out = [...items].reverse();
  return out.length > 2 ? [...out.slice(1), out[0]] : out;
}

/**
 * An OpenCPS-shaped REST API over the simulated site (`/o/rest/v2`): `GET /dossiers` (Liferay `start`/
 * `end` paging, `sort`/`order`, a `fromModifiedDate` filter named like OpenCPS's other `from…Date`
 * filters, OpenCPS's `dossierNo` filter) and `GET /dossiers/{id}/actions`. Faults are switched per endpoint at run time.
 */
@Controller('o/rest/v2/dossiers')
export class OnestopApiController {
  constructor(
    @Inject(OnestopSite) private readonly site: OnestopSite,
    @Inject(ApiFaults) private readonly faults: ApiFaults,
  ) {}

  @Get()
  async list(@Req() req: Request, @Res() res: Response, @Query() q: Record<string, unknown>): Promise<void> {
    if (!this.check(req, res)) {
      return;
    }
    const since = typeof q['fromModifiedDate'] === 'string' ? parseFilterDate(q['fromModifiedDate']) : null;
    const start = int(q['start'], 0);
    // OpenCPS: end = 0 or absent means everything
    const end = int(q['end'], 0) === 0 ? Number.MAX_SAFE_INTEGER : int(q['end'], 0);
    const dossierNo = typeof q['dossierNo'] === 'string' ? q['dossierNo'] : null;
    await this.answer('list', res, () => this.site.list({ since, start, end, dossierNo }));
  }

  @Get(':id/actions')
  async actions(
    @Req() req: Request,
    @Res() res: Response,
    @Param('id') id: string,
    @Query() q: Record<string, unknown>,
  ) {
    if (!this.check(req, res)) {
      return;
    }
    const start = int(q['start'], 0);
    const end = int(q['end'], 0) === 0 ? Number.MAX_SAFE_INTEGER : int(q['end'], 0);
    const found = this.site.actions(id, start, end);
    if (found === null) {
      res.status(404).json({ code: 404, message: 'Không tìm thấy hồ sơ', description: `dossier ${id}` });
      return;
    }
    await this.answer('actions', res, () => found);
  }

  private check(req: Request, res: Response): boolean {
    if (authorised(req.headers)) {
      return true;
    }
    res
      .status(401)
      .json({ code: 401, message: 'permission denied', description: 'groupId and credentials required' });
    return false;
  }

  private async answer(endpoint: ApiEndpoint, res: Response, compute: () => Answer): Promise<void> {
    const fault = this.faults.take(endpoint);
    const mode = fault?.mode ?? 'none';
    if (mode === 'slow') {
      await new Promise((r) => setTimeout(r, fault?.latencyMs ?? 0));
    }
    if (mode === 'http500') {
      res.status(503).type('text/html').send('<html><body><h1>503 Service Unavailable</h1></body></html>');
      return;
    }
    if (mode === 'timeout') {
      this.faults.hold(res);
      return;
    }
    if (mode === 'drop') {
      res.socket?.destroy();
      return;
    }
    const answer = compute();
    let body: Answer = answer;
    if (mode === 'duplicate') {
      const repeated = answer.data.slice(0, Math.max(1, Math.ceil(answer.data.length / 2)));
      body = { ...answer, data: [...answer.data, ...repeated] };
    } else if (mode === 'out-of-order') {
      body = { ...answer, data: shuffle(answer.data) };
    } else if (mode === 'empty-page') {
      body = { ...answer, data: [] };
    } else if (mode === 'malformed') {
      const text = JSON.stringify(answer);
      res
        .status(200)
        .type('application/json')
        .send(text.slice(0, Math.floor(text.length / 2)));
      return;
    } else if (mode === 'change-during-paging') {
      this.site.advance(fault?.advanceMs ?? 0);
    }
    res.status(200).type('application/json; charset=utf-8').send(JSON.stringify(body));
  }
}
