import { Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { CronExpression } from '@nestjs/schedule';
import { Jobs } from '../../common/jobs/jobs.service';
import { TaskRetentionService } from './task-retention.service';

@Injectable()
export class TaskRetentionJob implements OnApplicationBootstrap {
  constructor(
    private readonly retention: TaskRetentionService,
    private readonly jobs: Jobs,
  ) {}

  onApplicationBootstrap(): void {
    this.jobs.cron('task-retention', CronExpression.EVERY_DAY_AT_4AM, () => this.retention.cleanupFinished());
  }
}
