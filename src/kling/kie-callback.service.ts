import { Injectable } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import { ChannelsService } from '../channels/channels.service';
import { Clock } from '../common/clock/clock.service';
import { CryptoService } from '../common/crypto/crypto.service';
import { DomainError } from '../common/errors/domain-error';
import { ErrorCode } from '../common/errors/error-code';
import { verifyKieSignature } from '../providers/kie/kie.client';
import { ProviderRegistry } from '../providers/provider-registry';
import { TaskLifecycleService } from '../tasks/task-lifecycle.service';
import { VideoTaskRepository } from '../tasks/video-task.repository';
import { CallbackAckDto } from './kling.dto';

// KIE's completion callback: Reelay's URL token always, and KIE's own HMAC headers too when the
// channel has a webhook key. Applied through the same conditional transition as Kling's.
@Injectable()
export class KieCallbackService {
  constructor(
    private readonly tasks: VideoTaskRepository,
    private readonly lifecycle: TaskLifecycleService,
    private readonly channels: ChannelsService,
    private readonly providers: ProviderRegistry,
    private readonly crypto: CryptoService,
    private readonly clock: Clock,
    private readonly logger: PinoLogger,
  ) {
    this.logger.setContext(KieCallbackService.name);
  }

  async handle(
    taskId: string,
    token: string | undefined,
    headers: Record<string, string | string[] | undefined>,
    body: unknown,
  ): Promise<CallbackAckDto> {
    if (!token || !this.crypto.safeEqual(token, this.crypto.hmac('kie-callback', taskId))) {
      throw new DomainError(ErrorCode.Unauthenticated, 'Missing or wrong callback token');
    }
    const up = this.providers.get('kie').parseCallback(body);
    if (!up) throw DomainError.validation('body', 'is not a KIE task callback');
    const task = await this.tasks.findByTaskId(taskId);
    if (!task) return { message: 'success' };
    const route = task.channelId !== null ? await this.channels.routeById(task.channelId) : null;
    const webhookKey = route ? this.channels.webhookKey(route.channel) : null;
    if (webhookKey) {
      const header = (name: string) => {
        const v = headers[name];
        return Array.isArray(v) ? v[0] : v;
      };
      if (
        !verifyKieSignature(
          webhookKey,
          up.upstreamTaskId,
          header('x-webhook-timestamp'),
          header('x-webhook-signature'),
          this.clock.now(),
        )
      ) {
        throw new DomainError(ErrorCode.Unauthenticated, 'Wrong KIE webhook signature');
      }
    }
    if (task.upstreamTaskId !== null && up.upstreamTaskId !== task.upstreamTaskId) {
      this.logger.warn({ task_id: taskId }, 'KIE callback names another task; ignored');
      return { message: 'success' };
    }
    await this.lifecycle.apply(task, up);
    return { message: 'success' };
  }
}
