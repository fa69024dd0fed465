import { randomUUID } from 'node:crypto';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { Agent, request } from 'undici';
import { SimMediaFiles, SimMediaOptions } from '../sim-media';
import { KlingAuthenticator } from './kling-auth';
import { CreateSpec, isKlingKind, isRecord, KlingKind, unitsFor, validateCreate } from './kling-validation';

// A local stand-in for the Kling open-platform video API (docs: providers.md §1), with knobs for
// the failure modes a gateway must survive: lost create responses, duplicate callbacks, rate and
// concurrency limits, dead accounts. Every knob is also reachable over HTTP under /__control.

export { KLING_KINDS, MODELS_BY_KIND } from './kling-validation';
export type { KlingKind } from './kling-validation';

export interface KlingSimBehavior {
  processingAfterMs: number;
  completeAfterMs: number;
  failWord: string;
  rejectWord: string;
  callbackCopies: number;
  terminalCallbackCopies: number;
  callbackDelayMs: number;
  dropCallbacks: boolean;
  wrapCallbacks: boolean;
  createLatencyMs: number;
  videoDurationSeconds?: number;
}

export type KlingKeyState = 'ok' | 'abnormal' | 'arrears' | 'exhausted';

export interface KlingSimKeyOptions {
  concurrency?: number;
  // Creates per second per key; null (or leaving it out on addKey) means unlimited.
  ratePerSecond?: number | null;
  state?: KlingKeyState;
}

export interface KlingSimCall {
  method: string;
  path: string; // without the query string
  query: string; // '' or '?a=b'
  ak: string | null;
  body: unknown;
  status: number;
  code: number;
  at: number;
}

export type SimTaskStatus = 'submitted' | 'processing' | 'succeed' | 'failed';

export interface SimTask {
  task_id: string;
  ak: string;
  kind: KlingKind;
  external_task_id: string | null;
  callback_url: string | null;
  status: SimTaskStatus;
  status_msg: string;
  model_name: string;
  mode: 'std' | 'pro';
  duration: string;
  final_unit_deduction: string | null;
  video_url: string | null;
  created_at: number;
  updated_at: number;
  body: Record<string, unknown>;
}

export interface KlingSimStats {
  creates: number;
  queries: number; // single-task queries and list pages
  listPages: number;
  callbacksSent: number;
  // Copies the receiver answered with a 2xx; the others, by HTTP status or network error code.
  callbacksAnswered: number;
  callbackFailures: Record<string, number>;
  maxConcurrentByKey: Record<string, number>;
}

export type FailNextCode = 5000 | 5001 | 5002 | 1302 | 1303;

export interface KlingSimulator {
  url: string;
  // Result files at /media/… (result URLs point there when media.options.serve is on).
  readonly media: SimMediaFiles;
  addKey(ak: string, sk: string, opts?: KlingSimKeyOptions): void;
  setKey(ak: string, opts: KlingSimKeyOptions): void;
  setBehavior(patch: Partial<KlingSimBehavior>): void;
  behavior(): KlingSimBehavior;
  failNextCreates(code: FailNextCode, count: number): void;
  completeTask(taskId: string, outcome: 'succeed' | 'failed'): void;
  // Leaves the task out of every list page (it stays reachable by its single-task query), as a
  // task past the list's last page would be.
  omitFromList(taskId: string): void;
  // The next `count` list pages answer 500/5000.
  failNextLists(count: number): void;
  calls(): KlingSimCall[];
  tasks(): SimTask[];
  stats(): KlingSimStats;
  reset(): void;
  close(): Promise<void>;
}

// The task object of providers.md §1.6 / §1.8.
export interface KlingVideo {
  id: string;
  url: string;
  watermark_url?: string;
  duration: string;
}

export interface KlingTaskObject {
  task_id: string;
  task_status: SimTaskStatus;
  task_status_msg: string;
  task_info: { external_task_id?: string };
  task_result?: { videos: KlingVideo[] };
  watermark_info: { enabled: boolean };
  final_unit_deduction?: string;
  created_at: number;
  updated_at: number;
}

export interface KlingEnvelope<T = unknown> {
  code: number;
  message: string;
  request_id: string;
  data?: T;
}

export const DEFAULT_BEHAVIOR: Readonly<KlingSimBehavior> = {
  processingAfterMs: 30,
  completeAfterMs: 120,
  failWord: 'SIM_FAIL',
  rejectWord: 'SIM_REJECT',
  callbackCopies: 1,
  terminalCallbackCopies: 1,
  callbackDelayMs: 0,
  dropCallbacks: false,
  wrapCallbacks: false,
  createLatencyMs: 0,
};

export const RISK_CONTROL_MESSAGE = 'Failure to pass the risk control system';
export const VIDEO_URL_BASE = 'https://sim.klingai.local/videos/';
export const RESOURCE_PACK_TOTAL = 1000;

const KEY_STATE_ERRORS: Record<Exclude<KlingKeyState, 'ok'>, [number, string]> = {
  abnormal: [1100, 'Account exception'],
  arrears: [1101, 'Account in arrears (postpaid)'],
  exhausted: [1102, 'Resource pack exhausted or expired'],
};

const FORCED: Record<FailNextCode, [number, string]> = {
  5000: [500, 'Internal server error'],
  5001: [503, 'Service temporarily unavailable, please try again later'],
  5002: [504, 'Server internal timeout, please try again later'],
  1302: [429, 'The API request is too fast, please slow down'],
  1303: [429, 'parallel task over resource pack limit'],
};

const BODY_LIMIT = 64 * 1024 * 1024;
const CALLBACK_TIMEOUT_MS = 10_000;

export class SimInputError extends Error {}

interface KeyRecord {
  ak: string;
  sk: string;
  secret: Uint8Array;
  concurrency: number;
  ratePerSecond: number | null;
  state: KlingKeyState;
  active: number;
  maxActive: number;
  unitsUsed: number;
  rateTimes: number[];
  rateIdx: number;
}

interface TaskRecord {
  id: string;
  generation: number;
  ak: string;
  kind: KlingKind;
  spec: CreateSpec;
  body: Record<string, unknown>;
  status: SimTaskStatus;
  statusMsg: string;
  outcome: 'succeed' | 'failed';
  createdAt: number;
  updatedAt: number;
  video: KlingVideo | null;
  units: string | null;
  timer: NodeJS.Timeout | null;
  callbacks: Promise<void>;
}

interface ApiResult {
  status: number;
  payload: KlingEnvelope;
  ak: string | null;
}

interface Sleeper {
  timer: NodeJS.Timeout;
  resolve: () => void;
}

let taskSeq = 0;
// Numeric-looking, 19 digits, above 2^53: a client that parses it as a number loses digits.
function newTaskId(): string {
  taskSeq = (taskSeq + 1) % 1_000_000;
  return `${Date.now()}${String(taskSeq).padStart(6, '0')}`;
}

const isTerminal = (s: SimTaskStatus): boolean => s === 'succeed' || s === 'failed';

function ok<T>(data: T): ApiResult['payload'] {
  return { code: 0, message: 'SUCCEED', request_id: randomUUID(), data };
}

function err(status: number, code: number, message: string): Omit<ApiResult, 'ak'> {
  return { status, payload: { code, message, request_id: randomUUID() } };
}

class KlingSimulatorImpl implements KlingSimulator {
  url = '';
  readonly media: SimMediaFiles;
  private readonly server: Server;
  private readonly agent = new Agent({ connections: 256, keepAliveTimeout: 4_000 });
  private readonly auth: KlingAuthenticator;
  private readonly keys = new Map<string, KeyRecord>();
  private readonly baseBehavior: KlingSimBehavior;
  private current: KlingSimBehavior;

  private tasksById = new Map<string, TaskRecord>();
  private tasksByExt = new Map<string, TaskRecord>();
  private tasksByAccountKind = new Map<string, TaskRecord[]>();
  private callLog: KlingSimCall[] = [];
  private forced: { code: FailNextCode; remaining: number }[] = [];
  private counters = zeroCounters();
  private callbackFailures: Record<string, number> = {};
  private listOmits = new Set<string>();
  private listFailures = 0;
  private generation = 0;
  private closed = false;
  private readonly inflight = new Set<Promise<void>>();
  private readonly sleepers = new Set<Sleeper>();
  private readonly startedAt = Date.now();

  constructor(behavior: Partial<KlingSimBehavior> | undefined, media?: Partial<SimMediaOptions>) {
    this.media = new SimMediaFiles(media);
    this.baseBehavior = mergeBehavior({ ...DEFAULT_BEHAVIOR }, behavior ?? {});
    this.current = { ...this.baseBehavior };
    this.auth = new KlingAuthenticator((ak) => this.keys.get(ak));
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

  addKey(ak: string, sk: string, opts: KlingSimKeyOptions = {}): void {
    if (typeof ak !== 'string' || ak === '' || typeof sk !== 'string' || sk === '') {
      throw new SimInputError('ak and sk must be non-empty strings');
    }
    const existing = this.keys.get(ak);
    const key: KeyRecord = existing ?? {
      ak,
      sk,
      secret: new Uint8Array(),
      concurrency: 1000,
      ratePerSecond: null,
      state: 'ok',
      active: 0,
      maxActive: 0,
      unitsUsed: 0,
      rateTimes: [],
      rateIdx: 0,
    };
    key.sk = sk;
    key.secret = new TextEncoder().encode(sk);
    key.concurrency = 1000;
    key.ratePerSecond = null;
    key.state = 'ok';
    applyKeyOptions(key, opts);
    this.keys.set(ak, key);
  }

  setKey(ak: string, opts: KlingSimKeyOptions): void {
    const key = this.keys.get(ak);
    if (!key) throw new SimInputError(`unknown key ${ak}`);
    applyKeyOptions(key, opts);
  }

  setBehavior(patch: Partial<KlingSimBehavior>): void {
    this.current = mergeBehavior({ ...this.current }, patch);
  }

  behavior(): KlingSimBehavior {
    return { ...this.current };
  }

  failNextCreates(code: FailNextCode, count: number): void {
    if (!(code in FORCED)) throw new SimInputError(`code must be one of ${Object.keys(FORCED).join(', ')}`);
    if (!Number.isInteger(count) || count < 0) throw new SimInputError('count must be a non-negative integer');
    if (count > 0) this.forced.push({ code, remaining: count });
  }

  completeTask(taskId: string, outcome: 'succeed' | 'failed'): void {
    if (outcome !== 'succeed' && outcome !== 'failed') throw new SimInputError('outcome must be succeed or failed');
    const task = this.tasksById.get(taskId);
    if (!task) throw new SimInputError(`unknown task ${taskId}`);
    if (isTerminal(task.status)) return;
    task.outcome = outcome;
    if (task.timer) clearTimeout(task.timer);
    task.timer = null;
    this.transition(task, outcome);
  }

  omitFromList(taskId: string): void {
    if (!this.tasksById.has(taskId)) throw new SimInputError(`unknown task ${taskId}`);
    this.listOmits.add(taskId);
  }

  failNextLists(count: number): void {
    if (!Number.isInteger(count) || count < 0) throw new SimInputError('count must be a non-negative integer');
    this.listFailures = count;
  }

  calls(): KlingSimCall[] {
    return this.callLog.slice();
  }

  tasks(): SimTask[] {
    return [...this.tasksById.values()].map((t) => this.taskView(t));
  }

  private taskView(t: TaskRecord): SimTask {
    return {
      task_id: t.id,
      ak: t.ak,
      kind: t.kind,
      external_task_id: t.spec.externalTaskId,
      callback_url: t.spec.callbackUrl,
      status: t.status,
      status_msg: t.statusMsg,
      model_name: t.spec.model,
      mode: t.spec.mode,
      duration: String(t.spec.duration),
      final_unit_deduction: t.units,
      video_url: t.video?.url ?? null,
      created_at: t.createdAt,
      updated_at: t.updatedAt,
      body: t.body,
    };
  }

  stats(): KlingSimStats {
    const maxConcurrentByKey: Record<string, number> = {};
    for (const k of this.keys.values()) maxConcurrentByKey[k.ak] = k.maxActive;
    return { ...this.counters, callbackFailures: { ...this.callbackFailures }, maxConcurrentByKey };
  }

  reset(): void {
    for (const t of this.tasksById.values()) if (t.timer) clearTimeout(t.timer);
    this.generation++; // callbacks still queued for forgotten tasks are dropped
    this.tasksById = new Map();
    this.tasksByExt = new Map();
    this.tasksByAccountKind = new Map();
    this.callLog = [];
    this.forced = [];
    this.counters = zeroCounters();
    this.callbackFailures = {};
    this.listOmits = new Set();
    this.listFailures = 0;
    this.current = { ...this.baseBehavior };
    for (const k of this.keys.values()) {
      k.active = 0;
      k.maxActive = 0;
      k.unitsUsed = 0;
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
      send(res, 500, { code: 5000, message: `simulator error: ${message}`, request_id: randomUUID() });
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
    this.callLog.push({
      method,
      path,
      query,
      ak: result.ak,
      body,
      status: result.status,
      code: result.payload.code,
      at,
    });
    send(res, result.status, result.payload);
  }

  // ---------------------------------------------------------------- Kling API

  private async api(
    method: string,
    path: string,
    params: URLSearchParams,
    authorization: string | undefined,
    body: unknown,
    bodyOk: boolean,
  ): Promise<ApiResult> {
    if (!path.startsWith('/v1/') && !path.startsWith('/account/')) {
      return { ...err(404, 1203, `Resource not found: ${path}`), ak: null };
    }
    const auth = await this.auth.authenticate(authorization);
    if (!auth.ok) return { ...err(401, auth.code, auth.message), ak: null };
    const ak = auth.ak;
    const key = this.keys.get(ak);
    if (!key) return { ...err(401, 1000, 'Authentication failed'), ak };
    if (key.state !== 'ok') {
      const [code, message] = KEY_STATE_ERRORS[key.state];
      return { ...err(429, code, message), ak };
    }
    return { ...(await this.route(key, method, path, params, body, bodyOk)), ak };
  }

  private async route(
    key: KeyRecord,
    method: string,
    path: string,
    params: URLSearchParams,
    body: unknown,
    bodyOk: boolean,
  ): Promise<Omit<ApiResult, 'ak'>> {
    const wrongMethod = () => err(404, 1202, `Invalid HTTP method ${method} for ${path}`);
    if (path === '/account/costs') {
      return method === 'GET' ? this.costs(key, params) : wrongMethod();
    }
    const parts = path.split('/'); // ['', 'v1', 'videos', kind, id?]
    if (parts[1] !== 'v1' || parts[2] !== 'videos' || parts.length < 4 || parts.length > 5 || parts[3] === '') {
      return err(404, 1203, `Resource not found: ${path}`);
    }
    const kindName = parts[3];
    if (!isKlingKind(kindName)) return err(404, 1203, `Resource not found: ${path} (not simulated)`);
    if (parts.length === 5) {
      if (method !== 'GET') return wrongMethod();
      this.counters.queries++;
      const task = this.find(key.ak, kindName, safeDecode(parts[4]));
      return task ? { status: 200, payload: ok(this.taskObject(task)) } : err(404, 1203, 'Task not found');
    }
    if (method === 'POST') return this.create(key, kindName, body, bodyOk);
    if (method === 'GET') {
      this.counters.queries++;
      this.counters.listPages++;
      return this.list(key, kindName, params);
    }
    return wrongMethod();
  }

  private find(ak: string, kind: KlingKind, id: string): TaskRecord | undefined {
    const byId = this.tasksById.get(id);
    if (byId && byId.ak === ak && byId.kind === kind) return byId;
    const byExt = this.tasksByExt.get(extKey(ak, id));
    if (byExt && byExt.kind === kind) return byExt;
    return undefined;
  }

  // Kling's list route takes pageNum and pageSize only (providers.md §1.5): a task is looked up
  // by `task_id` or `external_task_id` as the path segment of the single-task route instead.
  private list(key: KeyRecord, kind: KlingKind, params: URLSearchParams): Omit<ApiResult, 'ak'> {
    const unknown = [...params.keys()].find((name) => name !== 'pageNum' && name !== 'pageSize');
    if (unknown !== undefined) return err(400, 1201, `Invalid parameter ${unknown}: not supported by the list query`);
    const pageNum = intParam(params, 'pageNum', 1, 1, 1000);
    const pageSize = intParam(params, 'pageSize', 30, 1, 500);
    if (typeof pageNum === 'string') return err(400, 1201, pageNum);
    if (typeof pageSize === 'string') return err(400, 1201, pageSize);
    if (this.listFailures > 0) {
      this.listFailures--;
      return err(FORCED[5000][0], 5000, FORCED[5000][1]);
    }
    let all = this.tasksByAccountKind.get(accountKindKey(key.ak, kind)) ?? [];
    if (this.listOmits.size > 0) all = all.filter((t) => !this.listOmits.has(t.id));
    const data: KlingTaskObject[] = [];
    for (let i = all.length - 1 - (pageNum - 1) * pageSize; i >= 0 && data.length < pageSize; i--) {
      data.push(this.taskObject(all[i]));
    }
    return { status: 200, payload: ok(data) };
  }

  private costs(key: KeyRecord, params: URLSearchParams): Omit<ApiResult, 'ak'> {
    for (const name of ['start_time', 'end_time']) {
      const v = params.get(name);
      if (v === null || !/^\d+$/.test(v)) return err(400, 1201, `Invalid parameter ${name}: required, unix ms`);
    }
    const packName = params.get('resource_pack_name');
    const day = 86_400_000;
    const remaining = Math.max(0, Math.round((RESOURCE_PACK_TOTAL - key.unitsUsed) * 1000) / 1000);
    const pack = {
      resource_pack_name: 'Sim Video Pack',
      resource_pack_id: 'sim-pack',
      resource_pack_type: 'decreasing_total',
      total_quantity: RESOURCE_PACK_TOTAL,
      remaining_quantity: remaining,
      purchase_time: this.startedAt - day,
      effective_time: this.startedAt - day,
      invalid_time: this.startedAt + 365 * day,
      status: remaining > 0 ? 'online' : 'runOut',
    };
    const infos = packName === null || packName === pack.resource_pack_name ? [pack] : [];
    return { status: 200, payload: ok({ code: 0, msg: 'success', resource_pack_subscribe_infos: infos }) };
  }

  private async create(
    key: KeyRecord,
    kind: KlingKind,
    body: unknown,
    bodyOk: boolean,
  ): Promise<Omit<ApiResult, 'ak'>> {
    const b = this.current;
    if (b.createLatencyMs > 0) await this.sleep(b.createLatencyMs);
    if (!bodyOk || !isRecord(body)) return err(400, 1200, 'Invalid request parameters: body must be a JSON object');
    const v = validateCreate(kind, body);
    if (!v.ok) return err(400, 1201, v.message);
    const spec = v.spec;
    if (spec.externalTaskId !== null && this.tasksByExt.has(extKey(key.ak, spec.externalTaskId))) {
      return err(400, 1201, 'Invalid parameter external_task_id: already used by another task');
    }
    if (b.rejectWord !== '' && spec.prompt.includes(b.rejectWord)) {
      return err(400, 1301, 'The content security policy is triggered: prompt failed the content check');
    }
    if (!takeRateSlot(key)) return err(429, 1302, FORCED[1302][1]);
    if (key.active >= key.concurrency) return err(429, 1303, FORCED[1303][1]);

    const forced = this.forced[0];
    if (forced) {
      if (--forced.remaining <= 0) this.forced.shift();
      if (forced.code !== 5002) return err(FORCED[forced.code][0], forced.code, FORCED[forced.code][1]);
    }

    const task = this.startTask(key, kind, spec, body);
    if (forced?.code === 5002) return err(504, 5002, FORCED[5002][1]);
    return {
      status: 200,
      payload: ok({
        task_id: task.id,
        task_status: task.status,
        task_info: spec.externalTaskId !== null ? { external_task_id: spec.externalTaskId } : {},
        created_at: task.createdAt,
        updated_at: task.updatedAt,
      }),
    };
  }

  // ---------------------------------------------------------------- lifecycle

  private startTask(key: KeyRecord, kind: KlingKind, spec: CreateSpec, body: Record<string, unknown>): TaskRecord {
    const b = this.current;
    const now = Date.now();
    const task: TaskRecord = {
      id: newTaskId(),
      generation: this.generation,
      ak: key.ak,
      kind,
      spec,
      body,
      status: 'submitted',
      statusMsg: '',
      outcome: b.failWord !== '' && spec.prompt.includes(b.failWord) ? 'failed' : 'succeed',
      createdAt: now,
      updatedAt: now,
      video: null,
      units: null,
      timer: null,
      callbacks: Promise.resolve(),
    };
    this.tasksById.set(task.id, task);
    if (spec.externalTaskId !== null) this.tasksByExt.set(extKey(key.ak, spec.externalTaskId), task);
    const listKey = accountKindKey(key.ak, kind);
    const list = this.tasksByAccountKind.get(listKey);
    if (list) list.push(task);
    else this.tasksByAccountKind.set(listKey, [task]);
    this.counters.creates++;
    key.active++;
    if (key.active > key.maxActive) key.maxActive = key.active;

    const toProcessing = Math.max(0, Math.min(b.processingAfterMs, b.completeAfterMs));
    const toTerminal = Math.max(0, b.completeAfterMs - toProcessing);
    if (!this.closed) {
      task.timer = setTimeout(() => {
        task.timer = null;
        if (task.status !== 'submitted') return;
        this.transition(task, 'processing');
        task.timer = setTimeout(() => {
          task.timer = null;
          this.transition(task, task.outcome);
        }, toTerminal);
        task.timer.unref();
      }, toProcessing);
      task.timer.unref();
    }
    this.emitCallbacks(task);
    return task;
  }

  private transition(task: TaskRecord, status: SimTaskStatus): void {
    if (isTerminal(task.status) || task.generation !== this.generation) return;
    task.status = status;
    task.updatedAt = Date.now();
    if (isTerminal(status)) {
      const key = this.keys.get(task.ak);
      if (key) key.active = Math.max(0, key.active - 1);
      if (status === 'succeed') {
        const units = unitsFor(task.spec);
        if (key) key.unitsUsed += units;
        task.units = String(units);
        const id = randomUUID();
        const seconds = this.current.videoDurationSeconds;
        task.video = {
          id,
          url: this.media.urlFor(this.url, id) ?? `${VIDEO_URL_BASE}${id}.mp4`,
          ...(task.spec.watermark ? { watermark_url: `${VIDEO_URL_BASE}${id}-wm.mp4` } : {}),
          duration: seconds !== undefined ? String(seconds) : (task.spec.duration + 0.042).toFixed(3),
        };
      } else {
        task.units = '0';
        task.statusMsg = RISK_CONTROL_MESSAGE;
      }
    }
    this.emitCallbacks(task);
  }

  private taskObject(t: TaskRecord): KlingTaskObject {
    const o: KlingTaskObject = {
      task_id: t.id,
      task_status: t.status,
      task_status_msg: t.statusMsg,
      task_info: t.spec.externalTaskId !== null ? { external_task_id: t.spec.externalTaskId } : {},
      watermark_info: { enabled: t.spec.watermark },
      created_at: t.createdAt,
      updated_at: t.updatedAt,
    };
    if (t.video) o.task_result = { videos: [{ ...t.video }] };
    if (t.units !== null) o.final_unit_deduction = t.units;
    return o;
  }

  // ---------------------------------------------------------------- callbacks

  // Each status change is snapshotted now and delivered after callbackDelayMs; a task's batches go
  // out in order (the next waits for the previous), the copies of a terminal batch concurrently.
  private emitCallbacks(task: TaskRecord): void {
    const b = this.current;
    const url = task.spec.callbackUrl;
    if (url === null || b.dropCallbacks || this.closed) return;
    const terminal = isTerminal(task.status);
    const copies = terminal ? b.terminalCallbackCopies : b.callbackCopies;
    if (copies <= 0) return;
    const obj = this.taskObject(task);
    const payload = JSON.stringify(
      b.wrapCallbacks ? { code: 0, message: 'SUCCEED', request_id: randomUUID(), data: obj } : obj,
    );
    const dueAt = Date.now() + b.callbackDelayMs;
    const generation = this.generation;
    const p = task.callbacks.then(async () => {
      await this.sleep(dueAt - Date.now());
      if (this.closed || generation !== this.generation) return;
      if (terminal) {
        await Promise.all(Array.from({ length: copies }, () => this.post(url, payload)));
      } else {
        for (let i = 0; i < copies; i++) await this.post(url, payload);
      }
    });
    task.callbacks = p;
    this.inflight.add(p);
    void p.finally(() => this.inflight.delete(p));
  }

  private async post(url: string, payload: string): Promise<void> {
    this.counters.callbacksSent++;
    try {
      const res = await request(url, {
        method: 'POST',
        dispatcher: this.agent,
        headers: { 'content-type': 'application/json', 'user-agent': 'kling-simulator' },
        body: payload,
        headersTimeout: CALLBACK_TIMEOUT_MS,
        bodyTimeout: CALLBACK_TIMEOUT_MS,
      });
      await res.body.dump();
      if (res.statusCode < 300) this.counters.callbacksAnswered++;
      else this.callbackFailed(String(res.statusCode));
    } catch (err) {
      // Kling documents no retry; a refused or failing receiver is the receiver's problem.
      this.callbackFailed((err as { code?: string }).code ?? 'error');
    }
  }

  private callbackFailed(reason: string): void {
    this.callbackFailures[reason] = (this.callbackFailures[reason] ?? 0) + 1;
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
        const { ak, sk } = input;
        if (typeof ak !== 'string' || typeof sk !== 'string') throw new SimInputError('ak and sk are required strings');
        this.addKey(ak, sk, parseKeyOptions(input));
        return [201, { ok: true, ak }];
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
        this.failNextCreates(input.code as FailNextCode, input.count as number);
        return [200, { ok: true }];
      }
      if ((m = /^POST \/tasks\/([^/]+)\/complete$/.exec(route))) {
        const id = safeDecode(m[1]);
        this.completeTask(id, input.outcome as 'succeed' | 'failed');
        // One task's view, not a scan of all (the bench completes 100,000 tasks one by one).
        const task = this.tasksById.get(id);
        return [200, task ? this.taskView(task) : undefined];
      }
      if ((m = /^POST \/tasks\/([^/]+)\/omit-from-list$/.exec(route))) {
        this.omitFromList(safeDecode(m[1]));
        return [200, { ok: true }];
      }
      if (route === 'POST /fail-next-lists') {
        this.failNextLists(input.count as number);
        return [200, { ok: true }];
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

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

function extKey(ak: string, ext: string): string {
  return `${ak}\u0000${ext}`;
}

function accountKindKey(ak: string, kind: KlingKind): string {
  return `${ak}\u0000${kind}`;
}

function intParam(params: URLSearchParams, name: string, dflt: number, min: number, max: number): number | string {
  const v = params.get(name);
  if (v === null || v === '') return dflt;
  const n = /^\d+$/.test(v) ? Number(v) : NaN;
  if (!(n >= min && n <= max)) return `Invalid parameter ${name}: must be an integer in [${min}, ${max}]`;
  return n;
}

// Sliding one-second window: the N-th previous create must be at least 1 s old.
function zeroCounters() {
  return { creates: 0, queries: 0, listPages: 0, callbacksSent: 0, callbacksAnswered: 0 };
}

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

function applyKeyOptions(key: KeyRecord, opts: KlingSimKeyOptions): void {
  if (opts.concurrency !== undefined) {
    if (!Number.isInteger(opts.concurrency) || opts.concurrency < 0) {
      throw new SimInputError('concurrency must be a non-negative integer');
    }
    key.concurrency = opts.concurrency;
  }
  if (opts.ratePerSecond !== undefined) {
    const r = opts.ratePerSecond;
    if (r !== null && (!Number.isInteger(r) || r < 1))
      throw new SimInputError('ratePerSecond must be a positive integer or null');
    key.ratePerSecond = r;
    key.rateTimes = [];
    key.rateIdx = 0;
  }
  if (opts.state !== undefined) {
    if (!['ok', 'abnormal', 'arrears', 'exhausted'].includes(opts.state)) {
      throw new SimInputError('state must be ok, abnormal, arrears or exhausted');
    }
    key.state = opts.state;
  }
}

function parseKeyOptions(input: Record<string, unknown>): KlingSimKeyOptions {
  const opts: KlingSimKeyOptions = {};
  if (input.concurrency !== undefined) opts.concurrency = input.concurrency as number;
  if (input.ratePerSecond !== undefined) opts.ratePerSecond = input.ratePerSecond as number | null;
  if (input.state !== undefined) opts.state = input.state as KlingKeyState;
  return opts; // applyKeyOptions checks the values
}

const NUMBER_FIELDS = [
  'processingAfterMs',
  'completeAfterMs',
  'callbackCopies',
  'terminalCallbackCopies',
  'callbackDelayMs',
  'createLatencyMs',
] as const;
const STRING_FIELDS = ['failWord', 'rejectWord'] as const;
const BOOLEAN_FIELDS = ['dropCallbacks', 'wrapCallbacks'] as const;

function parseBehavior(input: Record<string, unknown>): Partial<KlingSimBehavior> {
  const known = new Set<string>([...NUMBER_FIELDS, ...STRING_FIELDS, ...BOOLEAN_FIELDS, 'videoDurationSeconds']);
  const unknown = Object.keys(input).filter((k) => !known.has(k));
  if (unknown.length > 0) throw new SimInputError(`behavior has no fields ${unknown.join(', ')}`);
  const patch = { ...input } as Partial<KlingSimBehavior> & { videoDurationSeconds?: number | null };
  if (patch.videoDurationSeconds === null) patch.videoDurationSeconds = undefined;
  return patch; // mergeBehavior checks the values
}

function mergeBehavior(target: KlingSimBehavior, patch: Partial<KlingSimBehavior>): KlingSimBehavior {
  for (const f of NUMBER_FIELDS) {
    const v = patch[f];
    if (v === undefined) continue;
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) throw new SimInputError(`${f} must be a number >= 0`);
    if ((f === 'callbackCopies' || f === 'terminalCallbackCopies') && !Number.isInteger(v)) {
      throw new SimInputError(`${f} must be an integer`);
    }
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
  if ('videoDurationSeconds' in patch) {
    const v = patch.videoDurationSeconds;
    if (v !== undefined && (typeof v !== 'number' || !(v > 0))) {
      throw new SimInputError('videoDurationSeconds must be a number > 0');
    }
    if (v === undefined) delete target.videoDurationSeconds;
    else target.videoDurationSeconds = v;
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

export async function startKlingSimulator(
  opts: { port?: number; host?: string; behavior?: Partial<KlingSimBehavior>; media?: Partial<SimMediaOptions> } = {},
): Promise<KlingSimulator> {
  const sim = new KlingSimulatorImpl(opts.behavior, opts.media);
  await sim.listen(opts.port ?? 0, opts.host ?? '127.0.0.1');
  return sim;
}
