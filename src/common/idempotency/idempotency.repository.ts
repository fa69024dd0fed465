import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { isUniqueViolation } from '../database/db-errors';
import { Db, DbRepository } from '../database/db.service';
import { IdempotencyKey } from './idempotency-key.entity';

export interface KeyClaim {
  userId: number;
  key: string;
  scope: string;
  requestHash: string;
  token: string;
  nowMs: number;
  leaseMs: number;
  ttlSeconds: number;
}

export interface ResourceRef {
  type: string;
  id: string;
}

export type ClaimResult =
  | { kind: 'claimed'; id: number } // a new key: run the request
  | { kind: 'resumed'; id: number; resource: ResourceRef | null } // its request died: resume it
  | { kind: 'done'; status: number; body: string }
  | { kind: 'busy' } // a live request holds it
  | { kind: 'mismatch' }; // used with another request

// Every query on idempotency_keys. A request holds its key under a lease: one conditional UPDATE
// takes a lapsed lease over, so two retries never both resume the same key.
@Injectable()
export class IdempotencyRepository extends DbRepository {
  constructor(db: Db) {
    super(db);
  }

  async claim(c: KeyClaim): Promise<ClaimResult> {
    for (let attempt = 0; attempt < 3; attempt++) {
      const inserted = await this.insertFresh(c);
      if (inserted !== null) return { kind: 'claimed', id: inserted };
      const row = await this.db.run((em) => em.findOneBy(IdempotencyKey, { userId: c.userId, key: c.key }));
      if (!row) continue; // deleted in between: try again
      if (row.expiresAt * 1000 <= c.nowMs) {
        if (await this.takeOver(row.id, c, true)) return { kind: 'claimed', id: row.id };
        continue;
      }
      if (row.requestHash !== c.requestHash) return { kind: 'mismatch' };
      if (row.state === 'done')
        return { kind: 'done', status: row.responseStatus ?? 200, body: row.responseBody ?? '' };
      if (row.leaseUntilMs !== null && row.leaseUntilMs >= c.nowMs) return { kind: 'busy' };
      if (await this.takeOver(row.id, c, false)) {
        const resource = row.resourceType && row.resourceId ? { type: row.resourceType, id: row.resourceId } : null;
        return { kind: 'resumed', id: row.id, resource };
      }
    }
    return { kind: 'busy' };
  }

  // Extends the lease while the request still runs; false when another request took the key.
  async renew(id: number, token: string, untilMs: number): Promise<boolean> {
    const res = await this.db.run((em) =>
      em.update(IdempotencyKey, { id, leaseToken: token, state: 'in_flight' }, { leaseUntilMs: untilMs }),
    );
    return (res.affected ?? 0) > 0;
  }

  // In the transaction that creates the resource; false when this request no longer holds the key.
  async recordResource(em: EntityManager, id: number, token: string, resource: ResourceRef): Promise<boolean> {
    const res = await em.update(
      IdempotencyKey,
      { id, leaseToken: token, state: 'in_flight' },
      { resourceType: resource.type, resourceId: resource.id },
    );
    return (res.affected ?? 0) > 0;
  }

  async complete(id: number, token: string, status: number, body: string): Promise<void> {
    await this.db.run((em) =>
      em.update(
        IdempotencyKey,
        { id, leaseToken: token, state: 'in_flight' },
        { state: 'done', responseStatus: status, responseBody: body, leaseToken: null, leaseUntilMs: null },
      ),
    );
  }

  // The request failed before it created anything: free the key for a retry.
  async abandon(id: number, token: string): Promise<void> {
    await this.db.run((em) =>
      em
        .createQueryBuilder()
        .delete()
        .from(IdempotencyKey)
        .where("id = :id AND lease_token = :token AND state = 'in_flight' AND resource_type IS NULL", { id, token })
        .execute(),
    );
  }

  // Lets a retry resume the key at once (the request ended without a storable answer).
  async release(id: number, token: string): Promise<void> {
    await this.db.run((em) =>
      em.update(IdempotencyKey, { id, leaseToken: token, state: 'in_flight' }, { leaseUntilMs: 0 }),
    );
  }

  async deleteExpired(now: number): Promise<number> {
    const res = await this.db.run((em) =>
      em.createQueryBuilder().delete().from(IdempotencyKey).where('expires_at <= :now', { now }).execute(),
    );
    return res.affected ?? 0;
  }

  private async insertFresh(c: KeyClaim): Promise<number | null> {
    try {
      const res = await this.db.run((em) => em.insert(IdempotencyKey, this.freshRow(c)));
      return Number((res.identifiers[0] as { id: number | string }).id);
    } catch (err) {
      if (isUniqueViolation(err)) return null;
      throw err;
    }
  }

  // `expired`: the row outlived its retention and starts over; otherwise a lapsed lease of the
  // same request is taken over, keeping what it recorded.
  private async takeOver(id: number, c: KeyClaim, expired: boolean): Promise<boolean> {
    const res = await this.db.run((em) => {
      const q = em.createQueryBuilder().update(IdempotencyKey).where('id = :id', { id });
      if (expired) {
        return q
          .set(this.freshRow(c))
          .andWhere('expires_at <= :nowS', { nowS: Math.floor(c.nowMs / 1000) })
          .execute();
      }
      return q
        .set({ leaseToken: c.token, leaseUntilMs: c.nowMs + c.leaseMs })
        .andWhere("state = 'in_flight' AND (lease_until_ms IS NULL OR lease_until_ms < :nowMs)", { nowMs: c.nowMs })
        .execute();
    });
    return (res.affected ?? 0) > 0;
  }

  private freshRow(c: KeyClaim) {
    const now = Math.floor(c.nowMs / 1000);
    return {
      userId: c.userId,
      key: c.key,
      scope: c.scope,
      requestHash: c.requestHash,
      state: 'in_flight' as const,
      responseStatus: null,
      responseBody: null,
      leaseToken: c.token,
      leaseUntilMs: c.nowMs + c.leaseMs,
      resourceType: null,
      resourceId: null,
      createdAt: now,
      expiresAt: now + c.ttlSeconds,
    };
  }
}
