import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  IsUrl,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
} from 'class-validator';
import { PageResponseDto } from '../common/pagination/page.dto';
import { CHANNEL_STATUSES, CHANNEL_TYPES, ChannelStatus, ChannelType } from './channel.entity';

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
  @IsOptional()
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
  @IsOptional()
  @IsObject()
  model_mapping?: Record<string, string>;

  @ApiPropertyOptional({ description: "KIE: the account's webhook HMAC key, to verify callback signatures" })
  @IsOptional()
  @IsString()
  @MinLength(8)
  @MaxLength(256)
  webhook_key?: string;

  @ApiPropertyOptional({ example: 10, description: 'Higher is tried first (default 0)' })
  @IsOptional()
  @IsInt()
  @Min(-1000)
  @Max(1000)
  priority?: number;

  @ApiPropertyOptional({ example: 1, description: 'Share of traffic among channels of the same priority (default 1)' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(1000)
  weight?: number;

  @ApiPropertyOptional({ enum: ['enabled', 'disabled'] })
  @IsOptional()
  @IsIn(['enabled', 'disabled'])
  status?: 'enabled' | 'disabled';
}

export class UpdateChannelDto {
  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  name?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsUrl({ require_tld: false, require_protocol: true, protocols: ['http', 'https'] })
  @MaxLength(255)
  base_url?: string;

  @ApiPropertyOptional({ description: 'A new key (replaces the stored one)' })
  @IsOptional()
  @IsString()
  @MinLength(3)
  @MaxLength(512)
  key?: string;

  @ApiPropertyOptional({ type: [String] })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(200)
  @Matches(MODEL_ID, { each: true, message: 'each model must be a model id' })
  models?: string[];

  @ApiPropertyOptional()
  @IsOptional()
  @IsObject()
  model_mapping?: Record<string, string>;

  @ApiPropertyOptional({ description: "KIE: the account's webhook HMAC key, to verify callback signatures" })
  @IsOptional()
  @IsString()
  @MinLength(8)
  @MaxLength(256)
  webhook_key?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsInt()
  @Min(-1000)
  @Max(1000)
  priority?: number;

  @ApiPropertyOptional()
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(1000)
  weight?: number;

  @ApiPropertyOptional({ enum: ['enabled', 'disabled'], description: 'enabled also clears an auto-disable' })
  @IsOptional()
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

  @ApiProperty({ type: Object, description: 'What the upstream reported (admins only)' })
  details!: Record<string, unknown>;
}
