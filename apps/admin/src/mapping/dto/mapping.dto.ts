import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { MILESTONES } from '@isohub/events';
import { DURATION_UNITS } from '@isohub/timing';

class Bookkeeping {
  @ApiPropertyOptional({ description: 'who changed the row last (SSO subject)' })
  updatedBy?: string;

  @ApiPropertyOptional({ format: 'date-time' })
  updatedAt?: string;
}

export class LocalCodeInputDto {
  @ApiProperty({
    example: '1.001193',
    description: 'national procedure code (must be in the catalogue, not retired)',
  })
  nationalCode!: string;

  @ApiPropertyOptional({
    example: '000.00.01.H56',
    nullable: true,
    description: 'owning agency; agency-scoped mappers must give one of theirs',
  })
  agencyCode?: string | null;

  @ApiPropertyOptional({ nullable: true })
  note?: string | null;
}

export class LocalCodeMappingDto extends Bookkeeping {
  @ApiProperty({ example: 'opencps-h56' })
  sourceSystem!: string;

  @ApiProperty({ example: '1.001193.000.00.00.H56' })
  localCode!: string;

  @ApiProperty({ example: '1.001193' })
  nationalCode!: string;

  @ApiProperty({ nullable: true, type: String })
  agencyCode!: string | null;

  @ApiProperty({ nullable: true, type: String })
  note!: string | null;
}

export class LocalCodePageDto {
  @ApiProperty({ type: [LocalCodeMappingDto] })
  items!: LocalCodeMappingDto[];

  @ApiProperty()
  total!: number;

  @ApiProperty({ example: 'draft', description: 'the version listed' })
  version!: string;
}

export class StatusMappingInputDto {
  @ApiProperty({ example: 'opencps-tinh-x' })
  sourceSystem!: string;

  @ApiProperty({ example: 'processing' })
  status!: string;

  @ApiPropertyOptional({
    example: 'cho_bo_sung',
    default: '*',
    description: '"*" or absent = any sub-status',
  })
  subStatus?: string;

  @ApiPropertyOptional({ example: '2025-07-01', description: 'YYYY-MM-DD; default today (Vietnam)' })
  validFrom?: string;

  @ApiProperty({ minimum: 1, maximum: 10, example: 5 })
  nationalStatus!: number;

  @ApiProperty({ enum: MILESTONES, example: 'SUPPLEMENT_REQUESTED' })
  milestone!: string;

  @ApiPropertyOptional({ nullable: true })
  agencyCode?: string | null;

  @ApiPropertyOptional({ nullable: true })
  note?: string | null;
}

export class StatusMappingDto extends StatusMappingInputDto {
  @ApiPropertyOptional()
  updatedBy?: string;

  @ApiPropertyOptional()
  updatedAt?: string;
}

export class StatusMappingPageDto {
  @ApiProperty({ type: [StatusMappingDto] })
  items!: StatusMappingDto[];

  @ApiProperty()
  total!: number;

  @ApiProperty()
  version!: string;
}

export class StatusResolutionDto {
  @ApiProperty({ type: StatusMappingDto, nullable: true, description: 'null: unmapped (held and flagged)' })
  match!: StatusMappingDto | null;

  @ApiProperty()
  version!: string;
}

export class StatutoryTimeDto {
  @ApiProperty({ example: 5 })
  value!: number;

  @ApiProperty({ enum: DURATION_UNITS, example: 'working_days' })
  unit!: string;

  @ApiPropertyOptional({ example: 40, description: 'working hours, for working_days and working_hours' })
  hours?: number;

  @ApiPropertyOptional({ example: '5 ngày làm việc' })
  text?: string;
}

export class StatutoryTimesDto {
  @ApiPropertyOptional({
    type: StatutoryTimeDto,
    description: 'in input also a text such as "5 ngày làm việc"',
  })
  inPerson?: StatutoryTimeDto;

  @ApiPropertyOptional({ type: StatutoryTimeDto })
  online?: StatutoryTimeDto;

  @ApiPropertyOptional({ type: StatutoryTimeDto })
  postal?: StatutoryTimeDto;
}

export class IsoStepInputDto {
  @ApiPropertyOptional({ example: 'B1', nullable: true })
  code?: string | null;

  @ApiProperty({ example: 'Tiếp nhận và kiểm tra hồ sơ' })
  name!: string;

  @ApiPropertyOptional({ example: 'TTPVHCC', nullable: true })
  responsibleUnit?: string | null;

  @ApiPropertyOptional({ example: 2, description: 'working hours; or give allowanceDays' })
  allowanceHours?: number;

  @ApiPropertyOptional({ example: 0.25, description: 'fractional working days, stored × 8 as hours' })
  allowanceDays?: number;

  @ApiPropertyOptional({
    minimum: 1,
    maximum: 10,
    nullable: true,
    description: 'national status the step produces',
  })
  nationalStatus?: number | null;

  @ApiPropertyOptional({ type: [String], example: ['BM-VP01.02'] })
  formCodes?: string[];
}

export class IsoStepDto extends IsoStepInputDto {
  @ApiProperty({ example: 1 })
  stepNo!: number;
}

export class IsoProcessInputDto {
  @ApiPropertyOptional({ default: '', description: 'case (trường hợp) of the procedure; "" when it has one' })
  caseCode?: string;

  @ApiPropertyOptional({ example: 'QT 01/CX-HCTP', nullable: true })
  isoCode?: string | null;

  @ApiPropertyOptional({ nullable: true })
  name?: string | null;

  @ApiPropertyOptional({
    type: StatutoryTimesDto,
    description: 'left out: taken from the catalogue time texts',
  })
  statutory?: StatutoryTimesDto;

  @ApiProperty({ type: [IsoStepInputDto], description: 'ordered steps' })
  steps!: IsoStepInputDto[];
}

export class IsoProcessDto {
  @ApiProperty({ example: '000.00.01.H56' })
  agencyCode!: string;

  @ApiProperty({ example: '1.001193' })
  procedureCode!: string;

  @ApiProperty({ example: '' })
  caseCode!: string;

  @ApiProperty({ nullable: true, type: String })
  isoCode!: string | null;

  @ApiProperty({ nullable: true, type: String })
  name!: string | null;

  @ApiProperty({ type: StatutoryTimesDto })
  statutory!: StatutoryTimesDto;

  @ApiProperty({ type: [IsoStepDto] })
  steps!: IsoStepDto[];

  @ApiPropertyOptional()
  updatedBy?: string;

  @ApiPropertyOptional()
  updatedAt?: string;
}

export class IsoProcessPageDto {
  @ApiProperty({ type: [IsoProcessDto] })
  items!: IsoProcessDto[];

  @ApiProperty()
  total!: number;

  @ApiProperty()
  version!: string;
}

export class PublishInputDto {
  @ApiPropertyOptional({
    example: '2025-07-01',
    description: 'date (Vietnam midnight) or date-time; default now; not before the previous version',
  })
  effectiveFrom?: string;

  @ApiPropertyOptional({ nullable: true })
  note?: string | null;
}

export class MappingVersionDto {
  @ApiProperty({ example: 'm-3' })
  version!: string;

  @ApiProperty()
  seq!: number;

  @ApiProperty({ format: 'date-time' })
  effectiveFrom!: string;

  @ApiProperty({ format: 'date-time' })
  publishedAt!: string;

  @ApiProperty()
  publishedBy!: string;

  @ApiProperty({ nullable: true, type: String })
  note!: string | null;

  @ApiProperty({ description: 'added/changed/removed per kind against the previous version', type: Object })
  summary!: Record<string, unknown>;
}

export class UnmappedStatusKeyDto {
  @ApiProperty({ example: 'opencps-site-h56' })
  sourceSystem!: string;

  @ApiProperty({ example: 'releasing' })
  status!: string;

  @ApiProperty({ example: '', description: "'' when the vendor sent no sub-status" })
  subStatus!: string;
}

export class PublishResultDto extends MappingVersionDto {
  @ApiProperty({ description: 'codes taken out of the unmapped queue', type: [Object] })
  resolvedUnmapped!: { sourceSystem: string; code: string }[];

  @ApiProperty({
    description:
      'vendor statuses taken out of the unmapped-status queue; the sync service reads their dossiers again ' +
      'once the version is in force',
    type: [UnmappedStatusKeyDto],
  })
  resolvedUnmappedStatuses!: UnmappedStatusKeyDto[];
}

export class DiffDto {
  @ApiProperty({ type: [Object] })
  added!: unknown[];

  @ApiProperty({ type: [Object], description: '{ key, before, after }' })
  changed!: unknown[];

  @ApiProperty({ type: [Object] })
  removed!: unknown[];

  @ApiProperty()
  unchanged!: number;
}

export class DraftChangesDto {
  @ApiProperty({ nullable: true, type: String, description: 'last published version' })
  base!: string | null;

  @ApiProperty({ type: DiffDto })
  local_code!: DiffDto;

  @ApiProperty({ type: DiffDto })
  status!: DiffDto;

  @ApiProperty({ type: DiffDto })
  process!: DiffDto;
}

export class SuggestionDto {
  @ApiProperty({ example: '1.001193' })
  nationalCode!: string;

  @ApiProperty({ example: 'Đăng ký khai sinh' })
  name!: string;
}

export class UnmappedCodeDto {
  @ApiProperty()
  sourceSystem!: string;

  @ApiProperty({ example: '1.001193.000.00.00.H56' })
  code!: string;

  @ApiProperty()
  occurrences!: number;

  @ApiProperty({ format: 'date-time' })
  firstSeenAt!: string;

  @ApiProperty({ format: 'date-time' })
  lastSeenAt!: string;

  @ApiProperty({ type: [String], description: 'up to ten dossier codes' })
  sampleDossiers!: string[];

  @ApiProperty({ nullable: true, type: String, description: 'mapped in the draft, waiting to be published' })
  draftNationalCode!: string | null;

  @ApiProperty({
    type: SuggestionDto,
    nullable: true,
    description: 'national prefix of a suffixed local code, when in the catalogue',
  })
  suggestion!: SuggestionDto | null;
}

export class UnmappedPageDto {
  @ApiProperty({ type: [UnmappedCodeDto] })
  items!: UnmappedCodeDto[];

  @ApiProperty()
  total!: number;
}

export class UnmappedStatusDraftDto {
  @ApiProperty({ minimum: 1, maximum: 10 })
  nationalStatus!: number;

  @ApiProperty({ example: 'RESULT_READY' })
  milestone!: string;

  @ApiProperty({ example: '*', description: 'the draft row that maps it: its sub-status or `*`' })
  subStatus!: string;
}

export class UnmappedStatusDto extends UnmappedStatusKeyDto {
  @ApiProperty({
    description: 'changes seen without a national status (a re-read change is not counted again)',
  })
  occurrences!: number;

  @ApiProperty({ format: 'date-time' })
  firstSeenAt!: string;

  @ApiProperty({ format: 'date-time' })
  lastSeenAt!: string;

  @ApiProperty({
    format: 'date-time',
    nullable: true,
    type: String,
    description: 'the latest change (vendor time)',
  })
  lastChangeAt!: string | null;

  @ApiProperty({ type: [String], description: 'up to ten dossier codes' })
  sampleDossiers!: string[];

  @ApiProperty({ description: 'dossiers kept to read again once mapped (at most 1,000)' })
  affectedDossiers!: number;

  @ApiProperty({
    type: UnmappedStatusDraftDto,
    nullable: true,
    description: 'mapped in the draft, waiting to be published (pending)',
  })
  draft!: UnmappedStatusDraftDto | null;
}

export class UnmappedStatusPageDto {
  @ApiProperty({ type: [UnmappedStatusDto] })
  items!: UnmappedStatusDto[];

  @ApiProperty()
  total!: number;
}

export class MappingVersionListDto {
  @ApiProperty({ nullable: true, type: String, example: 'm-3', description: 'the version in effect now' })
  current!: string | null;

  @ApiProperty({ type: [MappingVersionDto] })
  items!: MappingVersionDto[];
}
