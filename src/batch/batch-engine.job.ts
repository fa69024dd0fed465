import { Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { PinoLogger } from 'nestjs-pino';
import { TaskEvents } from '../common/events/task-events';
import { AppConfig } from '../config/app-config';
import { BatchEngineService } from './batch-engine.service';

// A thin trigger: one engine tick every BATCH_TICK_MS, never two at once in this process.
@Injectable()
export class BatchEngineJob implements OnApplicationBootstrap, OnApplicationShutdown {
  private running: Promise<unknown> | null = null;
  private again = false;
  private unsubscribe: (() => void) | null = null;

  constructor(
    private readonly engine: BatchEngineService,
    private readonly scheduler: SchedulerRegistry,
    private readonly config: AppConfig,
    private readonly logger: PinoLogger,
    private readonly events: TaskEvents,
  ) {
    this.logger.setContext(BatchEngineJob.name);
  }

  onApplicationBootstrap(): void {
    if (!this.config.jobsEnabled) return;
    // A batch item's task finished here (callback or poll): settle it and fill the slot now.
    this.unsubscribe = this.events.onFinished((e) => {
      if (e.billedBy === 'batch') this.tick();
    });
    this.scheduler.addInterval(
      'batch-engine',
      setInterval(() => this.tick(), this.config.batchTickMs),
    );
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.scheduler.doesExist('interval', 'batch-engine')) this.scheduler.deleteInterval('batch-engine');
    this.unsubscribe?.();
    await this.running;
  }

  tick(): void {
    if (this.running) {
      this.again = true; // run once more right after the current tick
      return;
    }
    this.running = this.engine
      .tick()
      .catch((err: unknown) => this.logger.error({ err }, 'batch tick failed'))
      .finally(() => {
        this.running = null;
        if (this.again) {
          this.again = false;
          this.tick();
        }
      });
  }
}
