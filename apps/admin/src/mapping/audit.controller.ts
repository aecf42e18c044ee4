import { Controller, Get, HttpCode, Inject, Post, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import { Roles } from '@isohub/auth';
import { type AuditCheckpoint, AuditStore } from '@isohub/persistence';
import { ProblemException } from '../http/problem';
import { AuditAnchorService } from './audit-anchor.service';
import { AuditEntryDto, AuditVerificationDto } from './dto/audit.dto';
import { ProblemDto } from './dto/problem.dto';
import { intParam, textParam } from '../http/query-params';

@ApiTags('audit')
@ApiResponse({ status: 400, type: ProblemDto, description: 'application/problem+json' })
@Controller('api/audit')
export class AuditController {
  constructor(
    @Inject(AuditStore) private readonly audit: AuditStore,
    @Inject(AuditAnchorService) private readonly anchor: AuditAnchorService,
  ) {}

  @Get()
  @Roles('viewer')
  @ApiOperation({ summary: 'Audit log of every mapping and configuration change, newest first' })
  @ApiQuery({ name: 'entityType', required: false, example: 'local_code_mapping' })
  @ApiQuery({ name: 'entityId', required: false })
  @ApiQuery({ name: 'actor', required: false })
  @ApiQuery({ name: 'action', required: false, example: 'mapping.publish' })
  @ApiQuery({
    name: 'beforeId',
    required: false,
    type: Number,
    description: 'page: entries older than this id',
  })
  @ApiQuery({ name: 'limit', required: false, type: Number })
  @ApiOkResponse({ type: [AuditEntryDto] })
  list(@Query() q: Record<string, unknown>) {
    return this.audit.list({
      entityType: textParam(q.entityType),
      entityId: textParam(q.entityId),
      actor: textParam(q.actor),
      action: textParam(q.action),
      beforeId:
        q.beforeId === undefined
          ? undefined
          : intParam(q.beforeId, 'beforeId', 0, 0, Number.MAX_SAFE_INTEGER),
      limit: intParam(q.limit, 'limit', 50, 1, 500),
    });
  }

  @Get('verify')
  @Roles('viewer')
  @ApiOperation({
    summary: 'Verify the hash chain',
    description:
      'Recomputes every hash in order; names the first entry whose content or link does not hold. ' +
      'When checkpoints are configured, also checks the newest one (signature, its entry, no entries ' +
      'missing since): removing the newest entries is found.',
  })
  @ApiOkResponse({ type: AuditVerificationDto })
  verify() {
    return this.audit.verify(1000, this.anchor.anchor());
  }

  @Post('checkpoint')
  @HttpCode(200)
  @Roles('admin')
  @ApiOperation({
    summary: 'Write a signed checkpoint of the chain head now, and export it',
    description:
      'HMAC-signed with AUDIT_CHECKPOINT_KEY, written to AUDIT_CHECKPOINT_FILE (and its .log); keep a ' +
      'copy elsewhere too. 409 when checkpoints are not configured.',
  })
  @ApiResponse({ status: 409, type: ProblemDto, description: 'checkpoints are not configured' })
  async checkpoint(): Promise<AuditCheckpoint> {
    const written = await this.anchor.writeNow();
    if (!written) {
      throw new ProblemException(
        409,
        'Conflict',
        'audit checkpoints are not configured (AUDIT_CHECKPOINT_KEY, AUDIT_CHECKPOINT_FILE)',
      );
    }
    return written;
  }
}
