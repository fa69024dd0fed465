import { ApiKeyAuthenticator } from '../common/auth/api-key-authenticator';
import { Injectable } from '@nestjs/common';
import { AuditService } from '../audit/audit.service';
import { assertAdmin, AuthUser } from '../common/auth/auth-user';
import { Db } from '../common/database/db.service';
import { Clock } from '../common/clock/clock.service';
import { CryptoService } from '../common/crypto/crypto.service';
import { DomainError } from '../common/errors/domain-error';
import { ErrorCode } from '../common/errors/error-code';
import { creditsToQuota } from '../common/money/money';
import { AppConfig } from '../config/app-config';
import { Page, PageQueryDto, toPageRequest } from '../common/pagination/page.dto';
import { ApiTokenScope } from './api-token.entity';
import { ApiTokenRepository, LAST_USED_GRANULARITY_S } from './api-token.repository';
import { AuthCache, toCachedToken, toCachedUser } from './auth-cache';
import { ApiToken } from './api-token.entity';
import { dayPeriod, monthPeriod, TokenSpendRepository } from './token-spend.repository';
import { UserRepository } from './user.repository';
import { ApiTokenDto, CreatedTokenDto, CreateTokenDto, mapToken, UpdateTokenCapsDto } from './tokens.dto';

export const API_KEY_PREFIX = 'sk-';
const KEY_RANDOM_LENGTH = 48;
const DISPLAY_PREFIX_LENGTH = API_KEY_PREFIX.length + 8;
const MAX_ACTIVE_TOKENS = 100;

@Injectable()
export class TokensService implements ApiKeyAuthenticator {
  constructor(
    private readonly tokens: ApiTokenRepository,
    private readonly cache: AuthCache,
    private readonly spend: TokenSpendRepository,
    private readonly crypto: CryptoService,
    private readonly clock: Clock,
    private readonly config: AppConfig,
    private readonly audit: AuditService,
    private readonly db: Db,
    private readonly users: UserRepository,
  ) {}

  async create(user: AuthUser, dto: CreateTokenDto): Promise<CreatedTokenDto> {
    const now = this.clock.now();
    if (dto.expires_at !== undefined && dto.expires_at <= now) {
      throw DomainError.validation('expires_at', 'must be in the future');
    }
    await this.assertUnderCap(user);
    const caps = {
      quotaPerDay: this.capQuota('credits_per_day', dto.credits_per_day),
      quotaPerMonth: this.capQuota('credits_per_month', dto.credits_per_month),
    };
    return this.insertKey(user, dto.name, dto.expires_at ?? null, 'all', caps);
  }

  // Sets or removes the key's spending caps (they count spending from now on).
  async updateCaps(user: AuthUser, id: number, dto: UpdateTokenCapsDto): Promise<ApiTokenDto> {
    const fields: Partial<Pick<ApiToken, 'quotaPerDay' | 'quotaPerMonth'>> = {};
    if (dto.credits_per_day !== undefined) fields.quotaPerDay = this.capQuota('credits_per_day', dto.credits_per_day);
    if (dto.credits_per_month !== undefined) {
      fields.quotaPerMonth = this.capQuota('credits_per_month', dto.credits_per_month);
    }
    const token = await this.tokens.updateCapsForUser(user.id, id, fields);
    this.cache.forgetToken(id); // the next hold reads the new caps
    if (!token) throw DomainError.notFound('Token');
    return (await this.withSpend([token]))[0];
  }

  private capQuota(field: string, credits: number | null | undefined): number | null {
    if (credits === undefined || credits === null) return null;
    const quota = creditsToQuota(credits, this.config.quotaPerCredit);
    if (quota === null || quota <= 0) throw DomainError.validation(field, 'must be a positive amount of credits');
    return quota;
  }

  private async withSpend(tokens: ApiToken[]): Promise<ApiTokenDto[]> {
    const now = this.clock.now();
    const [day, month] = [dayPeriod(now), monthPeriod(now)];
    const rows = await this.spend.spent(
      tokens.map((t) => t.id),
      [day, month],
    );
    const of = (id: number, period: string) => rows.find((r) => r.tokenId === id && r.period === period)?.quota ?? 0;
    return tokens.map((t) =>
      mapToken(t, now, {
        quotaPerCredit: this.config.quotaPerCredit,
        spentDay: t.quotaPerDay === null ? 0 : of(t.id, day),
        spentMonth: t.quotaPerMonth === null ? 0 : of(t.id, month),
      }),
    );
  }

  // Every active key counts, video-only enterprise keys included.
  private async assertUnderCap(user: AuthUser): Promise<void> {
    if ((await this.tokens.countActiveForUser(user.id)) >= MAX_ACTIVE_TOKENS) {
      throw new DomainError(
        ErrorCode.Conflict,
        `At most ${MAX_ACTIVE_TOKENS} active tokens per user; revoke one first`,
      );
    }
  }

  private async insertKey(
    user: AuthUser,
    name: string,
    expiresAt: number | null,
    scope: ApiTokenScope,
    caps: Pick<ApiToken, 'quotaPerDay' | 'quotaPerMonth'> = { quotaPerDay: null, quotaPerMonth: null },
  ): Promise<CreatedTokenDto> {
    const key = API_KEY_PREFIX + this.crypto.randomString(KEY_RANDOM_LENGTH);
    const token = await this.tokens.insertToken({
      userId: user.id,
      name,
      keyHash: this.crypto.sha256(key),
      keyPrefix: key.slice(0, DISPLAY_PREFIX_LENGTH),
      expiresAt,
      scope,
      ...caps,
      now: this.clock.now(),
    });
    return { ...(await this.withSpend([token]))[0], key };
  }

  // A key limited to one scope, created on the user's behalf (enterprise video keys).
  async createScoped(user: AuthUser, name: string, scope: ApiTokenScope): Promise<CreatedTokenDto> {
    await this.assertUnderCap(user);
    return this.insertKey(user, name, null, scope);
  }

  async list(user: AuthUser, query: PageQueryDto): Promise<Page<ApiTokenDto>> {
    const page = toPageRequest(query);
    const [rows, total] = await this.tokens.listForUser(user.id, page);
    const views = await this.withSpend(rows);
    return { items: views, page: page.page, page_size: page.pageSize, total };
  }

  // Idempotent: revoking a revoked token succeeds; another user's token is "not found". The
  // revocation is a security event in the audit trail (a repeat revokes nothing and records nothing).
  revoke(user: AuthUser, id: number): Promise<void> {
    return this.revokeOf(user, user.id, id);
  }

  // Admins: one user's keys, as that user sees them (prefix only, caps and spend).
  async listOf(admin: AuthUser, userId: number, query: PageQueryDto): Promise<Page<ApiTokenDto>> {
    assertAdmin(admin);
    if (!(await this.users.findById(userId))) throw DomainError.notFound('User');
    return this.list({ ...admin, id: userId }, query);
  }

  // Admins revoke a user's key the way the user would, audited with the admin as the actor.
  async revokeByAdmin(admin: AuthUser, userId: number, id: number): Promise<void> {
    assertAdmin(admin);
    return this.revokeOf(admin, userId, id);
  }

  private async revokeOf(actor: AuthUser, ownerId: number, id: number): Promise<void> {
    const outcome = await this.db.tx(async (em) => {
      const token = await this.tokens.findOwned(ownerId, id, em);
      const result = await this.tokens.revokeForUser(ownerId, id, em);
      if (token && result === 'revoked') {
        await this.audit.record(em, actor, {
          action: 'token.revoke',
          target: { type: 'api_token', id },
          before: {
            user_id: ownerId,
            name: token.name,
            key_prefix: token.keyPrefix,
            scope: token.scope,
            status: token.status,
          },
          after: { status: 'revoked' },
        });
      }
      return result;
    });
    this.cache.forgetToken(id);
    if (outcome === 'missing') throw DomainError.notFound('Token');
  }

  // Resolves a presented `sk-…` key to its owner, or refuses it saying why: unknown, revoked,
  // expired, or its owner disabled. Only the holder of the full key learns its state, so nothing
  // leaks about other people's keys. Served from AuthCache for a moment after a lookup.
  async authenticate(key: string): Promise<AuthUser> {
    if (!key.startsWith(API_KEY_PREFIX) || key.length !== API_KEY_PREFIX.length + KEY_RANDOM_LENGTH) {
      throw new DomainError(ErrorCode.Unauthenticated, 'This API key is not valid');
    }
    const now = this.clock.now();
    const keyHash = this.crypto.sha256(key);
    let token = this.cache.token(keyHash);
    let user = token && this.cache.user(token.userId);
    if (!token || !user) {
      const generation = this.cache.generation();
      const found = await this.tokens.findByHash(keyHash);
      if (!found) throw new DomainError(ErrorCode.Unauthenticated, 'This API key is not valid');
      if (found.token.status === 'revoked')
        throw new DomainError(ErrorCode.Unauthenticated, 'This API key was revoked');
      token = toCachedToken(found.token);
      user = toCachedUser(found.user);
      this.cache.rememberToken(keyHash, token, generation);
      this.cache.rememberUser(user, generation);
    }
    if (token.expiresAt !== null && token.expiresAt <= now) {
      throw new DomainError(ErrorCode.Unauthenticated, 'This API key has expired');
    }
    if (user.status !== 'active') throw new DomainError(ErrorCode.UserDisabled, 'This account is disabled');
    if (token.lastUsedAt === null || token.lastUsedAt < now - LAST_USED_GRANULARITY_S) {
      token.lastUsedAt = now; // before the await, so concurrent requests do not all write it
      await this.tokens.touchLastUsed(token.id, now);
    }
    return {
      id: user.id,
      email: user.email,
      role: user.role,
      plan: user.plan,
      via: 'api_token',
      tokenId: token.id,
      tokenScope: token.scope,
    };
  }
}
