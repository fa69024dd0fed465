import { hostname } from 'node:os';
import { BeforeApplicationShutdown, Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { PinoLogger } from 'nestjs-pino';
import type { ChannelType } from '../../providers/channel-types';
import { ChannelRoute, ChannelsService } from '../../channels/channels.service';
import { Clock } from '../../common/clock/clock.service';
import { CryptoService } from '../../common/crypto/crypto.service';
import { isUniqueViolation } from '../../common/database/db-errors';
import { Db } from '../../common/database/db.service';
import { GroupCommit } from '../../common/database/group-commit';
import { DomainError } from '../../common/errors/domain-error';
import { ErrorCode } from '../../common/errors/error-code';
import { HeldKey, Idempotency } from '../../common/idempotency/idempotency.service';
import { AppConfig } from '../../config/app-config';
import { Metrics } from '../../metrics/metrics.service';
import { ProviderRegistry } from '../../providers/provider-registry';
import { ProviderError } from '../../providers/video-provider';
import { QuotasService } from '../../quotas/quotas.service';
import { CallbackUrls } from './callback-urls';
import { TaskLifecycleService } from './task-lifecycle.service';
import { TaskOwners } from './task-owner';
import { formatSchedule, parseSchedule, pollIntervalMs, PollSchedule } from './task-state';
import { VideoTask } from './video-task.entity';
import { VideoTaskRepository } from './video-task.repository';

// What a surface (or the batch engine) asks the relay to run. The caller has quoted it; the
// relay chooses the channels, records the task with its owner's rows, and offers it upstream.
export interface SubmitSpec {
  userId: number;
  provider: ChannelType;
  model: string;
  kind: string; // the upstream request kind (Kling's endpoint, 'sora', 'video')
  quota: number;
  prompt: string | null;
  duration: string | null;
  requestParams: string; // what is kept of the request on the task
  body: Record<string, unknown>; // what goes upstream, minus Reelay's own fields
  taskIdPrefix: string;
  owner: string; // a registered TaskOwner
  ownerRef?: string | null;
  pollSchedule?: PollSchedule; // the owner's; POLL_SCHEDULE_MS otherwise
  timeoutMs?: number; // the owner's; TASK_TIMEOUT_SECONDS otherwise
  api?: string; // the surface that made it
  clientRef?: string | null; // a Kling-protocol client's external_task_id
  clientCallbackUrl?: string | null; // and its callback_url
  tokenId?: number | null; // the API key that pays (its spending caps count the task)
}

// A task to record, with what its transaction needs from the request.
interface Create {
  spec: SubmitSpec;
  first: ChannelRoute;
  nowMs: number;
  leaseUntilMs: number;
  taskId: string;
  key: HeldKey | undefined;
}

export interface Submitted {
  task: VideoTask;
  status: 'submitted' | 'unknown';
  upstreamTaskId: string | null;
}

// The one submit pipeline. It owns the route list from choice to acceptance: chosen once, the
// task recorded on the channel it is offered to, the accepting channel recorded in the same
// write as the upstream task id. Failover happens only where the upstream certainly did not take
// the task; a lost answer leaves it `unknown` for the poller, never sent twice.
@Injectable()
export class RelaySubmitService implements BeforeApplicationShutdown {
  // Who holds a task's dispatch lease: a task still `submitting` after it lapsed was abandoned.
  readonly instance = `${hostname()}:${process.pid}:${Math.random().toString(36).slice(2, 8)}`;

  private readonly creates: GroupCommit<Create, VideoTask>;
  // Accept records still being written (see recordAccepted), awaited before the database closes.
  private readonly accepting = new Map<string, Promise<void>>();

  constructor(
    private readonly tasks: VideoTaskRepository,
    private readonly lifecycle: TaskLifecycleService,
    private readonly owners: TaskOwners,
    private readonly channels: ChannelsService,
    private readonly providers: ProviderRegistry,
    private readonly quotas: QuotasService,
    private readonly callbacks: CallbackUrls,
    private readonly idempotency: Idempotency,
    private readonly metrics: Metrics,
    private readonly crypto: CryptoService,
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly config: AppConfig,
    private readonly logger: PinoLogger,
  ) {
    this.logger.setContext(RelaySubmitService.name);
    this.creates = new GroupCommit(db, {
      work: (em, c) => this.insertIn(em, c),
      maxBatch: 32,
      // One group at a time (SQLite has one writer; on MySQL creates that wait form a bigger next
      // group). Against four side by side: less CPU per submit in five alternated pairs, mixed in two more.
      maxConcurrent: 1,
      order: (a, b) => a.spec.userId - b.spec.userId || (a.taskId < b.taskId ? -1 : 1), // account lock order
    });
  }

  async submit(spec: SubmitSpec): Promise<Submitted> {
    const report = (outcome: 'accepted' | 'rejected' | 'unavailable') =>
      this.metrics.taskCreated({ provider: spec.provider, model: spec.model, outcome });
    try {
      const { routes, ownKey } = await this.routesFor(spec);
      const task = await this.create(spec, routes[0]);
      const submitted = await this.dispatch(task, spec, routes, ownKey);
      report('accepted');
      return submitted;
    } catch (err) {
      const code = (err as { code?: unknown }).code;
      if (code === ErrorCode.NoChannel || code === ErrorCode.UpstreamUnavailable) report('unavailable');
      else if (code === ErrorCode.UpstreamRejected || code === ErrorCode.ContentRejected) report('rejected');
      throw err;
    }
  }

  // Enabled channels serving the model, in the order they will be offered the task. A user's
  // dedicated upstream key (set by an admin) replaces every channel's key.
  private async routesFor(spec: SubmitSpec): Promise<{ routes: ChannelRoute[]; ownKey: boolean }> {
    const routes = await this.channels.routesFor(spec.model, spec.provider);
    if (routes.length === 0) {
      throw new DomainError(ErrorCode.NoChannel, `No channel serves ${spec.model} right now; nothing was charged`);
    }
    const own = await this.quotas.dedicatedKey(spec.userId, spec.provider);
    if (!own) return { routes, ownKey: false };
    return { routes: routes.map((r) => ({ ...r, credentials: { ...r.credentials, key: own } })), ownKey: true };
  }

  // The task row, its owner's rows (the hold) and the caller's Idempotency-Key commit together;
  // a 402 leaves nothing behind.
  private async create(spec: SubmitSpec, first: ChannelRoute): Promise<VideoTask> {
    const nowMs = this.clock.nowMs();
    const leaseUntilMs = nowMs + this.dispatchLeaseMs();
    try {
      return await this.insert(spec, first, nowMs, leaseUntilMs);
    } catch (err) {
      // The client's own task id is unique among its tasks (as Kling keeps it per account).
      if (spec.clientRef && isUniqueViolation(err)) {
        throw DomainError.validation('external_task_id', 'already used by another of your tasks');
      }
      throw err;
    }
  }

  // Creates that arrive together share a transaction (one COMMIT, one log flush for the group);
  // an idle one commits alone at once. The id is chosen once, so a re-run records the same task.
  private insert(spec: SubmitSpec, first: ChannelRoute, nowMs: number, leaseUntilMs: number): Promise<VideoTask> {
    const taskId = `${spec.taskIdPrefix}_${this.crypto.randomString(24)}`;
    return this.creates.run({ spec, first, nowMs, leaseUntilMs, taskId, key: this.idempotency.heldKey() });
  }

  private async insertIn(em: EntityManager, c: Create): Promise<VideoTask> {
    const { spec, first, nowMs, leaseUntilMs } = c;
    const task = await this.tasks.insertTask(em, {
      taskId: c.taskId,
      userId: spec.userId,
      channelId: first.channel.id,
      model: spec.model,
      provider: spec.provider,
      type: spec.kind,
      quota: spec.quota,
      prompt: spec.prompt,
      duration: spec.duration,
      requestKind: spec.kind,
      requestParams: spec.requestParams,
      owner: spec.owner,
      ownerRef: spec.ownerRef ?? null,
      pollSchedule: formatSchedule(spec.pollSchedule ?? this.config.pollScheduleMs),
      deadlineAtMs: nowMs + (spec.timeoutMs ?? this.config.taskTimeoutSeconds * 1000),
      // If this process dies mid-submit, the poller takes the task once the lease lapses.
      api: spec.api ?? null,
      clientRef: spec.clientRef ?? null,
      clientCallbackUrl: spec.clientCallbackUrl ?? null,
      tokenId: spec.tokenId ?? null,
      leaseOwner: this.instance,
      leaseUntilMs,
      nextPollAtMs: leaseUntilMs,
      now: Math.floor(nowMs / 1000),
    });
    await this.owners.get(spec.owner).onCreated(em, task);
    await this.idempotency.recordCreated(em, { type: 'task', id: task.taskId }, c.key);
    return task;
  }

  private async dispatch(
    task: VideoTask,
    spec: SubmitSpec,
    routes: ChannelRoute[],
    ownKey: boolean,
  ): Promise<Submitted> {
    const provider = this.providers.get(spec.provider);
    const callbackUrl = provider.sendsCallbacks ? this.callbacks.urlFor(spec.provider, task.taskId) : null;
    for (const [i, route] of routes.entries()) {
      if (i > 0) {
        const nowMs = this.clock.nowMs();
        await this.tasks.moveToChannel(
          task.taskId,
          route.channel.id,
          nowMs + this.dispatchLeaseMs(),
          Math.floor(nowMs / 1000),
        );
      }
      try {
        const up = await provider.submit(route.credentials, {
          kind: spec.kind,
          model: route.upstreamModel,
          body: spec.body,
          externalTaskId: task.taskId,
          callbackUrl,
        });
        this.recordAccepted(task, route.channel.id, up.upstreamTaskId);
        return {
          task: { ...task, channelId: route.channel.id },
          status: 'submitted',
          upstreamTaskId: up.upstreamTaskId,
        };
      } catch (err) {
        if (!(err instanceof ProviderError)) throw err;
        const verdict = await this.onFailure(task, route, err, ownKey);
        if (verdict) return verdict;
      }
    }
    await this.lifecycle.fail(task, 'No upstream channel accepted the task', 'submit', {
      atSubmit: true,
      retryable: true,
    });
    throw new DomainError(
      ErrorCode.UpstreamUnavailable,
      'No upstream channel could take the task; nothing was charged',
      {
        task_id: task.taskId,
      },
    );
  }

  // The answer does not wait for this write (a commit and its log flush, a third of the time a
  // submit spends in the database): the task and its hold committed before the upstream was
  // asked. Until it lands the task reads as `submitting`; should it never land (the process dies,
  // the database refuses it), the poller takes the task once its dispatch lease lapses and finds
  // it upstream by our id, as after any lost answer, never sending it again.
  private recordAccepted(task: VideoTask, channelId: number, upstreamTaskId: string): void {
    const write = this.tasks
      .recordAccepted(task.taskId, channelId, upstreamTaskId, this.firstPollAt(task), this.clock.now())
      .catch((err: unknown) => {
        this.logger.warn(
          { task_id: task.taskId, err },
          'recording an accepted task failed; the poller resolves it after its dispatch lease',
        );
      });
    this.accepting.set(task.taskId, write);
    void write.finally(() => this.accepting.delete(task.taskId));
  }

  // Resolves once every accept record begun so far has been written (or logged as failed).
  async acceptsWritten(): Promise<void> {
    await Promise.all([...this.accepting.values()]);
  }

  // Resolves once this task's accept record, if this process is writing it, has been written:
  // what reads the task's upstream id (a callback checking whose it is) waits for it.
  // Undefined when none is pending, so the callback path awaits nothing then.
  acceptWritten(taskId: string): Promise<void> | undefined {
    return this.accepting.get(taskId);
  }

  beforeApplicationShutdown(): Promise<void> {
    return this.acceptsWritten();
  }

  // Returns an answer, throws, or returns null to offer the task to the next channel.
  private async onFailure(
    task: VideoTask,
    route: ChannelRoute,
    err: ProviderError,
    ownKey: boolean,
  ): Promise<Submitted | null> {
    this.logger.warn(
      { task_id: task.taskId, channel_id: route.channel.id, code: err.code, category: err.category },
      'submit failed',
    );
    switch (err.category) {
      case 'unknown_outcome':
        await this.tasks.recordUnknown(task.taskId, this.firstPollAt(task), this.clock.now());
        return { task: { ...task, channelId: route.channel.id }, status: 'unknown', upstreamTaskId: null };
      case 'client':
        return this.refuse(task, `Rejected by the upstream: ${err.message}`, ErrorCode.UpstreamRejected, {
          message: `The upstream rejected the request: ${err.message}`,
          upstream_code: err.code,
        });
      case 'content':
        return this.refuse(task, 'Refused by the content policy', ErrorCode.ContentRejected, {
          message: 'The request was refused by the content policy; nothing was charged',
        });
      case 'auth':
      case 'account':
        if (ownKey) {
          return this.refuse(task, 'The dedicated upstream key was refused', ErrorCode.UpstreamRejected, {
            message: 'Your dedicated upstream key was refused; ask an admin to check it',
          });
        }
        // The channel's key or account is broken, not the caller's request. The reason is for
        // admins (channel list); the caller never sees upstream account details.
        await this.channels.autoDisable(
          route.channel.id,
          `${capitalize(route.channel.type)} ${err.code}: ${err.message}`,
        );
        return null;
      default:
        return null;
    }
  }

  private async refuse(
    task: VideoTask,
    reason: string,
    code: ErrorCode,
    info: { message: string; upstream_code?: string },
  ): Promise<never> {
    await this.lifecycle.fail(task, reason, 'submit', { atSubmit: true, retryable: false });
    const { message, ...details } = info;
    throw new DomainError(code, message, { task_id: task.taskId, ...details });
  }

  // One attempt may take two upstream calls (a re-signed retry), each bounded by the timeout.
  private dispatchLeaseMs(): number {
    return this.config.upstreamTimeoutMs * 2 + 5_000;
  }

  private firstPollAt(task: VideoTask): number {
    return this.clock.nowMs() + pollIntervalMs(0, parseSchedule(task.pollSchedule));
  }
}

const capitalize = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
