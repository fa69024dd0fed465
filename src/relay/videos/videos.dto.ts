import { StoredCopyDto } from '../../media/stored-copy.dto';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, MaxLength, Min } from 'class-validator';
import { PageQueryDto, PageResponseDto } from '../../common/pagination/page.dto';
import type { TaskEndedBy } from '../core/task-lifecycle.service';
import { TASK_STATUSES } from '../core/task-state';

export class VideoListQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: TASK_STATUSES })
  @IsOptional()
  @IsIn(TASK_STATUSES)
  status?: string;

  @ApiPropertyOptional({ example: 'kling-v1-6-std' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  model?: string;

  @ApiPropertyOptional({ description: 'Created at or after (unix seconds)' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  created_from?: number;

  @ApiPropertyOptional({ description: 'Created before (unix seconds)' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  created_to?: number;
}

export class AdminVideoListQueryDto extends VideoListQueryDto {
  @ApiPropertyOptional()
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  user_id?: number;

  @ApiPropertyOptional()
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  channel_id?: number;
}

export class VideoDto extends StoredCopyDto {
  @ApiProperty({ example: 'kling_4f9a0c2e8b7d4b1a9c3e5f60' })
  task_id!: string;

  @ApiProperty({ nullable: true, type: String })
  upstream_task_id!: string | null;

  @ApiProperty()
  model!: string;

  @ApiProperty({ example: 'kling' })
  provider!: string;

  @ApiProperty({ example: 'text2video' })
  type!: string;

  @ApiProperty({ enum: TASK_STATUSES })
  status!: string;

  @ApiProperty({ example: 60, description: 'Price in credits (charged only on success)' })
  credits!: number;

  @ApiProperty({ nullable: true, type: String })
  prompt!: string | null;

  @ApiProperty({ nullable: true, type: String })
  duration!: string | null;

  @ApiProperty({ nullable: true, type: String })
  video_url!: string | null;

  @ApiProperty({ nullable: true, type: String })
  fail_reason!: string | null;

  @ApiProperty()
  created_at!: number;

  @ApiProperty()
  updated_at!: number;

  @ApiProperty({ nullable: true, type: Number })
  finished_at!: number | null;
}

export class AdminVideoDto extends VideoDto {
  @ApiProperty()
  user_id!: number;

  @ApiProperty({ nullable: true, type: Number })
  channel_id!: number | null;
}

export const VideoPageDto = PageResponseDto(VideoDto, 'VideoPage');
export const AdminVideoPageDto = PageResponseDto(AdminVideoDto, 'AdminVideoPage');

export class DailyVideoStatsDto {
  @ApiProperty({ example: '2026-11-21' })
  date!: string;

  @ApiProperty()
  total!: number;

  @ApiProperty()
  succeeded!: number;

  @ApiProperty()
  failed!: number;

  @ApiProperty({ description: 'Credits charged for that day’s succeeded videos' })
  credits_charged!: number;
}

export class VideoStatsDto {
  @ApiProperty({ type: Object, example: { succeed: 120, failed: 4, processing: 2 } })
  by_status!: Record<string, number>;

  @ApiProperty({ type: [DailyVideoStatsDto], description: 'The last 7 UTC days, oldest first' })
  daily!: DailyVideoStatsDto[];
}

// What a task's timeline shows, in the order entries at the same second are listed.
export const TIMELINE_KINDS = [
  'submitted',
  'credits_held',
  'processing',
  'succeeded',
  'failed',
  'credits_captured',
  'credits_released',
  'stored',
  'store_failed',
] as const;
export type TimelineKind = (typeof TIMELINE_KINDS)[number];

export const ENDED_BY = ['callback', 'poll', 'refresh', 'timeout', 'submit'] as const satisfies readonly TaskEndedBy[];

export class TimelineEntryDto {
  @ApiProperty({ description: 'When it happened (unix seconds)' })
  at!: number;

  @ApiProperty({ enum: TIMELINE_KINDS })
  kind!: TimelineKind;

  @ApiPropertyOptional({ nullable: true, type: String, description: 'submitted: the provider’s task id' })
  upstream_task_id?: string | null;

  @ApiPropertyOptional({ nullable: true, type: Number, description: 'submitted, operators only: the channel' })
  channel_id?: number | null;

  @ApiPropertyOptional({ description: 'credits_*: how many credits were held, charged or given back' })
  credits?: number;

  @ApiPropertyOptional({
    nullable: true,
    enum: ENDED_BY,
    description: 'succeeded / failed: what ended it (null for tasks ended before this was recorded)',
  })
  ended_by?: TaskEndedBy | null;

  @ApiPropertyOptional({ nullable: true, type: String, description: 'failed: why' })
  fail_reason?: string | null;

  @ApiPropertyOptional({ nullable: true, type: String, description: 'store_failed: why the copy was given up' })
  store_error?: string | null;
}

export class VideoTimelineDto {
  @ApiProperty({ example: 'kling_4f9a0c2e8b7d4b1a9c3e5f60' })
  task_id!: string;

  @ApiProperty({ enum: TASK_STATUSES })
  status!: string;

  @ApiProperty({ type: [TimelineEntryDto], description: 'Oldest first' })
  entries!: TimelineEntryDto[];
}
