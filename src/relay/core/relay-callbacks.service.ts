import { Injectable } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import type { ChannelType } from '../../providers/channel-types';
import { ChannelsService } from '../../channels/channels.service';
import { Clock } from '../../common/clock/clock.service';
import { DomainError } from '../../common/errors/domain-error';
import { ErrorCode } from '../../common/errors/error-code';
import { Metrics } from '../../metrics/metrics.service';
import { ProviderRegistry } from '../../providers/provider-registry';
import { CallbackHeaders, UpstreamTask, VideoProvider } from '../../providers/video-provider';
import { CallbackUrls } from './callback-urls';
import { RelaySubmitService } from './relay-submit.service';
import { TaskLifecycleService } from './task-lifecycle.service';
import { VideoTask } from './video-task.entity';
import { VideoTaskRepository } from './video-task.repository';

export const CALLBACK_ACK = { message: 'success' } as const;

// Every upstream's callback: Reelay's URL token always, the provider's own proof (a signature)
// when its channel has one, then the same conditional transition as a poll. Every authentic
// callback is acknowledged, duplicates included; repeats change nothing.
@Injectable()
export class RelayCallbacksService {
  constructor(
    private readonly tasks: VideoTaskRepository,
    private readonly lifecycle: TaskLifecycleService,
    private readonly channels: ChannelsService,
    private readonly providers: ProviderRegistry,
    private readonly urls: CallbackUrls,
    private readonly submits: RelaySubmitService,
    private readonly clock: Clock,
    private readonly metrics: Metrics,
    private readonly logger: PinoLogger,
  ) {
    this.logger.setContext(RelayCallbacksService.name);
  }

  async handle(
    type: ChannelType,
    taskId: string,
    token: string | undefined,
    headers: CallbackHeaders,
    body: unknown,
  ): Promise<typeof CALLBACK_ACK> {
    if (!this.urls.verify(type, taskId, token)) {
      this.metrics.callbackReceived({ provider: type, outcome: 'rejected' });
      throw new DomainError(ErrorCode.Unauthenticated, 'Missing or wrong callback token');
    }
    const provider = this.providers.get(type);
    const up = provider.parseCallback(body);
    if (!up) throw DomainError.validation('body', `is not a ${type} task callback`);
    // The submit answered before recording the upstream's task id; a callback this quick must
    // not find it unrecorded (it could not tell a callback naming another task).
    const accepting = this.submits.acceptWritten(taskId);
    if (accepting) await accepting;
    const task = await this.tasks.findByTaskId(taskId);
    if (!task || task.provider !== type) return CALLBACK_ACK; // already cleaned up
    if (namesAnotherTask(task, up)) {
      this.logger.warn(
        { task_id: taskId, upstream_task_id: up.upstreamTaskId },
        'callback names another task; ignored',
      );
      return CALLBACK_ACK;
    }
    if (!(await this.verified(provider, task, headers, up))) {
      this.metrics.callbackReceived({ provider: type, outcome: 'rejected' });
      throw new DomainError(ErrorCode.Unauthenticated, `Wrong ${type} callback signature`);
    }
    const applied = await this.lifecycle.apply(task, up, 'callback');
    this.metrics.callbackReceived({ provider: type, outcome: applied === 'unchanged' ? 'duplicate' : 'accepted' });
    return CALLBACK_ACK;
  }

  // The recorded channel's key first. A signature that only another enabled channel of the type
  // verifies proves that channel's account made the task (data written by the old batch bug):
  // the task moves there, logged, instead of waiting for its timeout while its video is made.
  private async verified(provider: VideoProvider, task: VideoTask, headers: CallbackHeaders, up: UpstreamTask) {
    const now = this.clock.now();
    const recorded = task.channelId !== null ? await this.channels.routeById(task.channelId) : null;
    if (recorded && provider.verifyCallback(recorded.credentials, headers, up, now)) return true;
    for (const other of await this.channels.routesOfType(provider.type)) {
      if (other.channel.id === task.channelId || !provider.verifyCallback(other.credentials, headers, up, now))
        continue;
      if (await this.tasks.repairChannel(task.taskId, task.channelId, other.channel.id, now)) {
        this.logger.warn(
          { task_id: task.taskId, recorded_channel_id: task.channelId, channel_id: other.channel.id },
          'callback signed by another channel than the recorded one; task moved to it',
        );
      }
      task.channelId = other.channel.id;
      return true;
    }
    return false;
  }
}

function namesAnotherTask(task: VideoTask, up: UpstreamTask): boolean {
  return (
    (up.externalTaskId !== null && up.externalTaskId !== task.taskId) ||
    (task.upstreamTaskId !== null && up.upstreamTaskId !== task.upstreamTaskId)
  );
}
