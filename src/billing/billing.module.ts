import { Injectable, Module, OnApplicationBootstrap } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '../audit/audit.module';
import { AuthModule } from '../auth/auth.module';
import { CreditAccount } from './credit-account.entity';
import { LedgerEntry } from './ledger-entry.entity';
import { Price } from './price.entity';
import { SpendCaps } from './spend-caps.service';
import { AppConfig } from '../config/app-config';
import { AccountsService } from './accounts.service';
import { AdminBillingController } from './admin-billing.controller';
import { BillingController } from './billing.controller';
import { BillingService } from './billing.service';
import { LedgerRepository } from './ledger.repository';
import { PriceRepository } from './price.repository';
import { PricesService } from './prices.service';
import { ReconciliationJob } from './reconciliation.job';
import { ReconciliationService } from './reconciliation.service';

// Every stored amount is in quota units, so a changed QUOTA_PER_CREDIT would silently rescale
// all balances and prices: refuse to start instead.
@Injectable()
export class QuotaUnitCheck implements OnApplicationBootstrap {
  constructor(
    private readonly prices: PriceRepository,
    private readonly config: AppConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const stored = await this.prices.quotaPerCreditSetting();
    if (stored !== null && stored !== this.config.quotaPerCredit) {
      throw new Error(
        `QUOTA_PER_CREDIT is ${this.config.quotaPerCredit} but this database was created with ${stored}; set QUOTA_PER_CREDIT=${stored}`,
      );
    }
  }
}

@Module({
  imports: [AuthModule, AuditModule, TypeOrmModule.forFeature([CreditAccount, LedgerEntry, Price])],
  controllers: [BillingController, AdminBillingController],
  providers: [
    BillingService,
    PricesService,
    AccountsService,
    ReconciliationService,
    ReconciliationJob,
    LedgerRepository,
    PriceRepository,
    QuotaUnitCheck,
    SpendCaps,
  ],
  exports: [BillingService, PricesService, SpendCaps],
})
export class BillingModule {}
