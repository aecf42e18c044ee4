import { Controller, HttpCode, Inject, Post, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import { type AuthUser, Roles } from '@isohub/auth';
import { CataloguePortalService } from './catalogue-portal.service';
import { CurrentUser } from '../http/current-user.decorator';
import { CataloguePortalRefreshResultDto } from './dto/catalogue-portal.dto';
import { ProblemDto } from './dto/problem.dto';
import { boolParam, textParam } from '../http/query-params';

@ApiTags('catalogue')
@ApiResponse({ status: 400, type: ProblemDto, description: 'application/problem+json' })
@Controller('api/catalogue')
export class CataloguePortalController {
  constructor(@Inject(CataloguePortalService) private readonly service: CataloguePortalService) {}

  @Post('refresh-from-portal')
  @HttpCode(200)
  @Roles('admin')
  @ApiOperation({
    summary:
      'Refresh the catalogue from the national portal (LayDanhSachTTHC + LayThuTuc; dry run by default)',
    description:
      'Lists the procedures, reads each with LayThuTuc (bounded concurrency, rate-limited) and plans the ' +
      'same refresh as POST /api/catalogue/refresh: codes the portal no longer lists are retired (kept ' +
      'resolvable), statutory times per channel come from CACHTHUCTHUCHIEN. A procedure whose LayThuTuc ' +
      'failed is kept unchanged and listed in "failed". dryRun=false re-reads the portal and commits as ' +
      'cat-<n> when the diff still matches expectedDiffHash.',
  })
  @ApiQuery({ name: 'dryRun', required: false, type: Boolean, description: 'default true' })
  @ApiQuery({ name: 'expectedDiffHash', required: false })
  @ApiOkResponse({ type: CataloguePortalRefreshResultDto })
  @ApiResponse({ status: 409, type: ProblemDto, description: 'expectedDiffHash no longer matches' })
  @ApiResponse({ status: 502, type: ProblemDto, description: 'the portal answered the list badly' })
  @ApiResponse({ status: 503, type: ProblemDto, description: 'portal unreachable or not configured' })
  refreshFromPortal(@CurrentUser() user: AuthUser, @Query() q: Record<string, unknown>) {
    return this.service.refresh(user, {
      dryRun: boolParam(q.dryRun, 'dryRun', true),
      expectedDiffHash: textParam(q.expectedDiffHash),
    });
  }
}
