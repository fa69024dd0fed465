import { Injectable } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import { AuthUser } from '../common/auth/auth-user';
import { Clock } from '../common/clock/clock.service';
import { CryptoService } from '../common/crypto/crypto.service';
import { DomainError } from '../common/errors/domain-error';
import { ErrorCode } from '../common/errors/error-code';
import { AppConfig } from '../config/app-config';
import { ProviderRegistry } from '../providers/provider-registry';
import { TaskLifecycleService } from '../tasks/task-lifecycle.service';
import { TaskUpstreamService } from '../tasks/task-upstream.service';
import { isTerminal, TaskStatus } from '../tasks/task-state';
import { VideoTask } from '../tasks/video-task.entity';
import { VideoTaskRepository } from '../tasks/video-task.repository';
import { CallbackAckDto, TaskResultDto } from './kling.dto';
import { callbackToken } from './kling-request';

const ACK: CallbackAckDto = { message: 'success' };
const MAX_REMEMBERED_REFRESHES = 10_000;

// Reading a relay task (refreshing a stale one first) and taking Kling's callbacks.
@Injectable()
export class KlingTasksService {
  // When this process last asked the upstream about a task. A refresh that finds nothing new
  // leaves updated_at alone, so without this every read of a long-running task would query
  // Kling again (plus two database reads): a client polling each second meant one upstream
  // call per poll.
  private readonly refreshedAt = new Map<string, number>();

  constructor(
    private readonly tasks: VideoTaskRepository,
    private readonly lifecycle: TaskLifecycleService,
    private readonly upstream: TaskUpstreamService,
    private readonly providers: ProviderRegistry,
    private readonly crypto: CryptoService,
    private readonly clock: Clock,
    private readonly config: AppConfig,
    private readonly logger: PinoLogger,
  ) {
    this.logger.setContext(KlingTasksService.name);
  }

  async get(user: AuthUser, taskId: string): Promise<TaskResultDto> {
    let task = await this.tasks.findOwned(user.id, taskId);
    if (!task) throw DomainError.notFound('Task');
    if (this.isStale(task) && (await this.refresh(task))) task = (await this.tasks.findOwned(user.id, taskId)) ?? task;
    return toResult(task);
  }

  // Every authentic callback is acknowledged, duplicates included; the conditional transition
  // makes repeats change nothing.
  async callback(taskId: string, token: string | undefined, body: unknown): Promise<CallbackAckDto> {
    if (!token || !this.crypto.safeEqual(token, callbackToken(this.crypto, taskId))) {
      throw new DomainError(ErrorCode.Unauthenticated, 'Missing or wrong callback token');
    }
    const up = this.providers.get('kling').parseCallback(body);
    if (!up) throw DomainError.validation('body', 'is not a Kling task');
    const task = await this.tasks.findByTaskId(taskId);
    if (!task) return ACK; // already cleaned up
    const foreign =
      (up.externalTaskId !== null && up.externalTaskId !== taskId) ||
      (task.upstreamTaskId !== null && up.upstreamTaskId !== task.upstreamTaskId);
    if (foreign) {
      this.logger.warn(
        { task_id: taskId, upstream_task_id: up.upstreamTaskId },
        'callback body names another task; ignored',
      );
      return ACK;
    }
    await this.lifecycle.apply(task, up);
    return ACK;
  }

  private isStale(task: VideoTask): boolean {
    const now = this.clock.now();
    const seen = Math.max(task.updatedAt, this.refreshedAt.get(task.taskId) ?? 0);
    return (
      !isTerminal(task.status as TaskStatus) && task.channelId !== null && now - seen >= this.config.staleRefreshSeconds
    );
  }

  // Best effort: a failed refresh serves what Reelay already knows.
  private async refresh(task: VideoTask): Promise<boolean> {
    this.refreshedAt.delete(task.taskId);
    if (this.refreshedAt.size >= MAX_REMEMBERED_REFRESHES) {
      this.refreshedAt.delete(this.refreshedAt.keys().next().value as string);
    }
    this.refreshedAt.set(task.taskId, this.clock.now());
    try {
      const up = await this.upstream.query(task);
      return up ? (await this.lifecycle.apply(task, up)) !== 'unchanged' : false;
    } catch (err) {
      this.logger.warn({ task_id: task.taskId, err: (err as Error).message }, 'refresh failed');
      return false;
    }
  }
}

function toResult(t: VideoTask): TaskResultDto {
  return {
    task_id: t.taskId,
    kling_task_id: t.upstreamTaskId,
    status: t.status,
    video_url: t.storeUrl ?? '',
    duration: t.duration ?? '',
    fail_reason: t.failReason ?? '',
  };
}
