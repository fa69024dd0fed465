import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { PageQueryDto, PageResponseDto } from '../common/pagination/page.dto';
import { MAX_ID, MAX_UNIX_SECONDS } from '../common/validation/bounds';
import { ACTOR_TYPES, ActorType } from './audit-entry.entity';

export class AuditQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: ACTOR_TYPES })
  @IsOptional()
  @IsIn(ACTOR_TYPES)
  actor_type?: ActorType;

  @ApiPropertyOptional({ description: "The acting user's id" })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_ID)
  actor_id?: number;

  @ApiPropertyOptional({ example: 'channel.update', description: 'Exact action' })
  @IsOptional()
  @IsString()
  @Matches(/^[a-z_]+\.[a-z_]+$/, { message: 'must be an action such as channel.update' })
  @MaxLength(64)
  action?: string;

  @ApiPropertyOptional({ example: 'channel' })
  @IsOptional()
  @IsString()
  @MaxLength(32)
  target_type?: string;

  @ApiPropertyOptional({ example: '3' })
  @IsOptional()
  @IsString()
  @MaxLength(128)
  target_id?: string;

  @ApiPropertyOptional({ description: 'At or after (unix seconds)' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(MAX_UNIX_SECONDS)
  from?: number;

  @ApiPropertyOptional({ description: 'Before (unix seconds)' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(MAX_UNIX_SECONDS)
  to?: number;
}

export class AuditEntryDto {
  @ApiProperty({ example: 812 })
  id!: number;

  @ApiProperty({ description: 'Unix seconds' })
  created_at!: number;

  @ApiProperty({
    enum: ACTOR_TYPES,
    description: "user: a logged-in user; system: a job of Reelay's own; anonymous: a request without a session",
  })
  actor_type!: ActorType;

  @ApiProperty({ nullable: true, type: Number })
  actor_id!: number | null;

  @ApiProperty({ nullable: true, type: String, description: "The user's email at the time, or the job's name" })
  actor_label!: string | null;

  @ApiProperty({ example: 'channel.update' })
  action!: string;

  @ApiProperty({ example: 'channel' })
  target_type!: string;

  @ApiProperty({ nullable: true, type: String, example: '3' })
  target_id!: string | null;

  @ApiProperty({ nullable: true, type: Object, description: 'The target before (secrets masked)' })
  before!: unknown;

  @ApiProperty({
    nullable: true,
    type: Object,
    description: 'The target after, or what the action did (secrets masked)',
  })
  after!: unknown;

  @ApiProperty({ nullable: true, type: String })
  ip!: string | null;

  @ApiProperty({ nullable: true, type: String })
  request_id!: string | null;
}

export const AuditPageDto = PageResponseDto(AuditEntryDto, 'AuditPage');
