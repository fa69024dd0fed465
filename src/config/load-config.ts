import cluster from 'node:cluster';
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import type { UserPlan } from '../common/auth/auth-user';
import { literalAddressProblem, parseAllowEntry } from '../common/outbound/outbound-policy';
import { inspectAlipayKeys } from './alipay-keys';
import { AlipayConfig, AppConfig, DatabaseConfig, MediaConfig, S3Config, WebhookConfig } from './app-config';
import { EnvSchema, LogLevel } from './env.schema';

export class ConfigError extends Error {}

export const DEFAULT_DATABASE_URL = 'sqlite:./data/reelay.sqlite';
const SECRET_FILE = 'app-secret';

// Reads the environment once and returns the typed config, or throws a ConfigError whose
// message is one line naming the variable that is wrong.
export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const raw = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = plainToInstance(EnvSchema, raw);
  const errors = validateSync(parsed, { whitelist: false, stopAtFirstError: true });
  if (errors.length > 0) {
    const first = errors[0];
    const message = Object.values(first.constraints ?? {})[0] ?? 'is invalid';
    // The value is echoed to help, except where it may be a secret (start-up lines are logged).
    const shown = /SECRET|PASSWORD|KEY|_URL$/.test(first.property)
      ? '(value hidden)'
      : `(got ${JSON.stringify(raw[first.property])})`;
    throw new ConfigError(`Invalid configuration: ${message} ${shown}`);
  }

  const nodeEnv = (parsed.NODE_ENV ?? 'development') as AppConfig['nodeEnv'];
  const port = parsed.PORT ?? 3000;
  const database = parseDatabaseUrl(parsed.DATABASE_URL ?? DEFAULT_DATABASE_URL, parsed.DB_POOL_SIZE);
  const dataDir = resolve(parsed.DATA_DIR ?? (database.type === 'sqlite' ? dirname(database.path) : './data'));

  const config = new AppConfig();
  Object.assign(config, {
    nodeEnv,
    host: parsed.HOST ?? '0.0.0.0',
    port,
    database,
    sqliteCheckpointMs: parsed.SQLITE_CHECKPOINT_MS ?? 1000,
    workers: parseWorkers(parsed.WORKERS, database),
    workerId: workerSlot(env),
    dataDir,
    serverAddress: (parsed.SERVER_ADDRESS ?? `http://localhost:${port}`).replace(/\/+$/, ''),
    appSecret: resolveAppSecret(parsed.APP_SECRET, nodeEnv, dataDir),
    logLevel: (parsed.LOG_LEVEL ?? 'info') as LogLevel,
    adminEmail: (parsed.ADMIN_EMAIL ?? 'admin@reelay.local').toLowerCase(),
    adminPassword: parsed.ADMIN_PASSWORD,
    migrationsRun: parsed.MIGRATIONS_RUN ?? true,
    registrationEnabled: parsed.REGISTRATION_ENABLED ?? true,
    corsOrigins: (parsed.CORS_ORIGINS ?? '')
      .split(',')
      .map((o) => o.trim())
      .filter(Boolean),
    bodyLimitBytes: (parsed.BODY_LIMIT_MB ?? 50) * 1024 * 1024,
    jwtTtlSeconds: parsed.JWT_TTL_SECONDS ?? 7 * 24 * 3600,
    trustProxy: parsed.TRUST_PROXY ?? false,
    quotaPerCredit: parsed.QUOTA_PER_CREDIT ?? 1000,
    upstreamTimeoutMs: parsed.UPSTREAM_TIMEOUT_MS ?? 30_000,
    taskTimeoutSeconds: parsed.TASK_TIMEOUT_SECONDS ?? 3600,
    pollTickMs: parsed.POLL_TICK_MS ?? 1000,
    pollScheduleMs: parseSchedule(parsed.POLL_SCHEDULE_MS ?? '0:5000,60000:10000,300000:30000,900000:60000'),
    pollBatchSize: parsed.POLL_BATCH_SIZE ?? 200,
    pollConcurrency: parsed.POLL_CONCURRENCY ?? 32,
    // List sweeps stay off by default until the bench shows them beating single queries at scale.
    pollListMinGroup: parsed.POLL_LIST_MIN_GROUP ?? 0,
    pollListPageSize: parsed.POLL_LIST_PAGE_SIZE ?? 500,
    unknownGraceSeconds: parsed.UNKNOWN_GRACE_SECONDS ?? 300,
    staleRefreshSeconds: parsed.STALE_REFRESH_SECONDS ?? 15,
    idempotencyLeaseSeconds: parsed.IDEMPOTENCY_LEASE_SECONDS ?? 30,
    videoRetentionDays: parsed.VIDEO_RETENTION_DAYS ?? 30,
    jobsEnabled: parsed.JOBS_ENABLED ?? true,
    channelRecheckIntervalSeconds: parsed.CHANNEL_RECHECK_INTERVAL_SECONDS ?? 300,
    alipay: alipayConfig(parsed),
    orderCheckAfterSeconds: parsed.ORDER_CHECK_AFTER_SECONDS ?? 300,
    orderExpireSeconds: parsed.ORDER_EXPIRE_SECONDS ?? 2 * 3600,
    vivaMasterQuotaCredits: parsed.VIVA_MASTER_QUOTA ?? null,
    alertRefillThresholdCredits: parsed.ALERT_REFILL_THRESHOLD ?? 1000,
    alertWebhookUrl: parsed.ALERT_WEBHOOK_URL ?? null,
    alertWebhookSecret: parsed.ALERT_WEBHOOK_SECRET ?? '',
    batchTimeScale: parsed.BATCH_TIME_SCALE ?? 1,
    batchTickMs: parsed.BATCH_TICK_MS ?? 500,
    outboundAllowHosts: parseAllowHosts(parsed.OUTBOUND_ALLOW_HOSTS ?? ''),
    redisUrl: parsed.REDIS_URL ?? null,
    rateLimits: {
      keyPrefix: parsed.RATE_LIMIT_KEY_PREFIX ?? 'reelay:rl',
      loginPerIpPerMinute: parsed.RATE_LIMIT_LOGIN_PER_IP_PER_MINUTE ?? 30,
      loginFailures: parsed.RATE_LIMIT_LOGIN_FAILURES ?? 5,
      loginFailureWindowSeconds: parsed.RATE_LIMIT_LOGIN_FAILURE_WINDOW_SECONDS ?? 900,
      loginLockoutSeconds: parsed.RATE_LIMIT_LOGIN_LOCKOUT_SECONDS ?? 300,
      registerPerIpPerHour: parsed.RATE_LIMIT_REGISTER_PER_IP_PER_HOUR ?? 10,
      apiKeyPerMinute: parsePlanLimits(parsed.RATE_LIMIT_API_KEY_PER_MINUTE ?? DEFAULT_API_KEY_PER_MINUTE),
    },
    httpRequestTimeoutMs: parsed.HTTP_REQUEST_TIMEOUT_MS ?? 60_000,
    httpHeadersTimeoutMs: parsed.HTTP_HEADERS_TIMEOUT_MS ?? 10_000,
    shutdownTimeoutMs: parsed.SHUTDOWN_TIMEOUT_MS ?? 10_000,
    metricsToken: parsed.METRICS_TOKEN ?? null,
    metricsPort: metricsPort(parsed.METRICS_PORT, port),
    consoleDir: resolve(parsed.CONSOLE_DIR ?? join(appRoot(), 'web', 'dist')),
    media: mediaConfig(parsed, dataDir, parsed.VIDEO_RETENTION_DAYS ?? 30),
    webhooks: webhookConfig(parsed),
  } satisfies AppConfig);
  if (config.alertWebhookUrl) checkAlertWebhook(config.alertWebhookUrl, config.outboundAllowHosts);
  return config;
}

// The directory holding package.json, whether this runs from src/ (tests) or dist/src/.
function appRoot(from = __dirname): string {
  if (existsSync(join(from, 'package.json'))) return from;
  const up = dirname(from);
  return up === from ? process.cwd() : appRoot(up);
}

const DEFAULT_API_KEY_PER_MINUTE = 'free:60,pro:300,pro_plus:600,enterprise:1200';

// "120" for every plan, or "free:60,pro:300,…" (a plan left out keeps its default).
function parsePlanLimits(text: string): Record<UserPlan, number> {
  const defaults = Object.fromEntries(
    DEFAULT_API_KEY_PER_MINUTE.split(',')
      .map((p) => p.split(':'))
      .map(([k, v]) => [k, Number(v)]),
  ) as Record<UserPlan, number>;
  if (/^\d+$/.test(text)) return mapPlans(() => Number(text));
  const given = new Map(text.split(',').map((p) => p.split(':') as [UserPlan, string]));
  const out = mapPlans((plan) => Number(given.get(plan) ?? defaults[plan]));
  if (Object.values(out).some((n) => n < 1)) {
    throw new ConfigError('Invalid configuration: RATE_LIMIT_API_KEY_PER_MINUTE must be at least 1 per plan');
  }
  return out;
}

function mapPlans(f: (plan: UserPlan) => number): Record<UserPlan, number> {
  return { free: f('free'), pro: f('pro'), pro_plus: f('pro_plus'), enterprise: f('enterprise') };
}

function parseAllowHosts(text: string): string[] {
  const entries = text
    .split(',')
    .map((h) => h.trim().toLowerCase())
    .filter(Boolean);
  const bad = entries.find((e) => !parseAllowEntry(e));
  if (bad)
    throw new ConfigError(`Invalid configuration: OUTBOUND_ALLOW_HOSTS entry "${bad}" is not a host or host:port`);
  return entries;
}

// The alert webhook is fetched through the outbound guard too; a literal address it would refuse
// is refused here, at start, naming the variable.
function checkAlertWebhook(url: string, allow: string[]): void {
  const problem = literalAddressProblem(url, allow);
  if (problem) throw new ConfigError(`Invalid configuration: ALERT_WEBHOOK_URL ${problem}`);
}

const ALIPAY_REQUIRED = ['ALIPAY_APP_ID', 'ALIPAY_PRIVATE_KEY', 'ALIPAY_PUBLIC_KEY'] as const;
export const ALIPAY_SANDBOX_GATEWAY = 'https://openapi-sandbox.dl.alipaydev.com/gateway.do';

// All three of app id and keys, or none (payments off).
function alipayConfig(p: EnvSchema): AlipayConfig | null {
  const given = ALIPAY_REQUIRED.filter((k) => p[k]);
  if (given.length === 0) return null;
  const missing = ALIPAY_REQUIRED.filter((k) => !p[k]);
  if (missing.length > 0)
    throw new ConfigError(`Invalid configuration: ${missing[0]} is required when ${given[0]} is set`);
  // Keys often arrive in one env line with literal \n.
  const pem = (k: string) => k.replace(/\\n/g, '\n');
  const keys = inspectAlipayKeys(pem(p.ALIPAY_PRIVATE_KEY as string), pem(p.ALIPAY_PUBLIC_KEY as string));
  if (typeof keys === 'string') throw new ConfigError(`Invalid configuration: ${keys}`);
  if (p.ALIPAY_KEY_TYPE && p.ALIPAY_KEY_TYPE !== keys.privateKeyType) {
    throw new ConfigError(
      `Invalid configuration: ALIPAY_KEY_TYPE is ${p.ALIPAY_KEY_TYPE} but ALIPAY_PRIVATE_KEY is a ${keys.privateKeyType} key (leave ALIPAY_KEY_TYPE unset: it is detected)`,
    );
  }
  return {
    appId: p.ALIPAY_APP_ID as string,
    privateKey: keys.privateKeyPem,
    alipayPublicKey: keys.publicKeyPem,
    sellerId: p.ALIPAY_SELLER_ID ?? null,
    gateway: p.ALIPAY_GATEWAY ?? ALIPAY_SANDBOX_GATEWAY,
    keyType: keys.privateKeyType,
    keySummary: keys.summary,
    returnUrl: p.ALIPAY_RETURN_URL ?? null,
  };
}

function metricsPort(given: number | undefined, port: number): number | null {
  if (given === undefined) return null;
  if (given === port) {
    throw new ConfigError(`Invalid configuration: METRICS_PORT must differ from PORT (both ${port})`);
  }
  return given;
}

const DEFAULT_COPY_RETRY_MS = '10000,60000,300000,1800000,7200000';
// About a day in all: 5 s, 1 min, 10 min, 1 h, 3 h, 8 h, 12 h.
const DEFAULT_WEBHOOK_RETRY_MS = '5000,60000,600000,3600000,10800000,28800000,43200000';

function mediaConfig(p: EnvSchema, dataDir: string, videoRetentionDays: number): MediaConfig {
  const storage = (p.MEDIA_STORAGE ?? 'local') as MediaConfig['storage'];
  return {
    storage,
    dir: resolve(p.MEDIA_DIR ?? join(dataDir, 'media')),
    s3: storage === 's3' ? s3Config(p) : null,
    maxBytes: p.MEDIA_MAX_BYTES ?? 512 * 1024 * 1024,
    linkTtlSeconds: p.MEDIA_LINK_TTL_SECONDS ?? 3600,
    retentionDays: p.MEDIA_RETENTION_DAYS ?? videoRetentionDays,
    copyRetryMs: msList(p.MEDIA_COPY_RETRY_MS ?? DEFAULT_COPY_RETRY_MS),
    copyConcurrency: p.MEDIA_COPY_CONCURRENCY ?? 4,
    copyTickMs: p.MEDIA_COPY_TICK_MS ?? 1000,
    copyLeaseMs: p.MEDIA_COPY_LEASE_MS ?? 300_000,
  };
}

function s3Config(p: EnvSchema): S3Config {
  if (!p.S3_BUCKET) throw new ConfigError('Invalid configuration: S3_BUCKET is required when MEDIA_STORAGE=s3');
  if (Boolean(p.S3_ACCESS_KEY_ID) !== Boolean(p.S3_SECRET_ACCESS_KEY)) {
    throw new ConfigError('Invalid configuration: set both S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY, or neither');
  }
  return {
    endpoint: p.S3_ENDPOINT ?? null,
    bucket: p.S3_BUCKET,
    region: p.S3_REGION ?? 'us-east-1',
    accessKeyId: p.S3_ACCESS_KEY_ID ?? null,
    secretAccessKey: p.S3_SECRET_ACCESS_KEY ?? null,
    forcePathStyle: p.S3_FORCE_PATH_STYLE ?? false,
  };
}

function webhookConfig(p: EnvSchema): WebhookConfig {
  return {
    tickMs: p.WEBHOOK_TICK_MS ?? 1000,
    timeoutMs: p.WEBHOOK_TIMEOUT_MS ?? 10_000,
    retryScheduleMs: msList(p.WEBHOOK_RETRY_SCHEDULE_MS ?? DEFAULT_WEBHOOK_RETRY_MS),
    disableAfterMs: p.WEBHOOK_DISABLE_AFTER_MS ?? 24 * 3600 * 1000,
    concurrency: p.WEBHOOK_CONCURRENCY ?? 16,
  };
}

function msList(text: string): number[] {
  return text.split(',').map(Number);
}

function parseSchedule(text: string): Array<[number, number]> {
  const steps = text.split(',').map((p) => p.split(':').map(Number) as [number, number]);
  if (steps[0][0] !== 0 || steps.some(([at, every], i) => every <= 0 || (i > 0 && at <= steps[i - 1][0]))) {
    throw new ConfigError(
      'Invalid configuration: POLL_SCHEDULE_MS must start at 0, ascend, and have positive intervals',
    );
  }
  return steps;
}

// "auto": one per core. SQLite is one process's file (its writer lock would serialise the workers
// anyway), so more than one needs MySQL; "auto" is refused there too, whatever the core count.
function parseWorkers(text: string | undefined, database: DatabaseConfig): number {
  const given = (text ?? '1').trim().toLowerCase();
  const workers = given === 'auto' ? availableParallelism() : Number(given);
  if (database.type === 'sqlite' && (given === 'auto' || workers > 1)) {
    throw new ConfigError(
      `Invalid configuration: WORKERS must be 1 with SQLite (one process writes the database file); use MySQL to run ${given} workers`,
    );
  }
  return workers;
}

// Set by Reelay's primary on the workers it forks (never by an operator).
export const WORKER_ID_ENV = 'REELAY_WORKER_ID';

function workerSlot(env: NodeJS.ProcessEnv): number | null {
  const id = Number(env[WORKER_ID_ENV]);
  return cluster.isWorker && Number.isInteger(id) && id > 0 ? id : null;
}

export function parseDatabaseUrl(url: string, poolSize?: number): DatabaseConfig {
  if (url.startsWith('mysql://')) return { type: 'mysql', url, ...(poolSize ? { poolSize } : {}) };
  const path = url.slice('sqlite:'.length).replace(/^\/\//, '');
  return { type: 'sqlite', path: path === ':memory:' ? path : resolve(path) };
}

// Production must be given a secret; elsewhere one is generated on first start and kept in
// the data directory, so restarts keep sessions and encrypted channel keys readable.
function resolveAppSecret(given: string | undefined, nodeEnv: string, dataDir: string): string {
  if (given) return given;
  if (nodeEnv === 'production') {
    throw new ConfigError('Invalid configuration: APP_SECRET is required when NODE_ENV=production');
  }
  const file = join(dataDir, SECRET_FILE);
  if (existsSync(file)) {
    const stored = readFileSync(file, 'utf8').trim();
    if (stored.length >= 32) return stored;
    throw new ConfigError(`Invalid configuration: ${file} holds a secret shorter than 32 characters`);
  }
  mkdirSync(dataDir, { recursive: true });
  const secret = randomBytes(32).toString('hex');
  try {
    writeFileSync(file, secret + '\n', { mode: 0o600, flag: 'wx' });
  } catch (err) {
    // Another process created it first: use theirs.
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return readFileSync(file, 'utf8').trim();
    throw err;
  }
  chmodSync(file, 0o600);
  return secret;
}
