import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class AdapterErrorDto {
  @ApiProperty({ example: 'TIMEOUT' })
  code!: string;

  @ApiProperty()
  message!: string;

  @ApiProperty({ format: 'date-time' })
  at!: string;
}

export class AdapterFlagDto {
  @ApiProperty({ example: 'UNMAPPED_STATUS' })
  code!: string;

  @ApiProperty()
  detail!: string;

  @ApiProperty()
  count!: number;
}

export class AdapterCursorDto {
  @ApiProperty({ nullable: true, type: String })
  value!: string | null;

  @ApiProperty({ nullable: true, type: String, format: 'date-time' })
  time!: string | null;

  @ApiProperty()
  version!: number;

  @ApiProperty()
  updatedBy!: string;

  @ApiProperty({ format: 'date-time' })
  updatedAt!: string;
}

export class AdapterStatusDto {
  @ApiProperty({ example: 'opencps-api-h56' })
  id!: string;

  @ApiProperty({ example: 'opencps-rest' })
  type!: string;

  @ApiProperty()
  enabled!: boolean;

  @ApiProperty({ nullable: true, type: String, example: '000.00.01.H56' })
  agency!: string | null;

  @ApiProperty({ enum: ['up', 'down', 'unknown'], example: 'up' })
  health!: string;

  @ApiProperty({ enum: ['closed', 'open', 'half-open', 'isolated'], example: 'closed' })
  circuit!: string;

  @ApiProperty()
  paused!: boolean;

  @ApiProperty({ nullable: true, type: Number, description: 'now - cursor time, seconds' })
  lagSeconds!: number | null;

  @ApiProperty({ nullable: true, type: String, format: 'date-time' })
  lastPollAt!: string | null;

  @ApiProperty({ nullable: true, type: String, format: 'date-time' })
  lastSuccessAt!: string | null;

  @ApiProperty({ type: AdapterErrorDto, nullable: true })
  lastError!: AdapterErrorDto | null;

  @ApiProperty()
  consecutiveFailures!: number;

  @ApiProperty()
  intervalSeconds!: number;

  @ApiProperty({ type: AdapterCursorDto })
  cursor!: AdapterCursorDto;

  @ApiProperty({ type: [AdapterFlagDto] })
  flags!: AdapterFlagDto[];

  @ApiProperty({ description: 'open (not replayed) dead letters of this source' })
  openDeadLetters!: number;

  @ApiProperty({ description: 'true when there are more than openDeadLetters (counting stops there)' })
  openDeadLettersCapped!: boolean;
}

export class AdapterListDto {
  @ApiProperty({ type: [AdapterStatusDto] })
  adapters!: AdapterStatusDto[];
}

export class ConnectionTestDto {
  @ApiProperty()
  ok!: boolean;

  @ApiProperty({ example: 'HTTP 200 from /o/rest/v2/dossiers' })
  detail!: string;

  @ApiProperty()
  latencyMs!: number;

  @ApiPropertyOptional({ format: 'date-time' })
  testedAt?: string;
}
