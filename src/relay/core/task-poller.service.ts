import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import { Clock } from '../../common/clock/clock.service';
import { runBounded } from '../../common/jobs/run-bounded';
import { AppConfig } from '../../config/app-config';
import { Provider } from '../../metrics/metric-labels';
import { Metrics } from '../../metrics/metrics.service';
import { UpstreamTask } from '../../providers/video-provider';
import { TaskLifecycleService } from './task-lifecycle.service';
import { TaskListSweepService } from './task-list-sweep.service';
import { isTerminal, parseSchedule, pollIntervalMs, TaskStatus } from './task-state';
import { KeyMemo, TaskUpstreamService } from './task-upstream.service';
import { VideoTask } from './video-task.entity';
import { VideoTaskRepository } from './video-task.repository';

export interface PollRound {
  claimed: number;
  finished: number;
  errors: number;
}

// The polling fallback: claims due tasks in bounded batches under a lease, asks the upstream
// (a page of its task list for many tasks at once where it can list, else one query per task,
// with bounded parallelism), applies what it says, and schedules the next poll (often early,
// rarely later, on the schedule its owner set). Tasks whose create answer was lost, or whose
// dispatcher died, are found by their external id, never resubmitted; tasks past their deadline
// get one last query and are then failed.
@Injectable()
export class TaskPollerService {
  readonly owner = `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;

  constructor(
    private readonly tasks: VideoTaskRepository,
    private readonly lifecycle: TaskLifecycleService,
    private readonly upstream: TaskUpstreamService,
    private readonly sweeps: TaskListSweepService,
    private readonly clock: Clock,
    private readonly config: AppConfig,
    private readonly metrics: Metrics,
    private readonly logger: PinoLogger,
  ) {
    this.logger.setContext(TaskPollerService.name);
  }

  // One round: everything due now, in batches, until nothing is due. Tasks still running are
  // handed back with one statement per batch, not one each.
  async pollDue(): Promise<PollRound> {
    const round: PollRound = { claimed: 0, finished: 0, errors: 0 };
    const leaseMs = Math.max(5_000, this.config.upstreamTimeoutMs * 2);
    const keys: KeyMemo = new Map();
    const settling: Array<Promise<void>> = [];
    const lanes = await this.tasks.pollLanes();
    for (;;) {
      const batch = await this.tasks.claimDuePolls(
        this.owner,
        this.clock.nowMs(),
        this.config.pollBatchSize,
        leaseMs,
        lanes,
      );
      if (batch.length === 0) break;
      round.claimed += batch.length;
      const nowMs = this.clock.nowMs();
      for (const t of batch) this.metrics.pollLag(t.provider as Provider, (nowMs - (t.nextPollAtMs ?? nowMs)) / 1000);
      const later: NextPoll[] = [];
      const retryLater = (task: VideoTask) => later.push(this.nextPoll(task));
      // Terminal reports are settled together once the batch has been asked (see applyEnds).
      const ends: Array<{ task: VideoTask; up: UpstreamTask }> = [];
      const listed = await this.sweeps.sweep(batch, keys);
      await runBounded(batch, this.config.pollConcurrency, async (task) => {
        try {
          const outcome = await this.pollOne(task, keys, listed.get(task.taskId));
          if (outcome === 'ended') round.finished++;
          else if (outcome === 'pending') retryLater(task);
          else ends.push({ task, up: outcome });
        } catch (err) {
          round.errors++;
          this.logger.warn({ task_id: task.taskId, err: errMessage(err) }, 'poll failed');
          // Past its timeout a task fails even when the upstream cannot be asked.
          if (this.timedOut(task) && (await this.lifecycle.fail(task, 'timeout', 'timeout'))) round.finished++;
          else retryLater(task);
        }
      });
      await this.tasks.rescheduleMany(this.owner, later);
      // The ends settle while the next batch is asked (they stay leased to us until they end).
      settling.push(this.settle(ends, round));
      if (settling.length > SETTLES_IN_FLIGHT) await settling.shift();
      if (batch.length < this.config.pollBatchSize) break;
    }
    await Promise.all(settling);
    if (round.claimed > 0) this.logger.debug(round, 'poll round done');
    return round;
  }

  // Settles a batch's terminal reports; a task whose settlement failed is polled again.
  private async settle(ends: Array<{ task: VideoTask; up: UpstreamTask }>, round: PollRound): Promise<void> {
    if (ends.length === 0) return;
    const { failed } = await this.lifecycle.applyEnds(ends, 'poll');
    round.finished += ends.length - failed.length;
    round.errors += failed.length;
    if (failed.length === 0) return;
    this.logger.warn({ task_ids: failed.map((t) => t.taskId) }, 'settling finished tasks failed; polled again');
    const later = failed.map((t) => this.nextPoll(t));
    // Should this fail too, their leases lapse and the next round claims them.
    await this.tasks.rescheduleMany(this.owner, later).catch(() => undefined);
  }

  // 'ended' when Reelay ended the task (or someone else had), 'pending' when it runs on, or the
  // upstream's terminal report, for the caller to settle. `listed`: the task as a list page showed
  // it this round; without it the upstream is asked for it alone.
  private async pollOne(task: VideoTask, keys: KeyMemo, listed?: UpstreamTask): Promise<PollOutcome> {
    this.metrics.polled(task.provider as Provider, listed ? 'list' : 'query');
    const up = listed ?? (await this.upstream.query(task, keys));
    if (up && isTerminal(up.status)) return up;
    // Most polls find the task as it was: no write then.
    if (up && (up.status !== task.status || up.upstreamTaskId !== task.upstreamTaskId)) {
      await this.lifecycle.apply(task, up, 'poll');
    }
    if (this.timedOut(task)) return (await this.lifecycle.fail(task, 'timeout', 'timeout')) ? 'ended' : 'pending';
    if (!up && this.neverReceived(task)) {
      return (await this.lifecycle.fail(task, 'The upstream never received the task', 'poll')) ? 'ended' : 'pending';
    }
    return 'pending';
  }

  // A task the upstream does not know. Still `submitting` once its dispatch lease lapsed (the
  // poller only claims lapsed leases): its dispatcher died, and an upstream that can look tasks
  // up by our id would know it if the create had arrived. A lost answer (`unknown`), or an
  // upstream that cannot be asked by our id, gets UNKNOWN_GRACE_SECONDS first.
  private neverReceived(task: VideoTask): boolean {
    const status = task.status as TaskStatus;
    if (status === 'submitting' && this.upstream.findsByExternalId(task)) return true;
    const ageS = this.clock.now() - task.createdAt;
    return (status === 'submitting' || status === 'unknown') && ageS >= this.config.unknownGraceSeconds;
  }

  private timedOut(task: VideoTask): boolean {
    return this.clock.nowMs() >= task.deadlineAtMs;
  }

  // The task's next poll, and the interval (its lane) it waits.
  private nextPoll(task: VideoTask): NextPoll {
    const now = this.clock.nowMs();
    const intervalMs = pollIntervalMs(now - task.createdAt * 1000, parseSchedule(task.pollSchedule));
    // Never sleep past the deadline: the last authoritative query happens on time.
    return { taskId: task.taskId, nextPollAtMs: Math.min(now + intervalMs, task.deadlineAtMs), intervalMs };
  }
}

// Batches whose ends may still be settling while the next is polled.
const SETTLES_IN_FLIGHT = 2;

type PollOutcome = 'ended' | 'pending' | UpstreamTask;
type NextPoll = { taskId: string; nextPollAtMs: number; intervalMs: number };

function errMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
