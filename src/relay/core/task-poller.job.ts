import { Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { Jobs } from '../../common/jobs/jobs.service';
import { AppConfig } from '../../config/app-config';
import { TaskPollerService } from './task-poller.service';

// A thin trigger: every POLL_TICK_MS, one poll round unless the previous one is still running.
@Injectable()
export class TaskPollerJob implements OnApplicationBootstrap {
  constructor(
    private readonly poller: TaskPollerService,
    private readonly jobs: Jobs,
    private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.jobs.every('task-poller', this.config.pollTickMs, () => this.poller.pollDue());
  }
}
