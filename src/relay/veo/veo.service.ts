import { Injectable, OnModuleInit } from '@nestjs/common';
import { quotaToCredits } from '../../common/money/money';
import { CatalogService } from '../../catalog/catalog.service';
import { upstreamRequest } from '../../catalog/upstream-request';
import { AuthUser } from '../../common/auth/auth-user';
import { DomainError } from '../../common/errors/domain-error';
import { Idempotency, ReplayedResponse } from '../../common/idempotency/idempotency.service';
import { AppConfig } from '../../config/app-config';
import { MediaService } from '../../media/media.service';
import { NOT_STORED } from '../../media/stored-copy.dto';
import { DIRECT_OWNER } from '../core/direct-task.owner';
import { RelaySubmitService } from '../core/relay-submit.service';
import { TaskRefreshService } from '../core/task-refresh.service';
import { VideoTask } from '../core/video-task.entity';
import { VideoTaskRepository } from '../core/video-task.repository';
import { GeneratedVideoDto, GenerateVideoDto, GenerateVideoResponseDto } from './veo.dto';

export const VEO_SUBMIT_REPLAY = 'veo.generate';
const DEFAULT_MODEL = 'veo3';
const MESSAGE = 'Task submitted; query GET /api/generate/video/{task_id} for the result';

// Seed 003's `POST /api/generate/video`: Veo through VivaAPI over the relay core. A success also
// counts against the user's VivaAPI quota (the core records provider usage). Polling only.
@Injectable()
export class VeoService implements OnModuleInit {
  constructor(
    private readonly catalog: CatalogService,
    private readonly relay: RelaySubmitService,
    private readonly refresh: TaskRefreshService,
    private readonly tasks: VideoTaskRepository,
    private readonly idempotency: Idempotency,
    private readonly media: MediaService,
    private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    this.idempotency.register(VEO_SUBMIT_REPLAY, (userId, ref) => this.replay(userId, ref.id));
  }

  async generate(user: AuthUser, dto: GenerateVideoDto): Promise<GenerateVideoResponseDto> {
    const model = dto.model ?? DEFAULT_MODEL;
    const v = await this.catalog.resolve({
      model,
      aspectRatio: dto.aspect_ratio,
      withImage: Boolean(dto.images?.length),
    });
    if (v.capability.provider !== 'viva') {
      throw DomainError.validation('model', `${model} is not a Veo model: use POST /v1/videos for it`);
    }
    const request = upstreamRequest(v, { prompt: dto.prompt });
    if (dto.images?.length) request.body.images = dto.images; // first (and last) frame
    const result = await this.relay.submit({
      userId: user.id,
      provider: 'viva',
      model,
      kind: request.kind,
      quota: v.quota,
      prompt: dto.prompt,
      duration: String(v.seconds),
      requestParams: JSON.stringify({ model, aspect_ratio: v.aspectRatio, images: dto.images?.length ?? 0 }),
      body: request.body,
      taskIdPrefix: 'veo',
      api: 'veo',
      owner: DIRECT_OWNER,
      tokenId: user.tokenId ?? null,
    });
    return this.response(result.task, result.status);
  }

  async get(user: AuthUser, taskId: string): Promise<GeneratedVideoDto> {
    const found = await this.tasks.findOwned(user.id, taskId);
    if (!found) throw DomainError.notFound('Task');
    const t = await this.refresh.fresh(found);
    return {
      ...((await this.media.storeFieldsFor([t.taskId])).get(t.taskId) ?? NOT_STORED),
      task_id: t.taskId,
      upstream_task_id: t.upstreamTaskId,
      status: t.status,
      video_url: t.storeUrl ?? '',
      fail_reason: t.failReason ?? '',
    };
  }

  private async replay(userId: number, taskId: string): Promise<ReplayedResponse> {
    const task = await this.tasks.findOwned(userId, taskId);
    if (!task) throw DomainError.notFound('Task');
    const status =
      task.status === 'failed' && !task.upstreamTaskId ? 'failed' : task.upstreamTaskId ? 'submitted' : 'unknown';
    return { status: 200, body: this.response(task, status) };
  }

  private response(task: Pick<VideoTask, 'taskId' | 'quota'>, status: string): GenerateVideoResponseDto {
    return {
      task_id: task.taskId,
      status,
      credits: quotaToCredits(task.quota, this.config.quotaPerCredit),
      message: MESSAGE,
    };
  }
}
