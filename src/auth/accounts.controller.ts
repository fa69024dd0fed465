import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import {
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiGoneResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { Auth, CurrentUser, Public } from '../common/auth/auth.decorators';
import { AuthUser } from '../common/auth/auth-user';
import { ErrorBodyDto } from '../common/errors/error-body.dto';
import { ApiBadRequest, ApiNotFound } from '../common/http/api-responses';
import { IdParam } from '../common/validation/id-param';
import {
  ChangePasswordDto,
  CreatedUserDto,
  CreateUserDto,
  PasswordLinkInfoDto,
  PasswordLinkTokenDto,
  PasswordResetDto,
  RedeemPasswordLinkDto,
  ResetPasswordDto,
} from './accounts.dto';
import { AccountsService } from './accounts.service';
import { SessionDto } from './auth.dto';

@ApiTags('admin')
@Controller('api/admin/users')
@Auth({ admin: true })
export class AdminAccountsController {
  constructor(private readonly accounts: AccountsService) {}

  @Post()
  @ApiOperation({ summary: 'Create a user, with an initial password or a one-time setup link (shown once)' })
  @ApiCreatedResponse({ type: CreatedUserDto })
  @ApiBadRequest()
  @ApiConflictResponse({ description: 'Email already registered; nothing created', type: ErrorBodyDto })
  create(@CurrentUser() admin: AuthUser, @Body() dto: CreateUserDto): Promise<CreatedUserDto> {
    return this.accounts.createUser(admin, dto);
  }

  @Post(':id/password-reset')
  @HttpCode(200)
  @ApiOperation({ summary: "Reset a user's password: a one-time link, or a generated password shown once" })
  @ApiOkResponse({ type: PasswordResetDto })
  @ApiBadRequest()
  @ApiNotFound('User')
  resetPassword(
    @CurrentUser() admin: AuthUser,
    @IdParam() id: number,
    @Body() dto: ResetPasswordDto,
  ): Promise<PasswordResetDto> {
    return this.accounts.resetPassword(admin, id, dto);
  }
}

@ApiTags('auth')
@Controller('api/auth/password-links')
export class PasswordLinksController {
  constructor(private readonly accounts: AccountsService) {}

  @Post('inspect')
  @Public()
  @HttpCode(200)
  @ApiOperation({ summary: 'Whose password a one-time link sets, and until when it works' })
  @ApiOkResponse({ type: PasswordLinkInfoDto })
  @ApiBadRequest()
  @ApiGoneResponse({ description: 'Used, replaced or expired', type: ErrorBodyDto })
  inspect(@Body() dto: PasswordLinkTokenDto): Promise<PasswordLinkInfoDto> {
    return this.accounts.inspectLink(dto);
  }

  @Post('redeem')
  @Public()
  @HttpCode(200)
  @ApiOperation({ summary: 'Set the password with a one-time link (works once) and log in' })
  @ApiOkResponse({ type: SessionDto })
  @ApiBadRequest()
  @ApiForbiddenResponse({ description: 'Account disabled; the link stays unused', type: ErrorBodyDto })
  @ApiGoneResponse({ description: 'Used, replaced or expired; nothing changes', type: ErrorBodyDto })
  redeem(@Body() dto: RedeemPasswordLinkDto): Promise<SessionDto> {
    return this.accounts.redeemLink(dto);
  }
}

// A session only (no API keys): a leaked key cannot take over the account.
@ApiTags('users')
@Controller('api/users/me')
@Auth()
export class AccountController {
  constructor(private readonly accounts: AccountsService) {}

  @Post('password')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Change your password (current password required); every other session ends, this answer is a new one',
  })
  @ApiOkResponse({ type: SessionDto })
  @ApiBadRequest()
  changePassword(@CurrentUser() user: AuthUser, @Body() dto: ChangePasswordDto): Promise<SessionDto> {
    return this.accounts.changePassword(user, dto);
  }
}
