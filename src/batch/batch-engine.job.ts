import { Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { Jobs } from '../common/jobs/jobs.service';
import { AppConfig } from '../config/app-config';
import { TaskEvents } from '../relay/core/task-events';
import { BatchEngineService } from './batch-engine.service';
import { BATCH_OWNER } from './batch-task.owner';

// A thin trigger: one engine tick every BATCH_TICK_MS, and one at once when a batch item's task
// ended here (its slot is free), never two at once in this process.
@Injectable()
export class BatchEngineJob implements OnApplicationBootstrap, OnApplicationShutdown {
  private unsubscribe: (() => void) | null = null;

  constructor(
    private readonly engine: BatchEngineService,
    private readonly jobs: Jobs,
    private readonly config: AppConfig,
    private readonly events: TaskEvents,
  ) {}

  onApplicationBootstrap(): void {
    this.jobs.every('batch-engine', this.config.batchTickMs, () => this.engine.tick());
    if (this.jobs.enabled) {
      this.unsubscribe = this.events.onEnded((e) => {
        if (e.owner === BATCH_OWNER) this.jobs.trigger('batch-engine');
      });
    }
  }

  onApplicationShutdown(): void {
    this.unsubscribe?.();
  }
}
