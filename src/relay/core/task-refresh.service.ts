import { Injectable } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import { Clock } from '../../common/clock/clock.service';
import { AppConfig } from '../../config/app-config';
import { TaskLifecycleService } from './task-lifecycle.service';
import { isTerminal, TaskStatus } from './task-state';
import { TaskUpstreamService } from './task-upstream.service';
import { VideoTask } from './video-task.entity';
import { VideoTaskRepository } from './video-task.repository';

const MAX_REMEMBERED_REFRESHES = 10_000;

// Every surface's read of one task: an unfinished task nobody has heard of for a while is asked
// about upstream first, so a client polling Reelay sees what the poller would see next.
@Injectable()
export class TaskRefreshService {
  // When this process last asked the upstream about a task. A refresh that finds nothing new
  // leaves updated_at alone, so without this every read of a long-running task would query
  // the upstream again: a client polling each second meant one upstream call per poll.
  private readonly refreshedAt = new Map<string, number>();

  constructor(
    private readonly tasks: VideoTaskRepository,
    private readonly lifecycle: TaskLifecycleService,
    private readonly upstream: TaskUpstreamService,
    private readonly clock: Clock,
    private readonly config: AppConfig,
    private readonly logger: PinoLogger,
  ) {
    this.logger.setContext(TaskRefreshService.name);
  }

  // The task as the upstream last told us, refreshed when stale; best effort.
  async fresh(task: VideoTask): Promise<VideoTask> {
    if (!this.isStale(task) || !(await this.refresh(task))) return task;
    return (await this.tasks.findOwned(task.userId, task.taskId)) ?? task;
  }

  private isStale(task: VideoTask): boolean {
    const now = this.clock.now();
    const seen = Math.max(task.updatedAt, this.refreshedAt.get(task.taskId) ?? 0);
    return (
      !isTerminal(task.status as TaskStatus) && task.channelId !== null && now - seen >= this.config.staleRefreshSeconds
    );
  }

  private async refresh(task: VideoTask): Promise<boolean> {
    this.refreshedAt.delete(task.taskId);
    if (this.refreshedAt.size >= MAX_REMEMBERED_REFRESHES) {
      this.refreshedAt.delete(this.refreshedAt.keys().next().value as string);
    }
    this.refreshedAt.set(task.taskId, this.clock.now());
    try {
      const up = await this.upstream.query(task);
      return up ? (await this.lifecycle.apply(task, up, 'refresh')) !== 'unchanged' : false;
    } catch (err) {
      this.logger.warn({ task_id: task.taskId, err: (err as Error).message }, 'refresh failed');
      return false;
    }
  }
}
