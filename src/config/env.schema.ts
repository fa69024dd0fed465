import { Transform } from 'class-transformer';
import {
  IsBoolean,
  IsEmail,
  IsIn,
  IsInt,
  IsNumber,
  IsOptional,
  IsString,
  IsUrl,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
} from 'class-validator';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

const toBool = ({ value }: { value: unknown }): unknown => {
  if (typeof value !== 'string') return value;
  const v = value.trim().toLowerCase();
  if (['1', 'true', 'yes', 'on'].includes(v)) return true;
  if (['0', 'false', 'no', 'off'].includes(v)) return false;
  return value;
};
const toInt = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' && /^\s*-?\d+\s*$/.test(value) ? Number(value) : value;

// Environment variables exactly as the operator writes them. Property names are the variable
// names so a validation message names the variable to fix.
export class EnvSchema {
  @IsOptional()
  @IsIn(['development', 'production', 'test'])
  NODE_ENV?: string;

  @IsOptional()
  @IsString()
  HOST?: string;

  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(65535)
  PORT?: number;

  @IsOptional()
  @Matches(/^(sqlite:.+|mysql:\/\/.+)$/, {
    message: 'DATABASE_URL must look like "sqlite:./data/reelay.sqlite" or "mysql://user:pass@host:3306/db"',
  })
  DATABASE_URL?: string;

  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(500)
  DB_POOL_SIZE?: number;

  // SQLite: how often a worker thread copies the WAL into the database file; 0 leaves it to
  // SQLite, inside the commit that fills the WAL.
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(60_000)
  SQLITE_CHECKPOINT_MS?: number;

  // How many processes serve the port: a number, or "auto" for one per core.
  @IsOptional()
  @Matches(/^\s*(auto|0*[1-9]\d{0,2})\s*$/i, {
    message: 'WORKERS must be a whole number from 1 to 999, or "auto" (one per core)',
  })
  WORKERS?: string;

  @IsOptional()
  @IsString()
  @MinLength(1)
  DATA_DIR?: string;

  @IsOptional()
  @IsUrl({ require_tld: false, require_protocol: true, protocols: ['http', 'https'] })
  SERVER_ADDRESS?: string;

  @IsOptional()
  @IsString()
  @MinLength(32, { message: 'APP_SECRET must be at least 32 characters (try: openssl rand -hex 32)' })
  APP_SECRET?: string;

  @IsOptional()
  @IsIn(LOG_LEVELS)
  LOG_LEVEL?: string;

  @IsOptional()
  @IsEmail()
  ADMIN_EMAIL?: string;

  @IsOptional()
  @IsString()
  @MinLength(12, { message: 'ADMIN_PASSWORD must be at least 12 characters' })
  @MaxLength(128)
  ADMIN_PASSWORD?: string;

  @IsOptional()
  @Transform(toBool)
  @IsBoolean({ message: 'MIGRATIONS_RUN must be true or false' })
  MIGRATIONS_RUN?: boolean;

  @IsOptional()
  @Transform(toBool)
  @IsBoolean({ message: 'REGISTRATION_ENABLED must be true or false' })
  REGISTRATION_ENABLED?: boolean;

  @IsOptional()
  @IsString()
  CORS_ORIGINS?: string;

  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(512)
  BODY_LIMIT_MB?: number;

  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(60)
  @Max(60 * 60 * 24 * 90)
  JWT_TTL_SECONDS?: number;

  @IsOptional()
  @Transform(toBool)
  @IsBoolean({ message: 'TRUST_PROXY must be true or false' })
  TRUST_PROXY?: boolean;

  @IsOptional()
  @Transform(toInt)
  @IsIn([1, 10, 100, 1000, 10000, 100000, 1000000], {
    message: 'QUOTA_PER_CREDIT must be a power of ten between 1 and 1000000',
  })
  QUOTA_PER_CREDIT?: number;

  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(100)
  @Max(600_000)
  UPSTREAM_TIMEOUT_MS?: number;

  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(7 * 24 * 3600)
  TASK_TIMEOUT_SECONDS?: number;

  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(10)
  @Max(60_000)
  POLL_TICK_MS?: number;

  @IsOptional()
  @Matches(/^\d+:\d+(,\d+:\d+)*$/, {
    message: 'POLL_SCHEDULE_MS must look like "0:5000,60000:15000" (elapsed ms:interval ms, ascending)',
  })
  POLL_SCHEDULE_MS?: string;

  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(5000)
  POLL_BATCH_SIZE?: number;

  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(512)
  POLL_CONCURRENCY?: number;

  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(100_000)
  POLL_LIST_MIN_GROUP?: number;

  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(10_000)
  POLL_LIST_PAGE_SIZE?: number;

  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(24 * 3600)
  UNKNOWN_GRACE_SECONDS?: number;

  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(3600)
  STALE_REFRESH_SECONDS?: number;

  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(600)
  IDEMPOTENCY_LEASE_SECONDS?: number;

  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(3650)
  VIDEO_RETENTION_DAYS?: number;

  @IsOptional()
  @Transform(toBool)
  @IsBoolean({ message: 'JOBS_ENABLED must be true or false' })
  JOBS_ENABLED?: boolean;

  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(24 * 3600)
  CHANNEL_RECHECK_INTERVAL_SECONDS?: number;

  @IsOptional()
  @Matches(/^\d{8,32}$/, { message: 'ALIPAY_APP_ID must be the numeric app id' })
  ALIPAY_APP_ID?: string;

  @IsOptional()
  @IsString()
  @MinLength(100, { message: 'ALIPAY_PRIVATE_KEY must be an RSA private key (PEM or base64)' })
  ALIPAY_PRIVATE_KEY?: string;

  @IsOptional()
  @IsString()
  @MinLength(100, { message: 'ALIPAY_PUBLIC_KEY must be the Alipay RSA public key (PEM or base64)' })
  ALIPAY_PUBLIC_KEY?: string;

  @IsOptional()
  @Matches(/^2088\d{12}$/, { message: 'ALIPAY_SELLER_ID must be the merchant PID (2088 followed by 12 digits)' })
  ALIPAY_SELLER_ID?: string;

  @IsOptional()
  @IsUrl({ require_tld: false, require_protocol: true, protocols: ['http', 'https'] })
  ALIPAY_GATEWAY?: string;

  // Optional: the private key's format is detected; when given it must match what was detected.
  @IsOptional()
  @IsIn(['PKCS1', 'PKCS8'])
  ALIPAY_KEY_TYPE?: string;

  @IsOptional()
  @IsUrl({ require_tld: false, require_protocol: true, protocols: ['http', 'https'] })
  ALIPAY_RETURN_URL?: string;

  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(10)
  ORDER_CHECK_AFTER_SECONDS?: number;

  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(60)
  ORDER_EXPIRE_SECONDS?: number;

  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(0)
  VIVA_MASTER_QUOTA?: number;

  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(0)
  ALERT_REFILL_THRESHOLD?: number;

  @IsOptional()
  @Transform(({ value }: { value: unknown }) =>
    typeof value === 'string' && value.trim() !== '' ? Number(value) : value,
  )
  @IsNumber({ allowNaN: false, allowInfinity: false }, { message: 'BATCH_TIME_SCALE must be a number' })
  @Min(0.0001)
  @Max(100)
  BATCH_TIME_SCALE?: number;

  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(10)
  @Max(60_000)
  BATCH_TICK_MS?: number;

  @IsOptional()
  @IsString()
  @MinLength(1)
  CONSOLE_DIR?: string;

  @IsOptional()
  @IsUrl({ require_tld: false, require_protocol: true, protocols: ['http', 'https'] })
  ALERT_WEBHOOK_URL?: string;

  @IsOptional()
  @IsString()
  @MinLength(16, { message: 'ALERT_WEBHOOK_SECRET must be at least 16 characters' })
  ALERT_WEBHOOK_SECRET?: string;

  @IsOptional()
  @Matches(/^\s*[^\s,]+(\s*,\s*[^\s,]+)*\s*$/, {
    message: 'OUTBOUND_ALLOW_HOSTS must be a comma-separated list of host or host:port',
  })
  OUTBOUND_ALLOW_HOSTS?: string;

  @IsOptional()
  @Matches(/^[A-Za-z0-9:_.-]{1,64}$/, { message: 'RATE_LIMIT_KEY_PREFIX must be 1-64 letters, digits or : _ . -' })
  RATE_LIMIT_KEY_PREFIX?: string;

  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  RATE_LIMIT_LOGIN_PER_IP_PER_MINUTE?: number;

  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  RATE_LIMIT_LOGIN_FAILURES?: number;

  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(7 * 24 * 3600)
  RATE_LIMIT_LOGIN_FAILURE_WINDOW_SECONDS?: number;

  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(7 * 24 * 3600)
  RATE_LIMIT_LOGIN_LOCKOUT_SECONDS?: number;

  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  RATE_LIMIT_REGISTER_PER_IP_PER_HOUR?: number;

  @IsOptional()
  @Matches(/^(\d{1,9}|(free|pro|pro_plus|enterprise):\d{1,9}(,(free|pro|pro_plus|enterprise):\d{1,9})*)$/, {
    message:
      'RATE_LIMIT_API_KEY_PER_MINUTE must be one number for every plan or "free:60,pro:300,pro_plus:600,enterprise:1200"',
  })
  RATE_LIMIT_API_KEY_PER_MINUTE?: string;

  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1000)
  @Max(3_600_000)
  HTTP_REQUEST_TIMEOUT_MS?: number;

  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1000)
  @Max(600_000)
  HTTP_HEADERS_TIMEOUT_MS?: number;

  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(100)
  @Max(600_000)
  SHUTDOWN_TIMEOUT_MS?: number;

  @IsOptional()
  @IsString()
  @MinLength(16, { message: 'METRICS_TOKEN must be at least 16 characters (try: openssl rand -hex 24)' })
  METRICS_TOKEN?: string;

  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(65535)
  METRICS_PORT?: number;

  @IsOptional()
  @Matches(/^rediss?:\/\/.+/, { message: 'REDIS_URL must look like "redis://host:6379" (or rediss:// for TLS)' })
  REDIS_URL?: string;

  // ---- Media storage (issue 12)
  @IsOptional()
  @IsIn(['local', 's3'], { message: 'MEDIA_STORAGE must be local or s3' })
  MEDIA_STORAGE?: string;

  @IsOptional()
  @IsString()
  @MinLength(1)
  MEDIA_DIR?: string;

  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1024)
  MEDIA_MAX_BYTES?: number;

  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(7 * 24 * 3600)
  MEDIA_LINK_TTL_SECONDS?: number;

  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(3650)
  MEDIA_RETENTION_DAYS?: number;

  @IsOptional()
  @Matches(/^\d+(,\d+)*$/, { message: 'MEDIA_COPY_RETRY_MS must look like "10000,60000,300000" (ms between attempts)' })
  MEDIA_COPY_RETRY_MS?: string;

  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(64)
  MEDIA_COPY_CONCURRENCY?: number;

  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(10)
  @Max(60_000)
  MEDIA_COPY_TICK_MS?: number;

  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1000)
  @Max(3_600_000)
  MEDIA_COPY_LEASE_MS?: number;

  @IsOptional()
  @IsUrl({ require_tld: false, require_protocol: true, protocols: ['http', 'https'] })
  S3_ENDPOINT?: string;

  @IsOptional()
  @Matches(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, { message: 'S3_BUCKET must be a bucket name' })
  S3_BUCKET?: string;

  @IsOptional()
  @IsString()
  @MinLength(1)
  S3_REGION?: string;

  @IsOptional()
  @IsString()
  @MinLength(1)
  S3_ACCESS_KEY_ID?: string;

  @IsOptional()
  @IsString()
  @MinLength(1)
  S3_SECRET_ACCESS_KEY?: string;

  @IsOptional()
  @Transform(toBool)
  @IsBoolean({ message: 'S3_FORCE_PATH_STYLE must be true or false' })
  S3_FORCE_PATH_STYLE?: boolean;

  // ---- Webhooks to clients (issue 12)
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(10)
  @Max(60_000)
  WEBHOOK_TICK_MS?: number;

  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(100)
  @Max(60_000)
  WEBHOOK_TIMEOUT_MS?: number;

  @IsOptional()
  @Matches(/^\d+(,\d+)*$/, {
    message: 'WEBHOOK_RETRY_SCHEDULE_MS must look like "5000,60000,600000" (ms before each retry)',
  })
  WEBHOOK_RETRY_SCHEDULE_MS?: string;

  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  WEBHOOK_DISABLE_AFTER_MS?: number;

  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(256)
  WEBHOOK_CONCURRENCY?: number;
}
