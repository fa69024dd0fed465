import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { ProvidersModule } from '../providers/providers.module';
import { AlertRepository } from './alert.repository';
import { AlertsJob } from './alerts.job';
import { AlertsService } from './alerts.service';
import { ProviderQuotaRepository } from './provider-quota.repository';
import { AdminQuotasController, QuotasController } from './quotas.controller';
import { QuotasService } from './quotas.service';

@Module({
  imports: [AuthModule, ProvidersModule],
  controllers: [QuotasController, AdminQuotasController],
  providers: [QuotasService, ProviderQuotaRepository, AlertsService, AlertRepository, AlertsJob],
  exports: [QuotasService],
})
export class QuotasModule {}
