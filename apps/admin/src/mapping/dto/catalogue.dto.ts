import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { DURATION_UNITS } from '@isohub/timing';

export class CatalogueProcedureDto {
  @ApiProperty({ example: '1.001193' })
  code!: string;

  @ApiProperty({ example: 'Đăng ký khai sinh' })
  name!: string;

  @ApiProperty({ nullable: true, type: String })
  issuing_body!: string | null;

  @ApiProperty({ nullable: true, type: String })
  implementing_agency!: string | null;

  @ApiProperty({ nullable: true, type: String })
  field!: string | null;

  @ApiProperty({ nullable: true, type: String })
  portal_url!: string | null;

  @ApiProperty({ nullable: true, type: String, example: '5 ngày làm việc' })
  time_in_person!: string | null;

  @ApiProperty({ nullable: true, type: String })
  time_online!: string | null;

  @ApiProperty({ nullable: true, type: String })
  time_postal!: string | null;

  @ApiProperty({
    description: 'false for the crawl’s malformed codes (1.0133611, 1.014955-Xoa, 2.009182739)',
  })
  codeValid!: boolean;

  @ApiProperty({ format: 'date-time' })
  validFrom!: string;

  @ApiProperty({ nullable: true, type: String, format: 'date-time', description: 'set when retired' })
  validTo!: string | null;

  @ApiProperty({ nullable: true, type: String })
  replacedBy!: string | null;
}

export class CataloguePageDto {
  @ApiProperty({ type: [CatalogueProcedureDto] })
  items!: CatalogueProcedureDto[];

  @ApiProperty()
  total!: number;

  @ApiProperty({ description: 'server-side query time, milliseconds' })
  tookMs!: number;
}

export class ParsedTimeDto {
  @ApiProperty({ enum: ['inPerson', 'online', 'postal'] })
  channel!: string;

  @ApiProperty({ example: 'Không quá 15 ngày kể từ…' })
  text!: string;

  @ApiPropertyOptional({
    description: '{ value, unit, hours?, cutoff? } when read',
    type: Object,
    nullable: true,
  })
  duration!: { value: number; unit: (typeof DURATION_UNITS)[number]; hours?: number } | null;

  @ApiPropertyOptional({ enum: ['no_duration', 'several_durations', 'open_ended'], nullable: true })
  reason!: string | null;
}

export class CatalogueDetailDto extends CatalogueProcedureDto {
  @ApiProperty({ type: [ParsedTimeDto] })
  times!: ParsedTimeDto[];

  @ApiProperty({ nullable: true, type: String, description: 'the current code a retired one resolves to' })
  resolvesTo!: string | null;

  @ApiProperty({ type: [Object], description: 'history entries of this code, newest first' })
  history!: unknown[];
}

export class UnparsedTimeDto {
  @ApiProperty()
  code!: string;

  @ApiProperty()
  name!: string;

  @ApiProperty({ enum: ['inPerson', 'online', 'postal'] })
  channel!: string;

  @ApiProperty()
  text!: string;

  @ApiProperty({ enum: ['no_duration', 'several_durations', 'open_ended'] })
  reason!: string;
}

export class UnparsedReportDto {
  @ApiProperty({ description: 'filled time cells of current procedures' })
  filled!: number;

  @ApiProperty()
  parsed!: number;

  @ApiProperty({ example: 0.9819 })
  parsedShare!: number;

  @ApiProperty({ description: 'unparsed cells matching the filter' })
  total!: number;

  @ApiProperty({ type: [UnparsedTimeDto] })
  items!: UnparsedTimeDto[];
}

export class CatalogueRowInputDto {
  @ApiProperty({ example: '3.000333' })
  code!: string;

  @ApiProperty({ example: 'Cấp Phiếu lý lịch tư pháp cho công dân Việt Nam…' })
  name!: string;

  @ApiPropertyOptional()
  issuing_body?: string;

  @ApiPropertyOptional()
  implementing_agency?: string;

  @ApiPropertyOptional()
  field?: string;

  @ApiPropertyOptional()
  portal_url?: string;

  @ApiPropertyOptional()
  time_in_person?: string;

  @ApiPropertyOptional()
  time_online?: string;

  @ApiPropertyOptional()
  time_postal?: string;

  @ApiPropertyOptional({ example: '2.000488', description: 'old code this one replaces' })
  replaces?: string;
}

export class CatalogueRefreshInputDto {
  @ApiProperty({ type: [CatalogueRowInputDto], description: 'the complete new catalogue' })
  rows!: CatalogueRowInputDto[];
}

export class CatalogueRefreshResultDto {
  @ApiProperty()
  dryRun!: boolean;

  @ApiProperty({ nullable: true, type: String, example: 'cat-2' })
  version!: string | null;

  @ApiProperty({ description: 'pass back as expectedDiffHash to commit exactly this diff' })
  diffHash!: string;

  @ApiProperty({
    description: 'counts: added, restored, changed, removed, unchanged, errors, warnings',
    type: Object,
  })
  summary!: Record<string, number>;

  @ApiProperty({ type: [Object] })
  added!: unknown[];

  @ApiProperty({ type: [Object] })
  restored!: unknown[];

  @ApiProperty({ type: [Object], description: '{ code, fields, before, after }' })
  changed!: unknown[];

  @ApiProperty({ type: [Object], description: '{ code, before, replacedBy, replacedHow }' })
  removed!: unknown[];

  @ApiProperty({ type: [Object] })
  renamedAgencies!: unknown[];

  @ApiProperty({ type: [Object], description: '{ row, field, code, message }' })
  errors!: unknown[];

  @ApiProperty({ type: [Object] })
  warnings!: unknown[];
}

export class CatalogueVersionDto {
  @ApiProperty({ example: 'cat-2' })
  version!: string;

  @ApiProperty()
  seq!: number;

  @ApiProperty({ example: 'refresh' })
  source!: string;

  @ApiProperty()
  loadedBy!: string;

  @ApiProperty({ format: 'date-time' })
  loadedAt!: string;

  @ApiProperty()
  rowCount!: number;

  @ApiProperty({ type: Object })
  summary!: Record<string, unknown>;
}
