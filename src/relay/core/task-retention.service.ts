import { Injectable } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import { Clock } from '../../common/clock/clock.service';
import { AppConfig } from '../../config/app-config';
import { VideoTaskRepository } from './video-task.repository';

const DAY = 86400;
const CLEANUP_BATCH = 500;

// Retention: finished tasks older than VIDEO_RETENTION_DAYS go (0 keeps all). Ledger rows stay:
// they are the money record.
@Injectable()
export class TaskRetentionService {
  constructor(
    private readonly tasks: VideoTaskRepository,
    private readonly clock: Clock,
    private readonly config: AppConfig,
    private readonly logger: PinoLogger,
  ) {
    this.logger.setContext(TaskRetentionService.name);
  }

  // Deletes in bounded batches; idempotent, so replicas running it together only split the work.
  async cleanupFinished(): Promise<number> {
    if (this.config.videoRetentionDays === 0) return 0;
    const before = this.clock.now() - this.config.videoRetentionDays * DAY;
    let deleted = 0;
    for (;;) {
      const n = await this.tasks.deleteFinishedBefore(before, CLEANUP_BATCH);
      deleted += n;
      if (n < CLEANUP_BATCH) break;
    }
    if (deleted > 0) this.logger.info({ deleted, before }, 'deleted finished tasks past retention');
    return deleted;
  }
}
