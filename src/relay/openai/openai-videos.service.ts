import { Injectable, OnModuleInit } from '@nestjs/common';
import { CatalogService } from '../../catalog/catalog.service';
import { upstreamRequest } from '../../catalog/upstream-request';
import { AuthUser } from '../../common/auth/auth-user';
import { Clock } from '../../common/clock/clock.service';
import { DomainError } from '../../common/errors/domain-error';
import { ErrorCode } from '../../common/errors/error-code';
import { Db } from '../../common/database/db.service';
import { Idempotency } from '../../common/idempotency/idempotency.service';
import { MediaRead, MediaService } from '../../media/media.service';
import { ReadConditions } from '../../media/media-response';
import { createValidationPipe } from '../../common/validation/validation.pipe';
import { AppConfig } from '../../config/app-config';
import { DIRECT_OWNER } from '../core/direct-task.owner';
import { RelaySubmitService } from '../core/relay-submit.service';
import { TaskRefreshService } from '../core/task-refresh.service';
import { isTerminal, TaskStatus } from '../core/task-state';
import { VideoTask } from '../core/video-task.entity';
import { VideoTaskRepository } from '../core/video-task.repository';
import {
  OpenAiCreateVideoDto,
  ListVideosQueryDto,
  OpenAiVideoDeletedDto,
  OpenAiVideoDto,
  OpenAiVideoListDto,
} from './openai.dto';
import { UploadedImage, UploadedReferences } from './uploaded-references.service';

export const OPENAI_API = 'openai';
export const OPENAI_CREATE_REPLAY = 'openai.videos.create';
const DAY = 86400;
const validate = createValidationPipe();

// OpenAI's videos API over the relay core: the official SDKs create, read, list, download and
// delete Reelay videos of every catalog model by pointing their base URL at Reelay.
@Injectable()
export class OpenAiVideosService implements OnModuleInit {
  constructor(
    private readonly catalog: CatalogService,
    private readonly relay: RelaySubmitService,
    private readonly refresh: TaskRefreshService,
    private readonly tasks: VideoTaskRepository,
    private readonly references: UploadedReferences,
    private readonly idempotency: Idempotency,
    private readonly media: MediaService,
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    this.idempotency.register(OPENAI_CREATE_REPLAY, async (userId, ref) => ({
      status: 200,
      body: this.toVideo(await this.owned(userId, ref.id)),
    }));
  }

  // `body` is the JSON body, or the multipart fields (input_reference then an uploaded file).
  async create(user: AuthUser, body: unknown): Promise<OpenAiVideoDto> {
    const { dto, upload } = await parseCreate(body);
    if (dto.input_reference?.file_id !== undefined) {
      throw DomainError.validation(
        'input_reference',
        'file ids are not supported: upload the image, or give image_url',
      );
    }
    const hasImage = upload !== null || dto.input_reference?.image_url !== undefined;
    const v = await this.catalog.resolve(
      {
        model: dto.model ?? 'sora-2',
        seconds: dto.seconds ? Number(dto.seconds) : undefined,
        size: dto.size,
        withImage: hasImage,
      },
      {},
    );
    const imageUrl = upload
      ? await this.references.forProvider(user, v.capability.provider, upload)
      : (dto.input_reference?.image_url ?? null);
    const request = upstreamRequest(v, { prompt: dto.prompt, imageUrl });
    const result = await this.relay.submit({
      userId: user.id,
      provider: v.capability.provider,
      model: v.model,
      kind: request.kind,
      quota: v.quota,
      prompt: dto.prompt,
      duration: String(v.seconds),
      requestParams: JSON.stringify({ size: v.size, seconds: v.seconds, reference: upload ? 'upload' : imageUrl }),
      body: request.body,
      taskIdPrefix: 'video',
      owner: DIRECT_OWNER,
      tokenId: user.tokenId ?? null,
      api: OPENAI_API,
    });
    return this.toVideo(result.task);
  }

  async retrieve(user: AuthUser, id: string): Promise<OpenAiVideoDto> {
    return this.toVideo(await this.refresh.fresh(await this.owned(user.id, id)));
  }

  async list(user: AuthUser, q: ListVideosQueryDto): Promise<OpenAiVideoListDto> {
    const limit = q.limit ?? 20;
    const order = q.order ?? 'desc';
    let afterId: number | undefined;
    if (q.after !== undefined) afterId = (await this.owned(user.id, q.after, 'after')).id;
    const rows = await this.tasks.listByApi(user.id, OPENAI_API, { afterId, order, limit: limit + 1 });
    const data = rows.slice(0, limit).map((t) => this.toVideo(t));
    return {
      object: 'list',
      data,
      first_id: data[0]?.id ?? null,
      last_id: data[data.length - 1]?.id ?? null,
      has_more: rows.length > limit,
    };
  }

  // A finished video and its stored files go together; one still being made cannot (its hold is
  // open). The ledger keeps the money record.
  async delete(user: AuthUser, id: string): Promise<OpenAiVideoDeletedDto> {
    const task = await this.owned(user.id, id);
    if (!isTerminal(task.status as TaskStatus)) {
      throw new DomainError(ErrorCode.Conflict, 'The video is still being generated; delete it once it has finished');
    }
    await this.db.tx(async (em) => {
      await this.tasks.deleteOwnedFinished(user.id, task.taskId, em);
      await this.media.deleteForTask(em, task.taskId);
    });
    return { id: task.taskId, object: 'video.deleted', deleted: true };
  }

  // The stored video (Range and ETag as the content endpoint); before it is there, a 4xx saying so.
  async content(user: AuthUser, id: string, variant: string, conditions: ReadConditions): Promise<MediaRead> {
    const task = await this.owned(user.id, id);
    if (variant !== 'video') {
      throw new DomainError(ErrorCode.NotFound, `Reelay keeps the video only; there is no ${variant}`, [
        { field: 'variant', message: 'only video is stored' },
      ]);
    }
    if (task.status !== 'succeed') {
      throw new DomainError(
        ErrorCode.Conflict,
        `The video is not ready: it is ${openAiStatus(task.status as TaskStatus)}`,
      );
    }
    return this.media.openOwned(user, task.taskId, conditions);
  }

  async owned(userId: number, id: string, field = 'video_id'): Promise<VideoTask> {
    const task = id.startsWith('video_') ? await this.tasks.findOwned(userId, id) : null;
    if (!task || task.api !== OPENAI_API) {
      throw new DomainError(ErrorCode.NotFound, `No video ${id} of yours`, [{ field, message: 'not found' }]);
    }
    return task;
  }

  toVideo(t: VideoTask): OpenAiVideoDto {
    const params = parseParams(t.requestParams);
    const cap = this.catalog.capability(t.model);
    const status = openAiStatus(t.status as TaskStatus);
    const succeeded = t.status === 'succeed';
    const retention = this.config.media.retentionDays;
    return {
      id: t.taskId,
      object: 'video',
      model: t.model,
      status,
      progress: this.progress(t, status, cap?.typicalSeconds ?? 180),
      created_at: t.createdAt,
      completed_at: succeeded ? t.finishedAt : null,
      expires_at: succeeded && t.finishedAt !== null && retention > 0 ? t.finishedAt + retention * DAY : null,
      prompt: t.prompt,
      seconds: String(params.seconds ?? t.duration ?? ''),
      size: params.size ?? cap?.defaultSize ?? '',
      remixed_from_video_id: null,
      error: t.status === 'failed' ? { code: failureCode(t.failReason), message: t.failReason ?? 'failed' } : null,
    };
  }

  // The provider gives no progress: elapsed time against the model's typical duration, below 100
  // until the video is there.
  private progress(t: VideoTask, status: OpenAiVideoDto['status'], typicalSeconds: number): number {
    if (status === 'completed') return 100;
    if (status !== 'in_progress') return 0;
    const elapsed = this.clock.now() - t.createdAt;
    return Math.max(1, Math.min(99, Math.floor((elapsed * 100) / typicalSeconds)));
  }
}

async function parseCreate(body: unknown): Promise<{ dto: OpenAiCreateVideoDto; upload: UploadedImage | null }> {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw DomainError.validation('body', 'must be a JSON object or multipart/form-data');
  }
  const fields = { ...(body as Record<string, unknown>) };
  let upload: UploadedImage | null = null;
  // Multipart: the SDKs send input_reference as a file, or as input_reference[image_url].
  if (Buffer.isBuffer(fields.input_reference)) {
    upload = { data: fields.input_reference };
    delete fields.input_reference;
  }
  for (const key of ['image_url', 'file_id']) {
    const flat = `input_reference[${key}]`;
    if (flat in fields) {
      fields.input_reference = { ...(fields.input_reference as object), [key]: fields[flat] };
      delete fields[flat];
    }
  }
  const dto = (await validate.transform(fields, {
    type: 'body',
    metatype: OpenAiCreateVideoDto,
  })) as OpenAiCreateVideoDto;
  return { dto, upload };
}

function parseParams(json: string | null): { size?: string; seconds?: number } {
  try {
    return json ? (JSON.parse(json) as { size?: string; seconds?: number }) : {};
  } catch {
    return {};
  }
}

function openAiStatus(s: TaskStatus): OpenAiVideoDto['status'] {
  if (s === 'succeed') return 'completed';
  if (s === 'failed') return 'failed';
  return s === 'processing' ? 'in_progress' : 'queued';
}

function failureCode(reason: string | null): string {
  if (!reason) return 'generation_failed';
  if (/content|policy|flagged|risk/i.test(reason)) return 'content_policy_violation';
  if (reason === 'timeout') return 'timeout';
  return 'generation_failed';
}
