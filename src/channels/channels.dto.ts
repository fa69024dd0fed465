import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
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
} from 'class-validator';
import { PageResponseDto } from '../common/pagination/page.dto';
import { CHANNEL_STATUSES, ChannelStatus } from './channel.entity';
import { CHANNEL_TYPES, ChannelType } from '../providers/channel-types';
import { Optional } from '../common/validation/optional';

export const KLING_BASE_URLS = [
  'https://api-singapore.klingai.com',
  'https://api-beijing.klingai.com',
  'https://api.klingai.com',
];

// The legacy one-api channel code 41 means Kling.
const channelType = ({ value }: { value: unknown }) => (value === 41 || value === '41' ? 'kling' : value);

const MODEL_ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$/;

export class CreateChannelDto {
  @ApiProperty({ example: 'Kling Singapore #1' })
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  name!: string;

  @ApiProperty({ enum: CHANNEL_TYPES, description: 'Upstream kind; the legacy code 41 is accepted as kling' })
  @Transform(channelType)
  @IsIn(CHANNEL_TYPES)
  type!: ChannelType;

  @ApiPropertyOptional({ example: KLING_BASE_URLS[0], description: `Default ${KLING_BASE_URLS[0]}` })
  @Optional()
  @IsUrl({ require_tld: false, require_protocol: true, protocols: ['http', 'https'] })
  @MaxLength(255)
  base_url?: string;

  @ApiProperty({ example: 'AKxxxxxxxx|SKxxxxxxxx', description: 'Kling: AK|SK. Stored encrypted, never shown again' })
  @IsString()
  @MinLength(3)
  @MaxLength(512)
  key!: string;

  @ApiProperty({ example: ['kling-v1-6-std', 'kling-v1-6-pro'] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(200)
  @Matches(MODEL_ID, { each: true, message: 'each model must be a model id' })
  models!: string[];

  @ApiPropertyOptional({
    example: { 'kling-v1-6-std': 'kling-v1-6-std' },
    description: 'Reelay model → upstream model',
  })
  @Optional()
  @IsObject()
  model_mapping?: Record<string, string>;

  @ApiPropertyOptional({ description: "KIE: the account's webhook HMAC key, to verify callback signatures" })
  @Optional()
  @IsString()
  @MinLength(8)
  @MaxLength(256)
  webhook_key?: string;

  @ApiPropertyOptional({ example: 10, description: 'Higher is tried first (default 0)' })
  @Optional()
  @IsInt()
  @Min(-1000)
  @Max(1000)
  priority?: number;

  @ApiPropertyOptional({ example: 1, description: 'Share of traffic among channels of the same priority (default 1)' })
  @Optional()
  @IsInt()
  @Min(1)
  @Max(1000)
  weight?: number;

  @ApiPropertyOptional({
    default: true,
    description:
      'After an auto-disable (the upstream refused the key or account), check the key again every ' +
      'CHANNEL_RECHECK_INTERVAL_SECONDS and re-enable the channel when it passes',
  })
  @Optional()
  @IsBoolean()
  auto_reenable?: boolean;

  @ApiPropertyOptional({ enum: ['enabled', 'disabled'] })
  @Optional()
  @IsIn(['enabled', 'disabled'])
  status?: 'enabled' | 'disabled';
}

export class UpdateChannelDto {
  @ApiPropertyOptional()
  @Optional()
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  name?: string;

  @ApiPropertyOptional()
  @Optional()
  @IsUrl({ require_tld: false, require_protocol: true, protocols: ['http', 'https'] })
  @MaxLength(255)
  base_url?: string;

  @ApiPropertyOptional({ description: 'A new key (replaces the stored one)' })
  @Optional()
  @IsString()
  @MinLength(3)
  @MaxLength(512)
  key?: string;

  @ApiPropertyOptional({ type: [String] })
  @Optional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(200)
  @Matches(MODEL_ID, { each: true, message: 'each model must be a model id' })
  models?: string[];

  @ApiPropertyOptional()
  @Optional()
  @IsObject()
  model_mapping?: Record<string, string>;

  @ApiPropertyOptional({ description: "KIE: the account's webhook HMAC key, to verify callback signatures" })
  @Optional()
  @IsString()
  @MinLength(8)
  @MaxLength(256)
  webhook_key?: string;

  @ApiPropertyOptional()
  @Optional()
  @IsInt()
  @Min(-1000)
  @Max(1000)
  priority?: number;

  @ApiPropertyOptional()
  @Optional()
  @IsInt()
  @Min(1)
  @Max(1000)
  weight?: number;

  @ApiPropertyOptional({
    description:
      'After an auto-disable (the upstream refused the key or account), check the key again every ' +
      'CHANNEL_RECHECK_INTERVAL_SECONDS and re-enable the channel when it passes',
  })
  @Optional()
  @IsBoolean()
  auto_reenable?: boolean;

  @ApiPropertyOptional({ enum: ['enabled', 'disabled'], description: 'enabled also clears an auto-disable' })
  @Optional()
  @IsIn(['enabled', 'disabled'])
  status?: 'enabled' | 'disabled';
}

export class ChannelDto {
  @ApiProperty({ example: 3 })
  id!: number;

  @ApiProperty()
  name!: string;

  @ApiProperty({ enum: CHANNEL_TYPES })
  type!: ChannelType;

  @ApiProperty()
  base_url!: string;

  @ApiProperty({ example: 'AKxx…|****', description: 'Masked; the key itself is never returned' })
  key_masked!: string;

  @ApiProperty({ type: [String] })
  models!: string[];

  @ApiProperty({ type: Object, example: {} })
  model_mapping!: Record<string, string>;

  @ApiProperty()
  priority!: number;

  @ApiProperty()
  weight!: number;

  @ApiProperty({ enum: CHANNEL_STATUSES })
  status!: ChannelStatus;

  @ApiProperty({ nullable: true, type: String, example: 'Kling 1101: account in arrears' })
  disabled_reason!: string | null;

  @ApiProperty({ description: 'Whether a webhook signing key is set (never shown)' })
  webhook_key_set!: boolean;

  @ApiProperty({ description: 'Whether the re-check job may re-enable the channel after an auto-disable' })
  auto_reenable!: boolean;

  @ApiProperty()
  created_at!: number;

  @ApiProperty()
  updated_at!: number;
}

export const ChannelPageDto = PageResponseDto(ChannelDto, 'ChannelPage');

export class ChannelTestDto {
  @ApiProperty()
  ok!: boolean;

  @ApiProperty()
  message!: string;

  @ApiProperty({
    type: Object,
    description: 'category and code of a refusal; never the body the target answered',
  })
  details!: Record<string, unknown>;
}
