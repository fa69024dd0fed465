import { ApiProperty, ApiPropertyOptional, IntersectionType, OmitType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, Matches, Max, Min } from 'class-validator';
import { Optional } from '../../common/validation/optional';
import {
  Image2VideoDto,
  MultiImage2VideoDto,
  OmniVideoDto,
  Text2VideoDto,
} from '../kling-compatible/kling-compatible.dto';

// What Kling's own protocol adds to the seed routes' fields: the model as Kling names it.
class KlingProtocolFields {
  @ApiPropertyOptional({ example: 'kling-v1-6', description: "Kling's model_name (with `mode` for the tier)" })
  @Optional()
  // Sora and Veo ids land here too: name the route that takes them.
  @Matches(/^kling-[a-z0-9-]{1,40}$/, {
    message: 'must be a Kling model_name, like kling-v1-6; other models (sora-2, veo3) use POST /v1/videos',
  })
  model_name?: string;
}

export class NativeText2VideoDto extends IntersectionType(
  OmitType(Text2VideoDto, ['model'] as const),
  KlingProtocolFields,
) {}
export class NativeImage2VideoDto extends IntersectionType(
  OmitType(Image2VideoDto, ['model'] as const),
  KlingProtocolFields,
) {}
export class NativeMultiImage2VideoDto extends IntersectionType(
  OmitType(MultiImage2VideoDto, ['model'] as const),
  KlingProtocolFields,
) {}
export class NativeOmniVideoDto extends IntersectionType(
  OmitType(OmniVideoDto, ['model'] as const),
  KlingProtocolFields,
) {}

export type NativeRequest = NativeText2VideoDto | NativeImage2VideoDto | NativeMultiImage2VideoDto | NativeOmniVideoDto;

export class KlingListQueryDto {
  @ApiPropertyOptional({ minimum: 1, maximum: 1000, default: 1 })
  @Optional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1000)
  pageNum?: number;

  @ApiPropertyOptional({ minimum: 1, maximum: 500, default: 30 })
  @Optional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  pageSize?: number;
}

class KlingTaskInfoDto {
  @ApiPropertyOptional()
  external_task_id?: string;
}

class KlingVideoDto {
  @ApiProperty()
  id!: string;

  @ApiProperty()
  url!: string;

  @ApiProperty({ example: '5' })
  duration!: string;

  @ApiPropertyOptional({ nullable: true, type: String, description: "Reelay's stored copy (a signed link)" })
  store_url?: string | null;
}

class KlingTaskResultDto {
  @ApiProperty({ type: [KlingVideoDto] })
  videos!: KlingVideoDto[];
}

export class KlingTaskDto {
  @ApiProperty({ example: 'kling_4f9a0c2e8b7d4b1a9c3e5f60' })
  task_id!: string;

  @ApiProperty({ enum: ['submitted', 'processing', 'succeed', 'failed'] })
  task_status!: string;

  @ApiPropertyOptional()
  task_status_msg?: string;

  @ApiProperty({ type: KlingTaskInfoDto })
  task_info!: KlingTaskInfoDto;

  @ApiPropertyOptional({ type: KlingTaskResultDto })
  task_result?: KlingTaskResultDto;

  @ApiProperty({ description: 'Unix milliseconds' })
  created_at!: number;

  @ApiProperty({ description: 'Unix milliseconds' })
  updated_at!: number;
}

export class KlingEnvelopeDto {
  @ApiProperty({ example: 0 })
  code!: number;

  @ApiProperty({ example: 'SUCCEED' })
  message!: string;

  @ApiProperty()
  request_id!: string;

  @ApiProperty({ type: KlingTaskDto })
  data!: KlingTaskDto;
}

export class KlingListEnvelopeDto {
  @ApiProperty({ example: 0 })
  code!: number;

  @ApiProperty({ example: 'SUCCEED' })
  message!: string;

  @ApiProperty()
  request_id!: string;

  @ApiProperty({ type: [KlingTaskDto] })
  data!: KlingTaskDto[];
}
