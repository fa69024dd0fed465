import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMinSize,
  IsArray,
  IsIn,
  IsInt,
  IsString,
  IsUrl,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  IsOptional,
  ValidateNested,
} from 'class-validator';
import { PageQueryDto, PageResponseDto } from '../common/pagination/page.dto';
import { BATCH_STATUSES, ITEM_STATUSES } from './batch.entity';
import { Optional } from '../common/validation/optional';

const MODEL_ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$/;
const MODELS_DOC = 'Any model of GET /api/models (Sora 2 by default; Kling and Veo too)';

export class BatchRowDto {
  @ApiProperty({ example: 'A lighthouse at dawn', maxLength: 10000 })
  @IsString()
  @MinLength(1)
  @MaxLength(10000)
  prompt!: string;

  @ApiPropertyOptional({ example: 'sora-2', description: MODELS_DOC })
  @Optional()
  @Matches(MODEL_ID, { message: 'must be a model id' })
  model?: string;

  @ApiPropertyOptional({
    enum: ['720p', '1080p'],
    description: 'As the model renders it (1080p: sora-2-pro, Kling pro)',
  })
  @Optional()
  @IsIn(['720p', '1080p'])
  resolution?: string;

  @ApiPropertyOptional({
    example: 10,
    description: 'Seconds, as the model makes them (Sora 2: 10 or 15; Kling: 5 or 10)',
  })
  @Optional()
  @IsInt()
  @Min(1)
  @Max(60)
  duration?: number;

  @ApiPropertyOptional({ enum: ['16:9', '9:16', '1:1'], default: '16:9' })
  @Optional()
  @IsIn(['16:9', '9:16', '1:1'])
  aspect_ratio?: string;

  @ApiPropertyOptional({ description: 'First frame (image to video)' })
  @Optional()
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

  @ApiPropertyOptional({ example: 'sora-2', default: 'sora-2', description: MODELS_DOC })
  @Optional()
  @Matches(MODEL_ID, { message: 'must be a model id' })
  defaultModel?: string;

  @ApiPropertyOptional({ enum: ['720p', '1080p'], description: "Default: the model's default size" })
  @Optional()
  @IsIn(['720p', '1080p'])
  defaultResolution?: string;

  @ApiPropertyOptional({ example: 10, description: "Default: the model's default length (Sora 2: 10 s)" })
  @Optional()
  @IsInt()
  @Min(1)
  @Max(60)
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

  @ApiProperty({ nullable: true, type: String, description: "The provider's link (expires)" })
  video_url!: string | null;

  @ApiProperty({ nullable: true, type: String, description: "A signed link to Reelay's copy, once stored" })
  store_url!: string | null;

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

// Admins: every user's batches.
export class AdminBatchQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ minimum: 1 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  user_id?: number;

  @ApiPropertyOptional({ enum: BATCH_STATUSES })
  @IsOptional()
  @IsIn(BATCH_STATUSES)
  status?: string;
}

export class AdminBatchDto extends BatchDto {
  @ApiProperty()
  user_id!: number;
}

// One recorded change: the batch's own (item_idx null) or one item's.
export class BatchEventDto {
  @ApiProperty()
  id!: number;

  @ApiProperty({ description: 'When (unix milliseconds)' })
  at_ms!: number;

  @ApiProperty({ nullable: true, type: Number })
  item_idx!: number | null;

  @ApiProperty({ example: 'running' })
  status!: string;

  @ApiProperty({ nullable: true, type: String, example: 'attempt 1' })
  detail!: string | null;
}

export class AdminBatchDetailDto extends BatchDetailDto {
  @ApiProperty()
  user_id!: number;

  @ApiProperty({ type: [BatchEventDto], description: 'Status changes, oldest first (the first 1000)' })
  timeline!: BatchEventDto[];
}

export const AdminBatchPageDto = PageResponseDto(AdminBatchDto, 'AdminBatchPage');
