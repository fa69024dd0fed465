import { Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { CronExpression } from '@nestjs/schedule';
import { Clock } from '../clock/clock.service';
import { Jobs } from '../jobs/jobs.service';
import { IdempotencyRepository } from './idempotency.repository';

// Keys are kept 24 h; expired rows go daily (a claim also takes an expired row over).
@Injectable()
export class IdempotencyCleanupJob implements OnApplicationBootstrap {
  constructor(
    private readonly keys: IdempotencyRepository,
    private readonly jobs: Jobs,
    private readonly clock: Clock,
  ) {}

  onApplicationBootstrap(): void {
    this.jobs.cron('idempotency-cleanup', CronExpression.EVERY_DAY_AT_4AM, () =>
      this.keys.deleteExpired(this.clock.now()),
    );
  }
}
