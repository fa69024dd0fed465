import { Injectable } from '@nestjs/common';
import { BillingService } from '../billing/billing.service';
import { Clock } from '../common/clock/clock.service';
import { Db } from '../common/database/db.service';
import { TaskEvents } from '../common/events/task-events';
import { UpstreamTask } from '../providers/video-provider';
import { QuotasService } from '../quotas/quotas.service';
import { isTerminal, TaskStatus } from './task-state';
import { VideoTask } from './video-task.entity';
import { TaskResultFields, VideoTaskRepository } from './video-task.repository';

export type ApplyOutcome = 'finished' | 'advanced' | 'unchanged';

// What the lifecycle needs to know of a task to move it and its money.
export type TaskRef = Pick<VideoTask, 'taskId' | 'userId' | 'provider'> & {
  billedBy?: string | null;
  status?: string; // as last read; a terminal status never changes again
};

// Moves a task along what the upstream reports (callback, poll or refresh). The terminal move
// and its money movement commit together: the conditional UPDATE wins once, and only the
// winner captures (success) or releases (failure) the hold.
@Injectable()
export class TaskLifecycleService {
  constructor(
    private readonly tasks: VideoTaskRepository,
    private readonly billing: BillingService,
    private readonly quotas: QuotasService,
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly events: TaskEvents,
  ) {}

  async apply(task: TaskRef, up: UpstreamTask): Promise<ApplyOutcome> {
    // Repeated callbacks for a finished task (Kling sends several) cost no transaction.
    if (task.status !== undefined && isTerminal(task.status as TaskStatus)) return 'unchanged';
    if (up.status === 'succeed' || up.status === 'failed') {
      const fields: TaskResultFields = {
        upstreamTaskId: up.upstreamTaskId,
        videoId: up.videoId,
        storeUrl: up.videoUrl,
        duration: up.duration ?? undefined,
        failReason: up.status === 'failed' ? (up.failReason ?? 'The upstream reported a failure') : null,
      };
      return (await this.finish(task, up.status, fields)) ? 'finished' : 'unchanged';
    }
    const moved = await this.tasks.advance(
      task.taskId,
      up.status,
      { upstreamTaskId: up.upstreamTaskId },
      this.clock.now(),
    );
    return moved ? 'advanced' : 'unchanged';
  }

  // Fails a task for a reason of Reelay's own (timeout, upstream never got it): hold released.
  async fail(task: TaskRef, reason: string): Promise<boolean> {
    return this.finish(task, 'failed', { failReason: reason });
  }

  private async finish(task: TaskRef, to: 'succeed' | 'failed', fields: TaskResultFields): Promise<boolean> {
    const done = await this.db.tx(async (em) => {
      if (!(await this.tasks.finish(em, task.taskId, to, fields, this.clock.now()))) return false;
      if (task.billedBy === 'batch') return true; // the batch engine settles its item's hold
      const ref = { type: 'task' as const, id: task.taskId };
      if (to === 'failed') {
        await this.billing.release(ref, em);
        return true;
      }
      const captured = await this.billing.capture(ref, undefined, em);
      // Seed 003: a succeeded video counts against the user's provider quota.
      if (captured.status === 'captured')
        await this.quotas.recordUsage(em, task.userId, task.provider, captured.charged);
      return true;
    });
    if (done) this.events.finished(task.taskId, task.billedBy ?? null);
    return done;
  }
}
