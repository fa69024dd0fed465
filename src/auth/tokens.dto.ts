import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsNumber, IsString, Matches, Max, MaxLength, Min, MinLength, ValidateIf } from 'class-validator';
import { quotaToCredits } from '../common/money/money';
import { PageResponseDto } from '../common/pagination/page.dto';
import { MAX_UNIX_SECONDS } from '../common/validation/bounds';
import { ApiToken, ApiTokenStatus } from './api-token.entity';
import { Optional } from '../common/validation/optional';

export class CreateTokenDto {
  @ApiProperty({ example: 'render-farm', minLength: 1, maxLength: 64 })
  @IsString()
  @MinLength(1)
  @MaxLength(64)
  // eslint-disable-next-line no-control-regex -- refusing control characters is the point
  @Matches(/^[^\u0000-\u001f]+$/, { message: 'name must not contain control characters' })
  name!: string;

  @ApiPropertyOptional({
    description: 'Unix seconds after which the key stops working; omit for no expiry',
    maximum: MAX_UNIX_SECONDS,
  })
  @Optional()
  @IsInt()
  @Max(MAX_UNIX_SECONDS)
  expires_at?: number;

  @ApiPropertyOptional({ example: 500, description: 'Most credits the key may spend per UTC day; omit for no cap' })
  @Optional()
  @IsNumber({ maxDecimalPlaces: 3 })
  @Min(0.001)
  @Max(1_000_000_000)
  credits_per_day?: number;

  @ApiPropertyOptional({ example: 10000, description: 'Most credits the key may spend per UTC month; omit for no cap' })
  @Optional()
  @IsNumber({ maxDecimalPlaces: 3 })
  @Min(0.001)
  @Max(1_000_000_000)
  credits_per_month?: number;
}

// Changes a key's spending caps; null removes one, a field left out keeps it.
export class UpdateTokenCapsDto {
  @ApiPropertyOptional({ nullable: true, type: Number, example: 500 })
  @ValidateIf((_o: object, v: unknown) => v !== undefined && v !== null)
  @IsNumber({ maxDecimalPlaces: 3 })
  @Min(0.001)
  @Max(1_000_000_000)
  credits_per_day?: number | null;

  @ApiPropertyOptional({ nullable: true, type: Number, example: 10000 })
  @ValidateIf((_o: object, v: unknown) => v !== undefined && v !== null)
  @IsNumber({ maxDecimalPlaces: 3 })
  @Min(0.001)
  @Max(1_000_000_000)
  credits_per_month?: number | null;
}

export class ApiTokenDto {
  @ApiProperty({ example: 12 })
  id!: number;

  @ApiProperty({ example: 'render-farm' })
  name!: string;

  @ApiProperty({ example: 'sk-AbCd1234', description: 'First characters of the key, for recognising it' })
  key_prefix!: string;

  @ApiProperty({ enum: ['active', 'expired', 'revoked'], description: 'expired: past expires_at' })
  status!: ApiTokenStatus | 'expired';

  @ApiProperty({ nullable: true, type: Number, description: 'Unix seconds' })
  expires_at!: number | null;

  @ApiProperty({ nullable: true, type: Number, description: 'Unix seconds (refreshed at most once a minute)' })
  last_used_at!: number | null;

  @ApiProperty({ description: 'Unix seconds' })
  created_at!: number;

  @ApiProperty({ nullable: true, type: Number, description: 'Spending cap per UTC day, in credits' })
  credits_per_day!: number | null;

  @ApiProperty({ nullable: true, type: Number, description: 'Spending cap per UTC month, in credits' })
  credits_per_month!: number | null;

  @ApiProperty({ description: 'Held or charged through this key today (counted while a daily cap is set)' })
  spent_today!: number;

  @ApiProperty({ description: 'Held or charged through this key this month (counted while a monthly cap is set)' })
  spent_this_month!: number;
}

export class CreatedTokenDto extends ApiTokenDto {
  @ApiProperty({
    example: 'sk-0123456789abcdefghijABCDEFGHIJ0123456789abcdefgh',
    description: 'The full key. Shown only in this response; Reelay keeps only its hash.',
  })
  key!: string;
}

export interface TokenSpendView {
  quotaPerCredit: number;
  spentDay: number;
  spentMonth: number;
}

export function mapToken(t: ApiToken, now: number, spend: TokenSpendView): ApiTokenDto {
  const credits = (q: number | null) => (q === null ? null : quotaToCredits(q, spend.quotaPerCredit));
  return {
    id: t.id,
    name: t.name,
    key_prefix: t.keyPrefix,
    status: t.status === 'active' && t.expiresAt !== null && t.expiresAt <= now ? 'expired' : t.status,
    expires_at: t.expiresAt,
    last_used_at: t.lastUsedAt,
    created_at: t.createdAt,
    credits_per_day: credits(t.quotaPerDay),
    credits_per_month: credits(t.quotaPerMonth),
    spent_today: quotaToCredits(spend.spentDay, spend.quotaPerCredit),
    spent_this_month: quotaToCredits(spend.spentMonth, spend.quotaPerCredit),
  };
}

export const ApiTokenPageDto = PageResponseDto(ApiTokenDto, 'ApiTokenPage');
