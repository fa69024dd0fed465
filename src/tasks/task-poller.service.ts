import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import { Clock } from '../common/clock/clock.service';
import { BatchSettingsService } from '../common/settings/batch-settings.service';
import { AppConfig } from '../config/app-config';
import { BatchEngineConfig } from '../config/batch.config';
import { TaskLifecycleService } from './task-lifecycle.service';
import { isTerminal, pollIntervalMs, TaskStatus } from './task-state';
import { TaskUpstreamService } from './task-upstream.service';
import { VideoTask } from './video-task.entity';
import { VideoTaskRepository } from './video-task.repository';

export interface PollRound {
  claimed: number;
  finished: number;
  errors: number;
}

// The polling fallback: claims due tasks in bounded batches under a lease, asks the upstream
// with bounded parallelism, applies what it says, and schedules the next poll (often early,
// rarely later). Tasks whose create answer was lost are found by their external id, never
// resubmitted; tasks past their timeout get one last query and are then failed.
@Injectable()
export class TaskPollerService {
  readonly owner = `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;

  constructor(
    private readonly tasks: VideoTaskRepository,
    private readonly lifecycle: TaskLifecycleService,
    private readonly upstream: TaskUpstreamService,
    private readonly clock: Clock,
    private readonly config: AppConfig,
    private readonly settings: BatchSettingsService,
    private readonly logger: PinoLogger,
  ) {
    this.logger.setContext(TaskPollerService.name);
  }

  // One round: everything due now, in batches, until nothing is due. Tasks still running are
  // handed back with one statement per batch, not one each.
  async pollDue(): Promise<PollRound> {
    const round: PollRound = { claimed: 0, finished: 0, errors: 0 };
    const leaseMs = Math.max(5_000, this.config.upstreamTimeoutMs * 2);
    const cfg = await this.settings.current(); // batch items' schedules and timeouts
    const keys = new Map<string, Promise<string | null>>();
    for (;;) {
      const batch = await this.tasks.claimDuePolls(this.owner, this.clock.nowMs(), this.config.pollBatchSize, leaseMs);
      if (batch.length === 0) break;
      round.claimed += batch.length;
      const later: Array<{ taskId: string; nextPollAtMs: number }> = [];
      await runBounded(batch, this.config.pollConcurrency, async (task) => {
        try {
          if (await this.pollOne(task, cfg, keys)) round.finished++;
          else later.push({ taskId: task.taskId, nextPollAtMs: this.nextPoll(task, cfg) });
        } catch (err) {
          round.errors++;
          this.logger.warn({ task_id: task.taskId, err: errMessage(err) }, 'poll failed');
          // Past its timeout a task fails even when the upstream cannot be asked.
          if (this.timedOut(task, cfg) && (await this.lifecycle.fail(task, 'timeout'))) round.finished++;
          else later.push({ taskId: task.taskId, nextPollAtMs: this.nextPoll(task, cfg) });
        }
      });
      await this.tasks.rescheduleMany(this.owner, later);
      if (batch.length < this.config.pollBatchSize) break;
    }
    if (round.claimed > 0) this.logger.debug(round, 'poll round done');
    return round;
  }

  // Returns whether the task reached a terminal state (or someone else finished it).
  private async pollOne(
    task: VideoTask,
    cfg: BatchEngineConfig,
    keys: Map<string, Promise<string | null>>,
  ): Promise<boolean> {
    const ageS = this.clock.now() - task.createdAt;
    const up = await this.upstream.query(task, keys);
    if (up && isTerminal(up.status)) {
      await this.lifecycle.apply(task, up); // 'unchanged' here: someone else finished it
      return true;
    }
    // Most polls find the task as it was: no write then.
    if (up && (up.status !== task.status || up.upstreamTaskId !== task.upstreamTaskId)) {
      await this.lifecycle.apply(task, up);
    }
    const status = task.status as TaskStatus;
    if (this.timedOut(task, cfg)) return this.lifecycle.fail(task, 'timeout');
    if (!up && (status === 'submitting' || status === 'unknown') && ageS >= this.config.unknownGraceSeconds) {
      return this.lifecycle.fail(task, 'The upstream never received the task');
    }
    return false;
  }

  private timedOut(task: VideoTask, cfg: BatchEngineConfig): boolean {
    return this.clock.nowMs() - task.createdAt * 1000 >= this.timeoutMs(task, cfg);
  }

  // Batch items poll and time out by resolution class; everything else by the defaults.
  private timeoutMs(task: VideoTask, cfg: BatchEngineConfig): number {
    return (task.pollClass && cfg.timeoutsMs[task.pollClass]) || this.config.taskTimeoutSeconds * 1000;
  }

  private schedule(task: VideoTask, cfg: BatchEngineConfig): ReadonlyArray<readonly [number, number]> {
    return (task.pollClass && cfg.polling[task.pollClass]) || this.config.pollScheduleMs;
  }

  private nextPoll(task: VideoTask, cfg: BatchEngineConfig): number {
    const now = this.clock.nowMs();
    const createdMs = task.createdAt * 1000;
    // Never sleep past the timeout: the last authoritative query happens on time.
    return Math.min(
      now + pollIntervalMs(now - createdMs, this.schedule(task, cfg)),
      createdMs + this.timeoutMs(task, cfg),
    );
  }
}

// Runs `work` over `items` with at most `limit` in flight.
export async function runBounded<T>(items: T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const lanes = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) await work(items[next++]);
  });
  await Promise.all(lanes);
}

function errMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
