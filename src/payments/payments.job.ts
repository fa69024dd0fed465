import { Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { CronExpression } from '@nestjs/schedule';
import { Jobs } from '../common/jobs/jobs.service';
import { PaymentsService } from './payments.service';

@Injectable()
export class PaymentsJob implements OnApplicationBootstrap {
  constructor(
    private readonly payments: PaymentsService,
    private readonly jobs: Jobs,
  ) {}

  // Orders are claimed one by one with a conditional UPDATE, so replicas split the work.
  onApplicationBootstrap(): void {
    this.jobs.cron('pending-orders', CronExpression.EVERY_MINUTE, () => this.payments.checkPendingOrders());
  }
}
