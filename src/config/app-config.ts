import { LogLevel } from './env.schema';

export type DatabaseConfig = { type: 'sqlite'; path: string } | { type: 'mysql'; url: string; poolSize?: number };

// The typed configuration every module reads. Built once at boot by loadConfig();
// nothing else in the app touches process.env.
export class AppConfig {
  nodeEnv!: 'development' | 'production' | 'test';
  host!: string;
  port!: number;
  database!: DatabaseConfig;
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
  // How long an upstream may not know a task whose create answer was lost before it is failed.
  unknownGraceSeconds!: number;
  staleRefreshSeconds!: number;
  videoRetentionDays!: number;
  // Scheduled jobs (poller, cleanup, reconciliation); off for one-off tools.
  jobsEnabled!: boolean;
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
}

export interface AlipayConfig {
  appId: string;
  privateKey: string;
  alipayPublicKey: string;
  sellerId: string | null;
  gateway: string;
  keyType: 'PKCS1' | 'PKCS8';
  returnUrl: string | null;
}
