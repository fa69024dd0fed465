import { Body, Controller, Delete, Get, HttpCode, Post, Query } from '@nestjs/common';
import { IdParam } from '../common/validation/id-param';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Auth, CurrentUser } from '../common/auth/auth.decorators';
import { AuthUser } from '../common/auth/auth-user';
import { ApiBadRequest, ApiNotFound } from '../common/http/api-responses';
import { Page, PageQueryDto } from '../common/pagination/page.dto';
import { ApiTokenDto, ApiTokenPageDto, CreatedTokenDto, CreateTokenDto } from './tokens.dto';
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

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Revoke an API key; it answers 401 from then on' })
  @ApiNoContentResponse({ description: 'Revoked (or already revoked)' })
  @ApiNotFound('Token')
  revoke(@CurrentUser() user: AuthUser, @IdParam() id: number): Promise<void> {
    return this.tokens.revoke(user, id);
  }
}
