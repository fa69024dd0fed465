import { Injectable } from '@nestjs/common';
import { IsNull, LessThanOrEqual, Like } from 'typeorm';
import { Db, DbRepository } from '../common/database/db.service';
import { PageRequest } from '../common/pagination/page.dto';
import { Alert, AlertKind, AlertState } from './alert.entity';

export interface NewAlert {
  kind: AlertKind;
  subject: string;
  message: string;
  details: Record<string, unknown>;
}

@Injectable()
export class AlertRepository extends DbRepository {
  constructor(db: Db) {
    super(db);
  }

  // Records the condition's state; when it turns active, raises the alert in the same
  // transaction (one conditional UPDATE decides, so concurrent runs raise it once).
  async crossing(key: string, active: boolean, alert: NewAlert, now: number, nowMs: number): Promise<Alert | null> {
    return this.db.tx(async (em) => {
      await em
        .createQueryBuilder()
        .insert()
        .into(AlertState)
        .values({ key, active: 0, updatedAt: now })
        .orIgnore()
        .execute();
      const res = await em
        .createQueryBuilder()
        .update(AlertState)
        .set({ active: active ? 1 : 0, updatedAt: now })
        .where('state_key = :key AND active = :was', { key, was: active ? 0 : 1 })
        .execute();
      if (!active || (res.affected ?? 0) === 0) return null;
      const row = em.create(Alert, {
        kind: alert.kind,
        subject: alert.subject,
        message: alert.message.slice(0, 255),
        details: JSON.stringify(alert.details),
        createdAt: now,
        deliveredAt: null,
        attempts: 0,
        nextAttemptAtMs: nowMs,
        lastError: null,
      });
      return em.save(row);
    });
  }

  async activeKeys(prefix: string): Promise<string[]> {
    const rows = await this.db.run((em) => em.find(AlertState, { where: { key: Like(`${prefix}%`), active: 1 } }));
    return rows.map((r) => r.key);
  }

  listAlerts(page: PageRequest): Promise<[Alert[], number]> {
    return this.db.run((em) =>
      em.findAndCount(Alert, { order: { id: 'DESC' }, skip: (page.page - 1) * page.pageSize, take: page.pageSize }),
    );
  }

  dueForDelivery(nowMs: number, limit: number): Promise<Alert[]> {
    return this.db.run((em) =>
      em.find(Alert, {
        where: { deliveredAt: IsNull(), nextAttemptAtMs: LessThanOrEqual(nowMs) },
        order: { id: 'ASC' },
        take: limit,
      }),
    );
  }

  async markDelivered(id: number, now: number): Promise<void> {
    await this.db.run((em) =>
      em.update(Alert, { id }, { deliveredAt: now, attempts: () => 'attempts + 1', nextAttemptAtMs: null }),
    );
  }

  // `next` null: give up (the alert stays listed, undelivered, with the last error).
  async markFailedAttempt(id: number, attempts: number, next: number | null, error: string): Promise<void> {
    await this.db.run((em) =>
      em.update(Alert, { id }, { attempts, nextAttemptAtMs: next, lastError: error.slice(0, 255) }),
    );
  }
}
