import { Controller, Get, Inject } from '@nestjs/common';
import { ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { Roles } from '@isohub/auth';
import { ProblemException } from '../http/problem';
import { ProblemDto } from '../mapping/dto/problem.dto';
import { type OpsTeeSenders, SyncOpsClient, SyncOpsError } from './sync-ops.client';

/**
 * What the national portal and the LGSP answered each sender through the tee (docs/tee.md): calls
 * delivered, refused (with the upstream's last message) and unanswered, and the national sync rate
 * (QĐ 766 indicator 1.4) derived from them. Read server-side from the sync service's operator API.
 */
@ApiTags('adapters')
@Controller('api/tee')
export class TeeSendersController {
  constructor(@Inject(SyncOpsClient) private readonly ops: SyncOpsClient) {}

  @Get('senders')
  @Roles('viewer')
  @ApiOperation({
    summary: 'Per sender: calls delivered to, refused by and unanswered by the upstream; sync rate',
  })
  @ApiResponse({ status: 200, description: 'the sync service’s /ops/tee/senders' })
  @ApiResponse({ status: 503, type: ProblemDto, description: 'the sync service is unreachable' })
  async senders(): Promise<OpsTeeSenders> {
    try {
      return await this.ops.teeSenders();
    } catch (error) {
      if (error instanceof SyncOpsError) {
        const status = error.code === 'UNREACHABLE' || error.code === 'TIMEOUT' ? 503 : 502;
        throw new ProblemException(
          status,
          status === 503 ? 'Service unavailable' : 'Bad gateway',
          error.message,
          [{ field: '/', code: error.code.toLowerCase(), message: error.message }],
        );
      }
      throw error;
    }
  }
}
