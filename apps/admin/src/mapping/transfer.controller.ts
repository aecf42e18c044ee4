import {
  Controller,
  Get,
  HttpCode,
  Inject,
  Param,
  Post,
  Query,
  Res,
  UploadedFile,
  UseInterceptors,
} from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import {
  ApiBody,
  ApiConsumes,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiQuery,
  ApiResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { Response } from 'express';
import { type AuthUser, Roles } from '@isohub/auth';
import { CurrentUser } from '../http/current-user.decorator';
import { ProblemDto } from './dto/problem.dto';
import { ImportResultDto, UploadDto } from './dto/transfer.dto';
import { MAX_UPLOAD_BYTES } from './mapping.config';
import { ProblemException } from '../http/problem';
import { boolParam, enumParam, textParam, type UploadedFileLike } from '../http/query-params';
import { TransferService, type TransferKind } from './transfer.service';

const KINDS: Record<string, TransferKind> = { 'local-codes': 'local_code', processes: 'process' };

function kindOf(param: string): TransferKind {
  const kind = KINDS[param];
  if (!kind) {
    throw ProblemException.notFound(`no import/export for "${param}"; use local-codes or processes`);
  }
  return kind;
}

@ApiTags('import / export')
@ApiResponse({ status: 400, type: ProblemDto, description: 'unreadable file (application/problem+json)' })
@Controller('api/mapping')
export class TransferController {
  constructor(@Inject(TransferService) private readonly transfer: TransferService) {}

  @Post('imports/:kind')
  @HttpCode(200)
  @Roles('mapper')
  @UseInterceptors(FileInterceptor('file', { limits: { fileSize: MAX_UPLOAD_BYTES } }))
  @ApiOperation({
    summary: 'Import local-code mappings or ISO processes into the draft (dry run by default)',
    description:
      'CSV (UTF-8, BOM stripped, NFC) or XLSX, first row = column names as in the export. The dry run returns ' +
      'the diff (added/changed/unchanged/removed) and every row error (row + column + message) and writes ' +
      'nothing. dryRun=false applies it in one transaction with audit entries, only without errors (else 422); ' +
      'give expectedDiffHash from the dry run to refuse (409) if the draft changed meanwhile. replace=true ' +
      'removes draft rows of the file’s source systems (local codes) or agencies (processes) that it omits.',
  })
  @ApiParam({ name: 'kind', enum: ['local-codes', 'processes'] })
  @ApiConsumes('multipart/form-data')
  @ApiBody({ type: UploadDto })
  @ApiQuery({ name: 'dryRun', required: false, type: Boolean, description: 'default true' })
  @ApiQuery({ name: 'replace', required: false, type: Boolean, description: 'default false (merge)' })
  @ApiQuery({ name: 'expectedDiffHash', required: false })
  @ApiOkResponse({ type: ImportResultDto })
  @ApiResponse({ status: 409, type: ProblemDto })
  @ApiResponse({
    status: 422,
    type: ProblemDto,
    description: 'commit of a file with row errors; nothing written',
  })
  import(
    @CurrentUser() user: AuthUser,
    @Param('kind') kind: string,
    @Query() q: Record<string, unknown>,
    @UploadedFile() file: UploadedFileLike | undefined,
  ) {
    const k = kindOf(kind);
    if (!file) {
      throw ProblemException.badRequest('/file', 'upload the CSV or XLSX as multipart field "file"');
    }
    return this.transfer.import(user, k, {
      buffer: file.buffer,
      filename: file.originalname,
      dryRun: boolParam(q.dryRun, 'dryRun', true),
      replace: boolParam(q.replace, 'replace', false),
      expectedDiffHash: textParam(q.expectedDiffHash),
    });
  }

  @Get('exports/:kind')
  @Roles('viewer')
  @ApiOperation({
    summary: 'Export local-code mappings or ISO processes as CSV (with BOM, for Excel) or XLSX',
  })
  @ApiParam({ name: 'kind', enum: ['local-codes', 'processes'] })
  @ApiQuery({ name: 'format', required: false, enum: ['csv', 'xlsx'] })
  @ApiQuery({ name: 'version', required: false, description: 'draft (default), current or m-<n>' })
  @ApiOkResponse({ description: 'the file (Content-Disposition: attachment)' })
  async export(@Param('kind') kind: string, @Query() q: Record<string, unknown>, @Res() res: Response) {
    const file = await this.transfer.export(
      kindOf(kind),
      textParam(q.version) ?? 'draft',
      enumParam(q.format, 'format', ['csv', 'xlsx'] as const, 'csv'),
    );
    res.status(200).type(file.contentType).attachment(file.filename).send(file.buffer);
  }
}
