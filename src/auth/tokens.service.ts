import { Injectable } from '@nestjs/common';
import { AuthUser } from '../common/auth/auth-user';
import { Clock } from '../common/clock/clock.service';
import { CryptoService } from '../common/crypto/crypto.service';
import { DomainError } from '../common/errors/domain-error';
import { ErrorCode } from '../common/errors/error-code';
import { Page, PageQueryDto, pageOf, toPageRequest } from '../common/pagination/page.dto';
import { ApiTokenScope } from './api-token.entity';
import { ApiTokenRepository, LAST_USED_GRANULARITY_S } from './api-token.repository';
import { AuthCache, toCachedToken, toCachedUser } from './auth-cache';
import { ApiTokenDto, CreatedTokenDto, CreateTokenDto, mapToken } from './tokens.dto';

export const API_KEY_PREFIX = 'sk-';
const KEY_RANDOM_LENGTH = 48;
const DISPLAY_PREFIX_LENGTH = API_KEY_PREFIX.length + 8;
const MAX_ACTIVE_TOKENS = 100;

@Injectable()
export class TokensService {
  constructor(
    private readonly tokens: ApiTokenRepository,
    private readonly cache: AuthCache,
    private readonly crypto: CryptoService,
    private readonly clock: Clock,
  ) {}

  async create(user: AuthUser, dto: CreateTokenDto): Promise<CreatedTokenDto> {
    const now = this.clock.now();
    if (dto.expires_at !== undefined && dto.expires_at <= now) {
      throw DomainError.validation('expires_at', 'must be in the future');
    }
    if ((await this.tokens.countActiveForUser(user.id)) >= MAX_ACTIVE_TOKENS) {
      throw new DomainError(
        ErrorCode.Conflict,
        `At most ${MAX_ACTIVE_TOKENS} active tokens per user; revoke one first`,
      );
    }
    return this.insertKey(user, dto.name, dto.expires_at ?? null, 'all');
  }

  private async insertKey(
    user: AuthUser,
    name: string,
    expiresAt: number | null,
    scope: ApiTokenScope,
  ): Promise<CreatedTokenDto> {
    const key = API_KEY_PREFIX + this.crypto.randomString(KEY_RANDOM_LENGTH);
    const token = await this.tokens.insertToken({
      userId: user.id,
      name,
      keyHash: this.crypto.sha256(key),
      keyPrefix: key.slice(0, DISPLAY_PREFIX_LENGTH),
      expiresAt,
      scope,
      now: this.clock.now(),
    });
    return { ...mapToken(token), key };
  }

  // A key limited to one scope, created on the user's behalf (enterprise video keys).
  async createScoped(user: AuthUser, name: string, scope: ApiTokenScope): Promise<CreatedTokenDto> {
    return this.insertKey(user, name, null, scope);
  }

  async list(user: AuthUser, query: PageQueryDto): Promise<Page<ApiTokenDto>> {
    const page = toPageRequest(query);
    const [rows, total] = await this.tokens.listForUser(user.id, page);
    return pageOf(rows, total, page, mapToken);
  }

  // Idempotent: revoking a revoked token succeeds; another user's token is "not found".
  async revoke(user: AuthUser, id: number): Promise<void> {
    const outcome = await this.tokens.revokeForUser(user.id, id);
    this.cache.forgetToken(id);
    if (outcome === 'missing') throw DomainError.notFound('Token');
  }

  // Resolves a presented `sk-…` key to its owner, or null when it is unknown, revoked,
  // expired, or its owner is disabled. Served from AuthCache for a moment after a lookup.
  async authenticate(key: string): Promise<AuthUser | null> {
    if (!key.startsWith(API_KEY_PREFIX) || key.length !== API_KEY_PREFIX.length + KEY_RANDOM_LENGTH) return null;
    const now = this.clock.now();
    const keyHash = this.crypto.sha256(key);
    let token = this.cache.token(keyHash);
    let user = token && this.cache.user(token.userId);
    if (!token || !user) {
      const generation = this.cache.generation();
      const found = await this.tokens.findUsable(keyHash, now);
      if (!found) return null;
      token = toCachedToken(found.token);
      user = toCachedUser(found.user);
      this.cache.rememberToken(keyHash, token, generation);
      this.cache.rememberUser(user, generation);
    }
    if ((token.expiresAt !== null && token.expiresAt <= now) || user.status !== 'active') return null;
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
