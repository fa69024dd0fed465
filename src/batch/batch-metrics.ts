import { Injectable, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { BATCH_ITEM_STATUSES, PLANS } from '../metrics/metric-labels';
import { Metrics } from '../metrics/metrics.service';
import { BatchRepository } from './batch.repository';
import { BatchSettingsService } from './batch-settings.service';

// The batch engine's gauges, read when Prometheus scrapes: items by status, and per plan the
// items in flight and the concurrency limit in force.
@Injectable()
export class BatchMetrics implements OnModuleInit, OnModuleDestroy {
  private unsubscribe: (() => void) | null = null;

  constructor(
    private readonly metrics: Metrics,
    private readonly batches: BatchRepository,
    private readonly settings: BatchSettingsService,
  ) {}

  onModuleInit(): void {
    this.unsubscribe = this.metrics.onCollect(async () => {
      const byStatus = await this.batches.countItemsByStatus();
      for (const s of BATCH_ITEM_STATUSES) this.metrics.setBatchItems(s, byStatus.get(s) ?? 0);
      const running = await this.batches.countInFlightByPlan();
      const cfg = await this.settings.current();
      for (const plan of PLANS) {
        this.metrics.setBatchRunning(plan, running.get(plan) ?? 0);
        this.metrics.setBatchConcurrencyLimit(plan, cfg.plans[plan].concurrency);
      }
    });
  }

  onModuleDestroy(): void {
    this.unsubscribe?.();
  }
}
