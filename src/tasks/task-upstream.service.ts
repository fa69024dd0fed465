import { Injectable } from '@nestjs/common';
import { ChannelsService } from '../channels/channels.service';
import { ProviderRegistry } from '../providers/provider-registry';
import { UpstreamTask } from '../providers/video-provider';
import { QuotasService } from '../quotas/quotas.service';
import { VideoTask } from './video-task.entity';

// Asks the upstream about a task through the channel that took it, with the key it was
// created with (a user's dedicated key when an admin set one: other keys cannot see it).
@Injectable()
export class TaskUpstreamService {
  constructor(
    private readonly channels: ChannelsService,
    private readonly providers: ProviderRegistry,
    private readonly quotas: QuotasService,
  ) {}

  // `keys` memoises dedicated-key lookups over one poll round (many tasks, few users).
  async query(task: VideoTask, keys?: Map<string, Promise<string | null>>): Promise<UpstreamTask | null> {
    if (task.channelId === null) return null;
    const route = await this.channels.routeById(task.channelId);
    if (!route) return null;
    const own = await this.dedicatedKey(task, keys);
    const credentials = own ? { ...route.credentials, key: own } : route.credentials;
    const ref = task.upstreamTaskId ? { upstreamTaskId: task.upstreamTaskId } : { externalTaskId: task.taskId };
    return this.providers.get(route.channel.type).query(credentials, task.requestKind ?? task.type, ref);
  }

  private dedicatedKey(task: VideoTask, keys?: Map<string, Promise<string | null>>): Promise<string | null> {
    if (!keys) return this.quotas.dedicatedKey(task.userId, task.provider);
    const k = `${task.userId}:${task.provider}`;
    let p = keys.get(k);
    if (!p) keys.set(k, (p = this.quotas.dedicatedKey(task.userId, task.provider)));
    return p;
  }
}
