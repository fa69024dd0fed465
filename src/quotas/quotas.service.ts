import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { TokensService } from '../auth/tokens.service';
import { CreatedTokenDto } from '../auth/tokens.dto';
import { UserRepository } from '../auth/user.repository';
import { quotaToCredits } from '../common/money/money';
import { AuthUser } from '../common/auth/auth-user';
import { Clock } from '../common/clock/clock.service';
import { CryptoService } from '../common/crypto/crypto.service';
import { Db } from '../common/database/db.service';
import { QUOTA_KEY_PURPOSE } from '../common/crypto/key-purposes';
import { DomainError } from '../common/errors/domain-error';
import { ErrorCode } from '../common/errors/error-code';
import { AppConfig } from '../config/app-config';
import { ProviderQuotaRepository } from './provider-quota.repository';
import { ProviderQuotaDto, QuotaListDto, SetProviderKeyDto } from './quotas.dto';

// Providers whose usage is tracked against bought quota (seed 003: VivaAPI).
export const QUOTA_PROVIDERS = new Set(['viva']);

// How long another replica may keep using a user's previous dedicated key (as AUTH_CACHE_TTL_MS
// for keys and roles); the replica that set it uses the new one at once.
const DEDICATED_KEY_TTL_MS = 2_000;
const MAX_CACHED_KEYS = 10_000;

@Injectable()
export class QuotasService {
  // Every submit asks for the user's dedicated key: remembered for a moment, by user and provider.
  private readonly keys = new Map<string, { at: number; key: string | null }>();
  private keysGeneration = 0;

  constructor(
    private readonly quotas: ProviderQuotaRepository,
    private readonly users: UserRepository,
    private readonly tokens: TokensService,
    private readonly crypto: CryptoService,
    private readonly clock: Clock,
    private readonly config: AppConfig,
    private readonly audit: AuditService,
    private readonly db: Db,
  ) {}

  async mine(user: AuthUser): Promise<QuotaListDto> {
    const rows = await this.quotas.listForUser(user.id);
    const c = (q: number) => quotaToCredits(q, this.config.quotaPerCredit);
    return {
      items: rows.map((r): ProviderQuotaDto => ({
        provider: r.provider,
        quota: c(r.quota),
        used: c(r.used),
        // Usage can pass the bought quota (a user without a package, a refill that came late):
        // what is left is then nothing, not a negative amount.
        remaining: c(Math.max(0, r.quota - r.used)),
        percent: r.quota > 0 ? Math.round((r.used * 1000) / r.quota) / 10 : r.used > 0 ? 100 : 0,
        dedicated_key: r.apiKeyEncrypted !== null,
      })),
    };
  }

  // Enterprise users get a Reelay key that can only generate and read videos.
  async issueVideoKey(user: AuthUser): Promise<CreatedTokenDto> {
    const row = await this.users.findById(user.id);
    if (row?.plan !== 'enterprise')
      throw new DomainError(ErrorCode.Forbidden, 'Dedicated API keys come with the enterprise plan');
    return this.tokens.createScoped(user, 'video-generation', 'video');
  }

  // An admin-made key: recorded in the audit trail as set (or replaced), never its value.
  async setDedicatedKey(admin: AuthUser, userId: number, dto: SetProviderKeyDto): Promise<QuotaListDto> {
    if (!(await this.users.findById(userId))) throw DomainError.notFound('User');
    const encrypted = this.crypto.encrypt(QUOTA_KEY_PURPOSE, dto.api_key);
    await this.db.tx(async (em) => {
      const before = await this.quotas.findForUser(userId, dto.provider, em);
      await this.quotas.setDedicatedKey(em, userId, dto.provider, encrypted, this.clock.now());
      await this.audit.record(em, admin, {
        action: 'quota.set_dedicated_key',
        target: { type: 'user', id: userId },
        before: { provider: dto.provider, dedicated_key_set: Boolean(before?.apiKeyEncrypted) },
        after: { provider: dto.provider, dedicated_key_set: true },
      });
    });
    this.keysGeneration++;
    this.keys.delete(`${userId}:${dto.provider}`);
    return this.mine({ id: userId } as AuthUser);
  }

  // The user's dedicated upstream key, if an admin set one.
  async dedicatedKey(userId: number, provider: string): Promise<string | null> {
    const id = `${userId}:${provider}`;
    const nowMs = this.clock.nowMs();
    const hit = this.keys.get(id);
    if (hit && nowMs - hit.at >= 0 && nowMs - hit.at < DEDICATED_KEY_TTL_MS) return hit.key;
    const generation = this.keysGeneration;
    const row = await this.quotas.findForUser(userId, provider);
    const key = row?.apiKeyEncrypted ? this.crypto.decrypt(QUOTA_KEY_PURPOSE, row.apiKeyEncrypted) : null;
    if (generation === this.keysGeneration) {
      this.keys.delete(id);
      if (this.keys.size >= MAX_CACHED_KEYS) this.keys.delete(this.keys.keys().next().value as string);
      this.keys.set(id, { at: nowMs, key });
    }
    return key;
  }

  addQuota(m: EntityManager, userId: number, provider: string, amount: number): Promise<void> {
    return this.quotas.addQuota(m, userId, provider, amount, this.clock.now());
  }

  recordUsage(m: EntityManager, userId: number, provider: string, amount: number): Promise<void> {
    if (!QUOTA_PROVIDERS.has(provider) || amount <= 0) return Promise.resolve();
    return this.quotas.recordUsage(m, userId, provider, amount, this.clock.now());
  }
}
