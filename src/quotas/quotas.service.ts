import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { TokensService } from '../auth/tokens.service';
import { CreatedTokenDto } from '../auth/tokens.dto';
import { UserRepository } from '../auth/user.repository';
import { quotaToCredits } from '../billing/money';
import { AuthUser } from '../common/auth/auth-user';
import { Clock } from '../common/clock/clock.service';
import { CryptoService } from '../common/crypto/crypto.service';
import { DomainError } from '../common/errors/domain-error';
import { ErrorCode } from '../common/errors/error-code';
import { AppConfig } from '../config/app-config';
import { ProviderQuotaRepository } from './provider-quota.repository';
import { ProviderQuotaDto, QuotaListDto, SetProviderKeyDto } from './quotas.dto';

export const QUOTA_KEY_PURPOSE = 'provider-quota-keys';
// Providers whose usage is tracked against bought quota (seed 003: VivaAPI).
export const QUOTA_PROVIDERS = new Set(['viva']);

@Injectable()
export class QuotasService {
  constructor(
    private readonly quotas: ProviderQuotaRepository,
    private readonly users: UserRepository,
    private readonly tokens: TokensService,
    private readonly crypto: CryptoService,
    private readonly clock: Clock,
    private readonly config: AppConfig,
  ) {}

  async mine(user: AuthUser): Promise<QuotaListDto> {
    const rows = await this.quotas.listForUser(user.id);
    const c = (q: number) => quotaToCredits(q, this.config.quotaPerCredit);
    return {
      items: rows.map((r): ProviderQuotaDto => ({
        provider: r.provider,
        quota: c(r.quota),
        used: c(r.used),
        remaining: c(r.quota - r.used),
        percent: r.quota > 0 ? Math.round((r.used * 1000) / r.quota) / 10 : 0,
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

  async setDedicatedKey(_admin: AuthUser, userId: number, dto: SetProviderKeyDto): Promise<QuotaListDto> {
    if (!(await this.users.findById(userId))) throw DomainError.notFound('User');
    await this.quotas.setDedicatedKey(
      userId,
      dto.provider,
      this.crypto.encrypt(QUOTA_KEY_PURPOSE, dto.api_key),
      this.clock.now(),
    );
    return this.mine({ id: userId } as AuthUser);
  }

  // The user's dedicated upstream key, if an admin set one.
  async dedicatedKey(userId: number, provider: string): Promise<string | null> {
    const row = await this.quotas.findForUser(userId, provider);
    return row?.apiKeyEncrypted ? this.crypto.decrypt(QUOTA_KEY_PURPOSE, row.apiKeyEncrypted) : null;
  }

  addQuota(m: EntityManager, userId: number, provider: string, amount: number): Promise<void> {
    return this.quotas.addQuota(m, userId, provider, amount, this.clock.now());
  }

  recordUsage(m: EntityManager, userId: number, provider: string, amount: number): Promise<void> {
    if (!QUOTA_PROVIDERS.has(provider) || amount <= 0) return Promise.resolve();
    return this.quotas.recordUsage(m, userId, provider, amount, this.clock.now());
  }
}
