import { ApiProperty, ApiPropertyOptional, IntersectionType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { CHANNEL_TYPES, ChannelType } from '../providers/channel-types';
import { PageQueryDto, PageResponseDto } from '../common/pagination/page.dto';
import { MAX_ID, MAX_UNIX_SECONDS } from '../common/validation/bounds';

export const BUCKETS = ['hour', 'day'] as const;
export type Bucket = (typeof BUCKETS)[number];
export const ENDED_BY = ['callback', 'poll', 'refresh', 'timeout', 'submit', 'unknown'] as const;

// ?from=&to= in unix seconds: [from, to). Default: the 7 days before now.
export class StatsRangeQueryDto {
  @ApiPropertyOptional({ description: 'Start, unix seconds, inclusive (default: 7 days before `to`)' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(MAX_UNIX_SECONDS)
  from?: number;

  @ApiPropertyOptional({ description: 'End, unix seconds, exclusive (default: now)' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_UNIX_SECONDS)
  to?: number;
}

// Which tasks: created in the range, optionally of one provider, model and/or channel.
export class TaskStatsQueryDto extends StatsRangeQueryDto {
  @ApiPropertyOptional({ enum: CHANNEL_TYPES })
  @IsOptional()
  @IsIn(CHANNEL_TYPES)
  provider?: ChannelType;

  @ApiPropertyOptional({ example: 'kling-v1-6-std' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  model?: string;

  @ApiPropertyOptional({ description: 'The channel the tasks were recorded on' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_ID)
  channel_id?: number;
}

export class OverviewQueryDto extends TaskStatsQueryDto {
  @ApiPropertyOptional({
    enum: BUCKETS,
    default: 'day',
    description: 'Series step, counted from `from` (at most 1000 steps)',
  })
  @IsOptional()
  @IsIn(BUCKETS)
  bucket?: Bucket;
}

export class UserStatsQueryDto extends IntersectionType(PageQueryDto, TaskStatsQueryDto) {}

export class RevenueQueryDto extends StatsRangeQueryDto {
  @ApiPropertyOptional({
    enum: BUCKETS,
    default: 'day',
    description: 'Series step, counted from `from` (at most 1000 steps)',
  })
  @IsOptional()
  @IsIn(BUCKETS)
  bucket?: Bucket;
}

export class StatsRangeDto {
  @ApiProperty({ description: 'Unix seconds, inclusive' })
  from!: number;

  @ApiProperty({ description: 'Unix seconds, exclusive' })
  to!: number;
}

export class TaskStatsFiltersDto {
  @ApiProperty({ nullable: true, type: String, enum: CHANNEL_TYPES })
  provider!: ChannelType | null;

  @ApiProperty({ nullable: true, type: String })
  model!: string | null;

  @ApiProperty({ nullable: true, type: Number })
  channel_id!: number | null;
}

export class StatusFigureDto {
  @ApiProperty({ example: 'succeed' })
  status!: string;

  @ApiProperty()
  count!: number;

  @ApiProperty({ description: 'Sum of the tasks’ prices in quota units' })
  quota!: number;

  @ApiProperty({ description: 'The same sum in credits' })
  credits!: number;
}

export class EndedByFigureDto {
  @ApiProperty({ enum: ENDED_BY, description: 'unknown: ended before Reelay recorded how' })
  ended_by!: string;

  @ApiProperty()
  count!: number;

  @ApiProperty({ description: 'Share of the finished tasks (0..1)' })
  share!: number;
}

export class TaskTotalsDto {
  @ApiProperty()
  tasks!: number;

  @ApiProperty()
  succeeded!: number;

  @ApiProperty()
  failed!: number;

  @ApiProperty({ description: 'Not finished yet (submitting, unknown, submitted, processing)' })
  in_flight!: number;

  @ApiProperty({
    nullable: true,
    type: Number,
    description: 'succeeded / (succeeded + failed); null when none finished',
  })
  success_rate!: number | null;

  @ApiProperty({
    nullable: true,
    type: Number,
    description: 'Share of tasks an upstream accepted (not failed at submit); null when there are none',
  })
  submit_accept_rate!: number | null;

  @ApiProperty({ description: 'Credits charged: the prices of the succeeded tasks' })
  credits_charged!: number;
}

export class TaskSeriesPointDto {
  @ApiProperty({ description: 'Bucket start, unix seconds' })
  start!: number;

  @ApiProperty()
  total!: number;

  @ApiProperty()
  succeeded!: number;

  @ApiProperty()
  failed!: number;

  @ApiProperty()
  credits_charged!: number;
}

export class TaskSeriesDto {
  @ApiProperty({ enum: BUCKETS })
  bucket!: Bucket;

  @ApiProperty({ example: 86400 })
  size_seconds!: number;

  @ApiProperty({ type: [TaskSeriesPointDto], description: 'Every bucket of the range, oldest first, zeros included' })
  points!: TaskSeriesPointDto[];
}

export class StatsOverviewDto {
  @ApiProperty({ type: StatsRangeDto })
  range!: StatsRangeDto;

  @ApiProperty({ type: TaskStatsFiltersDto })
  filters!: TaskStatsFiltersDto;

  @ApiProperty({ type: TaskTotalsDto })
  totals!: TaskTotalsDto;

  @ApiProperty({ type: [StatusFigureDto] })
  by_status!: StatusFigureDto[];

  @ApiProperty({ type: [EndedByFigureDto], description: 'How the finished tasks ended, most first' })
  ended_by!: EndedByFigureDto[];

  @ApiProperty({ type: TaskSeriesDto })
  series!: TaskSeriesDto;
}

export class CompletionSecondsDto {
  @ApiProperty({ description: 'Succeeded tasks measured' })
  count!: number;

  @ApiProperty({ nullable: true, type: Number, description: 'Median, nearest rank, seconds' })
  p50!: number | null;

  @ApiProperty({ nullable: true, type: Number, description: '95th percentile, nearest rank, seconds' })
  p95!: number | null;

  @ApiProperty({ nullable: true, type: Number, description: 'Mean, seconds (one decimal)' })
  average!: number | null;
}

export class ModelFigureDto {
  @ApiProperty({ example: 'kling' })
  provider!: string;

  @ApiProperty({ example: 'kling-v1-6-std' })
  model!: string;

  @ApiProperty()
  total!: number;

  @ApiProperty()
  succeeded!: number;

  @ApiProperty()
  failed!: number;

  @ApiProperty({ nullable: true, type: Number })
  success_rate!: number | null;

  @ApiProperty()
  credits_charged!: number;

  @ApiProperty({ type: CompletionSecondsDto, description: 'From creation to success' })
  completion_seconds!: CompletionSecondsDto;
}

export class ModelStatsDto {
  @ApiProperty({ type: StatsRangeDto })
  range!: StatsRangeDto;

  @ApiProperty({ type: TaskStatsFiltersDto })
  filters!: TaskStatsFiltersDto;

  @ApiProperty({ type: [ModelFigureDto], description: 'Most tasks first' })
  items!: ModelFigureDto[];
}

export class UserFigureDto {
  @ApiProperty()
  user_id!: number;

  @ApiProperty({ nullable: true, type: String, description: 'null when the user no longer exists' })
  email!: string | null;

  @ApiProperty()
  total!: number;

  @ApiProperty()
  succeeded!: number;

  @ApiProperty()
  failed!: number;

  @ApiProperty({ nullable: true, type: Number })
  success_rate!: number | null;

  @ApiProperty({ description: 'Credits charged for the succeeded tasks' })
  credits_charged!: number;
}

export const UserStatsPageDto = PageResponseDto(UserFigureDto, 'UserStatsPage');

export class ChannelEventDto {
  @ApiProperty({ description: 'Unix seconds' })
  at!: number;

  @ApiProperty({ enum: ['auto_disabled', 'auto_reenabled'] })
  event!: 'auto_disabled' | 'auto_reenabled';

  @ApiProperty({ nullable: true, type: String, example: 'Kling 1101: Account in arrears' })
  reason!: string | null;
}

export class ChannelFigureDto {
  @ApiProperty()
  channel_id!: number;

  @ApiProperty({ nullable: true, type: String, description: 'null when the channel was deleted' })
  name!: string | null;

  @ApiProperty({ nullable: true, type: String, enum: CHANNEL_TYPES })
  type!: ChannelType | null;

  @ApiProperty({ nullable: true, type: String, enum: ['enabled', 'disabled', 'auto_disabled'] })
  status!: string | null;

  @ApiProperty({ nullable: true, type: Boolean })
  auto_reenable!: boolean | null;

  @ApiProperty()
  total!: number;

  @ApiProperty()
  succeeded!: number;

  @ApiProperty()
  failed!: number;

  @ApiProperty({ nullable: true, type: Number, description: 'failed / (succeeded + failed); null when none finished' })
  error_rate!: number | null;

  @ApiProperty({ type: [ChannelEventDto], description: 'Auto-disables and re-enables in the range, oldest first' })
  history!: ChannelEventDto[];
}

export class ChannelStatsDto {
  @ApiProperty({ type: StatsRangeDto })
  range!: StatsRangeDto;

  @ApiProperty({ type: TaskStatsFiltersDto })
  filters!: TaskStatsFiltersDto;

  @ApiProperty({
    type: [ChannelFigureDto],
    description: 'Channels with tasks or auto-disable events in the range, by id',
  })
  items!: ChannelFigureDto[];
}

export class PackageRevenueDto {
  @ApiProperty()
  package_id!: number;

  @ApiProperty({ nullable: true, type: String })
  code!: string | null;

  @ApiProperty({ nullable: true, type: String })
  name!: string | null;

  @ApiProperty()
  orders!: number;

  @ApiProperty({ description: 'CNY fen' })
  amount_fen!: number;

  @ApiProperty()
  credits!: number;
}

export class RevenuePointDto {
  @ApiProperty({ description: 'Bucket start, unix seconds' })
  start!: number;

  @ApiProperty()
  orders!: number;

  @ApiProperty()
  amount_fen!: number;
}

export class RevenueSeriesDto {
  @ApiProperty({ enum: BUCKETS })
  bucket!: Bucket;

  @ApiProperty({ example: 86400 })
  size_seconds!: number;

  @ApiProperty({ type: [RevenuePointDto] })
  points!: RevenuePointDto[];
}

export class RevenueStatsDto {
  @ApiProperty({ type: StatsRangeDto, description: 'Orders paid in this range' })
  range!: StatsRangeDto;

  @ApiProperty()
  paid_orders!: number;

  @ApiProperty({ description: 'CNY fen' })
  amount_fen!: number;

  @ApiProperty({ example: '1280.00' })
  amount_yuan!: string;

  @ApiProperty({ description: 'Credits the paid orders granted' })
  credits!: number;

  @ApiProperty({ type: [PackageRevenueDto], description: 'Most revenue first' })
  by_package!: PackageRevenueDto[];

  @ApiProperty({ type: RevenueSeriesDto })
  series!: RevenueSeriesDto;
}
