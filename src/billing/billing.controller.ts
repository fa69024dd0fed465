import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Auth, CurrentUser } from '../common/auth/auth.decorators';
import { AuthUser } from '../common/auth/auth-user';
import { ApiBadRequest } from '../common/http/api-responses';
import { Page, PageQueryDto } from '../common/pagination/page.dto';
import { AccountsService } from './accounts.service';
import { BalanceDto, LedgerEntryDto, LedgerPageDto } from './billing.dto';

@ApiTags('billing')
@Controller('api/billing')
@Auth({ apiTokens: true })
export class BillingController {
  constructor(private readonly accounts: AccountsService) {}

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
}
