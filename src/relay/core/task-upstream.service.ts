import { Injectable } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import type { ChannelType } from '../../providers/channel-types';
import { ChannelRoute, ChannelsService } from '../../channels/channels.service';
import { Clock } from '../../common/clock/clock.service';
import { ProviderRegistry } from '../../providers/provider-registry';
import { UpstreamTask } from '../../providers/video-provider';
import { QuotasService } from '../../quotas/quotas.service';
import { VideoTask } from './video-task.entity';
import { VideoTaskRepository } from './video-task.repository';

export type KeyMemo = Map<string, Promise<string | null>>;

// Asks the upstream about a task through the channel that took it, with the key it was
// created with (a user's dedicated key when an admin set one: other keys cannot see it).
@Injectable()
export class TaskUpstreamService {
  constructor(
    private readonly channels: ChannelsService,
    private readonly providers: ProviderRegistry,
    private readonly quotas: QuotasService,
    private readonly tasks: VideoTaskRepository,
    private readonly clock: Clock,
    private readonly logger: PinoLogger,
  ) {
    this.logger.setContext(TaskUpstreamService.name);
  }

  // Whether a task missing upstream can be told apart from one the upstream cannot look up.
  findsByExternalId(task: VideoTask): boolean {
    return this.providers.get(task.provider as ChannelType).findsByExternalId;
  }

  // `keys` memoises dedicated-key lookups over one poll round (many tasks, few users).
  async query(task: VideoTask, keys?: KeyMemo): Promise<UpstreamTask | null> {
    const asked = await this.routeFor(task, keys);
    if (!asked) return null;
    const up = await this.ask(task, asked.route);
    if (up || asked.dedicated || task.upstreamTaskId === null) return up;
    return this.findElsewhere(task, asked.route.channel.id);
  }

  // The channel a query for the task goes to, with the key it is asked with (the user's
  // dedicated key when set); null when the task has no channel left.
  async routeFor(task: VideoTask, keys?: KeyMemo): Promise<{ route: ChannelRoute; dedicated: boolean } | null> {
    if (task.channelId === null) return null;
    const route = await this.channels.routeById(task.channelId);
    if (!route) return null;
    const own = await this.dedicatedKey(task, keys);
    if (!own) return { route, dedicated: false };
    return { route: { ...route, credentials: { ...route.credentials, key: own } }, dedicated: true };
  }

  // A task the recorded channel's account does not know, though the upstream gave it an id: it
  // was recorded on the wrong channel (the old batch bug). Another enabled channel of the type
  // that knows it becomes the task's channel, logged, so the video is neither lost nor unpaid.
  private async findElsewhere(task: VideoTask, recorded: number): Promise<UpstreamTask | null> {
    for (const route of await this.channels.routesOfType(task.provider as ChannelType)) {
      if (route.channel.id === recorded) continue;
      const up = await this.ask(task, route).catch(() => null);
      if (!up) continue;
      if (await this.tasks.repairChannel(task.taskId, recorded, route.channel.id, this.clock.now())) {
        this.logger.warn(
          { task_id: task.taskId, recorded_channel_id: recorded, channel_id: route.channel.id },
          'task was recorded on a channel whose account does not know it; moved to the channel that does',
        );
      }
      task.channelId = route.channel.id;
      return up;
    }
    return null;
  }

  private ask(task: VideoTask, route: ChannelRoute): Promise<UpstreamTask | null> {
    const ref = task.upstreamTaskId ? { upstreamTaskId: task.upstreamTaskId } : { externalTaskId: task.taskId };
    return this.providers.get(route.channel.type).query(route.credentials, task.requestKind ?? task.type, ref);
  }

  private dedicatedKey(task: VideoTask, keys?: KeyMemo): Promise<string | null> {
    if (!keys) return this.quotas.dedicatedKey(task.userId, task.provider);
    const k = `${task.userId}:${task.provider}`;
    let p = keys.get(k);
    if (!p) keys.set(k, (p = this.quotas.dedicatedKey(task.userId, task.provider)));
    return p;
  }
}
