import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Db, DbRepository } from '../common/database/db.service';
import { PageRequest } from '../common/pagination/page.dto';
import { ApiToken, ApiTokenScope } from './api-token.entity';
import { User } from './user.entity';

export interface NewApiToken {
  scope?: ApiTokenScope;
  userId: number;
  name: string;
  keyHash: string;
  keyPrefix: string;
  expiresAt: number | null;
  quotaPerDay?: number | null;
  quotaPerMonth?: number | null;
  now: number;
}

export interface TokenOwner {
  token: ApiToken;
  user: User;
}

// Only refresh last_used_at once a minute per token: one write per request would dominate
// the relay's hot path.
export const LAST_USED_GRANULARITY_S = 60;

@Injectable()
export class ApiTokenRepository extends DbRepository {
  constructor(db: Db) {
    super(db);
  }

  insertToken(t: NewApiToken): Promise<ApiToken> {
    return this.db.run((em) =>
      em.save(
        em.create(ApiToken, {
          userId: t.userId,
          name: t.name,
          keyHash: t.keyHash,
          keyPrefix: t.keyPrefix,
          status: 'active',
          scope: t.scope ?? 'all',
          expiresAt: t.expiresAt,
          lastUsedAt: null,
          quotaPerDay: t.quotaPerDay ?? null,
          quotaPerMonth: t.quotaPerMonth ?? null,
          createdAt: t.now,
        }),
      ),
    );
  }

  countActiveForUser(userId: number): Promise<number> {
    return this.db.run((em) => em.countBy(ApiToken, { userId, status: 'active' }));
  }

  listForUser(userId: number, page: PageRequest): Promise<[ApiToken[], number]> {
    return this.db.run((em) =>
      em.findAndCount(ApiToken, {
        where: { userId },
        order: { id: 'DESC' },
        skip: (page.page - 1) * page.pageSize,
        take: page.pageSize,
      }),
    );
  }

  // Scoped to the owner: another user's token id matches nothing.
  findOwned(userId: number, id: number, m?: EntityManager): Promise<ApiToken | null> {
    return this.use(m, (em) => em.findOneBy(ApiToken, { id, userId }));
  }

  // The owner's key with new caps, or null when the user has no such key.
  async updateCapsForUser(
    userId: number,
    id: number,
    fields: Partial<Pick<ApiToken, 'quotaPerDay' | 'quotaPerMonth'>>,
  ): Promise<ApiToken | null> {
    return this.db.run(async (em) => {
      if (Object.keys(fields).length > 0) await em.update(ApiToken, { id, userId }, fields);
      return em.findOneBy(ApiToken, { id, userId });
    });
  }

  async revokeForUser(userId: number, id: number, m?: EntityManager): Promise<'revoked' | 'already' | 'missing'> {
    return this.use(m, async (em) => {
      const res = await em
        .createQueryBuilder()
        .update(ApiToken)
        .set({ status: 'revoked' })
        .where('id = :id AND user_id = :userId AND status = :active', { id, userId, active: 'active' })
        .execute();
      if ((res.affected ?? 0) > 0) return 'revoked';
      return (await em.existsBy(ApiToken, { id, userId })) ? 'already' : 'missing';
    });
  }

  // The token with this hash (whatever its state, so the caller can say why it is refused) and
  // its owner.
  async findByHash(keyHash: string): Promise<TokenOwner | null> {
    const row = await this.db.run((em) =>
      em
        .createQueryBuilder(ApiToken, 't')
        .innerJoinAndMapOne('t.owner', User, 'u', 'u.id = t.user_id')
        .where('t.key_hash = :keyHash', { keyHash })
        .getOne(),
    );
    if (!row) return null;
    const user = (row as ApiToken & { owner: User }).owner;
    return { token: row, user };
  }

  touchLastUsed(id: number, now: number): Promise<unknown> {
    return this.db.run((em) =>
      em
        .createQueryBuilder()
        .update(ApiToken)
        .set({ lastUsedAt: now })
        .where('id = :id AND (last_used_at IS NULL OR last_used_at < :stale)', {
          id,
          stale: now - LAST_USED_GRANULARITY_S,
        })
        .execute(),
    );
  }
}
