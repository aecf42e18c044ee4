import { Body, Controller, Delete, Get, Inject, Param, Put, Query } from '@nestjs/common';
import { ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { Roles, type AuthUser } from '@isohub/auth';
import { CatalogueAdminStore, MappingStore, StepTimingStore, type StepMatchRule } from '@isohub/persistence';
import { CurrentUser } from '../http/current-user.decorator';
import { ProblemException } from '../http/problem';
import { intParam, textParam } from '../http/query-params';
import { ProblemDto } from './dto/problem.dto';
import { FieldReader, isObject } from './field-reader';
import { isoProcessWarnings } from './iso-process-warnings';
import { orThrow, type Read } from './mapping-validation';

/** Body of PUT /api/iso-steps/rules: which ISO step a sender's step name or code is (docs/iso-time.md). */
export function readStepRule(input: unknown): Read<StepMatchRule> {
  const r = new FieldReader();
  const b = isObject(input) ? input : {};
  if (!isObject(input)) {
    r.fail('', 'type', 'must be a JSON object');
  }
  const rule: StepMatchRule = {
    sourceSystem: r.text(b.sourceSystem, '/sourceSystem', { required: true, max: 100, token: true }),
    procedureCode: r.text(b.procedureCode, '/procedureCode', { max: 100, token: true }) ?? '*',
    senderStep: r.text(b.senderStep, '/senderStep', { required: true, max: 300 }),
    isoStepNo: r.number(b.isoStepNo, '/isoStepNo', { required: true, min: 1, max: 200, integer: true }) ?? 0,
    note: r.text(b.note, '/note', { max: 1000 }),
  };
  return r.ok ? { ok: true, value: rule } : { ok: false, errors: r.errors };
}

/**
 * The sender's step names matched to ISO process steps, per source (and optionally per procedure), and the
 * queue of steps no rule or ISO step name matched (their deadlines fall back to the sender's own).
 */
@ApiTags('iso-steps')
@ApiResponse({ status: 403, type: ProblemDto, description: 'role not allowed' })
@ApiResponse({ status: 422, type: ProblemDto, description: 'invalid fields, each named by JSON pointer' })
@Controller('api/iso-steps')
export class IsoStepsController {
  constructor(
    @Inject(StepTimingStore) private readonly store: StepTimingStore,
    @Inject(MappingStore) private readonly mappings: MappingStore,
    @Inject(CatalogueAdminStore) private readonly catalogue: CatalogueAdminStore,
  ) {}

  @Get('process-warnings/:agencyCode/:procedureCode')
  @Roles('viewer')
  @ApiOperation({
    summary:
      "Warnings on an ISO process: steps over a channel's statutory time, statutory time unlike the catalogue's",
    description: 'Query: version ("draft" by default, "current" or "m-<n>"), caseCode ("" by default).',
  })
  async processWarnings(
    @Param('agencyCode') agencyCode: string,
    @Param('procedureCode') procedureCode: string,
    @Query() q: Record<string, unknown>,
  ) {
    const version = await this.mappings.resolveVersion(textParam(q.version));
    const process = await this.mappings.get('process', version, {
      agencyCode,
      procedureCode,
      caseCode: textParam(q.caseCode) ?? '',
    });
    if (!process) {
      throw ProblemException.notFound(`no ISO process ${agencyCode}/${procedureCode} in ${version}`);
    }
    return { version, warnings: isoProcessWarnings(process, await this.catalogue.get(procedureCode)) };
  }

  @Get('rules')
  @Roles('viewer')
  @ApiOperation({ summary: 'Step match rules, of one source or all' })
  rules(@Query() q: Record<string, unknown>) {
    return this.store.listMatchRules(textParam(q.sourceSystem));
  }

  @Put('rules')
  @Roles('mapper')
  @ApiOperation({
    summary: 'Add or replace a step match rule',
    description:
      'The sender step is folded (NFC, spaces collapsed, lower case); matching queue rows are cleared.',
  })
  saveRule(@CurrentUser() user: AuthUser, @Body() body: unknown) {
    return this.store.saveMatchRule(orThrow(readStepRule(body)), user.sub);
  }

  @Delete('rules/:sourceSystem/:procedureCode/:senderStep')
  @Roles('mapper')
  @ApiOperation({ summary: 'Remove a step match rule (procedureCode `*` for every procedure)' })
  async removeRule(
    @Param('sourceSystem') sourceSystem: string,
    @Param('procedureCode') procedureCode: string,
    @Param('senderStep') senderStep: string,
  ) {
    if (!(await this.store.removeMatchRule({ sourceSystem, procedureCode, senderStep }))) {
      throw ProblemException.notFound('no such step match rule');
    }
    return { removed: true };
  }

  @Get('unmatched')
  @Roles('viewer')
  @ApiOperation({ summary: 'Sender steps no rule or ISO step matched, latest first' })
  unmatched(@Query() q: Record<string, unknown>) {
    return this.store.listUnmatched(intParam(q.limit, 'limit', 200, 1, 1000));
  }

  @Get('dossiers/:code')
  @Roles('viewer')
  @ApiOperation({ summary: "A dossier's step instances in order (the control sheet's rows)" })
  steps(@Param('code') code: string) {
    return this.store.listForDossier(code);
  }
}
