import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Clock } from '../../common/clock/clock.service';
import { Db } from '../../common/database/db.service';
import { GroupCommit } from '../../common/database/group-commit';
import { UpstreamTask } from '../../providers/video-provider';
import { Metrics, SettledBy } from '../../metrics/metrics.service';
import { Provider } from '../../metrics/metric-labels';
import { QuotasService } from '../../quotas/quotas.service';
import { TaskEvents } from './task-events';
import { TaskOutcome, TaskOwners } from './task-owner';
import { isTerminal, TaskStatus } from './task-state';
import { VideoTask } from './video-task.entity';
import { TaskResultFields, VideoTaskRepository } from './video-task.repository';

export type ApplyOutcome = 'finished' | 'advanced' | 'unchanged';

// How a task ended, stored on it (`ended_by`) for the stats: what the upstream told us by callback,
// by a poll or by a client's stale refresh; or Reelay's own verdict at its timeout or at submit.
export type AppliedBy = 'callback' | 'poll' | 'refresh';
export type FailedBy = 'timeout' | 'submit' | 'poll';
export type TaskEndedBy = AppliedBy | FailedBy;

export interface FailOptions {
  atSubmit?: boolean;
  retryable?: boolean;
}

// Moves a task along what the upstream reports (callback, poll or refresh). The terminal move
// and everything that must happen because the task ended commit together: the terminal UPDATE
// (conditional on the task being active, under its row lock) wins once, and only the winner calls the task's owner (capture or release, batch item
// settle) and the end listeners (webhook outbox, media copy).
@Injectable()
export class TaskLifecycleService {
  private readonly settler: GroupCommit<TaskEnd, boolean, Set<string>>;

  constructor(
    private readonly tasks: VideoTaskRepository,
    private readonly owners: TaskOwners,
    private readonly quotas: QuotasService,
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly events: TaskEvents,
    private readonly metrics: Metrics,
  ) {
    this.settler = new GroupCommit(db, {
      // The group's terminal UPDATEs in one statement; each end's owner and listeners then run if it won.
      prepare: (em, ends) => {
        for (const listener of this.owners.listeners)
          listener.beforeEnds(
            em,
            ends.map((e) => e.task),
          );
        return this.tasks.finishMany(
          em,
          ends.map((e) => ({ taskId: e.task.taskId, to: e.outcome.status, fields: e.fields, now: e.now })),
        );
      },
      work: (em, e, won) => (won.delete(e.task.taskId) ? this.settleEnded(em, e) : Promise.resolve(false)),
      maxBatch: SETTLE_GROUP,
      // One group at a time, on both databases (SQLite has one writer). On MySQL, ends that arrive
      // while a group commits wait and form a bigger next one: fewer round trips per end. Four groups
      // side by side measured 0.80 ms of CPU per first callback and ~990 settled/s; one group
      // 0.52 ms and ~1,370/s (docs/benchmarks.md, "Group commit"). The price: a group waiting for a
      // lock holds up this process's other ends meanwhile; what it locks (task rows, account rows)
      // only short transactions hold.
      maxConcurrent: 1,
      // One lock order (user, then task) for every group.
      order: (a, b) => a.task.userId - b.task.userId || (a.task.taskId < b.task.taskId ? -1 : 1),
    });
  }

  async apply(task: VideoTask, up: UpstreamTask, by: AppliedBy): Promise<ApplyOutcome> {
    // Repeated callbacks for a finished task (Kling sends several) cost no transaction.
    if (isTerminal(task.status as TaskStatus)) return 'unchanged';
    if (up.status === 'succeed' || up.status === 'failed') {
      const end = upstreamEnd(up, by);
      return (await this.finish(task, end.outcome, end.fields)) ? 'finished' : 'unchanged';
    }
    const moved = await this.tasks.advance(
      task.taskId,
      up.status,
      { upstreamTaskId: up.upstreamTaskId },
      this.clock.now(),
    );
    return moved ? 'advanced' : 'unchanged';
  }

  // Fails a task for a reason of Reelay's own (timeout, no channel took it, refused at submit).
  async fail(task: VideoTask, reason: string, by: FailedBy, opts: FailOptions = {}): Promise<boolean> {
    const outcome: TaskOutcome = {
      status: 'failed',
      reason,
      atSubmit: opts.atSubmit ?? false,
      retryable: opts.retryable ?? false,
    };
    return this.finish(task, outcome, { failReason: reason, endedBy: by });
  }

  // Terminal reports for many tasks at once (a poll round's), settled in groups (see finish).
  // Returns the tasks whose settlement failed, for the next poll.
  async applyEnds(
    ends: ReadonlyArray<{ task: VideoTask; up: UpstreamTask }>,
    by: AppliedBy,
  ): Promise<{ failed: VideoTask[] }> {
    const todo = ends.filter((e) => !isTerminal(e.task.status as TaskStatus));
    const results = await Promise.allSettled(
      todo.map((e) => {
        const end = upstreamEnd(e.up, by);
        return this.finish(e.task, end.outcome, end.fields);
      }),
    );
    return { failed: todo.filter((_, i) => results[i].status === 'rejected').map((e) => e.task) };
  }

  // Every terminal move goes through one group commit: ends that arrive while others commit
  // (a burst of callbacks, a poll round) share a transaction, so a busy user's account row is
  // locked and committed once per group instead of once per task; the group's still-active tasks
  // are locked and ended by one UPDATE (only those win), and each caller hears back after the
  // commit that holds its end.
  private async finish(task: VideoTask, outcome: TaskOutcome, fields: TaskResultFields): Promise<boolean> {
    const now = this.clock.now();
    const done = await this.settler.run({ task, outcome, fields, now });
    if (done) this.reportEnded(task, outcome, fields, now);
    return done;
  }

  // What a won terminal move entails, in its transaction: the owner settles (capture or release,
  // batch item), the provider usage is counted, the listeners run (webhook outbox, media copy).
  private async settleEnded(em: EntityManager, e: TaskEnd): Promise<boolean> {
    const { task, outcome, fields, now } = e;
    const ended = endedTask(task, outcome.status, fields, now);
    const { charged } = await this.owners.get(task.owner).onFinished(em, ended, outcome);
    // Seed 003: a succeeded video counts against the user's provider quota.
    if (charged > 0) await this.quotas.recordUsage(em, task.userId, task.provider, charged);
    for (const listener of this.owners.listeners) await listener.onTaskEnded(em, ended, outcome);
    return true;
  }

  // After the commit: the owners' wake-up and the metrics.
  private reportEnded(task: VideoTask, outcome: TaskOutcome, fields: TaskResultFields, now: number): void {
    this.events.ended({ taskId: task.taskId, owner: task.owner });
    this.metrics.taskFinished({
      provider: task.provider as Provider,
      model: task.model,
      outcome: outcome.status === 'succeed' ? 'succeeded' : 'failed',
      settledBy: fields.endedBy as SettledBy,
      durationSeconds: now - task.createdAt,
    });
  }
}

// Most ends in one transaction: enough that commits stop being the cost, few enough that a group
// holds its account locks for milliseconds, not seconds.
const SETTLE_GROUP = 50;

interface TaskEnd {
  task: VideoTask;
  outcome: TaskOutcome;
  fields: TaskResultFields;
  now: number;
}

// What an upstream's terminal report writes on the task, and the outcome its owner settles.
function upstreamEnd(up: UpstreamTask, by: AppliedBy): { outcome: TaskOutcome; fields: TaskResultFields } {
  const fields: TaskResultFields = {
    upstreamTaskId: up.upstreamTaskId,
    videoId: up.videoId,
    storeUrl: up.videoUrl,
    duration: up.duration ?? undefined,
    failReason: up.status === 'failed' ? (up.failReason ?? 'The upstream reported a failure') : null,
    endedBy: by,
  };
  const outcome: TaskOutcome =
    up.status === 'succeed'
      ? { status: 'succeed' }
      : { status: 'failed', reason: fields.failReason as string, atSubmit: false, retryable: false };
  return { outcome, fields };
}

// The task as its terminal UPDATE left it, without reading it back.
function endedTask(task: VideoTask, status: 'succeed' | 'failed', f: TaskResultFields, now: number): VideoTask {
  const defined = Object.fromEntries(Object.entries(f).filter(([, v]) => v !== undefined)) as Partial<VideoTask>;
  return Object.assign(new VideoTask(), task, defined, {
    status,
    finishedAt: now,
    updatedAt: now,
    nextPollAtMs: null,
    leaseOwner: null,
    leaseUntilMs: null,
  });
}
