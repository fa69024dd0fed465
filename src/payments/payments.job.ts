import { Injectable } from '@nestjs/common';
import { Cron, CronExpression } from '@nestjs/schedule';
import { AppConfig } from '../config/app-config';
import { PaymentsService } from './payments.service';

@Injectable()
export class PaymentsJob {
  constructor(
    private readonly payments: PaymentsService,
    private readonly config: AppConfig,
  ) {}

  // Orders are claimed one by one with a conditional UPDATE, so replicas split the work.
  @Cron(CronExpression.EVERY_MINUTE, { name: 'pending-orders' })
  async checkPending(): Promise<void> {
    if (this.config.jobsEnabled) await this.payments.checkPendingOrders();
  }
}
