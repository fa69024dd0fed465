import { Injectable, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { Metrics } from '../../metrics/metrics.service';
import { PROVIDERS } from '../../metrics/metric-labels';
import { VideoTaskRepository } from './video-task.repository';

// The relay's gauges, read when Prometheus scrapes: tasks in flight per provider.
@Injectable()
export class RelayMetrics implements OnModuleInit, OnModuleDestroy {
  private unsubscribe: (() => void) | null = null;

  constructor(
    private readonly metrics: Metrics,
    private readonly tasks: VideoTaskRepository,
  ) {}

  onModuleInit(): void {
    this.unsubscribe = this.metrics.onCollect(async () => {
      const counts = new Map((await this.tasks.countActiveByProvider()).map((r) => [r.provider, r.n]));
      for (const p of PROVIDERS) this.metrics.setTasksInFlight(p, counts.get(p) ?? 0);
    });
  }

  onModuleDestroy(): void {
    this.unsubscribe?.();
  }
}
