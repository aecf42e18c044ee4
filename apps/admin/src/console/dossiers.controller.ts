import { Controller, Get, Inject, Param, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiParam, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import { type AuthUser, Roles } from '@isohub/auth';
import { CurrentUser } from '../http/current-user.decorator';
import { ProblemException } from '../http/problem';
import { intParam, textParam } from '../http/query-params';
import { ProblemDto } from '../mapping/dto/problem.dto';
import { type DossierHit, DossierReadService, type DossierView } from './dossier-read.service';
import { readableAgencies } from './read-scope';

/** Dossier codes as senders write them (e.g. `000.00.01.H56-260501-0001`); a search needs 3 characters. */
const CODE_PART = /^[\p{L}\p{N}._\-/]{3,100}$/u;

/**
 * The console's dossier page: find a dossier by (part of) its code and see what isohub knows of it.
 * A user limited to agencies sees only their agencies' dossiers; applicant data is never returned.
 */
@ApiTags('dossiers')
@ApiResponse({ status: 400, type: ProblemDto, description: 'application/problem+json' })
@Controller('api/dossiers')
export class DossiersController {
  constructor(@Inject(DossierReadService) private readonly dossiers: DossierReadService) {}

  @Get()
  @Roles('viewer')
  @ApiOperation({ summary: 'Dossiers whose code contains q (at least 3 characters), newest change first' })
  @ApiQuery({ name: 'q', example: 'H56-260501' })
  @ApiQuery({ name: 'limit', required: false, type: Number })
  @ApiOkResponse({ description: '{ items: DossierHit[] }' })
  async search(
    @CurrentUser() user: AuthUser,
    @Query() q: Record<string, unknown>,
  ): Promise<{ items: DossierHit[] }> {
    const part = textParam(q.q);
    if (part === undefined || !CODE_PART.test(part)) {
      throw ProblemException.badRequest(
        '/q',
        'q must be 3 to 100 letters, digits or . _ - / of a dossier code',
      );
    }
    return {
      items: await this.dossiers.search(part, readableAgencies(user), intParam(q.limit, 'limit', 50, 1, 200)),
    };
  }

  @Get(':code')
  @Roles('viewer')
  @ApiOperation({
    summary:
      'One dossier: current state, events in order, publication, forwards, upstream answers, dead letters',
  })
  @ApiParam({ name: 'code', example: '000.00.01.H56-260501-0001' })
  @ApiOkResponse({ description: 'DossierView' })
  @ApiResponse({ status: 404, type: ProblemDto, description: 'unknown, or not in your agencies' })
  async one(@CurrentUser() user: AuthUser, @Param('code') code: string): Promise<DossierView> {
    const exact = code.normalize('NFC').trim();
    const view = CODE_PART.test(exact) ? await this.dossiers.get(exact, readableAgencies(user)) : null;
    if (!view) {
      throw ProblemException.notFound(`no dossier ${exact.slice(0, 100)} (or not one of your agencies)`);
    }
    return view;
  }
}
