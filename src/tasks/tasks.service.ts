import { Injectable } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import { quotaToCredits } from '../billing/money';
import { AuthUser } from '../common/auth/auth-user';
import { Clock } from '../common/clock/clock.service';
import { Page, pageOf, toPageRequest } from '../common/pagination/page.dto';
import { AppConfig } from '../config/app-config';
import { AdminVideoDto, AdminVideoListQueryDto, VideoDto, VideoListQueryDto, VideoStatsDto } from './tasks.dto';
import { VideoTask } from './video-task.entity';
import { VideoTaskRepository } from './video-task.repository';

const DAY = 86400;
const CLEANUP_BATCH = 500;

// Task lists for users and admins, the monitoring numbers, and retention.
@Injectable()
export class TasksService {
  constructor(
    private readonly tasks: VideoTaskRepository,
    private readonly clock: Clock,
    private readonly config: AppConfig,
    private readonly logger: PinoLogger,
  ) {
    this.logger.setContext(TasksService.name);
  }

  async listOwn(user: AuthUser, q: VideoListQueryDto): Promise<Page<VideoDto>> {
    const page = toPageRequest(q);
    const [rows, total] = await this.tasks.listTasks(
      { userId: user.id, status: q.status, model: q.model, createdFrom: q.created_from, createdTo: q.created_to },
      page,
    );
    return pageOf(rows, total, page, (t) => this.toDto(t));
  }

  async listAll(_admin: AuthUser, q: AdminVideoListQueryDto): Promise<Page<AdminVideoDto>> {
    const page = toPageRequest(q);
    const [rows, total] = await this.tasks.listTasks(
      {
        userId: q.user_id,
        channelId: q.channel_id,
        status: q.status,
        model: q.model,
        createdFrom: q.created_from,
        createdTo: q.created_to,
      },
      page,
    );
    return pageOf(rows, total, page, (t) => ({ ...this.toDto(t), user_id: t.userId, channel_id: t.channelId }));
  }

  async stats(_admin: AuthUser): Promise<VideoStatsDto> {
    const today = Math.floor(this.clock.now() / DAY);
    const from = (today - 6) * DAY;
    const [byStatus, daily] = await Promise.all([this.tasks.countByStatus(), this.tasks.dailyStats(from)]);
    const byDay = new Map(daily.map((d) => [d.day, d]));
    return {
      by_status: Object.fromEntries(byStatus.map((s) => [s.status, s.n])),
      daily: Array.from({ length: 7 }, (_, i) => {
        const day = today - 6 + i;
        const d = byDay.get(day);
        return {
          date: new Date(day * DAY * 1000).toISOString().slice(0, 10),
          total: d?.total ?? 0,
          succeeded: d?.succeeded ?? 0,
          failed: d?.failed ?? 0,
          credits_charged: quotaToCredits(d?.quota ?? 0, this.config.quotaPerCredit),
        };
      }),
    };
  }

  // Deletes finished tasks older than VIDEO_RETENTION_DAYS in bounded batches (0 keeps all).
  // Ledger rows stay: they are the money record.
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

  private toDto(t: VideoTask): VideoDto {
    return {
      task_id: t.taskId,
      upstream_task_id: t.upstreamTaskId,
      model: t.model,
      provider: t.provider,
      type: t.type,
      status: t.status,
      credits: quotaToCredits(t.quota, this.config.quotaPerCredit),
      prompt: t.prompt,
      duration: t.duration,
      video_url: t.storeUrl,
      fail_reason: t.failReason,
      created_at: t.createdAt,
      updated_at: t.updatedAt,
      finished_at: t.finishedAt,
    };
  }
}
