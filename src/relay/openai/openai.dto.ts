import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsIn,
  IsInt,
  IsObject,
  IsString,
  IsUrl,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { Optional } from '../../common/validation/optional';

export class OpenAiImageReferenceDto {
  @ApiPropertyOptional({ example: 'https://example.com/first-frame.png' })
  @Optional()
  @IsUrl({ require_protocol: true, protocols: ['http', 'https'], require_tld: false })
  @MaxLength(2048)
  image_url?: string;

  @ApiPropertyOptional({ description: 'Not supported: upload the file, or give image_url' })
  @Optional()
  @IsString()
  @MaxLength(128)
  file_id?: string;
}

// OpenAI's create body (JSON, or multipart/form-data as the SDKs send it: input_reference is then an
// uploaded image, or the field input_reference[image_url]).
export class OpenAiCreateVideoDto {
  @ApiProperty({ example: 'A calico cat playing a piano on stage', maxLength: 10000 })
  @IsString()
  @MinLength(1)
  @MaxLength(10000)
  prompt!: string;

  @ApiPropertyOptional({ example: 'sora-2', default: 'sora-2', description: 'Any model of GET /v1/models' })
  @Optional()
  @Matches(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$/, { message: 'must be a model id' })
  model?: string;

  @ApiPropertyOptional({
    example: '10',
    description: "Seconds as a string; the model's allowed values are in GET /api/models",
  })
  @Optional()
  @Matches(/^[1-9][0-9]?$/, { message: 'must be a whole number of seconds, as a string' })
  seconds?: string;

  @ApiPropertyOptional({
    example: '1280x720',
    description: 'WIDTHxHEIGHT; the sizes of each model are in GET /api/models',
  })
  @Optional()
  @Matches(/^[1-9][0-9]{2,3}x[1-9][0-9]{2,3}$/, { message: 'must be WIDTHxHEIGHT, like 1280x720' })
  size?: string;

  @ApiPropertyOptional({
    type: OpenAiImageReferenceDto,
    description: 'First frame: an image URL (or an uploaded file)',
  })
  @Optional()
  @IsObject()
  @ValidateNested()
  @Type(() => OpenAiImageReferenceDto)
  input_reference?: OpenAiImageReferenceDto;
}

export class ListVideosQueryDto {
  @ApiPropertyOptional({ minimum: 1, maximum: 100, default: 20 })
  @Optional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  limit?: number;

  @ApiPropertyOptional({ description: 'A video id: the page after it' })
  @Optional()
  @IsString()
  @MaxLength(64)
  after?: string;

  @ApiPropertyOptional({ enum: ['asc', 'desc'], default: 'desc' })
  @Optional()
  @IsIn(['asc', 'desc'])
  order?: 'asc' | 'desc';
}

export class ContentQueryDto {
  @ApiPropertyOptional({ enum: ['video', 'thumbnail', 'spritesheet'], default: 'video' })
  @Optional()
  @IsIn(['video', 'thumbnail', 'spritesheet'])
  variant?: 'video' | 'thumbnail' | 'spritesheet';
}

export class OpenAiVideoErrorDto {
  @ApiProperty({ example: 'content_policy_violation' })
  code!: string;

  @ApiProperty()
  message!: string;
}

export class OpenAiVideoDto {
  @ApiProperty({ example: 'video_4f9a0c2e8b7d4b1a9c3e5f60' })
  id!: string;

  @ApiProperty({ enum: ['video'] })
  object!: 'video';

  @ApiProperty({ example: 'sora-2' })
  model!: string;

  @ApiProperty({ enum: ['queued', 'in_progress', 'completed', 'failed'] })
  status!: 'queued' | 'in_progress' | 'completed' | 'failed';

  @ApiProperty({ minimum: 0, maximum: 100, description: 'Estimated from elapsed time when the provider gives none' })
  progress!: number;

  @ApiProperty({ example: 1764500000 })
  created_at!: number;

  @ApiProperty({ nullable: true, type: Number })
  completed_at!: number | null;

  @ApiProperty({ nullable: true, type: Number, description: 'When the stored file will be deleted' })
  expires_at!: number | null;

  @ApiProperty({ nullable: true, type: String })
  prompt!: string | null;

  @ApiProperty({ example: '10' })
  seconds!: string;

  @ApiProperty({ example: '1280x720' })
  size!: string;

  @ApiProperty({ nullable: true, type: String, example: null })
  remixed_from_video_id!: null;

  @ApiProperty({ nullable: true, type: OpenAiVideoErrorDto })
  error!: OpenAiVideoErrorDto | null;
}

export class OpenAiVideoListDto {
  @ApiProperty({ enum: ['list'] })
  object!: 'list';

  @ApiProperty({ type: [OpenAiVideoDto] })
  data!: OpenAiVideoDto[];

  @ApiProperty({ nullable: true, type: String })
  first_id!: string | null;

  @ApiProperty({ nullable: true, type: String })
  last_id!: string | null;

  @ApiProperty()
  has_more!: boolean;
}

export class OpenAiVideoDeletedDto {
  @ApiProperty()
  id!: string;

  @ApiProperty({ enum: ['video.deleted'] })
  object!: 'video.deleted';

  @ApiProperty()
  deleted!: boolean;
}

export class OpenAiModelDto {
  @ApiProperty({ example: 'sora-2' })
  id!: string;

  @ApiProperty({ enum: ['model'] })
  object!: 'model';

  @ApiProperty()
  created!: number;

  @ApiProperty({ example: 'kie' })
  owned_by!: string;
}

export class OpenAiModelListDto {
  @ApiProperty({ enum: ['list'] })
  object!: 'list';

  @ApiProperty({ type: [OpenAiModelDto] })
  data!: OpenAiModelDto[];
}

export class OpenAiErrorDto {
  @ApiProperty({
    example: {
      message: 'seconds: sora-2 makes 10, 15 second videos',
      type: 'invalid_request_error',
      param: 'seconds',
      code: 'validation_failed',
    },
  })
  error!: { message: string; type: string; param: string | null; code: string | null };
}
