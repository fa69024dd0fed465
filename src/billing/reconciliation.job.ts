import { Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { CronExpression } from '@nestjs/schedule';
import { Jobs } from '../common/jobs/jobs.service';
import { ReconciliationService } from './reconciliation.service';

@Injectable()
export class ReconciliationJob implements OnApplicationBootstrap {
  constructor(
    private readonly reconciliation: ReconciliationService,
    private readonly jobs: Jobs,
  ) {}

  // Read-only, so replicas running it at once only repeat the log lines.
  onApplicationBootstrap(): void {
    this.jobs.cron('ledger-reconciliation', CronExpression.EVERY_DAY_AT_3AM, () => this.reconciliation.runAndLog());
  }
}
