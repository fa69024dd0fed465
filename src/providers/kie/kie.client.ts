import { createHmac, timingSafeEqual } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { AppConfig } from '../../config/app-config';
import { callProvider, ProviderCall, UpstreamHttp, UpstreamResponse } from '../upstream-http';
import {
  AccountCheck,
  CallbackHeaders,
  ChannelCredentials,
  ProviderError,
  ProviderErrorCategory,
  SubmitInput,
  UpstreamStatus,
  UpstreamTask,
  VideoProvider,
} from '../video-provider';

// providers.md §2.1: Market API body codes.
const CODE_CATEGORY: Record<number, ProviderErrorCategory> = {
  401: 'auth',
  402: 'account',
  404: 'client',
  422: 'client',
  429: 'retryable',
  433: 'account',
  455: 'retryable',
  500: 'retryable',
  501: 'content',
  505: 'channel',
};

const STATES: Record<string, UpstreamStatus> = {
  waiting: 'submitted',
  queuing: 'submitted',
  generating: 'processing',
  success: 'succeed',
  fail: 'failed',
};

interface KieRecord {
  taskId?: unknown;
  task_id?: unknown;
  state?: unknown;
  resultJson?: unknown;
  failMsg?: unknown;
  failCode?: unknown;
}

// Reelay's batch row fields → KIE's Market input (Sora 2 / Sora 2 Pro).
export interface SoraRequest {
  prompt: string;
  resolution: string; // 720p | 1080p
  duration: number; // 10 | 15
  aspect_ratio: string; // 16:9 | 9:16
  image_url?: string | null;
}

// KIE.ai Market API (createTask, recordInfo) for sora-2 and sora-2-pro.
@Injectable()
export class KieClient extends VideoProvider {
  readonly type = 'kie' as const;
  readonly sendsCallbacks = true;
  readonly findsByExternalId = false; // KIE has no caller-supplied id

  constructor(
    private readonly http: UpstreamHttp,
    private readonly config: AppConfig,
  ) {
    super();
  }

  async submit(ch: ChannelCredentials, input: SubmitInput): Promise<UpstreamTask> {
    const req = input.body as unknown as SoraRequest;
    const pro = input.model.startsWith('sora-2-pro');
    const body = {
      model: `${pro ? 'sora-2-pro' : 'sora-2'}-${req.image_url ? 'image' : 'text'}-to-video`,
      ...(input.callbackUrl ? { callBackUrl: input.callbackUrl } : {}),
      input: {
        prompt: req.prompt,
        aspect_ratio: req.aspect_ratio === '9:16' ? 'portrait' : 'landscape',
        n_frames: String(req.duration),
        ...(pro ? { size: req.resolution === '1080p' ? 'high' : 'standard' } : {}),
        ...(req.image_url ? { image_urls: [req.image_url] } : {}),
        remove_watermark: true,
      },
    };
    const res = await this.call(ch, { method: 'POST', path: '/api/v1/jobs/createTask', json: body, isCreate: true });
    const taskId = (res.body as { data?: { taskId?: unknown } }).data?.taskId;
    if (typeof taskId !== 'string')
      throw new ProviderError('unknown_outcome', 'bad_response', 'KIE create answer has no taskId');
    return {
      upstreamTaskId: taskId,
      externalTaskId: null,
      status: 'submitted',
      failReason: null,
      videoId: null,
      videoUrl: null,
      duration: null,
    };
  }

  async query(
    ch: ChannelCredentials,
    _kind: string,
    ref: { upstreamTaskId: string } | { externalTaskId: string },
  ): Promise<UpstreamTask | null> {
    if (!('upstreamTaskId' in ref)) return null; // KIE has no caller-supplied id
    try {
      const res = await this.call(ch, {
        method: 'GET',
        path: `/api/v1/jobs/recordInfo?taskId=${encodeURIComponent(ref.upstreamTaskId)}`,
        isCreate: false,
      });
      return parseRecord((res.body as { data?: KieRecord }).data ?? {});
    } catch (err) {
      if (err instanceof ProviderError && err.code === '404') return null;
      throw err;
    }
  }

  parseCallback(body: unknown): UpstreamTask | null {
    const data = (body as { data?: KieRecord } | null)?.data;
    return data && typeof data === 'object' ? parseRecord(data) : null;
  }

  // KIE signs callbacks only when the account has a webhook key; the channel then carries it.
  override verifyCallback(ch: ChannelCredentials, headers: CallbackHeaders, task: UpstreamTask, nowS: number): boolean {
    if (!ch.webhookKey) return true;
    const header = (name: string) => {
      const v = headers[name];
      return Array.isArray(v) ? v[0] : v;
    };
    return verifyKieSignature(
      ch.webhookKey,
      task.upstreamTaskId,
      header('x-webhook-timestamp'),
      header('x-webhook-signature'),
      nowS,
    );
  }

  async checkAccount(ch: ChannelCredentials): Promise<AccountCheck> {
    try {
      const res = await this.call(ch, {
        method: 'GET',
        path: '/api/v1/chat/credit',
        isCreate: false,
        operation: 'account',
      });
      return {
        ok: true,
        message: 'Key accepted by KIE',
        details: { credits: (res.body as { data?: unknown }).data ?? null },
      };
    } catch (err) {
      const e = err as ProviderError;
      return { ok: false, message: e.message, details: { category: e.category, code: e.code } };
    }
  }

  private call(ch: ChannelCredentials, call: Omit<ProviderCall, 'headers'>): Promise<UpstreamResponse> {
    const headers = { authorization: `Bearer ${ch.key}` };
    return callProvider(this.http, 'KIE', ch, this.config.upstreamTimeoutMs, { ...call, headers }, checkAnswer);
  }
}

// KIE answers HTTP 200 with its own code in the body; a non-200 HTTP status counts too.
function checkAnswer(res: UpstreamResponse): ProviderError | null {
  const b = res.body as { code?: unknown; msg?: unknown; message?: unknown };
  const code = typeof b?.code === 'number' ? b.code : res.status;
  if (res.status === 200 && code === 200) return null;
  const message = String(
    typeof b?.msg === 'string' ? b.msg : typeof b?.message === 'string' ? b.message : `HTTP ${res.status}`,
  ).slice(0, 300);
  const category = CODE_CATEGORY[code] ?? (code >= 500 ? 'retryable' : 'client');
  return new ProviderError(
    /polic|sensitive|violat/i.test(message) ? 'content' : category,
    String(code),
    message,
    res.status,
  );
}

function parseRecord(d: KieRecord): UpstreamTask | null {
  const id = typeof d.taskId === 'string' ? d.taskId : typeof d.task_id === 'string' ? d.task_id : null;
  const status = STATES[String(d.state)];
  if (!id || !status) return null;
  let url: string | null = null;
  if (status === 'succeed' && typeof d.resultJson === 'string' && d.resultJson) {
    try {
      const urls = (JSON.parse(d.resultJson) as { resultUrls?: unknown[] }).resultUrls;
      url = typeof urls?.[0] === 'string' ? urls[0] : null;
    } catch {
      url = null;
    }
  }
  const failMsg = typeof d.failMsg === 'string' && d.failMsg ? d.failMsg : null;
  return {
    upstreamTaskId: id,
    externalTaskId: null,
    status,
    failReason:
      status === 'failed'
        ? (failMsg ?? `KIE failure ${typeof d.failCode === 'string' ? d.failCode : ''}`.trim())
        : null,
    videoId: null,
    videoUrl: url,
    duration: null,
  };
}

// KIE's optional webhook signature: base64(HMAC-SHA256(taskId + "." + timestamp, key)),
// accepted within five minutes of the timestamp.
export function verifyKieSignature(
  key: string,
  taskId: string,
  timestamp: string | undefined,
  signature: string | undefined,
  nowS: number,
): boolean {
  if (!timestamp || !signature || !/^\d+$/.test(timestamp) || Math.abs(nowS - Number(timestamp)) > 300) return false;
  const expected = createHmac('sha256', key).update(`${taskId}.${timestamp}`).digest('base64');
  const a = Buffer.from(expected);
  const b = Buffer.from(signature);
  return a.length === b.length && timingSafeEqual(a, b);
}
