import { Injectable } from '@nestjs/common';
import { AppConfig } from '../../config/app-config';
import { callProvider, ProviderCall, UpstreamHttp, UpstreamResponse } from '../upstream-http';
import {
  AccountCheck,
  ChannelCredentials,
  ProviderError,
  SubmitInput,
  UpstreamStatus,
  UpstreamTask,
  VideoProvider,
} from '../video-provider';

// Reseller status words vary (providers.md §5): map every known one onto Reelay's four.
const STATUS: Record<string, UpstreamStatus> = {
  pending: 'submitted',
  queued: 'submitted',
  submitted: 'submitted',
  processing: 'processing',
  running: 'processing',
  in_progress: 'processing',
  video_generating: 'processing',
  completed: 'succeed',
  succeeded: 'succeed',
  success: 'succeed',
  failed: 'failed',
  failure: 'failed',
  error: 'failed',
};

interface VivaTask {
  id?: unknown;
  status?: unknown;
  video_url?: unknown;
  error?: unknown;
}

// VivaAPI's unified video format (/v1/video/create, /v1/video/query). Polling only: it has no
// callbacks and no caller-supplied id, so a create whose answer is lost cannot be found again.
@Injectable()
export class VivaClient extends VideoProvider {
  readonly type = 'viva' as const;
  readonly sendsCallbacks = false;
  readonly findsByExternalId = false;

  constructor(
    private readonly http: UpstreamHttp,
    private readonly config: AppConfig,
  ) {
    super();
  }

  async submit(ch: ChannelCredentials, input: SubmitInput): Promise<UpstreamTask> {
    const res = await this.call(ch, {
      method: 'POST',
      path: '/v1/video/create',
      json: { ...input.body, model: input.model },
      isCreate: true,
    });
    const task = parseTask(res.body as VivaTask);
    if (!task) throw new ProviderError('unknown_outcome', 'bad_response', 'VivaAPI create answer has no task id');
    return task;
  }

  async query(
    ch: ChannelCredentials,
    _kind: string,
    ref: { upstreamTaskId: string } | { externalTaskId: string },
  ): Promise<UpstreamTask | null> {
    if (!('upstreamTaskId' in ref)) return null; // VivaAPI cannot look tasks up by our id
    try {
      const path = `/v1/video/query?id=${encodeURIComponent(ref.upstreamTaskId)}`;
      return parseTask((await this.call(ch, { method: 'GET', path, isCreate: false })).body as VivaTask);
    } catch (err) {
      if (err instanceof ProviderError && err.httpStatus === 404) return null;
      throw err;
    }
  }

  parseCallback(): UpstreamTask | null {
    return null;
  }

  async checkAccount(ch: ChannelCredentials): Promise<AccountCheck> {
    try {
      await this.call(ch, {
        method: 'GET',
        path: '/v1/video/query?id=reelay-key-check',
        isCreate: false,
        operation: 'account',
      });
      return { ok: true, message: 'Key accepted by VivaAPI', details: {} };
    } catch (err) {
      const e = err as ProviderError;
      // A 404 for the made-up id means the key itself was accepted.
      if (e.httpStatus === 404) return { ok: true, message: 'Key accepted by VivaAPI', details: {} };
      return { ok: false, message: e.message, details: { category: e.category, code: e.code } };
    }
  }

  private call(ch: ChannelCredentials, call: Omit<ProviderCall, 'headers'>): Promise<UpstreamResponse> {
    const headers = { authorization: `Bearer ${ch.key}` };
    return callProvider(this.http, 'VivaAPI', ch, this.config.upstreamTimeoutMs, { ...call, headers }, checkAnswer);
  }
}

function checkAnswer(res: UpstreamResponse): ProviderError | null {
  if (res.status >= 200 && res.status < 300) return null;
  const error = (res.body as { error?: { code?: unknown; message?: unknown } })?.error;
  const code = typeof error?.code === 'string' ? error.code : `http_${res.status}`;
  const message = typeof error?.message === 'string' ? error.message.slice(0, 300) : `HTTP ${res.status}`;
  const category =
    res.status === 401
      ? 'auth'
      : res.status === 403
        ? 'account'
        : res.status === 429 || res.status >= 500
          ? 'retryable'
          : code === 'content_policy_violation'
            ? 'content'
            : 'client';
  return new ProviderError(category, code, message, res.status);
}

function parseTask(t: VivaTask): UpstreamTask | null {
  if (!t || (typeof t.id !== 'string' && typeof t.id !== 'number')) return null;
  const status = STATUS[String(t.status).toLowerCase()] ?? 'processing';
  return {
    upstreamTaskId: String(t.id),
    externalTaskId: null,
    status,
    failReason:
      status === 'failed' ? (typeof t.error === 'string' && t.error ? t.error : 'VivaAPI reported a failure') : null,
    videoId: null,
    videoUrl: typeof t.video_url === 'string' && t.video_url ? t.video_url : null,
    duration: status === 'succeed' ? '8' : null,
  };
}
