import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMinSize,
  IsArray,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUrl,
  MaxLength,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { PageResponseDto } from '../common/pagination/page.dto';
import { BATCH_STATUSES, ITEM_STATUSES } from './batch.entity';

export const BATCH_MODELS = ['sora-2', 'sora-2-pro'] as const;

export class BatchRowDto {
  @ApiProperty({ example: 'A lighthouse at dawn', maxLength: 10000 })
  @IsString()
  @MinLength(1)
  @MaxLength(10000)
  prompt!: string;

  @ApiPropertyOptional({ enum: BATCH_MODELS })
  @IsOptional()
  @IsIn(BATCH_MODELS)
  model?: string;

  @ApiPropertyOptional({ enum: ['720p', '1080p'], description: '1080p needs sora-2-pro' })
  @IsOptional()
  @IsIn(['720p', '1080p'])
  resolution?: string;

  @ApiPropertyOptional({ enum: [10, 15] })
  @IsOptional()
  @IsIn([10, 15])
  duration?: number;

  @ApiPropertyOptional({ enum: ['16:9', '9:16'], default: '16:9' })
  @IsOptional()
  @IsIn(['16:9', '9:16'])
  aspect_ratio?: string;

  @ApiPropertyOptional({ description: 'First frame (image to video)' })
  @IsOptional()
  @IsUrl({ require_protocol: true, protocols: ['http', 'https'], require_tld: false })
  @MaxLength(2048)
  image_url?: string;
}

export class BatchGenerateDto {
  @ApiProperty({ type: [BatchRowDto] })
  @IsArray()
  @ArrayMinSize(1)
  @ValidateNested({ each: true })
  @Type(() => BatchRowDto)
  rows!: BatchRowDto[];

  @ApiProperty({ enum: ['video', 'image'], example: 'video' })
  @IsIn(['video', 'image'])
  generationType!: 'video' | 'image';

  @ApiPropertyOptional({ enum: BATCH_MODELS, default: 'sora-2' })
  @IsOptional()
  @IsIn(BATCH_MODELS)
  defaultModel?: string;

  @ApiPropertyOptional({ enum: ['720p', '1080p'], default: '720p' })
  @IsOptional()
  @IsIn(['720p', '1080p'])
  defaultResolution?: string;

  @ApiPropertyOptional({ enum: [10, 15], default: 10 })
  @IsOptional()
  @IsInt()
  @IsIn([10, 15])
  defaultDuration?: number;
}

export class BatchItemDto {
  @ApiProperty()
  idx!: number;

  @ApiProperty()
  model!: string;

  @ApiProperty()
  resolution!: string;

  @ApiProperty()
  duration!: number;

  @ApiProperty({ enum: ['fast', 'slow'] })
  lane!: string;

  @ApiProperty({ enum: ITEM_STATUSES })
  status!: string;

  @ApiProperty()
  attempts!: number;

  @ApiProperty({ example: 15 })
  credits!: number;

  @ApiProperty({ nullable: true, type: String })
  task_id!: string | null;

  @ApiProperty({ nullable: true, type: String })
  video_url!: string | null;

  @ApiProperty({ nullable: true, type: String })
  error!: string | null;
}

export class BatchDto {
  @ApiProperty({ example: 'batch_3kT…' })
  id!: string;

  @ApiProperty({ enum: BATCH_STATUSES })
  status!: string;

  @ApiProperty()
  total!: number;

  @ApiProperty({ type: Object, example: { queued: 10, running: 5, succeed: 3 } })
  counts!: Record<string, number>;

  @ApiProperty({ example: 750, description: 'Credits held for the batch up front' })
  credits!: number;

  @ApiProperty({ nullable: true, type: Number, description: 'When every fast-lane item finished (ms)' })
  fast_lane_done_at_ms!: number | null;

  @ApiProperty({ nullable: true, type: Number, description: 'Estimated seconds until the batch finishes' })
  eta_seconds!: number | null;

  @ApiProperty()
  created_at!: number;

  @ApiProperty({ nullable: true, type: Number })
  finished_at!: number | null;
}

export class BatchDetailDto extends BatchDto {
  @ApiProperty({ type: [BatchItemDto] })
  items!: BatchItemDto[];
}

export const BatchPageDto = PageResponseDto(BatchDto, 'BatchPage');
