import { ApiProperty } from '@nestjs/swagger';
import { CatalogueRefreshResultDto } from './catalogue.dto';

export class PortalFetchFailureDto {
  @ApiProperty({ example: '1.001193' })
  code!: string;

  @ApiProperty({ example: 'UNAVAILABLE: LayThuTuc: portal answered HTTP 500', description: 'coded reason' })
  error!: string;
}

export class CataloguePortalRefreshResultDto extends CatalogueRefreshResultDto {
  @ApiProperty({ description: 'procedures LayDanhSachTTHC listed' })
  listed!: number;

  @ApiProperty({ description: 'procedures read with LayThuTuc' })
  fetched!: number;

  @ApiProperty({
    type: [PortalFetchFailureDto],
    description: 'LayThuTuc failures; these procedures are kept unchanged, never retired',
  })
  failed!: PortalFetchFailureDto[];

  @ApiProperty({ description: 'time for the whole pull and plan (or commit)' })
  tookMs!: number;
}
