import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsString, MaxLength, MinLength } from 'class-validator';

export class ProviderQuotaDto {
  @ApiProperty({ example: 'viva' })
  provider!: string;

  @ApiProperty({ example: 150, description: 'Credits bought for this provider' })
  quota!: number;

  @ApiProperty({ example: 45 })
  used!: number;

  @ApiProperty({ example: 105 })
  remaining!: number;

  @ApiProperty({ example: 30, description: 'used / quota, in percent (one decimal)' })
  percent!: number;

  @ApiProperty({ example: false, description: 'Whether a dedicated upstream key is set (never shown)' })
  dedicated_key!: boolean;
}

export class QuotaListDto {
  @ApiProperty({ type: [ProviderQuotaDto] })
  items!: ProviderQuotaDto[];
}

export class SetProviderKeyDto {
  @ApiProperty({ enum: ['viva'] })
  @IsIn(['viva'])
  provider!: string;

  @ApiProperty({ description: 'The dedicated upstream key; encrypted at rest, never shown again' })
  @IsString()
  @MinLength(8)
  @MaxLength(512)
  api_key!: string;
}
