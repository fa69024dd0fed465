import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Db, DbRepository } from '../common/database/db.service';
import { ProviderQuota } from './provider-quota.entity';

@Injectable()
export class ProviderQuotaRepository extends DbRepository {
  constructor(db: Db) {
    super(db);
  }

  private async ensure(m: EntityManager, userId: number, provider: string, now: number): Promise<void> {
    await m
      .createQueryBuilder()
      .insert()
      .into(ProviderQuota)
      .values({ userId, provider, quota: 0, used: 0, apiKeyEncrypted: null, createdAt: now, updatedAt: now })
      .orIgnore()
      .execute();
  }

  // quota += amount (a purchase), in the caller's transaction.
  async addQuota(m: EntityManager, userId: number, provider: string, amount: number, now: number): Promise<void> {
    await this.ensure(m, userId, provider, now);
    await m
      .createQueryBuilder()
      .update(ProviderQuota)
      .set({ quota: () => 'quota + :amount', updatedAt: now })
      .where('user_id = :userId AND provider = :provider', { userId, provider, amount })
      .execute();
  }

  // used += amount (a succeeded video), in the caller's transaction.
  async recordUsage(m: EntityManager, userId: number, provider: string, amount: number, now: number): Promise<void> {
    await this.ensure(m, userId, provider, now);
    await m
      .createQueryBuilder()
      .update(ProviderQuota)
      .set({ used: () => 'used + :amount', updatedAt: now })
      .where('user_id = :userId AND provider = :provider', { userId, provider, amount })
      .execute();
  }

  listForUser(userId: number): Promise<ProviderQuota[]> {
    return this.db.run((em) => em.find(ProviderQuota, { where: { userId }, order: { provider: 'ASC' } }));
  }

  findForUser(userId: number, provider: string, m?: EntityManager): Promise<ProviderQuota | null> {
    return this.use(m, (em) => em.findOneBy(ProviderQuota, { userId, provider }));
  }

  // In the caller's transaction (with its audit row).
  async setDedicatedKey(
    em: EntityManager,
    userId: number,
    provider: string,
    encrypted: string | null,
    now: number,
  ): Promise<void> {
    await this.ensure(em, userId, provider, now);
    await em.update(ProviderQuota, { userId, provider }, { apiKeyEncrypted: encrypted, updatedAt: now });
  }

  async totals(provider: string): Promise<{ quota: number; used: number }> {
    const row = await this.db.run((em) =>
      em
        .createQueryBuilder(ProviderQuota, 'q')
        .select('COALESCE(SUM(q.quota), 0)', 'quota')
        .addSelect('COALESCE(SUM(q.used), 0)', 'used')
        .where('q.provider = :provider', { provider })
        .getRawOne<{ quota: string | number; used: string | number }>(),
    );
    return { quota: Number(row?.quota ?? 0), used: Number(row?.used ?? 0) };
  }

  // Users whose usage passed 80 % of their quota (integer arithmetic: used / quota > 4 / 5).
  usersPastFourFifths(provider: string): Promise<ProviderQuota[]> {
    return this.db.run((em) =>
      em
        .createQueryBuilder(ProviderQuota, 'q')
        .where('q.provider = :provider AND q.quota > 0 AND q.used * 5 > q.quota * 4', { provider })
        .orderBy('q.user_id', 'ASC')
        .getMany(),
    );
  }
}
