import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { AlipayConfig, AppConfig, DatabaseConfig } from './app-config';
import { EnvSchema, LogLevel } from './env.schema';

export class ConfigError extends Error {}

const DEFAULT_DATABASE_URL = 'sqlite:./data/reelay.sqlite';
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
    throw new ConfigError(`Invalid configuration: ${message} (got ${JSON.stringify(raw[first.property])})`);
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
    unknownGraceSeconds: parsed.UNKNOWN_GRACE_SECONDS ?? 300,
    staleRefreshSeconds: parsed.STALE_REFRESH_SECONDS ?? 15,
    videoRetentionDays: parsed.VIDEO_RETENTION_DAYS ?? 30,
    jobsEnabled: parsed.JOBS_ENABLED ?? true,
    alipay: alipayConfig(parsed),
    orderCheckAfterSeconds: parsed.ORDER_CHECK_AFTER_SECONDS ?? 300,
    orderExpireSeconds: parsed.ORDER_EXPIRE_SECONDS ?? 2 * 3600,
    vivaMasterQuotaCredits: parsed.VIVA_MASTER_QUOTA ?? null,
    alertRefillThresholdCredits: parsed.ALERT_REFILL_THRESHOLD ?? 1000,
    alertWebhookUrl: parsed.ALERT_WEBHOOK_URL ?? null,
    alertWebhookSecret: parsed.ALERT_WEBHOOK_SECRET ?? '',
    batchTimeScale: parsed.BATCH_TIME_SCALE ?? 1,
    batchTickMs: parsed.BATCH_TICK_MS ?? 500,
  } satisfies AppConfig);
  return config;
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
  return {
    appId: p.ALIPAY_APP_ID as string,
    privateKey: pem(p.ALIPAY_PRIVATE_KEY as string),
    alipayPublicKey: pem(p.ALIPAY_PUBLIC_KEY as string),
    sellerId: p.ALIPAY_SELLER_ID ?? null,
    gateway: p.ALIPAY_GATEWAY ?? ALIPAY_SANDBOX_GATEWAY,
    keyType: (p.ALIPAY_KEY_TYPE ?? 'PKCS8') as 'PKCS1' | 'PKCS8',
    returnUrl: p.ALIPAY_RETURN_URL ?? null,
  };
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
