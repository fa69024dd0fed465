import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { DomainError } from '../common/errors/domain-error';
import { ErrorCode } from '../common/errors/error-code';
import { AppConfig } from '../config/app-config';
import { quotaToCredits } from '../common/money/money';
import { AuthCache, CachedCaps } from '../auth/auth-cache';
import { dayPeriod, monthPeriod, TokenSpendRepository } from '../auth/token-spend.repository';

// A key's spending caps (per UTC day and month). What a key spends is counted while a cap is set:
// raised with each hold, in the hold's transaction, and lowered when a hold is released, so it is
// what the key holds and has been charged. A reservation that would pass a cap is refused (402).
@Injectable()
export class SpendCaps {
  constructor(
    private readonly spend: TokenSpendRepository,
    private readonly config: AppConfig,
    private readonly cache: AuthCache,
  ) {}

  async reserve(em: EntityManager, tokenId: number, quota: number, atS: number): Promise<void> {
    const caps = await this.capsOf(em, tokenId);
    if (!caps || quota === 0) return;
    for (const [cap, period, label] of [
      [caps.quotaPerDay, dayPeriod(atS), 'daily'],
      [caps.quotaPerMonth, monthPeriod(atS), 'monthly'],
    ] as const) {
      if (cap === null) continue;
      if (!(await this.spend.raise(em, tokenId, period, quota, cap))) {
        throw new DomainError(ErrorCode.SpendCapExceeded, `This API key's ${label} spending cap would be passed`, {
          cap: quotaToCredits(cap, this.config.quotaPerCredit),
          required: quotaToCredits(quota, this.config.quotaPerCredit),
        });
      }
    }
  }

  // A released hold no longer counts against the period it was reserved in.
  async giveBack(em: EntityManager, tokenId: number, quota: number, reservedAtS: number): Promise<void> {
    const caps = await this.capsOf(em, tokenId);
    if (!caps || quota === 0) return;
    if (caps.quotaPerDay !== null) await this.spend.lower(em, tokenId, dayPeriod(reservedAtS), quota);
    if (caps.quotaPerMonth !== null) await this.spend.lower(em, tokenId, monthPeriod(reservedAtS), quota);
  }

  // Caps change rarely and every hold reads them: served from AuthCache like the key itself (an
  // edit applies at once in this process, within AUTH_CACHE_TTL_MS on other replicas).
  private async capsOf(em: EntityManager, tokenId: number): Promise<CachedCaps | null> {
    const cached = this.cache.tokenCaps(tokenId);
    if (cached) return cached.quotaPerDay === null && cached.quotaPerMonth === null ? null : cached;
    const generation = this.cache.generation();
    const row = await this.spend.caps(em, tokenId);
    // No row (or no cap set, which TypeORM also reads as no row): nothing to count.
    const caps = { quotaPerDay: row?.quotaPerDay ?? null, quotaPerMonth: row?.quotaPerMonth ?? null };
    this.cache.rememberCaps(tokenId, caps, generation);
    return row ? caps : null;
  }
}
