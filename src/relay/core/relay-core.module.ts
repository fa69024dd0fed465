import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { BillingModule } from '../../billing/billing.module';
import { ChannelsModule } from '../../channels/channels.module';
import { IdempotencyModule } from '../../common/idempotency/idempotency.module';
import { ProvidersModule } from '../../providers/providers.module';
import { MetricsModule } from '../../metrics/metrics.module';
import { QuotasModule } from '../../quotas/quotas.module';
import { CallbackUrls } from './callback-urls';
import { DirectTaskOwner } from './direct-task.owner';
import { RelayCallbacksController } from './relay-callbacks.controller';
import { RelayCallbacksService } from './relay-callbacks.service';
import { RelayMetrics } from './relay-metrics';
import { RelaySubmitService } from './relay-submit.service';
import { TaskEvents } from './task-events';
import { TaskLifecycleService } from './task-lifecycle.service';
import { TaskListSweepService } from './task-list-sweep.service';
import { TaskOwners } from './task-owner';
import { TaskPollerJob } from './task-poller.job';
import { TaskPollerService } from './task-poller.service';
import { TaskRefreshService } from './task-refresh.service';
import { TaskRetentionJob } from './task-retention.job';
import { TaskRetentionService } from './task-retention.service';
import { TaskUpstreamService } from './task-upstream.service';
import { VideoTask } from './video-task.entity';
import { VideoTaskRepository } from './video-task.repository';

// The relay core: one submit pipeline, the task lifecycle with its owners, the poller, stale
// refresh, upstream callbacks and the URLs they come back to. Surfaces (kling-compatible, veo,
// videos) and owners (batch) import it; it imports only what sits below it.
@Module({
  imports: [
    BillingModule,
    ChannelsModule,
    ProvidersModule,
    QuotasModule,
    IdempotencyModule,
    MetricsModule,
    TypeOrmModule.forFeature([VideoTask]),
  ],
  controllers: [RelayCallbacksController],
  providers: [
    VideoTaskRepository,
    TaskOwners,
    DirectTaskOwner,
    TaskEvents,
    TaskLifecycleService,
    RelaySubmitService,
    RelayMetrics,
    CallbackUrls,
    RelayCallbacksService,
    TaskUpstreamService,
    TaskRefreshService,
    TaskListSweepService,
    TaskPollerService,
    TaskPollerJob,
    TaskRetentionService,
    TaskRetentionJob,
  ],
  exports: [
    RelaySubmitService,
    TaskRefreshService,
    TaskOwners,
    TaskEvents,
    TaskLifecycleService,
    TaskPollerService,
    VideoTaskRepository,
  ],
})
export class RelayCoreModule {}
