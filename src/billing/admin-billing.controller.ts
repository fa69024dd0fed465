import { Body, Controller, Get, Post, Put, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiPaymentRequiredResponse, ApiTags } from '@nestjs/swagger';
import { Auth, CurrentUser } from '../common/auth/auth.decorators';
import { AuthUser } from '../common/auth/auth-user';
import { ErrorBodyDto } from '../common/errors/error-body.dto';
import { ApiBadRequest, ApiNotFound } from '../common/http/api-responses';
import { Page, PageQueryDto } from '../common/pagination/page.dto';
import { IdParam } from '../common/validation/id-param';
import { AccountsService } from './accounts.service';
import {
  AdjustCreditsDto,
  AdjustmentDto,
  PricePageDto,
  PriceViewDto,
  ReconciliationDto,
  ReplacePricesDto,
} from './billing.dto';
import { PricesService } from './prices.service';
import { ReconciliationService } from './reconciliation.service';

@ApiTags('admin')
@Controller('api/admin')
@Auth({ admin: true })
export class AdminBillingController {
  constructor(
    private readonly prices: PricesService,
    private readonly accounts: AccountsService,
    private readonly reconciliation: ReconciliationService,
  ) {}

  @Get('prices')
  @ApiOperation({ summary: 'The price table' })
  @ApiOkResponse({ type: PricePageDto })
  @ApiBadRequest()
  listPrices(@CurrentUser() admin: AuthUser, @Query() query: PageQueryDto): Promise<Page<PriceViewDto>> {
    return this.prices.list(admin, query);
  }

  @Put('prices')
  @ApiOperation({ summary: 'Replace the whole price table (a model left out can no longer be used)' })
  @ApiOkResponse({ type: PricePageDto })
  @ApiBadRequest()
  replacePrices(@CurrentUser() admin: AuthUser, @Body() dto: ReplacePricesDto): Promise<Page<PriceViewDto>> {
    return this.prices.replace(admin, dto);
  }

  @Post('users/:id/credits')
  @ApiOperation({ summary: "Add or remove credits on a user's account, with a reason" })
  @ApiCreatedResponse({ type: AdjustmentDto })
  @ApiBadRequest()
  @ApiNotFound('User')
  @ApiPaymentRequiredResponse({ description: 'Would leave available credits below zero', type: ErrorBodyDto })
  adjust(@CurrentUser() admin: AuthUser, @IdParam() id: number, @Body() dto: AdjustCreditsDto): Promise<AdjustmentDto> {
    return this.accounts.adjust(admin, id, dto);
  }

  @Get('billing/reconciliation')
  @ApiOperation({ summary: 'Check every account against its ledger; lists each mismatch' })
  @ApiOkResponse({ type: ReconciliationDto })
  reconciliationReport(@CurrentUser() admin: AuthUser): Promise<ReconciliationDto> {
    return this.reconciliation.report(admin);
  }
}
