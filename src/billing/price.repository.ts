import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Db, DbRepository } from '../common/database/db.service';
import { Price } from './price.entity';
import { PriceRule } from './pricing';

export interface PriceRow {
  model: string;
  rule: PriceRule;
  updatedAt: number;
  updatedBy: number | null;
}

@Injectable()
export class PriceRepository extends DbRepository {
  constructor(db: Db) {
    super(db);
  }

  async allPrices(m?: EntityManager): Promise<PriceRow[]> {
    const rows = await this.use(m, (em) => em.find(Price, { order: { model: 'ASC' } }));
    return rows.map((r) => ({
      model: r.model,
      rule: JSON.parse(r.rule) as PriceRule,
      updatedAt: r.updatedAt,
      updatedBy: r.updatedBy,
    }));
  }

  // Replaces the whole table inside the caller's transaction (which records it in the audit
  // trail): readers see the old table or the new one.
  async replaceAll(
    em: EntityManager,
    prices: Array<{ model: string; rule: PriceRule }>,
    actorId: number,
    now: number,
  ): Promise<void> {
    await em.createQueryBuilder().delete().from(Price).execute();
    for (const p of prices) {
      await em.insert(Price, {
        model: p.model,
        scheme: p.rule.scheme,
        rule: JSON.stringify(p.rule),
        updatedBy: actorId,
        createdAt: now,
        updatedAt: now,
      });
    }
  }

  async quotaPerCreditSetting(): Promise<number | null> {
    const rows: Array<{ quota_per_credit: number | string }> = await this.db.run((em) =>
      em.query('SELECT quota_per_credit FROM billing_settings WHERE id = 1'),
    );
    return rows[0] ? Number(rows[0].quota_per_credit) : null;
  }
}
