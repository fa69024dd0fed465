import { Injectable } from '@nestjs/common';
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
  async revokeForUser(userId: number, id: number): Promise<'revoked' | 'already' | 'missing'> {
    return this.db.run(async (em) => {
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

  // The active, unexpired token with this hash and its active owner.
  async findUsable(keyHash: string, now: number): Promise<TokenOwner | null> {
    const row = await this.db.run((em) =>
      em
        .createQueryBuilder(ApiToken, 't')
        .innerJoinAndMapOne('t.owner', User, 'u', 'u.id = t.user_id')
        .where('t.key_hash = :keyHash AND t.status = :active', { keyHash, active: 'active' })
        .andWhere('(t.expires_at IS NULL OR t.expires_at > :now)', { now })
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
