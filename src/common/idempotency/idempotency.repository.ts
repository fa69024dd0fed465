import { Injectable } from '@nestjs/common';
import { isUniqueViolation } from '../../auth/user.repository';
import { Db, DbRepository } from '../database/db.service';
import { IdempotencyKey } from './idempotency-key.entity';

export interface IdempotencyClaim {
  userId: number;
  key: string;
  scope: string;
  requestHash: string;
  now: number;
  ttlSeconds: number;
}

@Injectable()
export class IdempotencyRepository extends DbRepository {
  constructor(db: Db) {
    super(db);
  }

  // Takes the key for this request; returns the row that already holds it otherwise. An expired
  // row is taken over by one conditional UPDATE.
  async claim(c: IdempotencyClaim): Promise<{ claimed: true } | { claimed: false; existing: IdempotencyKey }> {
    try {
      await this.db.run((em) =>
        em.insert(IdempotencyKey, {
          userId: c.userId,
          key: c.key,
          scope: c.scope,
          requestHash: c.requestHash,
          state: 'in_flight',
          responseStatus: null,
          responseBody: null,
          createdAt: c.now,
          expiresAt: c.now + c.ttlSeconds,
        }),
      );
      return { claimed: true };
    } catch (err) {
      if (!isUniqueViolation(err)) throw err;
    }
    const taken = await this.db.run((em) =>
      em
        .createQueryBuilder()
        .update(IdempotencyKey)
        .set({
          scope: c.scope,
          requestHash: c.requestHash,
          state: 'in_flight',
          responseStatus: null,
          responseBody: null,
          createdAt: c.now,
          expiresAt: c.now + c.ttlSeconds,
        })
        .where('user_id = :userId AND idem_key = :key AND expires_at <= :now', {
          userId: c.userId,
          key: c.key,
          now: c.now,
        })
        .execute(),
    );
    if ((taken.affected ?? 0) > 0) return { claimed: true };
    const existing = await this.db.run((em) => em.findOneBy(IdempotencyKey, { userId: c.userId, key: c.key }));
    if (!existing) return this.claim(c); // deleted in between: try again
    return { claimed: false, existing };
  }

  async complete(userId: number, key: string, status: number, body: string): Promise<void> {
    await this.db.run((em) =>
      em.update(
        IdempotencyKey,
        { userId, key, state: 'in_flight' },
        { state: 'done', responseStatus: status, responseBody: body },
      ),
    );
  }

  // The request failed before it produced a reusable answer: free the key for a retry.
  async abandon(userId: number, key: string): Promise<void> {
    await this.db.run((em) => em.delete(IdempotencyKey, { userId, key, state: 'in_flight' }));
  }

  async deleteExpired(now: number): Promise<number> {
    const res = await this.db.run((em) =>
      em.createQueryBuilder().delete().from(IdempotencyKey).where('expires_at <= :now', { now }).execute(),
    );
    return res.affected ?? 0;
  }
}
