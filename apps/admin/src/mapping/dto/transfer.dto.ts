import { ApiProperty } from '@nestjs/swagger';

export class RowErrorDto {
  @ApiProperty({ example: 7, description: 'row number as Excel shows it (header = 1)' })
  row!: number;

  @ApiProperty({ example: 'national_code', description: 'column name' })
  field!: string;

  @ApiProperty({ example: 'unknown_code' })
  code!: string;

  @ApiProperty({ example: '9.999999 is not in the national catalogue' })
  message!: string;
}

export class ImportSummaryDto {
  @ApiProperty()
  added!: number;

  @ApiProperty()
  changed!: number;

  @ApiProperty()
  unchanged!: number;

  @ApiProperty()
  removed!: number;

  @ApiProperty()
  errors!: number;
}

export class ImportResultDto {
  @ApiProperty({ enum: ['local_code', 'process'] })
  kind!: string;

  @ApiProperty({ enum: ['csv', 'xlsx'] })
  format!: string;

  @ApiProperty()
  dryRun!: boolean;

  @ApiProperty({ description: 'true once applied to the draft' })
  committed!: boolean;

  @ApiProperty({
    description: 'replace: draft rows of the file’s sources/agencies that the file omits are removed',
  })
  replace!: boolean;

  @ApiProperty({ description: 'no row errors' })
  valid!: boolean;

  @ApiProperty({ description: 'data rows read' })
  rowCount!: number;

  @ApiProperty({ description: 'pass back as expectedDiffHash when committing' })
  diffHash!: string;

  @ApiProperty({ type: ImportSummaryDto })
  summary!: ImportSummaryDto;

  @ApiProperty({ type: [Object] })
  added!: unknown[];

  @ApiProperty({ type: [Object], description: '{ key, before, after }' })
  changed!: unknown[];

  @ApiProperty({ type: [Object] })
  removed!: unknown[];

  @ApiProperty({ type: [RowErrorDto] })
  errors!: RowErrorDto[];
}

export class UploadDto {
  @ApiProperty({ type: 'string', format: 'binary', description: 'CSV (UTF-8, BOM optional) or XLSX' })
  file!: unknown;
}
