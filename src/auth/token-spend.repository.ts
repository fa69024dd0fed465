import { Injectable } from '@nestjs/common';
import { EntityManager, In } from 'typeorm';
import { ApiToken } from './api-token.entity';
import { isUniqueViolation } from '../common/database/db-errors';
import { Db, DbRepository } from '../common/database/db.service';
import { TokenSpend } from './token-spend.entity';

// Every query on api_token_spend. A raise is one conditional UPDATE that only applies while the
// counter stays within the cap, so concurrent holds on one key can never pass it together.
@Injectable()
export class TokenSpendRepository extends DbRepository {
  constructor(db: Db) {
    super(db);
  }

  caps(m: EntityManager, tokenId: number): Promise<Pick<ApiToken, 'quotaPerDay' | 'quotaPerMonth'> | null> {
    return m.findOne(ApiToken, { select: { quotaPerDay: true, quotaPerMonth: true }, where: { id: tokenId } });
  }

  // UPDATE first: an INSERT IGNORE on an existing row takes a shared lock that concurrent raises
  // then deadlock on (MySQL). Only a period's first raise inserts, racing inserts retry the UPDATE.
  async raise(m: EntityManager, tokenId: number, period: string, quota: number, cap: number): Promise<boolean> {
    for (let attempt = 0; attempt < 3; attempt++) {
      const res = await m
        .createQueryBuilder()
        .update(TokenSpend)
        .set({ quota: () => 'quota + :quota' })
        .where('token_id = :tokenId AND period = :period AND quota + :quota <= :cap', { tokenId, period, quota, cap })
        .execute();
      if ((res.affected ?? 0) > 0) return true;
      if (await m.existsBy(TokenSpend, { tokenId, period })) return false;
      if (quota > cap) return false;
      try {
        await m.insert(TokenSpend, { tokenId, period, quota });
        return true;
      } catch (err) {
        if (!isUniqueViolation(err)) throw err;
      }
    }
    return false;
  }

  async lower(m: EntityManager, tokenId: number, period: string, quota: number): Promise<void> {
    await m
      .createQueryBuilder()
      .update(TokenSpend)
      .set({ quota: () => 'CASE WHEN quota >= :quota THEN quota - :quota ELSE 0 END' })
      .where('token_id = :tokenId AND period = :period', { tokenId, period, quota })
      .execute();
  }

  spent(tokenIds: number[], periods: string[]): Promise<TokenSpend[]> {
    if (tokenIds.length === 0) return Promise.resolve([]);
    return this.db.run((em) => em.findBy(TokenSpend, { tokenId: In(tokenIds), period: In(periods) }));
  }
}

const iso = (s: number) => new Date(s * 1000).toISOString();
// The UTC day ('d20261130') and month ('m202611') a moment falls in.
export const dayPeriod = (s: number) => `d${iso(s).slice(0, 10).replaceAll('-', '')}`;
export const monthPeriod = (s: number) => `m${iso(s).slice(0, 7).replace('-', '')}`;
