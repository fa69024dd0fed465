import { Injectable } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import { EntityManager } from 'typeorm';
import { BillingService } from '../billing/billing.service';
import { ChannelRoute, ChannelsService } from '../channels/channels.service';
import { Clock } from '../common/clock/clock.service';
import { Db } from '../common/database/db.service';
import { DomainError } from '../common/errors/domain-error';
import { ErrorCode } from '../common/errors/error-code';
import { AppConfig } from '../config/app-config';
import { ProviderRegistry } from '../providers/provider-registry';
import { ProviderError } from '../providers/video-provider';
import { TaskLifecycleService, TaskRef } from './task-lifecycle.service';
import { pollIntervalMs } from './task-state';
import { VideoTaskRepository } from './video-task.repository';

export interface NewTaskSpec {
  pollClass?: string | null;
  billedBy?: 'batch';
  taskId: string;
  userId: number;
  provider: string;
  model: string;
  kind: string;
  quota: number;
  prompt: string | null;
  duration: string | null;
  requestParams: string;
  routes: ChannelRoute[];
}

export interface DispatchSpec {
  kind: string;
  body: Record<string, unknown>;
  callbackUrl: string | null;
  // The routes carry the user's own upstream key: a refused key is theirs, not the channel's.
  ownKey?: boolean;
}

export type DispatchResult =
  { status: 'submitted'; upstreamTaskId: string } | { status: 'unknown'; upstreamTaskId: null };

// The provider-independent part of a submit: persist the task and its hold in one transaction,
// then offer it to each channel in turn. Failover happens only where the upstream certainly did
// not take the task; a lost answer leaves it `unknown` for the poller, never resubmitted.
@Injectable()
export class TaskSubmitterService {
  constructor(
    private readonly tasks: VideoTaskRepository,
    private readonly lifecycle: TaskLifecycleService,
    private readonly billing: BillingService,
    private readonly providers: ProviderRegistry,
    private readonly channels: ChannelsService,
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly config: AppConfig,
    private readonly logger: PinoLogger,
  ) {
    this.logger.setContext(TaskSubmitterService.name);
  }

  // The task row and the hold commit together; a 402 leaves nothing behind.
  async create(t: NewTaskSpec): Promise<void> {
    await this.db.tx(async (em) => {
      await this.insert(em, t);
      await this.billing.hold(t.userId, t.quota, { type: 'task', id: t.taskId }, em);
    });
  }

  // The task row alone, in the caller's transaction (batch items hold their money themselves).
  async insert(em: EntityManager, t: NewTaskSpec): Promise<void> {
    await this.tasks.insertTask(em, {
      taskId: t.taskId,
      userId: t.userId,
      channelId: t.routes[0].channel.id,
      model: t.model,
      provider: t.provider,
      type: t.kind,
      quota: t.quota,
      prompt: t.prompt,
      duration: t.duration,
      requestKind: t.kind,
      requestParams: t.requestParams,
      // If this process dies mid-submit, the poller picks the task up and resolves it.
      nextPollAtMs: this.clock.nowMs() + this.config.upstreamTimeoutMs + 5_000,
      now: this.clock.now(),
      pollClass: t.pollClass ?? null,
      billedBy: t.billedBy ?? null,
    });
  }

  async dispatch(task: TaskRef, routes: ChannelRoute[], spec: DispatchSpec): Promise<DispatchResult> {
    for (const [i, route] of routes.entries()) {
      if (i > 0) await this.tasks.moveToChannel(task.taskId, route.channel.id, this.clock.now());
      try {
        const up = await this.providers.get(route.channel.type).submit(route.credentials, {
          kind: spec.kind,
          model: route.upstreamModel,
          body: spec.body,
          externalTaskId: task.taskId,
          callbackUrl: spec.callbackUrl,
        });
        await this.tasks.recordAccepted(task.taskId, up.upstreamTaskId, this.firstPollAt(), this.clock.now());
        return { status: 'submitted', upstreamTaskId: up.upstreamTaskId };
      } catch (err) {
        if (!(err instanceof ProviderError)) throw err;
        const verdict = await this.onFailure(task, route, err, spec.ownKey ?? false);
        if (verdict) return verdict;
      }
    }
    await this.lifecycle.fail(task, 'No upstream channel accepted the task');
    throw new DomainError(
      ErrorCode.UpstreamUnavailable,
      'No upstream channel could take the task; nothing was charged',
      {
        task_id: task.taskId,
      },
    );
  }

  // Returns an answer, throws, or returns null to try the next channel.
  private async onFailure(
    task: TaskRef,
    route: ChannelRoute,
    err: ProviderError,
    ownKey: boolean,
  ): Promise<DispatchResult | null> {
    this.logger.warn(
      { task_id: task.taskId, channel_id: route.channel.id, code: err.code, category: err.category },
      'submit failed',
    );
    switch (err.category) {
      case 'unknown_outcome':
        await this.tasks.advance(task.taskId, 'unknown', { nextPollAtMs: this.firstPollAt() }, this.clock.now());
        return { status: 'unknown', upstreamTaskId: null };
      case 'client':
        await this.lifecycle.fail(task, `Rejected by the upstream: ${err.message}`);
        throw new DomainError(ErrorCode.UpstreamRejected, `The upstream rejected the request: ${err.message}`, {
          task_id: task.taskId,
          upstream_code: err.code,
        });
      case 'content':
        await this.lifecycle.fail(task, 'Refused by the content policy');
        throw new DomainError(
          ErrorCode.ContentRejected,
          'The request was refused by the content policy; nothing was charged',
          {
            task_id: task.taskId,
          },
        );
      case 'auth':
      case 'account':
        if (ownKey) {
          await this.lifecycle.fail(task, 'The dedicated upstream key was refused');
          throw new DomainError(
            ErrorCode.UpstreamRejected,
            'Your dedicated upstream key was refused; ask an admin to check it',
            {
              task_id: task.taskId,
            },
          );
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

  private firstPollAt(): number {
    return this.clock.nowMs() + pollIntervalMs(0, this.config.pollScheduleMs);
  }
}

const capitalize = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
