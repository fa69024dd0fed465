import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsInt,
  IsNumber,
  Max,
  Min,
  ValidateNested,
  ValidationArguments,
  ValidatorConstraint,
  ValidatorConstraintInterface,
  Validate,
} from 'class-validator';
import { Optional } from '../common/validation/optional';

const HOUR_MS = 3_600_000;

class PlanLimitsDto {
  @ApiPropertyOptional({ minimum: 1, maximum: 1000, description: 'Videos of one user running at once' })
  @Optional()
  @IsInt()
  @Min(1)
  @Max(1000)
  concurrency?: number;

  @ApiPropertyOptional({ minimum: 1, maximum: 10000, description: 'Rows one batch may have' })
  @Optional()
  @IsInt()
  @Min(1)
  @Max(10_000)
  max_batch_rows?: number;
}

class PlansDto {
  @ApiPropertyOptional({ type: PlanLimitsDto })
  @Optional()
  @ValidateNested()
  @Type(() => PlanLimitsDto)
  free?: PlanLimitsDto;

  @ApiPropertyOptional({ type: PlanLimitsDto })
  @Optional()
  @ValidateNested()
  @Type(() => PlanLimitsDto)
  pro?: PlanLimitsDto;

  @ApiPropertyOptional({ type: PlanLimitsDto })
  @Optional()
  @ValidateNested()
  @Type(() => PlanLimitsDto)
  pro_plus?: PlanLimitsDto;

  @ApiPropertyOptional({ type: PlanLimitsDto })
  @Optional()
  @ValidateNested()
  @Type(() => PlanLimitsDto)
  enterprise?: PlanLimitsDto;
}

class ModelCapsDto {
  @ApiPropertyOptional({ example: 12 })
  @Optional()
  @IsInt()
  @Min(1)
  @Max(1000)
  'sora-2'?: number;

  @ApiPropertyOptional({ example: 10 })
  @Optional()
  @IsInt()
  @Min(1)
  @Max(1000)
  'sora-2-pro'?: number;
}

class ResolutionWeightsDto {
  @ApiPropertyOptional({ example: 1 })
  @Optional()
  @IsNumber({ maxDecimalPlaces: 3 })
  @Min(0.01)
  @Max(10)
  '720p'?: number;

  @ApiPropertyOptional({ example: 0.65 })
  @Optional()
  @IsNumber({ maxDecimalPlaces: 3 })
  @Min(0.01)
  @Max(10)
  '1080p'?: number;
}

class DurationWeightsDto {
  @ApiPropertyOptional({ example: 1.3 })
  @Optional()
  @IsNumber({ maxDecimalPlaces: 3 })
  @Min(0.01)
  @Max(10)
  '10'?: number;

  @ApiPropertyOptional({ example: 1 })
  @Optional()
  @IsNumber({ maxDecimalPlaces: 3 })
  @Min(0.01)
  @Max(10)
  '15'?: number;
}

// [[elapsed ms, interval ms], …]: checked here for shape, by the service for order.
@ValidatorConstraint({ name: 'pollSteps' })
class PollStepsConstraint implements ValidatorConstraintInterface {
  validate(v: unknown): boolean {
    return (
      Array.isArray(v) &&
      v.length >= 1 &&
      v.length <= 10 &&
      v.every(
        (s) => Array.isArray(s) && s.length === 2 && s.every((n) => Number.isInteger(n) && n >= 0 && n <= 24 * HOUR_MS),
      )
    );
  }

  defaultMessage(args: ValidationArguments): string {
    return `${args.property} must be 1 to 10 steps of [elapsed ms, interval ms] (whole ms)`;
  }
}

const POLL_EXAMPLE = [
  [0, 3000],
  [60000, 5000],
  [180000, 8000],
];

class PollingDto {
  @ApiPropertyOptional({ example: POLL_EXAMPLE, type: 'array', items: { type: 'array', items: { type: 'integer' } } })
  @Optional()
  @Validate(PollStepsConstraint)
  '720p'?: Array<[number, number]>;

  @ApiPropertyOptional({ type: 'array', items: { type: 'array', items: { type: 'integer' } } })
  @Optional()
  @Validate(PollStepsConstraint)
  '1080p'?: Array<[number, number]>;
}

class TimeoutsDto {
  @ApiPropertyOptional({ example: 300000 })
  @Optional()
  @IsInt()
  @Min(1000)
  @Max(24 * HOUR_MS)
  '720p'?: number;

  @ApiPropertyOptional({ example: 900000 })
  @Optional()
  @IsInt()
  @Min(1000)
  @Max(24 * HOUR_MS)
  '1080p'?: number;
}

class DegradationDto {
  @ApiPropertyOptional({ example: 10, description: 'Recent outcomes looked at' })
  @Optional()
  @IsInt()
  @Min(1)
  @Max(100)
  window?: number;

  @ApiPropertyOptional({ example: 0.3, description: 'Cut when more than this share failed' })
  @Optional()
  @IsNumber({ maxDecimalPlaces: 3 })
  @Min(0)
  @Max(1)
  fail_rate_above?: number;

  @ApiPropertyOptional({ example: 60 })
  @Optional()
  @IsInt()
  @Min(1)
  @Max(100)
  cut_to_pct?: number;

  @ApiPropertyOptional({ example: 20 })
  @Optional()
  @IsInt()
  @Min(1)
  @Max(100)
  recover_step_pct?: number;

  @ApiPropertyOptional({ example: 3 })
  @Optional()
  @IsInt()
  @Min(1)
  @Max(100)
  recover_after_successes?: number;
}

// PUT /api/admin/batch/config: the whole override document; what is left out is the default.
export class BatchConfigDto {
  @ApiPropertyOptional({ description: 'Refuse the write (409) unless the stored version is still this' })
  @Optional()
  @IsInt()
  @Min(0)
  expected_version?: number;

  @ApiPropertyOptional({ type: PlansDto })
  @Optional()
  @ValidateNested()
  @Type(() => PlansDto)
  plans?: PlansDto;

  @ApiPropertyOptional({ type: ModelCapsDto })
  @Optional()
  @ValidateNested()
  @Type(() => ModelCapsDto)
  model_caps?: ModelCapsDto;

  @ApiPropertyOptional({ type: ResolutionWeightsDto })
  @Optional()
  @ValidateNested()
  @Type(() => ResolutionWeightsDto)
  resolution_weights?: ResolutionWeightsDto;

  @ApiPropertyOptional({ type: DurationWeightsDto })
  @Optional()
  @ValidateNested()
  @Type(() => DurationWeightsDto)
  duration_weights?: DurationWeightsDto;

  @ApiPropertyOptional({ type: PollingDto })
  @Optional()
  @ValidateNested()
  @Type(() => PollingDto)
  polling?: PollingDto;

  @ApiPropertyOptional({ type: TimeoutsDto })
  @Optional()
  @ValidateNested()
  @Type(() => TimeoutsDto)
  timeouts_ms?: TimeoutsDto;

  @ApiPropertyOptional({ example: [2000, 4000, 8000], description: 'One wait per retry; [] turns retries off' })
  @Optional()
  @IsArray()
  @ArrayMaxSize(10)
  @IsInt({ each: true })
  @Min(0, { each: true })
  @Max(HOUR_MS, { each: true })
  retry_backoff_ms?: number[];

  @ApiPropertyOptional({ type: DegradationDto })
  @Optional()
  @ValidateNested()
  @Type(() => DegradationDto)
  degradation?: DegradationDto;
}

export class BatchConfigViewDto {
  @ApiProperty({ description: '0 until an admin first saves overrides' })
  version!: number;

  @ApiProperty({ nullable: true, type: Number })
  updated_at!: number | null;

  @ApiProperty({ description: 'BATCH_TIME_SCALE: times below are multiplied by it when used' })
  time_scale!: number;

  @ApiProperty({ type: BatchConfigDto, description: 'What the admin set' })
  overrides!: BatchConfigDto;

  @ApiProperty({ type: BatchConfigDto, description: 'The values in force: defaults with the overrides over them' })
  effective!: BatchConfigDto;
}
