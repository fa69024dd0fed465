import type { UserPlan } from '../common/auth/auth-user';
import { LogLevel } from './env.schema';

export type DatabaseConfig = { type: 'sqlite'; path: string } | { type: 'mysql'; url: string; poolSize?: number };

// The typed configuration every module reads. Built once at boot by loadConfig();
// nothing else in the app touches process.env.
export class AppConfig {
  nodeEnv!: 'development' | 'production' | 'test';
  host!: string;
  port!: number;
  database!: DatabaseConfig;
  // SQLite: the checkpoint worker's period in ms (0: SQLite checkpoints inside commits).
  sqliteCheckpointMs!: number;
  // Processes serving the port (WORKERS): 1 runs the app in this process; more fork a primary that
  // runs no HTTP and that many workers (MySQL only: SQLite is written by one process).
  workers!: number;
  // In a worker that Reelay's own primary forked: its slot (1…workers); null otherwise.
  workerId!: number | null;
  dataDir!: string;
  serverAddress!: string;
  appSecret!: string;
  logLevel!: LogLevel;
  adminEmail!: string;
  adminPassword?: string;
  migrationsRun!: boolean;
  registrationEnabled!: boolean;
  corsOrigins!: string[];
  bodyLimitBytes!: number;
  jwtTtlSeconds!: number;
  trustProxy!: boolean;
  // Integer quota units per credit; every stored amount is in quota units.
  quotaPerCredit!: number;
  upstreamTimeoutMs!: number;
  // Relay task lifecycle: a task not finished after this long is failed and its hold released.
  taskTimeoutSeconds!: number;
  pollTickMs!: number;
  // [elapsed since creation, poll interval] pairs in ms, ascending: poll often early, rarely later.
  pollScheduleMs!: Array<[number, number]>;
  pollBatchSize!: number;
  pollConcurrency!: number;
  // Due tasks of one channel, key and kind from which the poller reads the provider's task list
  // instead of asking one task at a time (providers that can list: Kling); 0 never lists.
  pollListMinGroup!: number;
  // Tasks asked for per list page (the provider's largest page when that is smaller).
  pollListPageSize!: number;
  // How long an upstream may not know a task whose create answer was lost before it is failed.
  unknownGraceSeconds!: number;
  staleRefreshSeconds!: number;
  // How long a request holds its Idempotency-Key without renewing it (it renews while it runs).
  idempotencyLeaseSeconds!: number;
  videoRetentionDays!: number;
  // The built web console served at `/` (web/dist unless CONSOLE_DIR says otherwise).
  consoleDir!: string;
  // Scheduled jobs (poller, cleanup, reconciliation); off for one-off tools.
  jobsEnabled!: boolean;
  // How often an auto-disabled channel's key is checked again (0: never; the channel then waits
  // for an admin).
  channelRecheckIntervalSeconds!: number;
  // Null when Alipay is not configured (orders then answer 503).
  alipay!: AlipayConfig | null;
  orderCheckAfterSeconds!: number;
  orderExpireSeconds!: number;
  // Credits bought at VivaAPI for the shared master key; null: the sum of user quotas.
  vivaMasterQuotaCredits!: number | null;
  alertRefillThresholdCredits!: number;
  alertWebhookUrl!: string | null;
  alertWebhookSecret!: string;
  // The batch engine (seed 004): its defaults and admin overrides come from
  // BatchSettingsService; BATCH_TIME_SCALE multiplies every time constant (1 in production).
  batchTimeScale!: number;
  batchTickMs!: number;
  // Hosts (host or host:port, lower-case) that admin-configured URLs may reach even when they
  // resolve to a loopback or private address (OUTBOUND_ALLOW_HOSTS).
  outboundAllowHosts!: string[];
  // Shared state for every replica (the rate limiters' counters); null: in-process only.
  redisUrl!: string | null;
  rateLimits!: RateLimitConfig;
  // Slow clients: the whole request (headers and body) must arrive within requestTimeoutMs.
  httpRequestTimeoutMs!: number;
  httpHeadersTimeoutMs!: number;
  // SIGTERM: streams are told to reconnect, and the process exits within this bound.
  shutdownTimeoutMs!: number;
  // GET /metrics: a bearer token it requires, and/or a port of its own (then not on `port`).
  // Neither set: the main port answers 404 there.
  metricsToken!: string | null;
  metricsPort!: number | null;
  // Stored copies of finished videos, signed links to them, their retention (issue 12).
  media!: MediaConfig;
  // Signed event deliveries to clients' endpoints and Kling-style callback URLs (issue 12).
  webhooks!: WebhookConfig;
}

export interface S3Config {
  endpoint: string | null;
  bucket: string;
  region: string;
  accessKeyId: string | null;
  secretAccessKey: string | null;
  forcePathStyle: boolean;
}

export interface MediaConfig {
  storage: 'local' | 's3';
  // Where the local driver keeps files (MEDIA_DIR, default DATA_DIR/media).
  dir: string;
  s3: S3Config | null;
  maxBytes: number;
  linkTtlSeconds: number;
  // 0 keeps every file for as long as its task exists.
  retentionDays: number;
  // Waits between copy attempts; attempts = retries + 1.
  copyRetryMs: number[];
  copyConcurrency: number;
  copyTickMs: number;
  copyLeaseMs: number;
}

export interface WebhookConfig {
  tickMs: number;
  timeoutMs: number;
  // Waits before each retry; attempts = retries + 1.
  retryScheduleMs: number[];
  // An endpoint whose every delivery failed for this long is disabled.
  disableAfterMs: number;
  concurrency: number;
}

export interface RateLimitConfig {
  keyPrefix: string;
  loginPerIpPerMinute: number;
  loginFailures: number;
  loginFailureWindowSeconds: number;
  loginLockoutSeconds: number;
  registerPerIpPerHour: number;
  apiKeyPerMinute: Record<UserPlan, number>;
}

export interface AlipayConfig {
  appId: string;
  privateKey: string;
  alipayPublicKey: string;
  sellerId: string | null;
  gateway: string;
  keyType: 'PKCS1' | 'PKCS8';
  // One line for the boot log: what was detected in each key.
  keySummary: string;
  returnUrl: string | null;
}
