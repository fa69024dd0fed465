import { Injectable } from '@nestjs/common';
import { PricesService } from '../billing/prices.service';
import { quotaToCredits } from '../billing/money';
import { ChannelsService } from '../channels/channels.service';
import { AuthUser } from '../common/auth/auth-user';
import { CryptoService } from '../common/crypto/crypto.service';
import { DomainError } from '../common/errors/domain-error';
import { ErrorCode } from '../common/errors/error-code';
import { AppConfig } from '../config/app-config';
import { QuotasService } from '../quotas/quotas.service';
import { TaskSubmitterService } from '../tasks/task-submitter.service';
import { KlingTasksService } from './kling-tasks.service';
import { GeneratedVideoDto, GenerateVideoDto, GenerateVideoResponseDto } from './veo.dto';

const DEFAULT_MODEL = 'veo3';

// Seed 003's `POST /api/generate/video`: Veo through VivaAPI, on the same task table, state
// machine and hold/capture/release as the Kling relay; a success also counts against the
// user's VivaAPI quota. Polling only (VivaAPI sends no callbacks).
@Injectable()
export class VeoRelayService {
  constructor(
    private readonly prices: PricesService,
    private readonly channels: ChannelsService,
    private readonly submitter: TaskSubmitterService,
    private readonly quotas: QuotasService,
    private readonly tasks: KlingTasksService,
    private readonly crypto: CryptoService,
    private readonly config: AppConfig,
  ) {}

  async generate(user: AuthUser, dto: GenerateVideoDto): Promise<GenerateVideoResponseDto> {
    const model = dto.model ?? DEFAULT_MODEL;
    const quote = await this.prices.quote(model, { aspectRatio: dto.aspect_ratio });
    let routes = await this.channels.routesFor(model, 'viva');
    if (routes.length === 0)
      throw new DomainError(ErrorCode.NoChannel, `No channel serves ${model} right now; nothing was charged`);
    const ownKey = await this.quotas.dedicatedKey(user.id, 'viva');
    if (ownKey) routes = routes.map((r) => ({ ...r, credentials: { ...r.credentials, key: ownKey } }));
    const task = { taskId: `veo_${this.crypto.randomString(24)}`, userId: user.id, provider: 'viva' };
    const body: Record<string, unknown> = { prompt: dto.prompt };
    if (dto.aspect_ratio) body.aspect_ratio = dto.aspect_ratio;
    if (dto.images?.length) body.images = dto.images;
    await this.submitter.create({
      ...task,
      model,
      kind: 'video',
      quota: quote.quota,
      prompt: dto.prompt,
      duration: '8',
      requestParams: JSON.stringify({ model, aspect_ratio: dto.aspect_ratio ?? null, images: dto.images?.length ?? 0 }),
      routes,
    });
    const result = await this.submitter.dispatch(task, routes, {
      kind: 'video',
      body,
      callbackUrl: null,
      ownKey: ownKey !== null,
    });
    return {
      task_id: task.taskId,
      status: result.status,
      credits: quotaToCredits(quote.quota, this.config.quotaPerCredit),
      message: 'Task submitted; query GET /api/generate/video/{task_id} for the result',
    };
  }

  async get(user: AuthUser, taskId: string): Promise<GeneratedVideoDto> {
    const t = await this.tasks.get(user, taskId);
    return {
      task_id: t.task_id,
      upstream_task_id: t.kling_task_id,
      status: t.status,
      video_url: t.video_url,
      fail_reason: t.fail_reason,
    };
  }
}
