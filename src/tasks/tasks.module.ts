import { Module } from '@nestjs/common';
import { BillingModule } from '../billing/billing.module';
import { ChannelsModule } from '../channels/channels.module';
import { QuotasModule } from '../quotas/quotas.module';
import { TaskSubmitterService } from './task-submitter.service';
import { TaskUpstreamService } from './task-upstream.service';
import { IdempotencyRepository } from '../common/idempotency/idempotency.repository';
import { TaskLifecycleService } from './task-lifecycle.service';
import { TaskPollerJob } from './task-poller.job';
import { TaskPollerService } from './task-poller.service';
import { TasksCleanupJob } from './tasks-cleanup.job';
import { AdminVideosController, VideosController } from './tasks.controller';
import { TasksService } from './tasks.service';
import { VideoTaskRepository } from './video-task.repository';

@Module({
  imports: [BillingModule, ChannelsModule, QuotasModule],
  controllers: [VideosController, AdminVideosController],
  providers: [
    VideoTaskRepository,
    TaskLifecycleService,
    TaskSubmitterService,
    TaskUpstreamService,
    TaskPollerService,
    TaskPollerJob,
    TasksService,
    TasksCleanupJob,
    IdempotencyRepository,
  ],
  exports: [
    VideoTaskRepository,
    TaskLifecycleService,
    TaskSubmitterService,
    TaskUpstreamService,
    TaskPollerService,
    IdempotencyRepository,
    BillingModule,
    ChannelsModule,
    QuotasModule,
  ],
})
export class TasksModule {}
