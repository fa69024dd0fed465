import { Injectable, OnModuleInit } from '@nestjs/common';
import { CatalogService } from '../../catalog/catalog.service';
import { AuthUser } from '../../common/auth/auth-user';
import { DomainError } from '../../common/errors/domain-error';
import { Idempotency, ReplayedResponse } from '../../common/idempotency/idempotency.service';
import { MediaService, StoreFields } from '../../media/media.service';
import { NOT_STORED } from '../../media/stored-copy.dto';
import { WebhooksService } from '../../webhooks/webhooks.service';
import { DIRECT_OWNER } from '../core/direct-task.owner';
import { RelaySubmitService } from '../core/relay-submit.service';
import { TaskRefreshService } from '../core/task-refresh.service';
import { VideoTask } from '../core/video-task.entity';
import { VideoTaskRepository } from '../core/video-task.repository';
import { RelayKind, RelayRequest, SubmitResponseDto, TaskResultDto } from './kling-compatible.dto';
import { toRequestParams, toUpstreamBody } from './kling-request';

export const KLING_SUBMIT_REPLAY = 'kling-compatible.submit';
const SUBMITTED_MESSAGE = 'Task submitted; query GET /kling/v1/videos/{task_id} for the result';
const UNKNOWN_MESSAGE =
  'The upstream did not confirm the task in time; Reelay is resolving it and will not submit it twice. Query it for the result.';
const FAILED_MESSAGE = 'The task could not be submitted; nothing was charged';

// Seed 001's Kling routes (`/kling/v1/videos/...`): quote, then hand the task to the relay core;
// read a task back, refreshed from Kling when stale.
@Injectable()
export class KlingCompatibleService implements OnModuleInit {
  constructor(
    private readonly catalog: CatalogService,
    private readonly relay: RelaySubmitService,
    private readonly refresh: TaskRefreshService,
    private readonly tasks: VideoTaskRepository,
    private readonly idempotency: Idempotency,
    private readonly webhooks: WebhooksService,
    private readonly media: MediaService,
  ) {}

  onModuleInit(): void {
    this.idempotency.register(KLING_SUBMIT_REPLAY, (userId, ref) => this.replay(userId, ref.id));
  }

  async submit(user: AuthUser, kind: RelayKind, dto: RelayRequest): Promise<SubmitResponseDto> {
    const cap = this.catalog.capability(dto.model);
    if (cap && cap.provider !== 'kling') {
      throw DomainError.validation(
        'model',
        `${dto.model} is a ${cap.family} model, not Kling: use POST /v1/videos (or a batch) for it`,
      );
    }
    const v = await this.catalog.resolve(
      {
        model: dto.model,
        kind,
        seconds: dto.duration ? Number(dto.duration) : undefined,
        aspectRatio: dto.aspect_ratio,
      },
      { seconds: 'duration' },
    );
    if (dto.callback_url !== undefined) await this.webhooks.checkCallbackUrl(dto.callback_url);
    const result = await this.relay.submit({
      userId: user.id,
      provider: 'kling',
      model: dto.model,
      kind,
      quota: v.quota,
      prompt: 'prompt' in dto ? (dto.prompt ?? null) : null,
      duration: String(v.seconds),
      requestParams: toRequestParams(dto),
      body: toUpstreamBody(kind, dto),
      taskIdPrefix: 'kling',
      api: 'kling',
      clientRef: dto.external_task_id ?? null,
      clientCallbackUrl: dto.callback_url ?? null,
      owner: DIRECT_OWNER,
      tokenId: user.tokenId ?? null,
    });
    return submitResponse(result.task.taskId, result.upstreamTaskId, result.status);
  }

  async get(user: AuthUser, taskId: string): Promise<TaskResultDto> {
    const task = await this.tasks.findOwned(user.id, taskId);
    if (!task) throw DomainError.notFound('Task');
    const fresh = await this.refresh.fresh(task);
    // Only a succeeded task can have a stored copy (its ending transaction queues it): a task in
    // flight costs no second read.
    if (fresh.status !== 'succeed') return toResult(fresh);
    return toResult(fresh, (await this.media.storeFieldsFor([fresh.taskId])).get(fresh.taskId));
  }

  // A retry of a submit whose request died after creating the task: the answer it would have had.
  private async replay(userId: number, taskId: string): Promise<ReplayedResponse> {
    const task = await this.tasks.findOwned(userId, taskId);
    if (!task) throw DomainError.notFound('Task');
    if (task.status === 'failed' && !task.upstreamTaskId) {
      return { status: 200, body: { ...submitResponse(task.taskId, null, 'failed'), message: FAILED_MESSAGE } };
    }
    return {
      status: 200,
      body: submitResponse(task.taskId, task.upstreamTaskId, task.upstreamTaskId ? 'submitted' : 'unknown'),
    };
  }
}

function submitResponse(taskId: string, upstreamTaskId: string | null, status: string): SubmitResponseDto {
  return {
    task_id: taskId,
    kling_task_id: upstreamTaskId,
    status,
    message: status === 'submitted' ? SUBMITTED_MESSAGE : UNKNOWN_MESSAGE,
  };
}

function toResult(t: VideoTask, stored: StoreFields = NOT_STORED): TaskResultDto {
  return {
    ...stored,
    task_id: t.taskId,
    kling_task_id: t.upstreamTaskId,
    status: t.status,
    video_url: t.storeUrl ?? '',
    duration: t.duration ?? '',
    fail_reason: t.failReason ?? '',
  };
}
