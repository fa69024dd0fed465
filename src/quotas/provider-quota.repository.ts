import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { CommitBuffer } from '../common/database/commit-buffer';
import { Db, DbRepository } from '../common/database/db.service';
import { ProviderQuota } from './provider-quota.entity';

@Injectable()
export class ProviderQuotaRepository extends DbRepository {
  // A transaction's usage, summed per user and provider and written just before it commits: a
  // group commit of fifty succeeded videos of one user writes the row once.
  private readonly usage: CommitBuffer<Usage>;

  constructor(db: Db) {
    super(db);
    this.usage = new CommitBuffer<Usage>(db, {
      merge: (a, b) => ({ ...b, amount: a.amount + b.amount }),
      write: async (m, entries, atCommit) => {
        const sql = db.isMysql ? ADD_USAGE_MYSQL : ADD_USAGE_SQLITE;
        for (const [, u] of entries)
          await db.flushWrite(m, sql, [u.userId, u.provider, u.amount, u.now, u.now], atCommit);
      },
    });
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
    await this.usage.flush(m, usageKey(userId, provider));
    await this.ensure(m, userId, provider, now);
    await m
      .createQueryBuilder()
      .update(ProviderQuota)
      .set({ quota: () => 'quota + :amount', updatedAt: now })
      .where('user_id = :userId AND provider = :provider', { userId, provider, amount })
      .execute();
  }

  // used += amount (a succeeded video), in the caller's transaction, written at its commit.
  recordUsage(m: EntityManager, userId: number, provider: string, amount: number, now: number): Promise<void> {
    return this.usage.add(m, usageKey(userId, provider), { userId, provider, amount, now });
  }

  listForUser(userId: number): Promise<ProviderQuota[]> {
    return this.db.run((em) => em.find(ProviderQuota, { where: { userId }, order: { provider: 'ASC' } }));
  }

  async findForUser(userId: number, provider: string, m?: EntityManager): Promise<ProviderQuota | null> {
    if (m) await this.usage.flush(m, usageKey(userId, provider));
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
    await this.usage.flush(em, usageKey(userId, provider));
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

interface Usage {
  userId: number;
  provider: string;
  amount: number;
  now: number;
}

const usageKey = (userId: number, provider: string) => `${userId}:${provider}`;

// used += ?, the row created if it is the user's first of that provider (one statement).
const ADD_USAGE_COLUMNS =
  'INSERT INTO `provider_quotas` (`user_id`, `provider`, `quota`, `used`, `api_key_encrypted`, `created_at`, ' +
  '`updated_at`) VALUES (?, ?, 0, ?, NULL, ?, ?)';
const ADD_USAGE_MYSQL = `${ADD_USAGE_COLUMNS} ON DUPLICATE KEY UPDATE \`used\` = \`used\` + VALUES(\`used\`), \`updated_at\` = VALUES(\`updated_at\`)`;
const ADD_USAGE_SQLITE = `${ADD_USAGE_COLUMNS} ON CONFLICT (\`user_id\`, \`provider\`) DO UPDATE SET \`used\` = \`used\` + excluded.\`used\`, \`updated_at\` = excluded.\`updated_at\``;
