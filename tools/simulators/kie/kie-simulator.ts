import { randomBytes } from 'node:crypto';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { Agent, request } from 'undici';
import {
  CreateSpec,
  creditsFor,
  isRecord,
  KieAspectRatio,
  KieModel,
  KieNFrames,
  KieSize,
  validateCreate,
} from './kie-validation';
import { SimMediaFiles, SimMediaOptions } from '../sim-media';
import { KIE_WEBHOOK_SIGNATURE_HEADER, KIE_WEBHOOK_TIMESTAMP_HEADER, signKieWebhook } from './kie-webhook';

// A local stand-in for the KIE.ai Market API as used for Sora 2 / Sora 2 Pro (docs: providers.md §2.1):
// Bearer keys, POST /api/v1/jobs/createTask, GET /api/v1/jobs/recordInfo?taskId=, one callback on
// completion (optionally HMAC-signed), with knobs for the failure modes a gateway must survive: credits
// running out, rate and concurrency limits, maintenance, lost or duplicated callbacks. Every knob is also
// reachable over HTTP under /__control.
//
// HTTP status: providers.md lists KIE's error codes as the `code` field of the JSON envelope and does not
// say which HTTP status goes with them; KIE's Market API answers HTTP 200 with the outcome in `code`, so
// every API answer here is HTTP 200 with `{ code, msg, data }` (data null on errors). The behavior flag
// `httpStatusMirrorsCode` makes error answers use `code` as the HTTP status instead, for clients that
// must cope with both. Paths the simulator does not know answer HTTP 404 (code 404) regardless.

export { KIE_ASPECT_RATIOS, KIE_MODELS, KIE_N_FRAMES, KIE_PRICES, KIE_SIZES, creditsFor } from './kie-validation';
export type { KieAspectRatio, KieModel, KieNFrames, KieSize } from './kie-validation';
export {
  KIE_WEBHOOK_SIGNATURE_HEADER,
  KIE_WEBHOOK_TIMESTAMP_HEADER,
  KIE_WEBHOOK_TOLERANCE_SECONDS,
  signKieWebhook,
  verifyKieWebhook,
} from './kie-webhook';

export interface KieSimBehavior {
  processingAfterMs: number;
  completeAfterMs: number;
  failWord: string; // a prompt holding it is accepted, then ends in state 'fail'
  rejectWord: string; // a prompt holding it is refused at create with code 422
  failCode: string; // failCode / failMsg of failed tasks (content policy by default)
  failMsg: string;
  callbackCopies: number; // copies of the completion callback, sent concurrently
  callbackDelayMs: number;
  callbackRetries: number; // further attempts when the receiver does not answer 2xx
  callbackRetryDelayMs: number;
  dropCallbacks: boolean;
  createLatencyMs: number;
  httpStatusMirrorsCode: boolean;
  altMessageField: boolean; // spell the envelope's `msg` as `message` (some KIE pages do)
}

export interface KieSimKeyOptions {
  // Credit balance. A create reserves the task's price (KIE_PRICES) and answers 402 when the balance is
  // short; a failed task gets its reservation back.
  credits?: number;
  // Max non-terminal tasks per key; null (or leaving it out on addKey) means unlimited.
  concurrency?: number | null;
  // Creates per second per key; null (or leaving it out on addKey) means unlimited.
  ratePerSecond?: number | null;
  // KIE's account-level "webhookHmacKey": when set, callbacks carry the X-Webhook-* headers.
  webhookKey?: string | null;
}

export interface KieSimCall {
  method: string;
  path: string; // without the query string
  query: string; // '' or '?a=b'
  key: string | null; // the registered key that made the call; null when authentication failed
  body: unknown;
  status: number; // HTTP status
  code: number; // envelope code
  at: number;
}

export type KieTaskState = 'waiting' | 'queuing' | 'generating' | 'success' | 'fail';

export interface KieSimTask {
  taskId: string;
  key: string;
  model: KieModel;
  state: KieTaskState;
  callBackUrl: string | null;
  prompt: string;
  aspect_ratio: KieAspectRatio;
  n_frames: KieNFrames;
  size: KieSize;
  image_urls: string[];
  remove_watermark: boolean;
  price: number; // credits reserved at create
  consumeCredits: number; // credits charged: price on success, 0 otherwise
  resultUrls: string[];
  failCode: string;
  failMsg: string;
  createTime: number;
  updateTime: number;
  completeTime: number | null;
  body: Record<string, unknown>;
}

export interface KieSimStats {
  creates: number;
  queries: number;
  callbacksSent: number; // delivery attempts, retries included
  maxConcurrentByKey: Record<string, number>;
  activeByKey: Record<string, number>;
  creditsByKey: Record<string, number>;
}

export const FAIL_NEXT_CODES = [401, 402, 422, 429, 433, 455, 500, 501, 505] as const;
export type KieFailNextCode = (typeof FAIL_NEXT_CODES)[number];

export interface KieSimulator {
  url: string;
  // Result files at /media/… (result URLs point there when media.options.serve is on).
  readonly media: SimMediaFiles;
  addKey(key: string, opts?: KieSimKeyOptions): void;
  setKey(key: string, opts: KieSimKeyOptions): void;
  setBehavior(patch: Partial<KieSimBehavior>): void;
  behavior(): KieSimBehavior;
  failNextCreates(code: KieFailNextCode, count: number): void;
  completeTask(taskId: string, outcome: 'success' | 'fail', fail?: { failCode?: string; failMsg?: string }): void;
  calls(): KieSimCall[];
  tasks(): KieSimTask[];
  stats(): KieSimStats;
  reset(): void;
  close(): Promise<void>;
}

// Wire shapes (providers.md §2.1).
export interface KieEnvelope<T = unknown> {
  code: number;
  msg: string;
  data: T | null;
}

export interface KieCreateData {
  taskId: string;
}

export interface KieRecordInfo {
  taskId: string;
  model: KieModel;
  state: KieTaskState;
  param: string; // the create body, JSON-encoded
  resultJson: string; // '{"resultUrls":[…]}' on success, '' otherwise
  failCode: string;
  failMsg: string;
  costTime: number | null; // ms from create to completion; null until terminal
  completeTime: number | null; // ms epoch; null until terminal
  createTime: number;
  updateTime: number;
  consumeCredits: number;
}

export interface KieCallbackData extends KieRecordInfo {
  remainedCredits: number;
}

export interface KieResultJson {
  resultUrls: string[];
}

export const DEFAULT_BEHAVIOR: Readonly<KieSimBehavior> = {
  processingAfterMs: 30,
  completeAfterMs: 120,
  failWord: 'SIM_FAIL',
  rejectWord: 'SIM_REJECT',
  failCode: '400',
  failMsg: 'Your prompt was flagged as violating content policies.',
  callbackCopies: 1,
  callbackDelayMs: 0,
  callbackRetries: 0,
  callbackRetryDelayMs: 100,
  dropCallbacks: false,
  createLatencyMs: 0,
  httpStatusMirrorsCode: false,
  altMessageField: false,
};

export const DEFAULT_CREDITS = 10_000_000;
export const VIDEO_URL_BASE = 'https://sim.kie.local/videos/';
export const SUCCESS_CALLBACK_MSG = 'Playground task completed successfully.';
export const REJECT_MESSAGE = 'Your prompt was flagged by the content policy and was not accepted.';

export const KIE_MESSAGES: Readonly<Record<KieFailNextCode | 404, string>> = {
  401: 'You do not have access permissions',
  402: 'The current credits are insufficient. Please top up.',
  404: 'Not found',
  422: 'Validation error',
  429: 'Rate limited: request limit has been exceeded for this resource',
  433: 'Sub-key usage limit exceeded',
  455: 'Service unavailable: the system is under maintenance',
  500: 'Server error: an unexpected error occurred while processing the request',
  501: 'Generation failed',
  505: 'Feature disabled',
};

const BODY_LIMIT = 64 * 1024 * 1024;
const CALLBACK_TIMEOUT_MS = 15_000;

export class SimInputError extends Error {}

interface KeyRecord {
  key: string;
  credits: number;
  initialCredits: number;
  concurrency: number | null;
  ratePerSecond: number | null;
  webhookKey: string | null;
  active: number;
  maxActive: number;
  rateTimes: number[];
  rateIdx: number;
}

interface TaskRecord {
  id: string;
  generation: number;
  key: string;
  spec: CreateSpec;
  body: Record<string, unknown>;
  state: KieTaskState;
  outcome: 'success' | 'fail';
  failCode: string;
  failMsg: string;
  price: number;
  consumeCredits: number;
  createTime: number;
  updateTime: number;
  completeTime: number | null;
  timer: NodeJS.Timeout | null;
}

interface Answer {
  payload: KieEnvelope;
  httpStatus?: number; // set only where the HTTP status does not follow the envelope
}

interface ApiResult extends Answer {
  key: string | null;
}

interface Sleeper {
  timer: NodeJS.Timeout;
  resolve: () => void;
}

// 32 hex characters, like the ids in KIE's docs.
function newTaskId(): string {
  return randomBytes(16).toString('hex');
}

const isTerminal = (s: KieTaskState): boolean => s === 'success' || s === 'fail';

function ok<T>(data: T, msg = 'success'): Answer {
  return { payload: { code: 200, msg, data } };
}

function err(code: number, msg: string): Answer {
  return { payload: { code, msg, data: null } };
}

const resultUrlsOf = (t: TaskRecord, served: string | null): string[] =>
  t.state === 'success' ? [served ?? `${VIDEO_URL_BASE}${t.id}.mp4`] : [];

class KieSimulatorImpl implements KieSimulator {
  url = '';
  readonly media: SimMediaFiles;
  private readonly server: Server;
  private readonly agent = new Agent({ connections: 256, keepAliveTimeout: 4_000 });
  private readonly keys = new Map<string, KeyRecord>();
  private readonly baseBehavior: KieSimBehavior;
  private current: KieSimBehavior;

  private tasksById = new Map<string, TaskRecord>();
  private callLog: KieSimCall[] = [];
  private forced: { code: KieFailNextCode; remaining: number }[] = [];
  private counters = { creates: 0, queries: 0, callbacksSent: 0 };
  private generation = 0;
  private closed = false;
  private readonly inflight = new Set<Promise<void>>();
  private readonly sleepers = new Set<Sleeper>();

  constructor(behavior: Partial<KieSimBehavior> | undefined, media?: Partial<SimMediaOptions>) {
    this.media = new SimMediaFiles(media);
    this.baseBehavior = mergeBehavior({ ...DEFAULT_BEHAVIOR }, behavior ?? {});
    this.current = { ...this.baseBehavior };
    this.server = createServer((req, res) => this.onRequest(req, res));
    this.server.keepAliveTimeout = 60_000;
  }

  async listen(port: number, host: string): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => {
        this.server.off('error', reject);
        resolve();
      });
    });
    const addr = this.server.address() as AddressInfo;
    const h = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;
    this.url = `http://${h}:${addr.port}`;
  }

  // ---------------------------------------------------------------- control API

  addKey(key: string, opts: KieSimKeyOptions = {}): void {
    if (typeof key !== 'string' || key === '' || /\s/.test(key)) {
      throw new SimInputError('key must be a non-empty string without whitespace');
    }
    const rec: KeyRecord = this.keys.get(key) ?? {
      key,
      credits: DEFAULT_CREDITS,
      initialCredits: DEFAULT_CREDITS,
      concurrency: null,
      ratePerSecond: null,
      webhookKey: null,
      active: 0,
      maxActive: 0,
      rateTimes: [],
      rateIdx: 0,
    };
    rec.credits = DEFAULT_CREDITS;
    rec.initialCredits = DEFAULT_CREDITS;
    rec.concurrency = null;
    rec.ratePerSecond = null;
    rec.webhookKey = null;
    rec.rateTimes = [];
    rec.rateIdx = 0;
    applyKeyOptions(rec, opts);
    this.keys.set(key, rec);
  }

  setKey(key: string, opts: KieSimKeyOptions): void {
    const rec = this.keys.get(key);
    if (!rec) throw new SimInputError(`unknown key ${key}`);
    applyKeyOptions(rec, opts);
  }

  setBehavior(patch: Partial<KieSimBehavior>): void {
    this.current = mergeBehavior({ ...this.current }, patch);
  }

  behavior(): KieSimBehavior {
    return { ...this.current };
  }

  failNextCreates(code: KieFailNextCode, count: number): void {
    if (!FAIL_NEXT_CODES.includes(code)) throw new SimInputError(`code must be one of ${FAIL_NEXT_CODES.join(', ')}`);
    if (!Number.isInteger(count) || count < 0) throw new SimInputError('count must be a non-negative integer');
    if (count > 0) this.forced.push({ code, remaining: count });
  }

  completeTask(taskId: string, outcome: 'success' | 'fail', fail: { failCode?: string; failMsg?: string } = {}): void {
    if (outcome !== 'success' && outcome !== 'fail') throw new SimInputError('outcome must be success or fail');
    if (fail.failCode !== undefined && typeof fail.failCode !== 'string') {
      throw new SimInputError('failCode must be a string');
    }
    if (fail.failMsg !== undefined && typeof fail.failMsg !== 'string')
      throw new SimInputError('failMsg must be a string');
    const task = this.tasksById.get(taskId);
    if (!task) throw new SimInputError(`unknown task ${taskId}`);
    if (isTerminal(task.state)) return;
    task.outcome = outcome;
    if (fail.failCode !== undefined) task.failCode = fail.failCode;
    if (fail.failMsg !== undefined) task.failMsg = fail.failMsg;
    if (task.timer) clearTimeout(task.timer);
    task.timer = null;
    this.transition(task, outcome);
  }

  calls(): KieSimCall[] {
    return this.callLog.slice();
  }

  tasks(): KieSimTask[] {
    return [...this.tasksById.values()].map((t) => this.taskView(t));
  }

  stats(): KieSimStats {
    const maxConcurrentByKey: Record<string, number> = {};
    const activeByKey: Record<string, number> = {};
    const creditsByKey: Record<string, number> = {};
    for (const k of this.keys.values()) {
      maxConcurrentByKey[k.key] = k.maxActive;
      activeByKey[k.key] = k.active;
      creditsByKey[k.key] = k.credits;
    }
    return { ...this.counters, maxConcurrentByKey, activeByKey, creditsByKey };
  }

  reset(): void {
    for (const t of this.tasksById.values()) if (t.timer) clearTimeout(t.timer);
    this.generation++; // callbacks still queued for forgotten tasks are dropped
    this.tasksById = new Map();
    this.callLog = [];
    this.forced = [];
    this.counters = { creates: 0, queries: 0, callbacksSent: 0 };
    this.current = { ...this.baseBehavior };
    for (const k of this.keys.values()) {
      k.credits = k.initialCredits;
      k.active = 0;
      k.maxActive = 0;
      k.rateTimes = [];
      k.rateIdx = 0;
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const t of this.tasksById.values()) if (t.timer) clearTimeout(t.timer);
    for (const s of this.sleepers) {
      clearTimeout(s.timer);
      s.resolve();
    }
    this.sleepers.clear();
    await Promise.all([...this.inflight]);
    await this.agent.close();
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  // ---------------------------------------------------------------- HTTP plumbing

  private onRequest(req: IncomingMessage, res: ServerResponse): void {
    this.dispatch(req, res).catch((e: unknown) => {
      if (res.headersSent) {
        res.destroy();
        return;
      }
      const message = e instanceof Error ? e.message : String(e);
      send(res, 500, { code: 500, msg: `simulator error: ${message}`, data: null });
    });
  }

  private async dispatch(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const at = Date.now();
    const rawUrl = req.url ?? '/';
    const q = rawUrl.indexOf('?');
    let path = q === -1 ? rawUrl : rawUrl.slice(0, q);
    const query = q === -1 ? '' : rawUrl.slice(q);
    if (path.length > 1 && path.endsWith('/')) path = path.slice(0, -1);
    const method = (req.method ?? 'GET').toUpperCase();
    if (this.media.handle(method, path, res)) return;
    const raw = await readBody(req);

    if (path === '/__control' || path.startsWith('/__control/')) {
      const [status, body] = this.control(method, path, raw);
      send(res, status, body);
      return;
    }

    let body: unknown = null;
    let bodyOk = true;
    if (raw !== null && raw.length > 0) {
      const textBody = raw.toString('utf8');
      try {
        body = JSON.parse(textBody) as unknown;
      } catch {
        body = textBody;
        bodyOk = false;
      }
    }

    const result = await this.api(method, path, new URLSearchParams(query), req.headers.authorization, body, bodyOk);
    const code = result.payload.code;
    const status = result.httpStatus ?? (this.current.httpStatusMirrorsCode && code !== 200 ? code : 200);
    this.callLog.push({ method, path, query, key: result.key, body, status, code, at });
    send(res, status, this.wire(result.payload));
  }

  private wire(payload: KieEnvelope): unknown {
    if (!this.current.altMessageField) return payload;
    return { code: payload.code, message: payload.msg, data: payload.data };
  }

  // ---------------------------------------------------------------- KIE Market API

  private async api(
    method: string,
    path: string,
    params: URLSearchParams,
    authorization: string | undefined,
    body: unknown,
    bodyOk: boolean,
  ): Promise<ApiResult> {
    const route = `${method} ${path}`;
    if (
      route !== 'POST /api/v1/jobs/createTask' &&
      route !== 'GET /api/v1/jobs/recordInfo' &&
      route !== 'GET /api/v1/chat/credit'
    ) {
      return { ...err(404, `${KIE_MESSAGES[404]}: ${route}`), httpStatus: 404, key: null };
    }
    const presented = bearer(authorization);
    const key = presented === null ? undefined : this.keys.get(presented);
    if (!key) {
      const why = presented === null ? 'missing or malformed Authorization: Bearer header' : 'invalid API key';
      return { ...err(401, `${KIE_MESSAGES[401]}: ${why}`), key: null };
    }
    if (route === 'GET /api/v1/chat/credit') return { ...ok(key.credits), key: key.key };
    if (route === 'GET /api/v1/jobs/recordInfo') return { ...this.recordInfo(key, params), key: key.key };
    return { ...(await this.create(key, body, bodyOk)), key: key.key };
  }

  private recordInfo(key: KeyRecord, params: URLSearchParams): Answer {
    this.counters.queries++;
    const id = params.get('taskId');
    if (id === null || id === '') return err(422, 'Invalid parameter taskId: is required');
    const task = this.tasksById.get(id);
    if (!task || task.key !== key.key) return err(404, `${KIE_MESSAGES[404]}: no task ${id}`);
    return ok(this.recordOf(task));
  }

  private async create(key: KeyRecord, body: unknown, bodyOk: boolean): Promise<Answer> {
    const b = this.current;
    if (b.createLatencyMs > 0) await this.sleep(b.createLatencyMs);
    if (!bodyOk || !isRecord(body)) return err(422, 'Invalid request: body must be a JSON object');
    const v = validateCreate(body);
    if (!v.ok) return err(422, v.message);
    const spec = v.spec;
    if (b.rejectWord !== '' && spec.prompt.includes(b.rejectWord)) return err(422, REJECT_MESSAGE);
    if (!takeRateSlot(key)) return err(429, KIE_MESSAGES[429]);
    if (key.concurrency !== null && key.active >= key.concurrency) {
      return err(429, `${KIE_MESSAGES[429]}: at most ${key.concurrency} tasks may run at once`);
    }

    const forced = this.forced[0];
    if (forced) {
      if (--forced.remaining <= 0) this.forced.shift();
      return err(forced.code, KIE_MESSAGES[forced.code]);
    }

    const price = creditsFor(spec);
    if (key.credits < price) {
      return err(402, `${KIE_MESSAGES[402]} (balance ${key.credits}, this task needs ${price})`);
    }

    const task = this.startTask(key, spec, body, price);
    return ok<KieCreateData>({ taskId: task.id });
  }

  // ---------------------------------------------------------------- lifecycle

  private startTask(key: KeyRecord, spec: CreateSpec, body: Record<string, unknown>, price: number): TaskRecord {
    const b = this.current;
    const now = Date.now();
    const task: TaskRecord = {
      id: newTaskId(),
      generation: this.generation,
      key: key.key,
      spec,
      body,
      state: 'waiting',
      outcome: b.failWord !== '' && spec.prompt.includes(b.failWord) ? 'fail' : 'success',
      failCode: b.failCode,
      failMsg: b.failMsg,
      price,
      consumeCredits: 0,
      createTime: now,
      updateTime: now,
      completeTime: null,
      timer: null,
    };
    this.tasksById.set(task.id, task);
    this.counters.creates++;
    key.credits -= price;
    key.active++;
    if (key.active > key.maxActive) key.maxActive = key.active;

    const toGenerating = Math.max(0, Math.min(b.processingAfterMs, b.completeAfterMs));
    const toTerminal = Math.max(0, b.completeAfterMs - toGenerating);
    if (!this.closed) {
      task.timer = setTimeout(() => {
        task.timer = null;
        if (task.state !== 'waiting') return;
        this.transition(task, 'generating');
        task.timer = setTimeout(() => {
          task.timer = null;
          this.transition(task, task.outcome);
        }, toTerminal);
        task.timer.unref();
      }, toGenerating);
      task.timer.unref();
    }
    return task;
  }

  private transition(task: TaskRecord, state: KieTaskState): void {
    if (isTerminal(task.state) || task.generation !== this.generation) return;
    task.state = state;
    task.updateTime = Date.now();
    if (!isTerminal(state)) return;
    task.completeTime = task.updateTime;
    const key = this.keys.get(task.key);
    if (key) key.active = Math.max(0, key.active - 1);
    if (state === 'success') {
      task.consumeCredits = task.price;
      task.failCode = '';
      task.failMsg = '';
    } else if (key) {
      key.credits += task.price; // the reservation goes back; KIE charges 0 for a failed task
    }
    this.emitCallback(task, key);
  }

  private recordOf(t: TaskRecord): KieRecordInfo {
    const terminal = isTerminal(t.state);
    const failed = t.state === 'fail';
    return {
      taskId: t.id,
      model: t.spec.model,
      state: t.state,
      param: JSON.stringify(t.body),
      resultJson:
        t.state === 'success'
          ? JSON.stringify({ resultUrls: resultUrlsOf(t, this.media.urlFor(this.url, t.id)) } satisfies KieResultJson)
          : '',
      failCode: failed ? t.failCode : '',
      failMsg: failed ? t.failMsg : '',
      costTime: terminal && t.completeTime !== null ? t.completeTime - t.createTime : null,
      completeTime: t.completeTime,
      createTime: t.createTime,
      updateTime: t.updateTime,
      consumeCredits: t.consumeCredits,
    };
  }

  private taskView(t: TaskRecord): KieSimTask {
    const failed = t.state === 'fail';
    return {
      taskId: t.id,
      key: t.key,
      model: t.spec.model,
      state: t.state,
      callBackUrl: t.spec.callBackUrl,
      prompt: t.spec.prompt,
      aspect_ratio: t.spec.aspectRatio,
      n_frames: t.spec.nFrames,
      size: t.spec.size,
      image_urls: t.spec.imageUrls.slice(),
      remove_watermark: t.spec.removeWatermark,
      price: t.price,
      consumeCredits: t.consumeCredits,
      resultUrls: resultUrlsOf(t, this.media.urlFor(this.url, t.id)),
      failCode: failed ? t.failCode : '',
      failMsg: failed ? t.failMsg : '',
      createTime: t.createTime,
      updateTime: t.updateTime,
      completeTime: t.completeTime,
      body: t.body,
    };
  }

  // ---------------------------------------------------------------- callbacks

  // One callback per task, on completion (providers.md §2.1): snapshotted now, delivered after
  // callbackDelayMs in callbackCopies concurrent copies, each retried up to callbackRetries times.
  private emitCallback(task: TaskRecord, key: KeyRecord | undefined): void {
    const b = this.current;
    const url = task.spec.callBackUrl;
    if (url === null || b.dropCallbacks || this.closed || b.callbackCopies <= 0) return;
    const success = task.state === 'success';
    const data: KieCallbackData = { ...this.recordOf(task), remainedCredits: key?.credits ?? 0 };
    const envelope: KieEnvelope<KieCallbackData> = {
      code: success ? 200 : 501,
      msg: success ? SUCCESS_CALLBACK_MSG : task.failMsg,
      data,
    };
    const payload = JSON.stringify(this.wire(envelope));
    const dueAt = Date.now() + b.callbackDelayMs;
    const { callbackCopies: copies, callbackRetries: retries, callbackRetryDelayMs: retryDelay } = b;
    const generation = this.generation;
    const p = (async () => {
      await this.sleep(dueAt - Date.now());
      await Promise.all(
        Array.from({ length: copies }, async () => {
          for (let attempt = 0; ; attempt++) {
            if (this.closed || generation !== this.generation) return;
            if (await this.post(url, payload, task)) return;
            if (attempt >= retries) return;
            await this.sleep(retryDelay);
          }
        }),
      );
    })();
    this.inflight.add(p);
    void p.finally(() => this.inflight.delete(p));
  }

  // True when the receiver answered 2xx.
  private async post(url: string, payload: string, task: TaskRecord): Promise<boolean> {
    this.counters.callbacksSent++;
    const headers: Record<string, string> = { 'content-type': 'application/json', 'user-agent': 'kie-simulator' };
    const webhookKey = this.keys.get(task.key)?.webhookKey ?? null;
    if (webhookKey !== null) {
      const timestamp = String(Math.floor(Date.now() / 1000));
      headers[KIE_WEBHOOK_TIMESTAMP_HEADER] = timestamp;
      headers[KIE_WEBHOOK_SIGNATURE_HEADER] = signKieWebhook(webhookKey, task.id, timestamp);
    }
    try {
      const res = await request(url, {
        method: 'POST',
        dispatcher: this.agent,
        headers,
        body: payload,
        headersTimeout: CALLBACK_TIMEOUT_MS,
        bodyTimeout: CALLBACK_TIMEOUT_MS,
      });
      await res.body.dump();
      return res.statusCode >= 200 && res.statusCode < 300;
    } catch {
      return false;
    }
  }

  private sleep(ms: number): Promise<void> {
    if (ms <= 0 || this.closed) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const s: Sleeper = {
        timer: setTimeout(() => {
          this.sleepers.delete(s);
          resolve();
        }, ms),
        resolve,
      };
      s.timer.unref();
      this.sleepers.add(s);
    });
  }

  // ---------------------------------------------------------------- /__control over HTTP

  private control(method: string, path: string, raw: Buffer | null): [number, unknown] {
    let body: unknown = {};
    if (raw !== null && raw.length > 0) {
      try {
        body = JSON.parse(raw.toString('utf8')) as unknown;
      } catch {
        return [400, { error: 'body is not JSON' }];
      }
    }
    const input = isRecord(body) ? body : {};
    const route = `${method} ${path.slice('/__control'.length)}`;
    try {
      let m: RegExpExecArray | null;
      if (route === 'POST /reset') {
        this.reset();
        return [200, { ok: true }];
      }
      if (route === 'POST /keys') {
        const { key, ...rest } = input;
        if (typeof key !== 'string') throw new SimInputError('key is a required string');
        this.addKey(key, parseKeyOptions(rest));
        return [201, { ok: true, key }];
      }
      if ((m = /^PATCH \/keys\/([^/]+)$/.exec(route))) {
        this.setKey(safeDecode(m[1]), parseKeyOptions(input));
        return [200, { ok: true }];
      }
      if (route === 'PATCH /behavior') {
        this.setBehavior(parseBehavior(input));
        return [200, this.behavior()];
      }
      if (route === 'GET /behavior') return [200, this.behavior()];
      if (route === 'POST /fail-next-creates') {
        this.failNextCreates(input.code as KieFailNextCode, input.count as number);
        return [200, { ok: true }];
      }
      if ((m = /^POST \/tasks\/([^/]+)\/complete$/.exec(route))) {
        const id = safeDecode(m[1]);
        const { outcome, failCode, failMsg } = input;
        this.completeTask(id, outcome as 'success' | 'fail', {
          failCode: failCode as string | undefined,
          failMsg: failMsg as string | undefined,
        });
        const task = this.tasksById.get(id);
        return [200, task ? this.taskView(task) : null];
      }
      if (route === 'GET /calls') return [200, this.callLog];
      if (route === 'GET /tasks') return [200, this.tasks()];
      if (route === 'GET /stats') return [200, this.stats()];
      return [404, { error: `no control route ${route}` }];
    } catch (e) {
      if (e instanceof SimInputError) return [e.message.startsWith('unknown') ? 404 : 400, { error: e.message }];
      throw e;
    }
  }
}

// ------------------------------------------------------------------ helpers

function bearer(authorization: string | undefined): string | null {
  if (authorization === undefined) return null;
  const m = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
  return m ? m[1] : null;
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

// Sliding one-second window: the N-th previous create must be at least 1 s old.
function takeRateSlot(key: KeyRecord): boolean {
  const limit = key.ratePerSecond;
  if (limit === null) return true;
  const now = Date.now();
  const oldest = key.rateTimes[key.rateIdx];
  if (oldest !== undefined && now - oldest < 1000) return false;
  key.rateTimes[key.rateIdx] = now;
  key.rateIdx = (key.rateIdx + 1) % limit;
  return true;
}

function applyKeyOptions(key: KeyRecord, opts: KieSimKeyOptions): void {
  // Check everything first so a bad option leaves the key untouched.
  const { credits, concurrency, ratePerSecond, webhookKey } = opts;
  if (credits !== undefined && (!Number.isInteger(credits) || credits < 0)) {
    throw new SimInputError('credits must be a non-negative integer');
  }
  if (concurrency !== undefined && concurrency !== null && (!Number.isInteger(concurrency) || concurrency < 0)) {
    throw new SimInputError('concurrency must be a non-negative integer or null');
  }
  if (
    ratePerSecond !== undefined &&
    ratePerSecond !== null &&
    (!Number.isInteger(ratePerSecond) || ratePerSecond < 1)
  ) {
    throw new SimInputError('ratePerSecond must be a positive integer or null');
  }
  if (webhookKey !== undefined && webhookKey !== null && (typeof webhookKey !== 'string' || webhookKey === '')) {
    throw new SimInputError('webhookKey must be a non-empty string or null');
  }
  if (credits !== undefined) {
    key.credits = credits;
    key.initialCredits = credits;
  }
  if (concurrency !== undefined) key.concurrency = concurrency;
  if (ratePerSecond !== undefined) {
    key.ratePerSecond = ratePerSecond;
    key.rateTimes = [];
    key.rateIdx = 0;
  }
  if (webhookKey !== undefined) key.webhookKey = webhookKey;
}

const KEY_OPTION_FIELDS = ['credits', 'concurrency', 'ratePerSecond', 'webhookKey'];

function parseKeyOptions(input: Record<string, unknown>): KieSimKeyOptions {
  const unknown = Object.keys(input).filter((k) => !KEY_OPTION_FIELDS.includes(k));
  if (unknown.length > 0) throw new SimInputError(`key options have no fields ${unknown.join(', ')}`);
  return input; // applyKeyOptions checks the values
}

const NUMBER_FIELDS = [
  'processingAfterMs',
  'completeAfterMs',
  'callbackCopies',
  'callbackDelayMs',
  'callbackRetries',
  'callbackRetryDelayMs',
  'createLatencyMs',
] as const;
const INTEGER_FIELDS: ReadonlySet<string> = new Set(['callbackCopies', 'callbackRetries']);
const STRING_FIELDS = ['failWord', 'rejectWord', 'failCode', 'failMsg'] as const;
const BOOLEAN_FIELDS = ['dropCallbacks', 'httpStatusMirrorsCode', 'altMessageField'] as const;

function parseBehavior(input: Record<string, unknown>): Partial<KieSimBehavior> {
  const known = new Set<string>([...NUMBER_FIELDS, ...STRING_FIELDS, ...BOOLEAN_FIELDS]);
  const unknown = Object.keys(input).filter((k) => !known.has(k));
  if (unknown.length > 0) throw new SimInputError(`behavior has no fields ${unknown.join(', ')}`);
  return input; // mergeBehavior checks the values
}

function mergeBehavior(target: KieSimBehavior, patch: Partial<KieSimBehavior>): KieSimBehavior {
  for (const f of NUMBER_FIELDS) {
    const v = patch[f];
    if (v === undefined) continue;
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) throw new SimInputError(`${f} must be a number >= 0`);
    if (INTEGER_FIELDS.has(f) && !Number.isInteger(v)) throw new SimInputError(`${f} must be an integer`);
    target[f] = v;
  }
  for (const f of STRING_FIELDS) {
    const v = patch[f];
    if (v === undefined) continue;
    if (typeof v !== 'string') throw new SimInputError(`${f} must be a string`);
    target[f] = v;
  }
  for (const f of BOOLEAN_FIELDS) {
    const v = patch[f];
    if (v === undefined) continue;
    if (typeof v !== 'boolean') throw new SimInputError(`${f} must be a boolean`);
    target[f] = v;
  }
  return target;
}

function readBody(req: IncomingMessage): Promise<Buffer | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > BODY_LIMIT) {
        reject(new Error('request body too large'));
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(chunks.length === 0 ? null : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const s = JSON.stringify(body) ?? 'null';
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(s) });
  res.end(s);
}

export async function startKieSimulator(
  opts: { port?: number; host?: string; behavior?: Partial<KieSimBehavior>; media?: Partial<SimMediaOptions> } = {},
): Promise<KieSimulator> {
  const sim = new KieSimulatorImpl(opts.behavior, opts.media);
  await sim.listen(opts.port ?? 0, opts.host ?? '127.0.0.1');
  return sim;
}
