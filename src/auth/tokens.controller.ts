import { Body, Controller, Delete, Get, HttpCode, Patch, Post, Query } from '@nestjs/common';
import { IdParam } from '../common/validation/id-param';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Auth, CurrentUser } from '../common/auth/auth.decorators';
import { AuthUser } from '../common/auth/auth-user';
import { ApiBadRequest, ApiNotFound } from '../common/http/api-responses';
import { Page, PageQueryDto } from '../common/pagination/page.dto';
import { ApiTokenDto, ApiTokenPageDto, CreatedTokenDto, CreateTokenDto, UpdateTokenCapsDto } from './tokens.dto';
import { TokensService } from './tokens.service';

// Managing keys needs a login session: a leaked key cannot mint more keys.
@ApiTags('tokens')
@Controller('api/tokens')
@Auth()
export class TokensController {
  constructor(private readonly tokens: TokensService) {}

  @Post()
  @ApiOperation({ summary: 'Create an API key (`sk-…`); the full key is in this response only' })
  @ApiCreatedResponse({ type: CreatedTokenDto })
  @ApiBadRequest()
  create(@CurrentUser() user: AuthUser, @Body() dto: CreateTokenDto): Promise<CreatedTokenDto> {
    return this.tokens.create(user, dto);
  }

  @Get()
  @ApiOperation({ summary: 'List your API keys (prefix only)' })
  @ApiOkResponse({ type: ApiTokenPageDto })
  @ApiBadRequest()
  list(@CurrentUser() user: AuthUser, @Query() query: PageQueryDto): Promise<Page<ApiTokenDto>> {
    return this.tokens.list(user, query);
  }

  @Patch(':id')
  @ApiOperation({ summary: "Set or remove the key's spending caps (credits per UTC day / month; null removes one)" })
  @ApiOkResponse({ type: ApiTokenDto })
  @ApiBadRequest()
  @ApiNotFound('Token')
  updateCaps(
    @CurrentUser() user: AuthUser,
    @IdParam() id: number,
    @Body() dto: UpdateTokenCapsDto,
  ): Promise<ApiTokenDto> {
    return this.tokens.updateCaps(user, id, dto);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Revoke an API key; it answers 401 from then on' })
  @ApiNoContentResponse({ description: 'Revoked (or already revoked)' })
  @ApiNotFound('Token')
  revoke(@CurrentUser() user: AuthUser, @IdParam() id: number): Promise<void> {
    return this.tokens.revoke(user, id);
  }
}

@ApiTags('admin')
@Controller('api/admin/users/:id/tokens')
@Auth({ admin: true })
export class AdminTokensController {
  constructor(private readonly tokens: TokensService) {}

  @Get()
  @ApiOperation({ summary: "A user's API keys (prefix, scope, caps and spend, expiry, status)" })
  @ApiOkResponse({ type: ApiTokenPageDto })
  @ApiBadRequest()
  @ApiNotFound('User')
  list(@CurrentUser() admin: AuthUser, @IdParam() id: number, @Query() q: PageQueryDto): Promise<Page<ApiTokenDto>> {
    return this.tokens.listOf(admin, id, q);
  }

  @Delete(':token_id')
  @HttpCode(204)
  @ApiOperation({ summary: "Revoke a user's API key (audited; revoking it again changes nothing)" })
  @ApiNoContentResponse({ description: 'Revoked (or already revoked)' })
  @ApiNotFound('Token')
  revoke(@CurrentUser() admin: AuthUser, @IdParam() id: number, @IdParam('token_id') tokenId: number): Promise<void> {
    return this.tokens.revokeByAdmin(admin, id, tokenId);
  }
}
