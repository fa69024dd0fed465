import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { StoredCopyDto } from '../../media/stored-copy.dto';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsNumber,
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

// Kling takes durations as strings; callers may send 5 or "5".
const durationString = ({ value }: { value: unknown }) => (typeof value === 'number' ? String(value) : value);
const NOT_DATA_URL = /^(?!data:)/;
const IMAGE_MESSAGE = 'must be an image URL or raw base64 (without a data: prefix)';
const MAX_IMAGE = 15_000_000; // 10 MB of image as base64

export const RELAY_KINDS = ['text2video', 'image2video', 'multi-image2video', 'omni-video'] as const;
export type RelayKind = (typeof RELAY_KINDS)[number];

abstract class KlingRequestBase {
  @ApiProperty({ example: 'kling-v1-6-std', description: 'Reelay model; `-std`/`-pro` suffix selects the mode' })
  @IsString()
  @Matches(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$/, { message: 'must be a model id' })
  model!: string;

  @ApiPropertyOptional({ maxLength: 2500 })
  @Optional()
  @IsString()
  @MaxLength(2500)
  negative_prompt?: string;

  @ApiPropertyOptional({ minimum: 0, maximum: 1 })
  @Optional()
  @IsNumber()
  @Min(0)
  @Max(1)
  cfg_scale?: number;

  @ApiPropertyOptional({ enum: ['std', 'pro'], description: 'Ignored when the model name carries the mode' })
  @Optional()
  @IsIn(['std', 'pro'])
  mode?: 'std' | 'pro';

  @ApiPropertyOptional({
    example: 5,
    description: 'Seconds (number or string): 5 or 10 for most models, 3–15 for kling-v3 (GET /api/models)',
  })
  @Optional()
  @Transform(durationString)
  @Matches(/^(?:[1-9]|1[0-5])$/, { message: 'must be whole seconds from 1 to 15' })
  duration?: string;

  @ApiPropertyOptional({ type: Object, example: { enabled: true } })
  @Optional()
  @IsObject()
  watermark_info?: Record<string, unknown>;

  @ApiPropertyOptional({
    example: 'https://client.example.com/kling-callback',
    description: "Called with Kling's callback body when the task ends, signed with Standard Webhooks headers",
  })
  @Optional()
  @IsUrl({ require_protocol: true, protocols: ['http', 'https'], require_tld: false })
  @MaxLength(2048)
  callback_url?: string;

  @ApiPropertyOptional({ example: 'order-42', description: 'Your own id, unique among your tasks (echoed back)' })
  @Optional()
  @IsString()
  @Matches(/^[\x21-\x7e]{1,128}$/, { message: 'must be 1-128 printable characters' })
  external_task_id?: string;
}

export class Text2VideoDto extends KlingRequestBase {
  @ApiProperty({ maxLength: 2500, example: 'A cat playing on the grass' })
  @IsString()
  @MinLength(1)
  @MaxLength(2500)
  prompt!: string;

  @ApiPropertyOptional({ enum: ['16:9', '9:16', '1:1'], default: '16:9' })
  @Optional()
  @IsIn(['16:9', '9:16', '1:1'])
  aspect_ratio?: string;

  @ApiPropertyOptional({ enum: ['on', 'off'] })
  @Optional()
  @IsIn(['on', 'off'])
  sound?: string;

  @ApiPropertyOptional({ type: Object, description: 'Kling camera_control, passed through' })
  @Optional()
  @IsObject()
  camera_control?: Record<string, unknown>;
}

export class Image2VideoDto extends KlingRequestBase {
  @ApiProperty({ description: IMAGE_MESSAGE })
  @IsString()
  @MinLength(1)
  @MaxLength(MAX_IMAGE)
  @Matches(NOT_DATA_URL, { message: IMAGE_MESSAGE })
  image!: string;

  @ApiPropertyOptional({ description: `End frame; ${IMAGE_MESSAGE}` })
  @Optional()
  @IsString()
  @MaxLength(MAX_IMAGE)
  @Matches(NOT_DATA_URL, { message: IMAGE_MESSAGE })
  image_tail?: string;

  @ApiPropertyOptional({ maxLength: 2500 })
  @Optional()
  @IsString()
  @MaxLength(2500)
  prompt?: string;

  @ApiPropertyOptional({
    enum: ['16:9', '9:16', '1:1'],
    description: "Pricing only: the video follows the input image's shape, so it is not sent to Kling",
  })
  @Optional()
  @IsIn(['16:9', '9:16', '1:1'])
  aspect_ratio?: string;

  @ApiPropertyOptional({ description: 'Motion brush static mask (image)' })
  @Optional()
  @IsString()
  @MaxLength(MAX_IMAGE)
  static_mask?: string;

  @ApiPropertyOptional({ type: [Object] })
  @Optional()
  @IsArray()
  @ArrayMaxSize(6)
  dynamic_masks?: Array<Record<string, unknown>>;

  @ApiPropertyOptional({ type: Object })
  @Optional()
  @IsObject()
  camera_control?: Record<string, unknown>;
}

export class ImageItemDto {
  @ApiProperty({ description: IMAGE_MESSAGE })
  @IsString()
  @MinLength(1)
  @MaxLength(MAX_IMAGE)
  @Matches(NOT_DATA_URL, { message: IMAGE_MESSAGE })
  image!: string;
}

export class MultiImage2VideoDto extends KlingRequestBase {
  @ApiProperty({ maxLength: 2500 })
  @IsString()
  @MinLength(1)
  @MaxLength(2500)
  prompt!: string;

  @ApiProperty({ type: [ImageItemDto], minItems: 1, maxItems: 4 })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(4)
  @ValidateNested({ each: true })
  @Type(() => ImageItemDto)
  image_list!: ImageItemDto[];

  @ApiPropertyOptional({ enum: ['16:9', '9:16', '1:1'] })
  @Optional()
  @IsIn(['16:9', '9:16', '1:1'])
  aspect_ratio?: string;
}

export class OmniImageDto {
  @ApiProperty()
  @IsString()
  @MinLength(1)
  @MaxLength(MAX_IMAGE)
  @Matches(NOT_DATA_URL, { message: IMAGE_MESSAGE })
  image_url!: string;

  @ApiPropertyOptional({ enum: ['first_frame', 'end_frame'] })
  @Optional()
  @IsIn(['first_frame', 'end_frame'])
  type?: string;
}

export class OmniVideoDto extends KlingRequestBase {
  @ApiProperty({ maxLength: 2500, description: 'Reference inputs as <<<image_1>>>, <<<element_1>>>, <<<video_1>>>' })
  @IsString()
  @MinLength(1)
  @MaxLength(2500)
  prompt!: string;

  @ApiPropertyOptional({ enum: ['3', '4', '5', '6', '7', '8', '9', '10'] })
  @Optional()
  @Transform(durationString)
  @IsIn(['3', '4', '5', '6', '7', '8', '9', '10'], { message: 'must be 3 to 10' })
  declare duration?: string;

  @ApiPropertyOptional({ type: [OmniImageDto], maxItems: 7 })
  @Optional()
  @IsArray()
  @ArrayMaxSize(7)
  @ValidateNested({ each: true })
  @Type(() => OmniImageDto)
  image_list?: OmniImageDto[];

  @ApiPropertyOptional({ type: [Object] })
  @Optional()
  @IsArray()
  @ArrayMaxSize(7)
  element_list?: Array<Record<string, unknown>>;

  @ApiPropertyOptional({ type: [Object] })
  @Optional()
  @IsArray()
  @ArrayMaxSize(1)
  video_list?: Array<Record<string, unknown>>;

  @ApiPropertyOptional({ enum: ['16:9', '9:16', '1:1'] })
  @Optional()
  @IsIn(['16:9', '9:16', '1:1'])
  aspect_ratio?: string;
}

export type RelayRequest = Text2VideoDto | Image2VideoDto | MultiImage2VideoDto | OmniVideoDto;

export class SubmitResponseDto {
  @ApiProperty({ example: 'kling_4f9a0c2e8b7d4b1a9c3e5f60' })
  task_id!: string;

  @ApiProperty({ nullable: true, type: String, example: '867283741759111202' })
  kling_task_id!: string | null;

  @ApiProperty({ enum: ['submitted', 'unknown'], example: 'submitted' })
  status!: string;

  @ApiProperty({ example: 'Task submitted; query GET /kling/v1/videos/{task_id} for the result' })
  message!: string;
}

export class TaskResultDto extends StoredCopyDto {
  @ApiProperty()
  task_id!: string;

  @ApiProperty({ nullable: true, type: String })
  kling_task_id!: string | null;

  @ApiProperty({ enum: ['submitting', 'unknown', 'submitted', 'processing', 'succeed', 'failed'] })
  status!: string;

  @ApiProperty({ example: '', description: 'Set when status is succeed' })
  video_url!: string;

  @ApiProperty({ example: '', description: 'Seconds, as Kling reports it' })
  duration!: string;

  @ApiProperty({ example: '' })
  fail_reason!: string;
}
