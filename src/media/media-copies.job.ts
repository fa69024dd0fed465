import { BeforeApplicationShutdown, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { CronExpression } from '@nestjs/schedule';
import { PinoLogger } from 'nestjs-pino';
import { Clock } from '../common/clock/clock.service';
import { Jobs } from '../common/jobs/jobs.service';
import { AppConfig } from '../config/app-config';
import { MediaCopies } from './media-copies.service';
import { MediaStorage } from './media-storage';
import { MediaService } from './media.service';
import { ReferenceImages } from './reference-images.service';

// Thin triggers: every MEDIA_COPY_TICK_MS one copy round (unless the last is still running),
// now and then a sweep of interrupted puts, and hourly the retention marking.
@Injectable()
export class MediaCopiesJob implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private lastSweepMs = 0;

  constructor(
    private readonly copies: MediaCopies,
    private readonly media: MediaService,
    private readonly storage: MediaStorage,
    private readonly references: ReferenceImages,
    private readonly jobs: Jobs,
    private readonly clock: Clock,
    private readonly config: AppConfig,
    private readonly logger: PinoLogger,
  ) {
    this.logger.setContext(MediaCopiesJob.name);
  }

  onApplicationBootstrap(): void {
    this.jobs.every('media-copies', this.config.media.copyTickMs, () => this.round());
    this.jobs.cron('media-retention', CronExpression.EVERY_HOUR, () => this.media.applyRetention());
    this.jobs.cron('media-references', CronExpression.EVERY_DAY_AT_5AM, () => this.references.deleteExpired());
  }

  // Copies in flight stop first, so the job gate's wait for the round is short.
  beforeApplicationShutdown(): void {
    this.copies.stop();
  }

  private async round(): Promise<void> {
    await this.copies.runDue();
    // A put's temporary file is older than a lease only when its writer died.
    const leaseMs = this.config.media.copyLeaseMs;
    if (this.clock.nowMs() - this.lastSweepMs >= leaseMs) {
      this.lastSweepMs = this.clock.nowMs();
      const swept = await this.storage.sweepIncomplete(leaseMs * 2);
      if (swept > 0) this.logger.info({ swept }, 'removed interrupted media uploads');
    }
  }
}
