import { Injectable } from '@nestjs/common';
import { Cron, CronExpression } from '@nestjs/schedule';
import { AppConfig } from '../config/app-config';
import { AlertsService } from './alerts.service';

@Injectable()
export class AlertsJob {
  constructor(
    private readonly alerts: AlertsService,
    private readonly config: AppConfig,
  ) {}

  // Daily threshold check (a crossing raises one alert, whichever replica sees it first).
  @Cron(CronExpression.EVERY_DAY_AT_9AM, { name: 'quota-alerts' })
  async check(): Promise<void> {
    if (this.config.jobsEnabled) await this.alerts.run();
  }

  // Retries of webhook deliveries that failed.
  @Cron(CronExpression.EVERY_MINUTE, { name: 'alert-delivery' })
  async deliver(): Promise<void> {
    if (this.config.jobsEnabled) await this.alerts.deliverDue();
  }
}
