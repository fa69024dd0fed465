import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { PageQueryDto, PageResponseDto } from '../common/pagination/page.dto';
import { USER_PLANS, USER_ROLES, USER_STATUSES, UserPlan, UserRole, UserStatus } from '../common/auth/auth-user';
import { Optional } from '../common/validation/optional';
import { User } from './user.entity';

export class UserDto {
  @ApiProperty({ example: 7 })
  id!: number;

  @ApiProperty({ example: 'dev@example.com' })
  email!: string;

  @ApiProperty({ enum: USER_ROLES })
  role!: UserRole;

  @ApiProperty({ enum: USER_STATUSES })
  status!: UserStatus;

  @ApiProperty({ enum: USER_PLANS })
  plan!: UserPlan;

  @ApiProperty({ description: 'Unix seconds' })
  created_at!: number;

  @ApiProperty({ description: 'Unix seconds' })
  updated_at!: number;
}

// The only way a user leaves the service: never with its password hash.
export function mapUser(u: User): UserDto {
  return {
    id: u.id,
    email: u.email,
    role: u.role,
    status: u.status,
    plan: u.plan,
    created_at: u.createdAt,
    updated_at: u.updatedAt,
  };
}

export class UserListQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ description: 'Part of the email (case-insensitive)' })
  @IsOptional()
  @IsString()
  @MaxLength(254)
  q?: string;

  @ApiPropertyOptional({ description: 'Exact email' })
  @IsOptional()
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim().toLowerCase() : value))
  @IsString()
  @MaxLength(254)
  email?: string;

  @ApiPropertyOptional({ enum: USER_ROLES })
  @IsOptional()
  @IsIn(USER_ROLES)
  role?: UserRole;

  @ApiPropertyOptional({ enum: USER_STATUSES })
  @IsOptional()
  @IsIn(USER_STATUSES)
  status?: UserStatus;

  @ApiPropertyOptional({ enum: USER_PLANS })
  @IsOptional()
  @IsIn(USER_PLANS)
  plan?: UserPlan;
}

export class UpdateUserDto {
  @ApiPropertyOptional({ enum: USER_ROLES })
  @Optional()
  @IsIn(USER_ROLES)
  role?: UserRole;

  @ApiPropertyOptional({ enum: USER_STATUSES })
  @Optional()
  @IsIn(USER_STATUSES)
  status?: UserStatus;

  @ApiPropertyOptional({ enum: USER_PLANS })
  @Optional()
  @IsIn(USER_PLANS)
  plan?: UserPlan;
}

export const UserPageDto = PageResponseDto(UserDto, 'UserPage');
