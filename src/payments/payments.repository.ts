import { Injectable } from '@nestjs/common';
import { EntityManager, In } from 'typeorm';
import { Db, DbRepository } from '../common/database/db.service';
import { PageRequest } from '../common/pagination/page.dto';
import { CreditPackage } from './package.entity';
import { OrderStatus, PaymentOrder } from './payment-order.entity';

export type PackageFields = Pick<
  CreditPackage,
  'code' | 'name' | 'priceFen' | 'credits' | 'grantsPlan' | 'status' | 'sort'
>;

export interface OrderFilter {
  userId?: number;
  status?: OrderStatus;
  createdFrom?: number;
  createdTo?: number;
}

// packages and payment_orders. An order leaves `pending` once, by a conditional UPDATE.
@Injectable()
export class PaymentsRepository extends DbRepository {
  constructor(db: Db) {
    super(db);
  }

  activePackages(): Promise<CreditPackage[]> {
    return this.db.run((em) =>
      em.find(CreditPackage, { where: { status: 'active' }, order: { sort: 'ASC', id: 'ASC' } }),
    );
  }

  allPackages(page: PageRequest): Promise<[CreditPackage[], number]> {
    return this.db.run((em) =>
      em.findAndCount(CreditPackage, {
        order: { sort: 'ASC', id: 'ASC' },
        skip: (page.page - 1) * page.pageSize,
        take: page.pageSize,
      }),
    );
  }

  findPackage(id: number, m?: EntityManager): Promise<CreditPackage | null> {
    return this.use(m, (em) => em.findOneBy(CreditPackage, { id }));
  }

  insertPackage(f: PackageFields, now: number, m?: EntityManager): Promise<CreditPackage> {
    return this.use(m, (em) => em.save(em.create(CreditPackage, { ...f, createdAt: now, updatedAt: now })));
  }

  async updatePackage(id: number, f: Partial<PackageFields>, now: number, m?: EntityManager): Promise<boolean> {
    const res = await this.use(m, (em) => em.update(CreditPackage, { id }, { ...f, updatedAt: now }));
    return (res.affected ?? 0) > 0;
  }

  insertOrder(
    o: Omit<PaymentOrder, 'id' | 'status' | 'tradeNo' | 'paidAt' | 'checkCount' | 'updatedAt'>,
    m?: EntityManager,
  ): Promise<PaymentOrder> {
    return this.use(m, (em) =>
      em.save(
        em.create(PaymentOrder, {
          ...o,
          status: 'pending',
          tradeNo: null,
          paidAt: null,
          checkCount: 0,
          updatedAt: o.createdAt,
        }),
      ),
    );
  }

  findOrderByTradeNo(outTradeNo: string, m?: EntityManager): Promise<PaymentOrder | null> {
    return this.use(m, (em) => em.findOneBy(PaymentOrder, { outTradeNo }));
  }

  listOrders(filter: OrderFilter, page: PageRequest): Promise<[PaymentOrder[], number]> {
    return this.db.run((em) => {
      const q = em.createQueryBuilder(PaymentOrder, 'o');
      if (filter.userId !== undefined) q.andWhere('o.user_id = :userId', { userId: filter.userId });
      if (filter.status) q.andWhere('o.status = :status', { status: filter.status });
      if (filter.createdFrom !== undefined) q.andWhere('o.created_at >= :from', { from: filter.createdFrom });
      if (filter.createdTo !== undefined) q.andWhere('o.created_at < :to', { to: filter.createdTo });
      return q
        .orderBy('o.id', 'DESC')
        .skip((page.page - 1) * page.pageSize)
        .take(page.pageSize)
        .getManyAndCount();
    });
  }

  // pending → paid, once; in the caller's transaction with the credit. A closed order that Alipay
  // reports paid anyway (the money arrived after Reelay gave up on it) moves closed → paid once:
  // 'late'. False when it was already paid.
  async markPaid(
    m: EntityManager,
    outTradeNo: string,
    tradeNo: string | null,
    now: number,
  ): Promise<'paid' | 'late' | false> {
    for (const [from, outcome] of [
      ['pending', 'paid'],
      ['closed', 'late'],
    ] as const) {
      const res = await m
        .createQueryBuilder()
        .update(PaymentOrder)
        .set({ status: 'paid', tradeNo, paidAt: now, updatedAt: now, nextCheckAt: null })
        .where('out_trade_no = :outTradeNo AND status = :from', { outTradeNo, from })
        .execute();
      if ((res.affected ?? 0) > 0) return outcome;
    }
    return false;
  }

  async markClosed(outTradeNo: string, now: number): Promise<boolean> {
    const res = await this.db.run((em) =>
      em
        .createQueryBuilder()
        .update(PaymentOrder)
        .set({ status: 'closed', updatedAt: now, nextCheckAt: null })
        .where('out_trade_no = :outTradeNo AND status = :pending', { outTradeNo, pending: 'pending' })
        .execute(),
    );
    return (res.affected ?? 0) > 0;
  }

  // Claims pending orders due for an alipay.trade.query by pushing their next check forward;
  // only the replica whose UPDATE moved an order checks it.
  async claimDueChecks(now: number, limit: number, recheckAfter: number): Promise<PaymentOrder[]> {
    const due = await this.db.run((em) =>
      em
        .createQueryBuilder(PaymentOrder, 'o')
        .where('o.status = :pending AND o.next_check_at <= :now', { pending: 'pending', now })
        .orderBy('o.next_check_at', 'ASC')
        .limit(limit)
        .getMany(),
    );
    const claimed: PaymentOrder[] = [];
    for (const o of due) {
      const res = await this.db.run((em) =>
        em
          .createQueryBuilder()
          .update(PaymentOrder)
          .set({ nextCheckAt: now + recheckAfter, checkCount: () => 'check_count + 1' })
          .where('id = :id AND status = :pending AND next_check_at = :was', {
            id: o.id,
            pending: 'pending',
            was: o.nextCheckAt,
          })
          .execute(),
      );
      if ((res.affected ?? 0) > 0) claimed.push(o);
    }
    return claimed;
  }

  ordersByIds(ids: number[]): Promise<PaymentOrder[]> {
    return this.db.run((em) => em.findBy(PaymentOrder, { id: In(ids) }));
  }
}
