import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsOptional, IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { PageResponseDto } from '../common/pagination/page.dto';
import { ApiToken, ApiTokenStatus } from './api-token.entity';

export class CreateTokenDto {
  @ApiProperty({ example: 'render-farm', minLength: 1, maxLength: 64 })
  @IsString()
  @MinLength(1)
  @MaxLength(64)
  // eslint-disable-next-line no-control-regex -- refusing control characters is the point
  @Matches(/^[^\u0000-\u001f]+$/, { message: 'name must not contain control characters' })
  name!: string;

  @ApiPropertyOptional({ description: 'Unix seconds after which the key stops working; omit for no expiry' })
  @IsOptional()
  @IsInt()
  expires_at?: number;
}

export class ApiTokenDto {
  @ApiProperty({ example: 12 })
  id!: number;

  @ApiProperty({ example: 'render-farm' })
  name!: string;

  @ApiProperty({ example: 'sk-AbCd1234', description: 'First characters of the key, for recognising it' })
  key_prefix!: string;

  @ApiProperty({ enum: ['active', 'revoked'] })
  status!: ApiTokenStatus;

  @ApiProperty({ nullable: true, type: Number, description: 'Unix seconds' })
  expires_at!: number | null;

  @ApiProperty({ nullable: true, type: Number, description: 'Unix seconds (refreshed at most once a minute)' })
  last_used_at!: number | null;

  @ApiProperty({ description: 'Unix seconds' })
  created_at!: number;
}

export class CreatedTokenDto extends ApiTokenDto {
  @ApiProperty({
    example: 'sk-0123456789abcdefghijABCDEFGHIJ0123456789abcdefgh',
    description: 'The full key. Shown only in this response; Reelay keeps only its hash.',
  })
  key!: string;
}

export function mapToken(t: ApiToken): ApiTokenDto {
  return {
    id: t.id,
    name: t.name,
    key_prefix: t.keyPrefix,
    status: t.status,
    expires_at: t.expiresAt,
    last_used_at: t.lastUsedAt,
    created_at: t.createdAt,
  };
}

export const ApiTokenPageDto = PageResponseDto(ApiTokenDto, 'ApiTokenPage');
