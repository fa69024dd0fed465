import { Injectable } from '@nestjs/common';
import { Cron, CronExpression } from '@nestjs/schedule';
import { ReconciliationService } from './reconciliation.service';

@Injectable()
export class ReconciliationJob {
  constructor(private readonly reconciliation: ReconciliationService) {}

  // Read-only, so replicas running it at once only repeat the log lines.
  @Cron(CronExpression.EVERY_DAY_AT_3AM, { name: 'ledger-reconciliation' })
  async run(): Promise<void> {
    await this.reconciliation.runAndLog();
  }
}
