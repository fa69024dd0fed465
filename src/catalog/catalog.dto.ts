import { ApiProperty } from '@nestjs/swagger';

export class CatalogSizeDto {
  @ApiProperty({ example: '1280x720' })
  size!: string;

  @ApiProperty({ example: '16:9' })
  aspect_ratio!: string;

  @ApiProperty({ example: '720p', enum: ['720p', '1080p'] })
  resolution!: string;
}

export class CatalogPriceDto {
  @ApiProperty({ example: 'text2video', enum: ['text2video', 'image2video', 'multi-image2video', 'omni-video'] })
  kind!: string;

  @ApiProperty({ example: 5 })
  seconds!: number;

  @ApiProperty({ example: '1280x720' })
  size!: string;

  @ApiProperty({ example: 72, description: 'Credits, charged only if the video succeeds' })
  credits!: number;
}

export class CatalogModelDto {
  @ApiProperty({ example: 'kling-v1-6-std' })
  id!: string;

  @ApiProperty({ example: 'kling', enum: ['kling', 'kie', 'viva'] })
  provider!: string;

  @ApiProperty({ example: 'Kling v1-6 (std)' })
  name!: string;

  @ApiProperty({ type: [String], example: ['text2video', 'image2video'] })
  kinds!: string[];

  @ApiProperty({ type: [Number], example: [5, 10] })
  seconds!: number[];

  @ApiProperty({ type: [CatalogSizeDto] })
  sizes!: CatalogSizeDto[];

  @ApiProperty({ description: 'Whether an image reference (first frame) is accepted' })
  image_reference!: boolean;

  @ApiProperty({ example: 5 })
  default_seconds!: number;

  @ApiProperty({ example: '1280x720' })
  default_size!: string;

  @ApiProperty({ type: [CatalogPriceDto], description: 'The price of every combination' })
  prices!: CatalogPriceDto[];
}

export class CatalogDto {
  @ApiProperty({ type: [CatalogModelDto] })
  models!: CatalogModelDto[];
}
