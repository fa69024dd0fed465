import { AuditModule } from '../audit/audit.module';
import { AuthModule } from '../auth/auth.module';
import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { IdempotencyModule } from '../common/idempotency/idempotency.module';
import { CreditPackage } from './package.entity';
import { PaymentOrder } from './payment-order.entity';
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
  imports: [
    AuditModule,
    AuthModule,
    BillingModule,
    QuotasModule,
    ProvidersModule,
    IdempotencyModule,
    TypeOrmModule.forFeature([CreditPackage, PaymentOrder]),
  ],
  controllers: [PaymentsController, AdminPaymentsController],
  providers: [PaymentsService, SettlementService, AlipayNotifyService, PaymentsRepository, PaymentsJob],
})
export class PaymentsModule {}
