import { Body, Controller, Get, HttpCode, Post, Put, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiForbiddenResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CreatedTokenDto } from '../auth/tokens.dto';
import { Auth, CurrentUser } from '../common/auth/auth.decorators';
import { AuthUser } from '../common/auth/auth-user';
import { ErrorBodyDto } from '../common/errors/error-body.dto';
import { ApiBadRequest, ApiNotFound } from '../common/http/api-responses';
import { Page, PageQueryDto } from '../common/pagination/page.dto';
import { IdParam } from '../common/validation/id-param';
import { AlertDto, AlertPageDto, AlertRunDto } from './alerts.dto';
import { AlertsService } from './alerts.service';
import { QuotaListDto, SetProviderKeyDto } from './quotas.dto';
import { QuotasService } from './quotas.service';

@ApiTags('quotas')
@Controller('api/quotas')
export class QuotasController {
  constructor(private readonly quotas: QuotasService) {}

  @Get('me')
  @Auth({ apiTokens: true })
  @ApiOperation({ summary: 'Your provider quotas: bought, used, remaining, percent' })
  @ApiOkResponse({ type: QuotaListDto })
  mine(@CurrentUser() user: AuthUser): Promise<QuotaListDto> {
    return this.quotas.mine(user);
  }

  @Post('me/api-key')
  @Auth()
  @ApiOperation({ summary: 'Enterprise: a Reelay API key that can only generate and read videos' })
  @ApiCreatedResponse({ type: CreatedTokenDto })
  @ApiForbiddenResponse({ description: 'Not on the enterprise plan', type: ErrorBodyDto })
  issueKey(@CurrentUser() user: AuthUser): Promise<CreatedTokenDto> {
    return this.quotas.issueVideoKey(user);
  }
}

@ApiTags('admin')
@Controller('api/admin')
@Auth({ admin: true })
export class AdminQuotasController {
  constructor(
    private readonly quotas: QuotasService,
    private readonly alerts: AlertsService,
  ) {}

  @Put('users/:id/quotas')
  @ApiOperation({ summary: "Give a user a dedicated upstream key (encrypted; used instead of the channel's)" })
  @ApiOkResponse({ type: QuotaListDto })
  @ApiBadRequest()
  @ApiNotFound('User')
  setKey(@CurrentUser() admin: AuthUser, @IdParam() id: number, @Body() dto: SetProviderKeyDto): Promise<QuotaListDto> {
    return this.quotas.setDedicatedKey(admin, id, dto);
  }

  @Get('alerts')
  @ApiOperation({ summary: 'Quota alerts, newest first' })
  @ApiOkResponse({ type: AlertPageDto })
  @ApiBadRequest()
  list(@CurrentUser() admin: AuthUser, @Query() query: PageQueryDto): Promise<Page<AlertDto>> {
    return this.alerts.list(admin, query);
  }

  @Post('alerts/run')
  @HttpCode(200)
  @ApiOperation({ summary: 'Check the quota thresholds now (the daily job does the same)' })
  @ApiOkResponse({ type: AlertRunDto })
  run(@CurrentUser() admin: AuthUser): Promise<AlertRunDto> {
    return this.alerts.runNow(admin);
  }
}
