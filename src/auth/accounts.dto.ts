import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsEmail, IsIn, IsOptional, IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { PASSWORD_LINK_PURPOSES, PasswordLinkPurpose } from './password-link.entity';
import { USER_PLANS, USER_ROLES, UserPlan, UserRole } from '../common/auth/auth-user';
import { UserDto } from './users.dto';

const lower = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim().toLowerCase() : value);

export class CreateUserDto {
  @ApiProperty({ example: 'new.customer@example.com', maxLength: 254 })
  @Transform(lower)
  @IsEmail()
  @MaxLength(254)
  email!: string;

  @ApiPropertyOptional({
    minLength: 8,
    maxLength: 128,
    description: 'Initial password. Leave it out to get a one-time setup link instead',
  })
  @IsOptional()
  @IsString()
  @MinLength(8)
  @MaxLength(128)
  password?: string;

  @ApiPropertyOptional({ enum: USER_ROLES, default: 'user' })
  @IsOptional()
  @IsIn(USER_ROLES)
  role?: UserRole;

  @ApiPropertyOptional({ enum: USER_PLANS, default: 'free' })
  @IsOptional()
  @IsIn(USER_PLANS)
  plan?: UserPlan;
}

export class PasswordLinkDto {
  @ApiProperty({
    example: 'https://reelay.example.com/set-password#token=…',
    description: 'Works once, until expires_at. Shown only in this response; Reelay keeps only its hash',
  })
  url!: string;

  @ApiProperty({ enum: PASSWORD_LINK_PURPOSES })
  purpose!: PasswordLinkPurpose;

  @ApiProperty({ description: 'Unix seconds' })
  expires_at!: number;
}

export class CreatedUserDto {
  @ApiProperty({ type: UserDto })
  user!: UserDto;

  @ApiProperty({ type: PasswordLinkDto, nullable: true, description: 'When no password was given' })
  setup_link!: PasswordLinkDto | null;
}

export const RESET_MODES = ['link', 'password'] as const;
export type ResetMode = (typeof RESET_MODES)[number];

export class ResetPasswordDto {
  @ApiProperty({
    enum: RESET_MODES,
    description:
      '`link`: a one-time link (the old password works until it is used); `password`: a generated password, ' +
      'in force at once, shown once. Either way the newest link is the only one that works',
  })
  @IsIn(RESET_MODES)
  mode!: ResetMode;
}

export class PasswordResetDto {
  @ApiProperty({ enum: RESET_MODES })
  mode!: ResetMode;

  @ApiProperty({ type: PasswordLinkDto, nullable: true })
  link!: PasswordLinkDto | null;

  @ApiProperty({ type: String, nullable: true, description: 'The generated password, shown only here' })
  password!: string | null;
}

const TOKEN = /^[A-Za-z0-9]{20,128}$/;

export class PasswordLinkTokenDto {
  @ApiProperty({ description: 'The token from the link (after `#token=`)' })
  @IsString()
  @Matches(TOKEN, { message: 'token must be the token from the link' })
  token!: string;
}

export class RedeemPasswordLinkDto extends PasswordLinkTokenDto {
  @ApiProperty({ minLength: 8, maxLength: 128 })
  @IsString()
  @MinLength(8)
  @MaxLength(128)
  password!: string;
}

export class PasswordLinkInfoDto {
  @ApiProperty({ example: 'new.customer@example.com' })
  email!: string;

  @ApiProperty({ enum: PASSWORD_LINK_PURPOSES })
  purpose!: PasswordLinkPurpose;

  @ApiProperty({ description: 'Unix seconds' })
  expires_at!: number;
}

export class ChangePasswordDto {
  @ApiProperty()
  @IsString()
  @MinLength(1)
  @MaxLength(128)
  current_password!: string;

  @ApiProperty({ minLength: 8, maxLength: 128 })
  @IsString()
  @MinLength(8)
  @MaxLength(128)
  new_password!: string;
}
