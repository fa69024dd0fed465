import { Injectable } from '@nestjs/common';
import { Cron, CronExpression } from '@nestjs/schedule';
import { Clock } from '../common/clock/clock.service';
import { IdempotencyRepository } from '../common/idempotency/idempotency.repository';
import { AppConfig } from '../config/app-config';
import { TasksService } from './tasks.service';

@Injectable()
export class TasksCleanupJob {
  constructor(
    private readonly tasks: TasksService,
    private readonly idempotency: IdempotencyRepository,
    private readonly clock: Clock,
    private readonly config: AppConfig,
  ) {}

  // Deletes are idempotent, so replicas running it together only split the work.
  @Cron(CronExpression.EVERY_DAY_AT_4AM, { name: 'tasks-cleanup' })
  async run(): Promise<void> {
    if (!this.config.jobsEnabled) return;
    await this.tasks.cleanupFinished();
    await this.idempotency.deleteExpired(this.clock.now());
  }
}
