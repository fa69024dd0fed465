import { Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { PinoLogger } from 'nestjs-pino';
import { AppConfig } from '../config/app-config';
import { TaskPollerService } from './task-poller.service';

// A thin trigger: every POLL_TICK_MS, one poll round unless the previous one is still running.
@Injectable()
export class TaskPollerJob implements OnApplicationBootstrap, OnApplicationShutdown {
  private running: Promise<unknown> | null = null;

  constructor(
    private readonly poller: TaskPollerService,
    private readonly scheduler: SchedulerRegistry,
    private readonly config: AppConfig,
    private readonly logger: PinoLogger,
  ) {
    this.logger.setContext(TaskPollerJob.name);
  }

  onApplicationBootstrap(): void {
    if (!this.config.jobsEnabled) return;
    this.scheduler.addInterval(
      'task-poller',
      setInterval(() => this.tick(), this.config.pollTickMs),
    );
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.scheduler.doesExist('interval', 'task-poller')) this.scheduler.deleteInterval('task-poller');
    await this.running;
  }

  tick(): void {
    if (this.running) return;
    this.running = this.poller
      .pollDue()
      .catch((err: unknown) => this.logger.error({ err }, 'poll round failed'))
      .finally(() => (this.running = null));
  }
}
