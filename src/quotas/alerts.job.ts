import { Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { CronExpression } from '@nestjs/schedule';
import { Jobs } from '../common/jobs/jobs.service';
import { AlertsService } from './alerts.service';

@Injectable()
export class AlertsJob implements OnApplicationBootstrap {
  constructor(
    private readonly alerts: AlertsService,
    private readonly jobs: Jobs,
  ) {}

  onApplicationBootstrap(): void {
    // Daily threshold check (a crossing raises one alert, whichever replica sees it first).
    this.jobs.cron('quota-alerts', CronExpression.EVERY_DAY_AT_9AM, () => this.alerts.run());
    // Retries of alert webhook deliveries that failed.
    this.jobs.cron('alert-delivery', CronExpression.EVERY_MINUTE, () => this.alerts.deliverDue());
  }
}
