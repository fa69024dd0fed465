import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsNumber, IsOptional, IsString, Matches, Max, MaxLength, Min, MinLength } from 'class-validator';
import { PageQueryDto, PageResponseDto } from '../common/pagination/page.dto';
import { ORDER_STATUSES, OrderStatus } from './payment-order.entity';
import { MAX_ID, MAX_UNIX_SECONDS } from '../common/validation/bounds';
import { Optional } from '../common/validation/optional';

const PLANS = ['pro', 'pro_plus', 'enterprise'] as const;

export class PackageDto {
  @ApiProperty()
  id!: number;

  @ApiProperty({ example: 'basic' })
  code!: string;

  @ApiProperty({ example: 'Basic' })
  name!: string;

  @ApiProperty({ example: 4900, description: 'Price in fen' })
  price_fen!: number;

  @ApiProperty({ example: '49.00', description: 'Price in yuan, as Alipay shows it' })
  price_yuan!: string;

  @ApiProperty({ example: 50 })
  credits!: number;

  @ApiProperty({ nullable: true, type: String, enum: PLANS, example: 'pro' })
  grants_plan!: string | null;

  @ApiProperty({ enum: ['active', 'inactive'] })
  status!: 'active' | 'inactive';

  @ApiProperty()
  sort!: number;
}

export class PackageListDto {
  @ApiProperty({ type: [PackageDto] })
  items!: PackageDto[];
}

export const PackagePageDto = PageResponseDto(PackageDto, 'PackagePage');

export class CreatePackageDto {
  @ApiProperty({ example: 'starter' })
  @Matches(/^[a-z0-9][a-z0-9_-]{0,31}$/, { message: 'must be a lowercase code' })
  code!: string;

  @ApiProperty({ example: 'Starter' })
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  name!: string;

  @ApiProperty({ example: 1900, description: 'Price in fen' })
  @IsInt()
  @Min(1)
  @Max(100_000_000)
  price_fen!: number;

  @ApiProperty({ example: 20 })
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0.001)
  credits!: number;

  @ApiPropertyOptional({ enum: PLANS, nullable: true })
  @IsOptional()
  @IsIn(PLANS)
  grants_plan?: string | null;

  @ApiPropertyOptional({ enum: ['active', 'inactive'] })
  @Optional()
  @IsIn(['active', 'inactive'])
  status?: 'active' | 'inactive';

  @ApiPropertyOptional()
  @Optional()
  @IsInt()
  sort?: number;
}

export class UpdatePackageDto {
  @ApiPropertyOptional()
  @Optional()
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  name?: string;

  @ApiPropertyOptional()
  @Optional()
  @IsInt()
  @Min(1)
  @Max(100_000_000)
  price_fen?: number;

  @ApiPropertyOptional()
  @Optional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0.001)
  credits?: number;

  @ApiPropertyOptional({ enum: PLANS, nullable: true })
  @IsOptional()
  @IsIn(PLANS)
  grants_plan?: string | null;

  @ApiPropertyOptional({ enum: ['active', 'inactive'] })
  @Optional()
  @IsIn(['active', 'inactive'])
  status?: 'active' | 'inactive';

  @ApiPropertyOptional()
  @Optional()
  @IsInt()
  sort?: number;
}

export class CreateOrderDto {
  @ApiProperty({ example: 1 })
  @IsInt()
  @Min(1)
  package_id!: number;
}

export class OrderDto {
  @ApiProperty()
  id!: number;

  @ApiProperty({ example: 'RL20261121093000aB3dE5fG7h' })
  out_trade_no!: string;

  @ApiProperty()
  package_id!: number;

  @ApiProperty({ example: 4900 })
  amount_fen!: number;

  @ApiProperty({ example: 50 })
  credits!: number;

  @ApiProperty({ enum: ORDER_STATUSES })
  status!: OrderStatus;

  @ApiProperty({ nullable: true, type: Number })
  paid_at!: number | null;

  @ApiProperty()
  created_at!: number;
}

export class AdminOrderDto extends OrderDto {
  @ApiProperty()
  user_id!: number;

  @ApiProperty({ nullable: true, type: String, description: 'Alipay trade number' })
  trade_no!: string | null;
}

export class CreatedOrderDto {
  @ApiProperty({ type: OrderDto })
  order!: OrderDto;

  @ApiProperty({ description: 'Open this Alipay page-pay URL to pay' })
  pay_url!: string;
}

export const OrderPageDto = PageResponseDto(OrderDto, 'OrderPage');
export const AdminOrderPageDto = PageResponseDto(AdminOrderDto, 'AdminOrderPage');

export class AdminOrderQueryDto extends PageQueryDto {
  @ApiPropertyOptional()
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_ID)
  user_id?: number;

  @ApiPropertyOptional({ enum: ORDER_STATUSES })
  @IsOptional()
  @IsIn(ORDER_STATUSES)
  status?: OrderStatus;

  @ApiPropertyOptional({ description: 'Unix seconds' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(MAX_UNIX_SECONDS)
  created_from?: number;

  @ApiPropertyOptional({ description: 'Unix seconds' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(MAX_UNIX_SECONDS)
  created_to?: number;
}
