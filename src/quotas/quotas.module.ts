import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Alert, AlertState } from './alert.entity';
import { ProviderQuota } from './provider-quota.entity';
import { AuditModule } from '../audit/audit.module';
import { AuthModule } from '../auth/auth.module';
import { ProvidersModule } from '../providers/providers.module';
import { AlertRepository } from './alert.repository';
import { AlertsJob } from './alerts.job';
import { AlertsService } from './alerts.service';
import { ProviderQuotaRepository } from './provider-quota.repository';
import { AdminQuotasController, QuotasController } from './quotas.controller';
import { QuotasService } from './quotas.service';

@Module({
  imports: [AuditModule, AuthModule, ProvidersModule, TypeOrmModule.forFeature([ProviderQuota, Alert, AlertState])],
  controllers: [QuotasController, AdminQuotasController],
  providers: [QuotasService, ProviderQuotaRepository, AlertsService, AlertRepository, AlertsJob],
  exports: [QuotasService],
})
export class QuotasModule {}
