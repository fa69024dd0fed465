import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsInt,
  IsNumber,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { PageResponseDto } from '../common/pagination/page.dto';
import { LEDGER_KINDS, LedgerKind, REF_TYPES, RefType } from './ledger-entry.entity';
import { Optional } from '../common/validation/optional';

export class BalanceDto {
  @ApiProperty({ example: 500, description: 'Credits bought or granted, minus credits charged' })
  balance!: number;

  @ApiProperty({ example: 60, description: 'Credits reserved by tasks still running' })
  held!: number;

  @ApiProperty({ example: 440, description: 'balance - held: what new tasks can use' })
  available!: number;

  @ApiProperty({ example: 120, description: 'Credits charged for succeeded videos so far' })
  used!: number;
}

export class LedgerEntryDto {
  @ApiProperty({ example: 41 })
  id!: number;

  @ApiProperty({ enum: LEDGER_KINDS })
  kind!: LedgerKind;

  @ApiProperty({ example: -60, description: 'Effect on the balance, in credits' })
  amount!: number;

  @ApiProperty({ example: -60, description: 'Effect on the held credits' })
  held_delta!: number;

  @ApiProperty({ enum: REF_TYPES, description: 'What the entry is about' })
  ref_type!: RefType;

  @ApiProperty({ example: 'kling_8fK2…' })
  ref_id!: string;

  @ApiProperty({ nullable: true, type: String, example: null })
  note!: string | null;

  @ApiProperty({ description: 'Unix seconds' })
  created_at!: number;
}

export const LedgerPageDto = PageResponseDto(LedgerEntryDto, 'LedgerPage');

export class QuoteRequestDto {
  @ApiProperty({ example: 'kling-v1-6-pro' })
  @IsString()
  @MinLength(1)
  @MaxLength(64)
  model!: string;

  @ApiPropertyOptional({ example: 'multi-image2video', description: 'Kling request kind (default text2video)' })
  @Optional()
  @IsString()
  @MaxLength(32)
  kind?: string;

  @ApiPropertyOptional({ example: 10, description: 'Seconds' })
  @Optional()
  @IsInt()
  @Min(1)
  @Max(600)
  duration?: number;

  @ApiPropertyOptional({ example: '21:9' })
  @Optional()
  @IsString()
  @MaxLength(16)
  aspect_ratio?: string;

  @ApiPropertyOptional({ example: '1080p' })
  @Optional()
  @IsString()
  @MaxLength(16)
  resolution?: string;
}

export class QuoteDto {
  @ApiProperty({ example: 'kling-v1-6-pro' })
  model!: string;

  @ApiProperty({ example: 405.6, description: 'Price in credits, charged only if the video succeeds' })
  credits!: number;

  @ApiProperty({ example: 405600, description: 'The same price in quota units' })
  quota!: number;

  @ApiProperty({ nullable: true, type: Number, example: 10 })
  duration!: number | null;

  @ApiProperty({ nullable: true, type: String, example: '21:9' })
  aspect_ratio!: string | null;

  @ApiProperty({ nullable: true, type: String, example: null })
  resolution!: string | null;
}

export class FixedPriceEntryDto {
  @ApiPropertyOptional({ nullable: true, type: String, example: '720p', description: 'null or absent: any resolution' })
  @IsOptional()
  @IsString()
  @MaxLength(16)
  resolution?: string | null;

  @ApiPropertyOptional({ nullable: true, type: Number, example: 10, description: 'null or absent: any duration' })
  @IsOptional()
  @IsInt()
  @Min(1)
  duration?: number | null;

  @ApiProperty({ example: 15 })
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  credits!: number;
}

export const PRICE_SCHEMES = ['kling_formula', 'fixed'] as const;

export class PriceDto {
  @ApiProperty({ example: 'kling-v1-5-std' })
  @IsString()
  @Matches(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$/, { message: 'must be a model id (letters, digits, . _ : -)' })
  model!: string;

  @ApiProperty({
    enum: PRICE_SCHEMES,
    description: 'kling_formula: base × (duration / per_seconds) × aspect × kind; fixed: a table',
  })
  @IsIn(PRICE_SCHEMES)
  scheme!: (typeof PRICE_SCHEMES)[number];

  @ApiPropertyOptional({ example: 50, description: 'kling_formula: credits for per_seconds seconds at multiplier 1' })
  @Optional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  base_credits?: number;

  @ApiPropertyOptional({ example: 5, description: 'kling_formula: seconds the base price covers (default 5)' })
  @Optional()
  @IsInt()
  @Min(1)
  per_seconds?: number;

  @ApiPropertyOptional({ example: { '16:9': 1.2, '9:16': 1.2, '1:1': 1, '21:9': 1.3, '9:21': 1.3 } })
  @Optional()
  @IsObject()
  aspect_multipliers?: Record<string, number>;

  @ApiPropertyOptional({ example: { text2video: 1, image2video: 1.1, 'omni-video': 1.2, 'multi-image2video': 1.3 } })
  @Optional()
  @IsObject()
  kind_multipliers?: Record<string, number>;

  @ApiPropertyOptional({ nullable: true, type: Number, example: 5, description: 'Seconds when a request gives none' })
  @IsOptional()
  @IsInt()
  @Min(1)
  default_duration?: number | null;

  @ApiPropertyOptional({ example: '16:9', description: 'kling_formula: aspect ratio when a request gives none' })
  @Optional()
  @IsString()
  @MaxLength(16)
  default_aspect_ratio?: string;

  @ApiPropertyOptional({ type: [FixedPriceEntryDto], description: 'fixed: the price table' })
  @Optional()
  @IsArray()
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  @Type(() => FixedPriceEntryDto)
  entries?: FixedPriceEntryDto[];

  @ApiPropertyOptional({
    nullable: true,
    type: String,
    example: '720p',
    description: 'fixed: resolution when a request gives none',
  })
  @IsOptional()
  @IsString()
  @MaxLength(16)
  default_resolution?: string | null;
}

export class PriceViewDto extends PriceDto {
  @ApiProperty({ description: 'Unix seconds' })
  updated_at!: number;
}

export const PricePageDto = PageResponseDto(PriceViewDto, 'PricePage');

export class ReplacePricesDto {
  @ApiProperty({ type: [PriceDto], description: 'The whole price table; a model left out can no longer be used' })
  @IsArray()
  @ArrayMinSize(0)
  @ArrayMaxSize(500)
  @ValidateNested({ each: true })
  @Type(() => PriceDto)
  items!: PriceDto[];
}

export class AdjustCreditsDto {
  @ApiProperty({ example: 25.5, description: 'Credits to add (negative to remove)' })
  @IsNumber({ allowNaN: false, allowInfinity: false })
  amount!: number;

  @ApiProperty({ example: 'Refund for a failed batch', maxLength: 255 })
  @IsString()
  @MinLength(3)
  @MaxLength(255)
  reason!: string;

  @ApiPropertyOptional({
    example: 'ticket-4711',
    description: 'Your id for this adjustment; sending it again is a no-op (default: a new id each call)',
  })
  @Optional()
  @IsString()
  @Matches(/^[A-Za-z0-9._:-]{1,100}$/, { message: 'must be 1-100 letters, digits or . _ : -' })
  reference?: string;
}

export class AdjustmentDto {
  @ApiProperty({ enum: ['adjusted', 'already_adjusted'] })
  status!: 'adjusted' | 'already_adjusted';

  @ApiProperty({ type: LedgerEntryDto })
  entry!: LedgerEntryDto;

  @ApiProperty({ type: BalanceDto })
  balance!: BalanceDto;
}

export class ReconciliationMismatchDto {
  @ApiProperty({ example: 7 })
  user_id!: number;

  @ApiProperty({ enum: ['balance', 'held', 'used', 'available', 'settlement'] })
  check!: string;

  @ApiProperty({ example: 100, description: 'Credits per the ledger (or the rule)' })
  expected!: number | string;

  @ApiProperty({ example: 90, description: 'Credits in the account' })
  actual!: number | string;
}

export class ReconciliationDto {
  @ApiProperty({ example: true })
  ok!: boolean;

  @ApiProperty({ example: 1204 })
  checked_accounts!: number;

  @ApiProperty({ type: [ReconciliationMismatchDto] })
  mismatches!: ReconciliationMismatchDto[];

  @ApiProperty({ description: 'Unix seconds' })
  generated_at!: number;
}
