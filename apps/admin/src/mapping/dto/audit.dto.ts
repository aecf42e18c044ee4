import { ApiProperty } from '@nestjs/swagger';

export class AuditEntryDto {
  @ApiProperty()
  id!: number;

  @ApiProperty({ format: 'date-time' })
  at!: string;

  @ApiProperty({ description: 'SSO subject, or "system"' })
  actor!: string;

  @ApiProperty({ example: 'local_code.update' })
  action!: string;

  @ApiProperty({ example: 'local_code_mapping' })
  entityType!: string;

  @ApiProperty({ example: 'opencps-h56/1.001193.000.00.00.H56' })
  entityId!: string;

  @ApiProperty({ type: Object, nullable: true })
  before!: unknown;

  @ApiProperty({ type: Object, nullable: true })
  after!: unknown;

  @ApiProperty()
  prevHash!: string;

  @ApiProperty({ description: 'sha256(canonical JSON of the entry + prevHash)' })
  hash!: string;
}

export class AuditBreakDto {
  @ApiProperty({ description: 'id of the first entry whose link or content does not hold' })
  id!: number;

  @ApiProperty({
    enum: [
      'prev_hash_mismatch',
      'hash_mismatch',
      'checkpoint_signature',
      'checkpoint_mismatch',
      'missing_since_checkpoint',
    ],
  })
  reason!: string;

  @ApiProperty()
  expected!: string;

  @ApiProperty()
  actual!: string;
}

export class AuditVerificationDto {
  @ApiProperty()
  ok!: boolean;

  @ApiProperty({ description: 'entries verified before the first break' })
  checked!: number;

  @ApiProperty({ nullable: true, type: Number })
  lastId!: number | null;

  @ApiProperty({ type: AuditBreakDto, nullable: true })
  firstBroken!: AuditBreakDto | null;

  @ApiProperty({
    required: false,
    nullable: true,
    description: 'the checkpoint checked against ({ lastId, count, at }); null when none was written yet',
  })
  checkpoint?: { lastId: number; count: number; at: string } | null;
}
