import { Injectable, OnModuleDestroy } from '@nestjs/common';
import Redis from 'ioredis';
import { PinoLogger } from 'nestjs-pino';
import { RateLimiterAbstract, RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import type { RequestOrigin, UserPlan } from '../auth/auth-user';
import { AppConfig } from '../../config/app-config';
import { DomainError } from '../errors/domain-error';
import { ErrorCode } from '../errors/error-code';

export type IpLimit = 'login' | 'register';

// An address that went past a per-address limit: the first refusal of each window only.
export interface IpLimitedEvent {
  limit: IpLimit;
  origin: RequestOrigin;
}

interface LimiterSpec {
  name: string;
  points: number;
  duration: number;
  blockDuration?: number;
}

// Abuse limits (rate-limiter-flexible): counters in Redis when REDIS_URL is set, shared by every
// replica, else in this process's memory. A Redis outage falls back to per-process counters
// (insuranceLimiter) instead of failing requests.
@Injectable()
export class RateLimitService implements OnModuleDestroy {
  private readonly redis: Redis | null;
  private readonly perIp: Record<IpLimit, RateLimiterAbstract>;
  private readonly loginFailures: RateLimiterAbstract;
  private readonly apiKeys: Map<UserPlan, RateLimiterAbstract>;
  private readonly ipLimitedListeners: Array<(e: IpLimitedEvent) => Promise<void>> = [];

  constructor(
    private readonly config: AppConfig,
    private readonly logger: PinoLogger,
  ) {
    this.logger.setContext(RateLimitService.name);
    const r = config.rateLimits;
    this.redis = config.redisUrl
      ? new Redis(config.redisUrl, { enableOfflineQueue: false, maxRetriesPerRequest: 1, lazyConnect: false })
      : null;
    this.redis?.on('error', (err: Error) =>
      this.logger.warn({ err: err.message }, 'redis unavailable; limits per process'),
    );
    this.perIp = {
      login: this.limiter({ name: 'login-ip', points: r.loginPerIpPerMinute, duration: 60 }),
      register: this.limiter({ name: 'register-ip', points: r.registerPerIpPerHour, duration: 3600 }),
    };
    // Failures only: a lockout after `loginFailures` wrong passwords within the window.
    this.loginFailures = this.limiter({
      name: 'login-fail',
      points: r.loginFailures,
      duration: r.loginFailureWindowSeconds,
    });
    this.apiKeys = new Map(
      (Object.entries(r.apiKeyPerMinute) as Array<[UserPlan, number]>).map(([plan, points]) => [
        plan,
        this.limiter({ name: `key-${plan}`, points, duration: 60 }),
      ]),
    );
  }

  // One request from `origin` against the named limit; a 429 with Retry-After past it.
  async hitIp(limit: IpLimit, origin: RequestOrigin): Promise<void> {
    const limiter = this.perIp[limit];
    await this.consume(limiter, origin.ip, `Too many ${limit} attempts from your address`, async (res) => {
      if (res.consumedPoints === limiter.points + 1) await this.notifyIpLimited({ limit, origin });
    });
  }

  // Feature modules hear of an address going past a limit (the audit trail records it); this
  // shared layer knows none of them.
  onIpLimited(listener: (e: IpLimitedEvent) => Promise<void>): void {
    this.ipLimitedListeners.push(listener);
  }

  private async notifyIpLimited(e: IpLimitedEvent): Promise<void> {
    for (const listener of this.ipLimitedListeners) {
      await listener(e).catch((err: unknown) =>
        this.logger.warn({ err: (err as Error).message }, 'rate limit listener failed'),
      );
    }
  }

  async hitApiKey(plan: UserPlan, tokenId: number): Promise<void> {
    const limiter = this.apiKeys.get(plan) ?? this.apiKeys.get('free');
    await this.consume(limiter as RateLimiterAbstract, String(tokenId), 'Too many requests for this API key');
  }

  // Before a password is checked: a locked account answers 429 whatever the password.
  async assertLoginAllowed(email: string): Promise<void> {
    const res = await this.safe(() => this.loginFailures.get(email));
    if (res && res.consumedPoints > this.config.rateLimits.loginFailures) {
      throw this.limited('Too many failed logins for this account; try again later', res.msBeforeNext);
    }
  }

  // The failure that reaches RATE_LIMIT_LOGIN_FAILURES starts the lockout (this attempt still
  // answers 401; the next ones 429 until it ends). Returns whether this failure started it.
  async loginFailed(email: string): Promise<boolean> {
    const r = this.config.rateLimits;
    const locked = await this.safe(async () => {
      const res = await this.loginFailures.consume(email).catch((e: unknown) => {
        if (e instanceof RateLimiterRes) return e; // already locked
        throw e;
      });
      if (res.consumedPoints !== r.loginFailures) return false;
      await this.loginFailures.block(email, r.loginLockoutSeconds);
      return true;
    });
    return locked ?? false;
  }

  async loginSucceeded(email: string): Promise<void> {
    await this.safe(() => this.loginFailures.delete(email));
  }

  async onModuleDestroy(): Promise<void> {
    if (this.redis) await this.redis.quit().catch(() => this.redis?.disconnect());
  }

  private limiter(spec: LimiterSpec): RateLimiterAbstract {
    const opts = {
      keyPrefix: `${this.config.rateLimits.keyPrefix}:${spec.name}`,
      points: spec.points,
      duration: spec.duration,
      blockDuration: spec.blockDuration ?? 0,
    };
    if (!this.redis) return new RateLimiterMemory(opts);
    return new RateLimiterRedis({ ...opts, storeClient: this.redis, insuranceLimiter: new RateLimiterMemory(opts) });
  }

  private async consume(
    limiter: RateLimiterAbstract,
    key: string,
    message: string,
    onRefused?: (res: RateLimiterRes) => Promise<void>,
  ): Promise<void> {
    try {
      await limiter.consume(key);
    } catch (res) {
      if (res instanceof RateLimiterRes) {
        await onRefused?.(res);
        throw this.limited(message, res.msBeforeNext);
      }
      this.logger.warn({ err: (res as Error).message }, 'rate limit store failed; request let through');
    }
  }

  private async safe<T>(work: () => Promise<T>): Promise<T | null> {
    try {
      return await work();
    } catch (err) {
      this.logger.warn({ err: (err as Error).message }, 'rate limit store failed');
      return null;
    }
  }

  private limited(message: string, msBeforeNext: number): DomainError {
    const retry = Math.max(1, Math.ceil(msBeforeNext / 1000));
    return new DomainError(ErrorCode.RateLimited, `${message} (retry in ${retry} s)`, { retry_after_seconds: retry });
  }
}
