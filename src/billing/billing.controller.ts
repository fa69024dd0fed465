import { Body, Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags, ApiUnprocessableEntityResponse } from '@nestjs/swagger';
import { Auth, CurrentUser } from '../common/auth/auth.decorators';
import { AuthUser } from '../common/auth/auth-user';
import { ErrorBodyDto } from '../common/errors/error-body.dto';
import { ApiBadRequest } from '../common/http/api-responses';
import { Page, PageQueryDto } from '../common/pagination/page.dto';
import { AccountsService } from './accounts.service';
import { BalanceDto, LedgerEntryDto, LedgerPageDto, QuoteDto, QuoteRequestDto } from './billing.dto';
import { PricesService } from './prices.service';

@ApiTags('billing')
@Controller('api/billing')
@Auth({ apiTokens: true })
export class BillingController {
  constructor(
    private readonly accounts: AccountsService,
    private readonly prices: PricesService,
  ) {}

  @Get('balance')
  @ApiOperation({ summary: 'Your credits: balance, held by running tasks, available, used' })
  @ApiOkResponse({ type: BalanceDto })
  balance(@CurrentUser() user: AuthUser): Promise<BalanceDto> {
    return this.accounts.balance(user);
  }

  @Get('ledger')
  @ApiOperation({ summary: 'Your ledger: every top-up, hold, capture, release and adjustment, newest first' })
  @ApiOkResponse({ type: LedgerPageDto })
  @ApiBadRequest()
  ledger(@CurrentUser() user: AuthUser, @Query() query: PageQueryDto): Promise<Page<LedgerEntryDto>> {
    return this.accounts.ledgerPage(user, query);
  }

  @Post('quote')
  @HttpCode(200)
  @ApiOperation({ summary: 'The price of one video, charged only if it succeeds' })
  @ApiOkResponse({ type: QuoteDto })
  @ApiBadRequest()
  @ApiUnprocessableEntityResponse({ description: 'The model or option has no price', type: ErrorBodyDto })
  quote(@CurrentUser() user: AuthUser, @Body() dto: QuoteRequestDto): Promise<QuoteDto> {
    return this.prices.quoteForUser(user, dto);
  }
}
