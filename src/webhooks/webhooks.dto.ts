import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUrl,
  Matches,
  MaxLength,
  Min,
} from 'class-validator';
import { PageQueryDto, PageResponseDto } from '../common/pagination/page.dto';
import { DeliveryView } from './webhook-delivery.repository';
import { DELIVERY_KINDS, DELIVERY_STATUSES, WEBHOOK_EVENT_TYPES } from './webhook.entity';

const URL_RULE = { require_protocol: true, require_tld: false, protocols: ['http', 'https'] };

export class CreateWebhookDto {
  @ApiProperty({ example: 'https://example.com/hooks/reelay', maxLength: 2048 })
  @IsUrl(URL_RULE)
  @MaxLength(2048)
  url!: string;

  @ApiPropertyOptional({ enum: WEBHOOK_EVENT_TYPES, isArray: true, description: 'Default: all of them' })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayUnique()
  @IsIn(WEBHOOK_EVENT_TYPES, { each: true })
  events?: string[];

  @ApiPropertyOptional({ default: true })
  @IsOptional()
  @IsBoolean()
  enabled?: boolean;

  @ApiPropertyOptional({ maxLength: 255 })
  @IsOptional()
  @IsString()
  @MaxLength(255)
  description?: string;
}

export class UpdateWebhookDto {
  @ApiPropertyOptional({ maxLength: 2048 })
  @IsOptional()
  @IsUrl(URL_RULE)
  @MaxLength(2048)
  url?: string;

  @ApiPropertyOptional({ enum: WEBHOOK_EVENT_TYPES, isArray: true })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayUnique()
  @IsIn(WEBHOOK_EVENT_TYPES, { each: true })
  events?: string[];

  @ApiPropertyOptional({ description: 'Enabling a disabled endpoint clears its disabled_reason' })
  @IsOptional()
  @IsBoolean()
  enabled?: boolean;

  @ApiPropertyOptional({ maxLength: 255, nullable: true, type: String })
  @IsOptional()
  @IsString()
  @MaxLength(255)
  description?: string;
}

export class WebhookEndpointDto {
  @ApiProperty({ example: 'we_3kTq…' })
  id!: string;

  @ApiProperty()
  url!: string;

  @ApiProperty({ enum: WEBHOOK_EVENT_TYPES, isArray: true })
  events!: string[];

  @ApiProperty()
  enabled!: boolean;

  @ApiProperty({ nullable: true, type: String })
  description!: string | null;

  @ApiProperty({ nullable: true, type: String, description: 'Why Reelay disabled it' })
  disabled_reason!: string | null;

  @ApiProperty()
  created_at!: number;

  @ApiProperty()
  updated_at!: number;
}

export class CreatedWebhookDto extends WebhookEndpointDto {
  @ApiProperty({ example: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', description: 'Shown only here (and on rotation)' })
  secret!: string;
}

export class WebhookSecretDto {
  @ApiProperty({ example: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw' })
  secret!: string;
}

export class WebhookDeliveryDto {
  @ApiProperty({ example: 'dlv_8Hq2…' })
  id!: string;

  @ApiProperty({ example: 'evt_Zr81…', description: 'The webhook-id header; the same for every attempt' })
  event_id!: string;

  @ApiProperty({ example: 'video.completed' })
  event_type!: string;

  @ApiProperty({ enum: DELIVERY_STATUSES })
  status!: string;

  @ApiProperty()
  attempts!: number;

  @ApiProperty({ nullable: true, type: Number, description: 'HTTP status of the last attempt' })
  last_status!: number | null;

  @ApiProperty({ nullable: true, type: String })
  last_error!: string | null;

  @ApiProperty({ nullable: true, type: Number, description: 'When the next attempt is due (unix seconds)' })
  next_attempt_at!: number | null;

  @ApiProperty({ nullable: true, type: Number })
  delivered_at!: number | null;

  @ApiProperty()
  created_at!: number;
}

// Admins: every user's deliveries, by user, endpoint, status and event type.
export class AdminDeliveryQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ minimum: 1 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  user_id?: number;

  @ApiPropertyOptional({ example: 'we_3kTq…', description: "An endpoint's id, or `callback` for tasks' callback URLs" })
  @IsOptional()
  @IsString()
  @Matches(/^(we_[A-Za-z0-9]{1,37}|callback)$/, { message: 'endpoint_id must be an endpoint id (we_…) or callback' })
  endpoint_id?: string;

  @ApiPropertyOptional({ enum: DELIVERY_STATUSES })
  @IsOptional()
  @IsIn(DELIVERY_STATUSES)
  status?: string;

  @ApiPropertyOptional({ enum: DELIVERY_KINDS })
  @IsOptional()
  @IsIn(DELIVERY_KINDS)
  event_type?: string;
}

export class AdminWebhookDeliveryDto extends WebhookDeliveryDto {
  @ApiProperty()
  user_id!: number;

  @ApiProperty({ example: 'we_3kTq…', description: "The endpoint's id, or `callback` for a task's callback URL" })
  endpoint_id!: string;

  @ApiProperty({ nullable: true, type: String, description: 'Where it goes (null once the endpoint is deleted)' })
  url!: string | null;
}

export const WebhookEndpointPageDto = PageResponseDto(WebhookEndpointDto, 'WebhookEndpointPage');
export const WebhookDeliveryPageDto = PageResponseDto(WebhookDeliveryDto, 'WebhookDeliveryPage');
export const AdminWebhookDeliveryPageDto = PageResponseDto(AdminWebhookDeliveryDto, 'AdminWebhookDeliveryPage');

const sec = (ms: number | null) => (ms === null ? null : Math.floor(ms / 1000));

export function toDeliveryDto(d: DeliveryView): WebhookDeliveryDto {
  return {
    id: d.publicId,
    event_id: d.eventPublicId,
    event_type: d.eventType,
    status: d.status,
    attempts: d.attempts,
    last_status: d.lastStatus,
    last_error: d.lastError,
    next_attempt_at: d.status === 'pending' ? sec(d.nextAttemptAtMs) : null,
    delivered_at: sec(d.deliveredAtMs),
    created_at: Math.floor(d.createdAtMs / 1000),
  };
}

export function toAdminDeliveryDto(d: DeliveryView): AdminWebhookDeliveryDto {
  return { ...toDeliveryDto(d), user_id: d.userId, endpoint_id: d.target, url: d.url ?? d.endpointUrl ?? null };
}
