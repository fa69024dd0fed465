import { Injectable } from '@nestjs/common';
import { quotaToCredits } from '../../common/money/money';
import { AuthUser } from '../../common/auth/auth-user';
import { Clock } from '../../common/clock/clock.service';
import { Page, pageOf, toPageRequest } from '../../common/pagination/page.dto';
import { AppConfig } from '../../config/app-config';
import { AdminVideoDto, AdminVideoListQueryDto, VideoDto, VideoListQueryDto, VideoStatsDto } from './videos.dto';
import { VideoTask } from '../core/video-task.entity';
import { VideoTaskRepository } from '../core/video-task.repository';
import { MediaService } from '../../media/media.service';
import { NOT_STORED } from '../../media/stored-copy.dto';

const DAY = 86400;

// Task lists for users and admins, and the monitoring numbers.
@Injectable()
export class VideosService {
  constructor(
    private readonly tasks: VideoTaskRepository,
    private readonly media: MediaService,
    private readonly clock: Clock,
    private readonly config: AppConfig,
  ) {}

  async listOwn(user: AuthUser, q: VideoListQueryDto): Promise<Page<VideoDto>> {
    const page = toPageRequest(q);
    const [rows, total] = await this.tasks.listTasks(
      { userId: user.id, status: q.status, model: q.model, createdFrom: q.created_from, createdTo: q.created_to },
      page,
    );
    const stored = await this.media.storeFieldsFor(rows.map((t) => t.taskId));
    return pageOf(rows, total, page, (t) => this.toDto(t, stored.get(t.taskId)));
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
    const stored = await this.media.storeFieldsFor(rows.map((t) => t.taskId));
    return pageOf(rows, total, page, (t) => ({
      ...this.toDto(t, stored.get(t.taskId)),
      user_id: t.userId,
      channel_id: t.channelId,
    }));
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

  private toDto(t: VideoTask, stored = NOT_STORED): VideoDto {
    return {
      ...stored,
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
