import { randomBytes } from 'node:crypto';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { SimMediaFiles, SimMediaOptions } from '../sim-media';
import { CreateSpec, isRecord, validateCreate } from './viva-validation';

// A local stand-in for VivaAPI, a new-api style reseller of Veo (providers.md §5: Bearer sk- keys,
// POST /v1/video/create, GET /v1/video/query?id=, no callbacks), with knobs for the failure modes a
// gateway must survive: dead or rate-limited keys, 5xx/429 on create, content-policy failures.
// Every knob is also reachable over HTTP under /__control.

export { VIVA_ASPECT_RATIOS, VIVA_MODELS } from './viva-validation';
export type { VivaAspectRatio, VivaModel } from './viva-validation';

export interface VivaSimBehavior {
  processingAfterMs: number;
  completeAfterMs: number;
  failWord: string;
  rejectWord: string;
  createLatencyMs: number;
  // Report the middle state as 'video_generating' instead of 'processing' (resellers differ).
  altStatusNames: boolean;
}

export interface VivaSimKeyOptions {
  // Every /v1 request with the key answers 403 insufficient_quota.
  quotaExhausted?: boolean;
  // Creates per second per key; null (or leaving it out on addKey) means unlimited.
  ratePerSecond?: number | null;
}

export interface VivaSimCall {
  method: string;
  path: string; // without the query string
  query: string; // '' or '?a=b'
  key: string | null; // the registered key that made the call; null when authentication failed
  body: unknown;
  status: number;
  at: number;
}

// The simulator's own state; the wire spells 'processing' as 'video_generating' under altStatusNames.
export type VivaTaskStatus = 'pending' | 'processing' | 'completed' | 'failed';
export type VivaWireStatus = VivaTaskStatus | 'video_generating';

export interface VivaSimTask {
  id: string;
  key: string;
  model: string;
  prompt: string;
  images: string[];
  aspect_ratio: string | null;
  status: VivaTaskStatus;
  video_url: string;
  error: string | null;
  created_at: number; // unix seconds
  status_update_time: number; // unix seconds
  body: Record<string, unknown>;
}

export interface VivaSimStats {
  creates: number;
  queries: number;
  maxConcurrentByKey: Record<string, number>;
}

export type VivaFailNextStatus = 500 | 502 | 503 | 429;

export interface VivaSimulator {
  url: string;
  // Result files at /media/… (result URLs point there when media.options.serve is on).
  readonly media: SimMediaFiles;
  addKey(key: string, opts?: VivaSimKeyOptions): void;
  setKey(key: string, opts: VivaSimKeyOptions): void;
  setBehavior(patch: Partial<VivaSimBehavior>): void;
  behavior(): VivaSimBehavior;
  failNextCreates(status: VivaFailNextStatus, count: number): void;
  completeTask(id: string, outcome: 'completed' | 'failed'): void;
  calls(): VivaSimCall[];
  tasks(): VivaSimTask[];
  stats(): VivaSimStats;
  reset(): void;
  close(): Promise<void>;
}

// Wire shapes.
export interface VivaErrorBody {
  error: { message: string; type: string; code: string };
}

export interface VivaCreateResponse {
  id: string;
  status: 'pending';
  created_at: number;
}

export interface VivaQueryResponse {
  id: string;
  status: VivaWireStatus;
  video_url: string;
  status_update_time: number;
  error?: string;
  model: string;
  prompt: string;
}

export const DEFAULT_BEHAVIOR: Readonly<VivaSimBehavior> = {
  processingAfterMs: 30,
  completeAfterMs: 120,
  failWord: 'SIM_FAIL',
  rejectWord: 'SIM_REJECT',
  createLatencyMs: 0,
  altStatusNames: false,
};

export const FAILURE_MESSAGE = 'content policy violation';
export const VIDEO_URL_BASE = 'https://sim.vivaapi.local/videos/';
export const TASK_ID_PREFIX = 'veo_';

const FORCED: Record<VivaFailNextStatus, [string, string, string]> = {
  500: ['server_error', 'internal_error', 'internal server error'],
  502: ['upstream_error', 'bad_gateway', 'upstream error: bad gateway'],
  503: ['server_error', 'service_unavailable', 'service temporarily unavailable, please try again later'],
  429: ['rate_limit_error', 'rate_limit_exceeded', 'upstream load saturated, please try again later'],
};

const BODY_LIMIT = 64 * 1024 * 1024;

export class SimInputError extends Error {}

interface KeyRecord {
  key: string;
  quotaExhausted: boolean;
  ratePerSecond: number | null;
  active: number;
  maxActive: number;
  rateTimes: number[];
  rateIdx: number;
}

interface TaskRecord {
  id: string;
  key: string;
  spec: CreateSpec;
  body: Record<string, unknown>;
  status: VivaTaskStatus;
  outcome: 'completed' | 'failed';
  createdAt: number; // unix seconds
  updatedAt: number; // unix seconds
  timer: NodeJS.Timeout | null;
}

interface ApiResult {
  status: number;
  payload: unknown;
  key: string | null;
}

type Answer = Omit<ApiResult, 'key'>;

interface Sleeper {
  timer: NodeJS.Timeout;
  resolve: () => void;
}

function newTaskId(): string {
  return TASK_ID_PREFIX + randomBytes(12).toString('hex');
}

const unixNow = (): number => Math.floor(Date.now() / 1000);

const isTerminal = (s: VivaTaskStatus): boolean => s === 'completed' || s === 'failed';

function typeFor(status: number): string {
  if (status === 403) return 'insufficient_quota';
  if (status === 429) return 'rate_limit_error';
  if (status >= 500) return 'server_error';
  return 'invalid_request_error';
}

function err(status: number, code: string, message: string, type = typeFor(status)): Answer {
  const payload: VivaErrorBody = { error: { message, type, code } };
  return { status, payload };
}

class VivaSimulatorImpl implements VivaSimulator {
  url = '';
  readonly media: SimMediaFiles;
  private readonly server: Server;
  private readonly keys = new Map<string, KeyRecord>();
  private readonly baseBehavior: VivaSimBehavior;
  private current: VivaSimBehavior;

  private tasksById = new Map<string, TaskRecord>();
  private callLog: VivaSimCall[] = [];
  private forced: { status: VivaFailNextStatus; remaining: number }[] = [];
  private counters = { creates: 0, queries: 0 };
  private closed = false;
  private readonly sleepers = new Set<Sleeper>();

  constructor(behavior: Partial<VivaSimBehavior> | undefined, media?: Partial<SimMediaOptions>) {
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

  addKey(key: string, opts: VivaSimKeyOptions = {}): void {
    if (typeof key !== 'string' || key === '' || /\s/.test(key)) {
      throw new SimInputError('key must be a non-empty string without whitespace');
    }
    const existing = this.keys.get(key);
    const rec: KeyRecord = existing ?? {
      key,
      quotaExhausted: false,
      ratePerSecond: null,
      active: 0,
      maxActive: 0,
      rateTimes: [],
      rateIdx: 0,
    };
    rec.quotaExhausted = false;
    rec.ratePerSecond = null;
    rec.rateTimes = [];
    rec.rateIdx = 0;
    applyKeyOptions(rec, opts);
    this.keys.set(key, rec);
  }

  setKey(key: string, opts: VivaSimKeyOptions): void {
    const rec = this.keys.get(key);
    if (!rec) throw new SimInputError(`unknown key ${key}`);
    applyKeyOptions(rec, opts);
  }

  setBehavior(patch: Partial<VivaSimBehavior>): void {
    this.current = mergeBehavior({ ...this.current }, patch);
  }

  behavior(): VivaSimBehavior {
    return { ...this.current };
  }

  failNextCreates(status: VivaFailNextStatus, count: number): void {
    if (!(status in FORCED)) throw new SimInputError(`status must be one of ${Object.keys(FORCED).join(', ')}`);
    if (!Number.isInteger(count) || count < 0) throw new SimInputError('count must be a non-negative integer');
    if (count > 0) this.forced.push({ status, remaining: count });
  }

  completeTask(id: string, outcome: 'completed' | 'failed'): void {
    if (outcome !== 'completed' && outcome !== 'failed') {
      throw new SimInputError('outcome must be completed or failed');
    }
    const task = this.tasksById.get(id);
    if (!task) throw new SimInputError(`unknown task ${id}`);
    if (isTerminal(task.status)) return;
    task.outcome = outcome;
    if (task.timer) clearTimeout(task.timer);
    task.timer = null;
    this.transition(task, outcome);
  }

  calls(): VivaSimCall[] {
    return this.callLog.slice();
  }

  tasks(): VivaSimTask[] {
    return [...this.tasksById.values()].map((t) => this.taskView(t));
  }

  stats(): VivaSimStats {
    const maxConcurrentByKey: Record<string, number> = {};
    for (const k of this.keys.values()) maxConcurrentByKey[k.key] = k.maxActive;
    return { ...this.counters, maxConcurrentByKey };
  }

  reset(): void {
    for (const t of this.tasksById.values()) if (t.timer) clearTimeout(t.timer);
    this.tasksById = new Map();
    this.callLog = [];
    this.forced = [];
    this.counters = { creates: 0, queries: 0 };
    this.current = { ...this.baseBehavior };
    for (const k of this.keys.values()) {
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
      const answer = err(500, 'internal_error', `simulator error: ${message}`);
      send(res, answer.status, answer.payload);
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
    this.callLog.push({ method, path, query, key: result.key, body, status: result.status, at });
    send(res, result.status, result.payload);
  }

  // ---------------------------------------------------------------- VivaAPI

  private async api(
    method: string,
    path: string,
    params: URLSearchParams,
    authorization: string | undefined,
    body: unknown,
    bodyOk: boolean,
  ): Promise<ApiResult> {
    const route = `${method} ${path}`;
    if (route !== 'POST /v1/video/create' && route !== 'GET /v1/video/query') {
      return { ...err(404, 'not_found', `Invalid URL (${route})`), key: null };
    }
    const presented = bearer(authorization);
    const key = presented === null ? undefined : this.keys.get(presented);
    if (!key) {
      const message = presented === null ? 'missing or malformed Authorization: Bearer header' : 'invalid api key';
      return { ...err(401, 'invalid_api_key', message), key: null };
    }
    if (key.quotaExhausted) return { ...err(403, 'insufficient_quota', 'quota exhausted'), key: key.key };
    if (route === 'GET /v1/video/query') return { ...this.query(key, params), key: key.key };
    return { ...(await this.create(key, body, bodyOk)), key: key.key };
  }

  private query(key: KeyRecord, params: URLSearchParams): Answer {
    this.counters.queries++;
    const id = params.get('id');
    if (id === null || id === '') return err(400, 'invalid_request', 'invalid parameter id: is required');
    const task = this.tasksById.get(id);
    if (!task || task.key !== key.key) return err(404, 'not_found', 'task not found');
    return { status: 200, payload: this.queryResponse(task) };
  }

  private async create(key: KeyRecord, body: unknown, bodyOk: boolean): Promise<Answer> {
    const b = this.current;
    if (b.createLatencyMs > 0) await this.sleep(b.createLatencyMs);
    if (!bodyOk || !isRecord(body)) return err(400, 'invalid_request', 'request body must be a JSON object');
    const v = validateCreate(body);
    if (!v.ok) return err(400, v.code, v.message);
    const spec = v.spec;
    if (b.rejectWord !== '' && spec.prompt.includes(b.rejectWord)) {
      return err(400, 'content_policy_violation', 'the prompt was rejected by the content safety policy');
    }
    if (!takeRateSlot(key)) return err(429, 'rate_limit_exceeded', 'rate limit exceeded, please try again later');

    const forced = this.forced[0];
    if (forced) {
      if (--forced.remaining <= 0) this.forced.shift();
      const [type, code, message] = FORCED[forced.status];
      return err(forced.status, code, message, type);
    }

    const task = this.startTask(key, spec, body);
    const payload: VivaCreateResponse = { id: task.id, status: 'pending', created_at: task.createdAt };
    return { status: 200, payload };
  }

  // ---------------------------------------------------------------- lifecycle

  private startTask(key: KeyRecord, spec: CreateSpec, body: Record<string, unknown>): TaskRecord {
    const b = this.current;
    const now = unixNow();
    const task: TaskRecord = {
      id: newTaskId(),
      key: key.key,
      spec,
      body,
      status: 'pending',
      outcome: b.failWord !== '' && spec.prompt.includes(b.failWord) ? 'failed' : 'completed',
      createdAt: now,
      updatedAt: now,
      timer: null,
    };
    this.tasksById.set(task.id, task);
    this.counters.creates++;
    key.active++;
    if (key.active > key.maxActive) key.maxActive = key.active;

    const toProcessing = Math.max(0, Math.min(b.processingAfterMs, b.completeAfterMs));
    const toTerminal = Math.max(0, b.completeAfterMs - toProcessing);
    if (!this.closed) {
      task.timer = setTimeout(() => {
        task.timer = null;
        if (task.status !== 'pending') return;
        this.transition(task, 'processing');
        task.timer = setTimeout(() => {
          task.timer = null;
          this.transition(task, task.outcome);
        }, toTerminal);
        task.timer.unref();
      }, toProcessing);
      task.timer.unref();
    }
    return task;
  }

  private transition(task: TaskRecord, status: VivaTaskStatus): void {
    if (isTerminal(task.status) || this.tasksById.get(task.id) !== task) return;
    task.status = status;
    task.updatedAt = unixNow();
    if (isTerminal(status)) {
      const key = this.keys.get(task.key);
      if (key) key.active = Math.max(0, key.active - 1);
    }
  }

  private queryResponse(t: TaskRecord): VivaQueryResponse {
    const r: VivaQueryResponse = {
      id: t.id,
      status: t.status === 'processing' && this.current.altStatusNames ? 'video_generating' : t.status,
      video_url: t.status === 'completed' ? (this.media.urlFor(this.url, t.id) ?? `${VIDEO_URL_BASE}${t.id}.mp4`) : '',
      status_update_time: t.updatedAt,
      model: t.spec.model,
      prompt: t.spec.prompt,
    };
    if (t.status === 'failed') r.error = FAILURE_MESSAGE;
    return r;
  }

  private taskView(t: TaskRecord): VivaSimTask {
    return {
      id: t.id,
      key: t.key,
      model: t.spec.model,
      prompt: t.spec.prompt,
      images: t.spec.images.slice(),
      aspect_ratio: t.spec.aspectRatio,
      status: t.status,
      video_url: t.status === 'completed' ? (this.media.urlFor(this.url, t.id) ?? `${VIDEO_URL_BASE}${t.id}.mp4`) : '',
      error: t.status === 'failed' ? FAILURE_MESSAGE : null,
      created_at: t.createdAt,
      status_update_time: t.updatedAt,
      body: t.body,
    };
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
        this.failNextCreates(input.status as VivaFailNextStatus, input.count as number);
        return [200, { ok: true }];
      }
      if ((m = /^POST \/tasks\/([^/]+)\/complete$/.exec(route))) {
        const id = safeDecode(m[1]);
        this.completeTask(id, input.outcome as 'completed' | 'failed');
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

function applyKeyOptions(key: KeyRecord, opts: VivaSimKeyOptions): void {
  if (opts.ratePerSecond !== undefined) {
    const r = opts.ratePerSecond;
    if (r !== null && (!Number.isInteger(r) || r < 1)) {
      throw new SimInputError('ratePerSecond must be a positive integer or null');
    }
    key.ratePerSecond = r;
    key.rateTimes = [];
    key.rateIdx = 0;
  }
  if (opts.quotaExhausted !== undefined) {
    if (typeof opts.quotaExhausted !== 'boolean') throw new SimInputError('quotaExhausted must be a boolean');
    key.quotaExhausted = opts.quotaExhausted;
  }
}

function parseKeyOptions(input: Record<string, unknown>): VivaSimKeyOptions {
  const unknown = Object.keys(input).filter((k) => k !== 'ratePerSecond' && k !== 'quotaExhausted');
  if (unknown.length > 0) throw new SimInputError(`key options have no fields ${unknown.join(', ')}`);
  const opts: VivaSimKeyOptions = {};
  if (input.ratePerSecond !== undefined) opts.ratePerSecond = input.ratePerSecond as number | null;
  if (input.quotaExhausted !== undefined) opts.quotaExhausted = input.quotaExhausted as boolean;
  return opts; // applyKeyOptions checks the values
}

const NUMBER_FIELDS = ['processingAfterMs', 'completeAfterMs', 'createLatencyMs'] as const;
const STRING_FIELDS = ['failWord', 'rejectWord'] as const;
const BOOLEAN_FIELDS = ['altStatusNames'] as const;

function parseBehavior(input: Record<string, unknown>): Partial<VivaSimBehavior> {
  const known = new Set<string>([...NUMBER_FIELDS, ...STRING_FIELDS, ...BOOLEAN_FIELDS]);
  const unknown = Object.keys(input).filter((k) => !known.has(k));
  if (unknown.length > 0) throw new SimInputError(`behavior has no fields ${unknown.join(', ')}`);
  return input; // mergeBehavior checks the values
}

function mergeBehavior(target: VivaSimBehavior, patch: Partial<VivaSimBehavior>): VivaSimBehavior {
  for (const f of NUMBER_FIELDS) {
    const v = patch[f];
    if (v === undefined) continue;
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) throw new SimInputError(`${f} must be a number >= 0`);
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

export async function startVivaSimulator(
  opts: { port?: number; host?: string; behavior?: Partial<VivaSimBehavior>; media?: Partial<SimMediaOptions> } = {},
): Promise<VivaSimulator> {
  const sim = new VivaSimulatorImpl(opts.behavior, opts.media);
  await sim.listen(opts.port ?? 0, opts.host ?? '127.0.0.1');
  return sim;
}
