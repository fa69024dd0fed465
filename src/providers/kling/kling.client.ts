import { Injectable } from '@nestjs/common';
import { AppConfig } from '../../config/app-config';
import { callProvider, ProviderCall, UpstreamHttp, UpstreamResponse } from '../upstream-http';
import {
  AccountCheck,
  ChannelCredentials,
  ListedPage,
  ListPageLimits,
  ProviderError,
  ProviderErrorCategory,
  SubmitInput,
  UpstreamStatus,
  UpstreamTask,
  VideoProvider,
} from '../video-provider';
import { KlingTokenService, splitKlingKey } from './kling-token.service';

// providers.md §1.9: what each Kling business code means for the relay.
const CODE_CATEGORY: Record<number, ProviderErrorCategory> = {
  1000: 'auth',
  1001: 'auth',
  1002: 'auth',
  1003: 'reauth',
  1004: 'reauth',
  1100: 'account',
  1101: 'account',
  1102: 'account',
  1103: 'channel',
  1200: 'client',
  1201: 'client',
  1202: 'client',
  1203: 'channel',
  1300: 'content',
  1301: 'content',
  1302: 'retryable',
  1303: 'retryable',
  1304: 'auth',
  5000: 'retryable',
  5001: 'retryable',
  5002: 'unknown_outcome',
};

const STATUSES = new Set<UpstreamStatus>(['submitted', 'processing', 'succeed', 'failed']);

interface KlingTaskBody {
  created_at?: unknown;
  task_id?: unknown;
  task_status?: unknown;
  task_status_msg?: unknown;
  task_info?: { external_task_id?: unknown };
  task_result?: { videos?: Array<{ id?: unknown; url?: unknown; duration?: unknown }> };
}

@Injectable()
export class KlingClient extends VideoProvider {
  readonly type = 'kling' as const;
  readonly sendsCallbacks = true;
  readonly findsByExternalId = true;
  // providers.md §1.5: `GET /v1/videos/{kind}?pageNum=&pageSize=`, newest first.
  override readonly listLimits: ListPageLimits = { maxPageNum: 1000, maxPageSize: 500 };

  constructor(
    private readonly http: UpstreamHttp,
    private readonly tokens: KlingTokenService,
    private readonly config: AppConfig,
  ) {
    super();
  }

  async submit(ch: ChannelCredentials, input: SubmitInput): Promise<UpstreamTask> {
    const body = {
      ...input.body,
      ...toKlingModel(input.model, input.body.mode),
      external_task_id: input.externalTaskId,
      ...(input.callbackUrl ? { callback_url: input.callbackUrl } : {}),
    };
    const res = await this.call(ch, { method: 'POST', path: `/v1/videos/${input.kind}`, json: body, isCreate: true });
    return this.taskOf(res, 'create');
  }

  async query(
    ch: ChannelCredentials,
    kind: string,
    ref: { upstreamTaskId: string } | { externalTaskId: string },
  ): Promise<UpstreamTask | null> {
    // Kling's single-task query takes `task_id` or `external_task_id` as the path identifier
    // (providers.md §1.5); some answer with a list, so pick the entry that is ours.
    const id = 'upstreamTaskId' in ref ? ref.upstreamTaskId : ref.externalTaskId;
    const path = `/v1/videos/${kind}/${encodeURIComponent(id)}`;
    try {
      const res = await this.call(ch, { method: 'GET', path, isCreate: false });
      const data = (res.body as { data?: KlingTaskBody | KlingTaskBody[] }).data;
      if (!Array.isArray(data)) return this.taskOf(res, 'query');
      const mine = data.find((t) =>
        'upstreamTaskId' in ref ? String(t.task_id) === id : t.task_info?.external_task_id === id,
      );
      return mine ? parseTask(mine) : null;
    } catch (err) {
      if (err instanceof ProviderError && (err.code === '1203' || err.httpStatus === 404)) return null;
      throw err;
    }
  }

  // One page of a kind's tasks under this key, newest first, each item as the single query has it.
  override async listRecent(
    ch: ChannelCredentials,
    kind: string,
    pageNum: number,
    pageSize: number,
  ): Promise<ListedPage> {
    const path = `/v1/videos/${kind}?pageNum=${pageNum}&pageSize=${pageSize}`;
    const res = await this.call(ch, { method: 'GET', path, isCreate: false, operation: 'list' });
    const data = (res.body as { data?: unknown }).data;
    if (!Array.isArray(data))
      throw new ProviderError('retryable', 'bad_response', 'Kling list answer has no task list');
    const tasks: ListedPage['tasks'] = [];
    for (const item of data as KlingTaskBody[]) {
      const task = item && typeof item === 'object' ? parseTask(item) : null;
      if (task) tasks.push({ task, createdAtMs: typeof item.created_at === 'number' ? item.created_at : null });
    }
    return { tasks, itemCount: data.length };
  }

  parseCallback(body: unknown): UpstreamTask | null {
    const b = body as { data?: KlingTaskBody } & KlingTaskBody;
    const task = b && typeof b === 'object' && b.data && typeof b.data === 'object' && b.data.task_id ? b.data : b;
    return task && typeof task === 'object' ? parseTask(task) : null;
  }

  async checkAccount(ch: ChannelCredentials): Promise<AccountCheck> {
    const end = Date.now();
    const start = end - 30 * 24 * 3600 * 1000;
    try {
      const res = await this.call(ch, {
        method: 'GET',
        path: `/account/costs?start_time=${start}&end_time=${end}`,
        isCreate: false,
        operation: 'account',
      });
      const data = (res.body as { data?: { resource_pack_subscribe_infos?: unknown[] } }).data ?? {};
      return {
        ok: true,
        message: 'Key accepted by Kling',
        details: { resource_packs: data.resource_pack_subscribe_infos ?? [] },
      };
    } catch (err) {
      const e = err as ProviderError;
      return { ok: false, message: e.message, details: { category: e.category, code: e.code } };
    }
  }

  // One signed request; a 1003/1004 signs a fresh token and retries once.
  private async call(ch: ChannelCredentials, call: Omit<ProviderCall, 'headers'>): Promise<UpstreamResponse> {
    const creds = splitKlingKey(ch.key);
    if (!creds) throw new ProviderError('auth', 'bad_key', 'Channel key is not in AK|SK form');
    for (let attempt = 1; ; attempt++) {
      const token = await this.tokens.tokenFor(creds.accessKey, creds.secretKey);
      try {
        return await callProvider(
          this.http,
          'Kling',
          ch,
          this.config.upstreamTimeoutMs,
          { ...call, headers: { authorization: `Bearer ${token}` } },
          checkAnswer,
        );
      } catch (err) {
        if (!(err instanceof ProviderError) || err.category !== 'reauth') throw err;
        if (attempt > 1) throw new ProviderError('auth', err.code, err.message, err.httpStatus);
        this.tokens.forget(creds.accessKey, creds.secretKey);
      }
    }
  }

  private taskOf(res: UpstreamResponse, what: string): UpstreamTask {
    const task = parseTask((res.body as { data?: KlingTaskBody }).data ?? {});
    if (!task) throw new ProviderError('retryable', 'bad_response', `Kling ${what} answer has no task`);
    return task;
  }
}

function checkAnswer(res: UpstreamResponse): ProviderError | null {
  const code = Number((res.body as { code?: unknown })?.code);
  if (res.status === 200 && code === 0) return null;
  const raw = (res.body as { message?: unknown })?.message;
  const message = (typeof raw === 'string' ? raw : `HTTP ${res.status}`).slice(0, 300);
  const category = CODE_CATEGORY[code] ?? (res.status >= 500 || res.status === 429 ? 'retryable' : 'client');
  return new ProviderError(category, Number.isFinite(code) ? String(code) : `http_${res.status}`, message, res.status);
}

function parseTask(t: KlingTaskBody): UpstreamTask | null {
  if (typeof t.task_id !== 'string' && typeof t.task_id !== 'number') return null;
  const status = String(t.task_status) as UpstreamStatus;
  if (!STATUSES.has(status)) return null;
  const video = t.task_result?.videos?.[0];
  return {
    upstreamTaskId: String(t.task_id),
    externalTaskId: typeof t.task_info?.external_task_id === 'string' ? t.task_info.external_task_id : null,
    status,
    failReason: typeof t.task_status_msg === 'string' && t.task_status_msg ? t.task_status_msg : null,
    videoId: scalar(video?.id),
    videoUrl: typeof video?.url === 'string' ? video.url : null,
    duration: scalar(video?.duration),
  };
}

// `kling-v1-5-std` → model_name kling-v1-5, mode std; a plain name keeps the body's mode.
export function toKlingModel(model: string, bodyMode: unknown): { model_name: string; mode?: string } {
  const m = /^(.*)-(std|pro)$/.exec(model);
  if (m) return { model_name: m[1], mode: m[2] };
  return typeof bodyMode === 'string' ? { model_name: model, mode: bodyMode } : { model_name: model };
}

function scalar(v: unknown): string | null {
  return typeof v === 'string' || typeof v === 'number' ? String(v) : null;
}
