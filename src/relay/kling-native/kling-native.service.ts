import { Injectable, OnModuleInit } from '@nestjs/common';
import { CatalogService } from '../../catalog/catalog.service';
import { AuthUser } from '../../common/auth/auth-user';
import { DomainError } from '../../common/errors/domain-error';
import { Idempotency } from '../../common/idempotency/idempotency.service';
import { MediaService, StoreFields } from '../../media/media.service';
import { NOT_STORED } from '../../media/stored-copy.dto';
import { WebhooksService } from '../../webhooks/webhooks.service';
import { DIRECT_OWNER } from '../core/direct-task.owner';
import { RelaySubmitService } from '../core/relay-submit.service';
import { TaskRefreshService } from '../core/task-refresh.service';
import { VideoTask } from '../core/video-task.entity';
import { VideoTaskRepository } from '../core/video-task.repository';
import { RelayKind } from '../kling-compatible/kling-compatible.dto';
import { toRequestParams } from '../kling-compatible/kling-request';
import {
  KlingEnvelopeDto,
  KlingListEnvelopeDto,
  KlingListQueryDto,
  KlingTaskDto,
  NativeRequest,
} from './kling-native.dto';

export const KLING_NATIVE_API = 'kling-native';
export const KLING_NATIVE_REPLAY = 'kling-native.submit';

// Kling's defaults when a request names no model (providers.md §1.5).
const DEFAULT_MODEL: Record<RelayKind, { name: string; mode: 'std' | 'pro' }> = {
  text2video: { name: 'kling-v1', mode: 'std' },
  image2video: { name: 'kling-v1', mode: 'std' },
  'multi-image2video': { name: 'kling-v1-6', mode: 'std' },
  'omni-video': { name: 'kling-video-o1', mode: 'pro' },
};

// Kling's own protocol at Kling's own paths: client code written for Kling works by changing the
// host and sending a Reelay key. Tasks run over the relay core like every other surface.
@Injectable()
export class KlingNativeService implements OnModuleInit {
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
    this.idempotency.register(KLING_NATIVE_REPLAY, async (userId, ref) => {
      const task = await this.tasks.findOwned(userId, ref.id);
      if (!task) throw DomainError.notFound('Task');
      return { status: 200, body: envelope('replayed', taskObject(task)) };
    });
  }

  async submit(user: AuthUser, kind: RelayKind, dto: NativeRequest, requestId: string): Promise<KlingEnvelopeDto> {
    const model = modelOf(kind, dto);
    const v = await this.catalog.resolve(
      { model, kind, seconds: dto.duration ? Number(dto.duration) : undefined, aspectRatio: dto.aspect_ratio },
      { model: 'model_name', seconds: 'duration' },
    );
    if (dto.callback_url !== undefined) await this.webhooks.checkCallbackUrl(dto.callback_url);
    const result = await this.relay.submit({
      userId: user.id,
      provider: 'kling',
      model,
      kind,
      quota: v.quota,
      prompt: 'prompt' in dto ? (dto.prompt ?? null) : null,
      duration: String(v.seconds),
      requestParams: toRequestParams(dto as never),
      body: upstreamBody(kind, dto),
      taskIdPrefix: 'kling',
      owner: DIRECT_OWNER,
      tokenId: user.tokenId ?? null,
      api: KLING_NATIVE_API,
      clientRef: dto.external_task_id ?? null,
      clientCallbackUrl: dto.callback_url ?? null,
    });
    return envelope(requestId, taskObject(result.task));
  }

  // By Reelay's task id or by the client's external_task_id, as Kling's single-task query.
  async get(user: AuthUser, kind: RelayKind, id: string, requestId: string): Promise<KlingEnvelopeDto> {
    const found = (await this.tasks.findOwned(user.id, id)) ?? (await this.tasks.findOwnedByClientRef(user.id, id));
    if (!found || found.api !== KLING_NATIVE_API || found.type !== kind) throw DomainError.notFound('Task');
    const task = await this.refresh.fresh(found);
    return envelope(requestId, taskObject(task, (await this.media.storeFieldsFor([task.taskId])).get(task.taskId)));
  }

  async list(user: AuthUser, kind: RelayKind, q: KlingListQueryDto, requestId: string): Promise<KlingListEnvelopeDto> {
    const pageSize = q.pageSize ?? 30;
    const rows = await this.tasks.listByApi(user.id, KLING_NATIVE_API, {
      type: kind,
      order: 'desc',
      limit: pageSize,
      offset: ((q.pageNum ?? 1) - 1) * pageSize,
    });
    const stored = await this.media.storeFieldsFor(rows.map((t) => t.taskId));
    return {
      code: 0,
      message: 'SUCCEED',
      request_id: requestId,
      data: rows.map((t) => taskObject(t, stored.get(t.taskId))),
    };
  }
}

// Reelay's model id: Kling's model_name, with the tier when the model has tiers.
function modelOf(kind: RelayKind, dto: NativeRequest): string {
  const name = dto.model_name ?? DEFAULT_MODEL[kind].name;
  const mode = dto.mode ?? DEFAULT_MODEL[kind].mode;
  return /-master$/.test(name) ? name : `${name}-${mode}`;
}

// The client's fields as Kling takes them; Reelay sets the model, its own callback URL and id.
function upstreamBody(kind: RelayKind, dto: NativeRequest): Record<string, unknown> {
  const body: Record<string, unknown> = { ...dto };
  for (const own of ['model_name', 'mode', 'callback_url', 'external_task_id']) delete body[own];
  if (kind === 'image2video') delete body.aspect_ratio;
  for (const k of Object.keys(body)) if (body[k] === undefined) delete body[k];
  return body;
}

function envelope(requestId: string, data: KlingTaskDto): KlingEnvelopeDto {
  return { code: 0, message: 'SUCCEED', request_id: requestId, data };
}

// A Reelay task in Kling's task shape (providers.md §1.6); times in milliseconds. A video Reelay
// keeps also carries `store_url`, the signed link to its copy.
export function taskObject(t: VideoTask, stored: StoreFields = NOT_STORED): KlingTaskDto {
  const status = t.status === 'processing' || t.status === 'succeed' || t.status === 'failed' ? t.status : 'submitted';
  return {
    task_id: t.taskId,
    task_status: status,
    task_status_msg: t.status === 'failed' ? (t.failReason ?? '') : '',
    task_info: t.clientRef ? { external_task_id: t.clientRef } : {},
    ...(t.status === 'succeed' && t.storeUrl
      ? {
          task_result: {
            videos: [
              { id: t.videoId ?? t.taskId, url: t.storeUrl, duration: t.duration ?? '', store_url: stored.store_url },
            ],
          },
        }
      : {}),
    created_at: t.createdAt * 1000,
    updated_at: t.updatedAt * 1000,
  };
}
