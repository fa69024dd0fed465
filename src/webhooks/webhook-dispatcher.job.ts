import { Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { CronExpression } from '@nestjs/schedule';
import { Clock } from '../common/clock/clock.service';
import { Jobs } from '../common/jobs/jobs.service';
import { AppConfig } from '../config/app-config';
import { DELIVERY_HISTORY_BATCH, WebhookDeliveryRepository } from './webhook-delivery.repository';
import { WebhookDispatcher } from './webhook-dispatcher.service';

// Thin triggers: every WEBHOOK_TICK_MS one dispatch round unless the last is still running;
// daily, finished deliveries older than HISTORY_DAYS go (pending ones never do).
const HISTORY_DAYS = 30;

@Injectable()
export class WebhookDispatcherJob implements OnApplicationBootstrap {
  constructor(
    private readonly dispatcher: WebhookDispatcher,
    private readonly deliveries: WebhookDeliveryRepository,
    private readonly jobs: Jobs,
    private readonly clock: Clock,
    private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.jobs.every('webhook-dispatcher', this.config.webhooks.tickMs, () => this.dispatcher.runDue());
    this.jobs.cron('webhook-history', CronExpression.EVERY_DAY_AT_5AM, () => this.pruneHistory());
  }

  async pruneHistory(): Promise<void> {
    const before = this.clock.nowMs() - HISTORY_DAYS * 86_400_000;
    while ((await this.deliveries.deleteFinishedBefore(before)) === DELIVERY_HISTORY_BATCH);
  }
}
