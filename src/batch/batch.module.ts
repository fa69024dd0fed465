import { AdminBatchesController } from './admin-batches.controller';
import { AdminBatchesService } from './admin-batches.service';
import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '../audit/audit.module';
import { AuthModule } from '../auth/auth.module';
import { MediaModule } from '../media/media.module';
import { BatchDownloadService } from './batch-download.service';
import { BillingModule } from '../billing/billing.module';
import { CatalogModule } from '../catalog/catalog.module';
import { IdempotencyModule } from '../common/idempotency/idempotency.module';
import { SettingsModule } from '../common/settings/settings.module';
import { RelayCoreModule } from '../relay/core/relay-core.module';
import { WebhooksModule } from '../webhooks/webhooks.module';
import { MetricsModule } from '../metrics/metrics.module';
import { BatchAdminController } from './batch-admin.controller';
import { BatchController } from './batch.controller';
import { Batch, BatchEvent, BatchItem, BatchUserState } from './batch.entity';
import { BatchLimitsController } from './batch-limits.controller';
import { BatchEngineJob } from './batch-engine.job';
import { BatchEngineService } from './batch-engine.service';
import { BatchRepository } from './batch.repository';
import { BatchService } from './batch.service';
import { BatchSettingsService } from './batch-settings.service';
import { BatchTaskOwner } from './batch-task.owner';
import { BatchMetrics } from './batch-metrics';

// Batches own their items' tasks: batch → relay core → billing; batch → media (the ZIP download).
@Module({
  imports: [
    AuditModule,
    AuthModule,
    BillingModule,
    CatalogModule,
    RelayCoreModule,
    SettingsModule,
    IdempotencyModule,
    MediaModule,
    WebhooksModule,
    MetricsModule,
    TypeOrmModule.forFeature([Batch, BatchItem, BatchUserState, BatchEvent]),
  ],
  controllers: [BatchController, BatchAdminController, AdminBatchesController, BatchLimitsController],
  providers: [
    BatchService,
    AdminBatchesService,
    BatchEngineService,
    BatchEngineJob,
    BatchRepository,
    BatchSettingsService,
    BatchTaskOwner,
    BatchDownloadService,
    BatchMetrics,
  ],
})
export class BatchModule {}
