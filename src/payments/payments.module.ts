import { AuthModule } from '../auth/auth.module';
import { Module } from '@nestjs/common';
import { BillingModule } from '../billing/billing.module';
import { ProvidersModule } from '../providers/providers.module';
import { QuotasModule } from '../quotas/quotas.module';
import { AlipayNotifyService } from './alipay-notify.service';
import { AdminPaymentsController, PaymentsController } from './payments.controller';
import { PaymentsJob } from './payments.job';
import { PaymentsRepository } from './payments.repository';
import { PaymentsService } from './payments.service';
import { SettlementService } from './settlement.service';

@Module({
  imports: [AuthModule, BillingModule, QuotasModule, ProvidersModule],
  controllers: [PaymentsController, AdminPaymentsController],
  providers: [PaymentsService, SettlementService, AlipayNotifyService, PaymentsRepository, PaymentsJob],
})
export class PaymentsModule {}
