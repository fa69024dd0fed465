import { Injectable } from '@nestjs/common';
import { EntityManager, SelectQueryBuilder } from 'typeorm';
import { Db, DbRepository } from '../common/database/db.service';
import { CreditPackage } from '../payments/package.entity';
import { PaymentOrder } from '../payments/payment-order.entity';
import { VideoTask } from '../relay/core/video-task.entity';

// Which tasks a figure covers: created in [from, to), optionally of one provider, model, channel.
export interface TaskScope {
  from: number;
  to: number;
  provider?: string;
  model?: string;
  channelId?: number;
}

type Raw = Record<string, string | number | null>;
const num = (v: string | number | null | undefined): number => Number(v ?? 0);

const SUCCEEDED = "SUM(CASE WHEN v.status = 'succeed' THEN 1 ELSE 0 END)";
const FAILED = "SUM(CASE WHEN v.status = 'failed' THEN 1 ELSE 0 END)";
const CHARGED = "SUM(CASE WHEN v.status = 'succeed' THEN v.quota ELSE 0 END)";

// The stats' reads. Every query on `videos` is bounded by a created_at range and grouped, so it
// is answered from idx_videos_stats (created_at, provider, model, channel_id, user_id, status,
// ended_by, quota, finished_at) alone, or from idx_channel_created for one channel: never a
// scan of the table (test/e2e/stats-plans.e2e-spec.ts checks the plans on 100k rows).
@Injectable()
export class StatsRepository extends DbRepository {
  constructor(db: Db) {
    super(db);
  }

  // Tasks, and their quota, per status and how they ended.
  async byStatus(
    s: TaskScope,
  ): Promise<Array<{ status: string; endedBy: string | null; count: number; quota: number }>> {
    const rows = await this.db.run((em) =>
      this.tasks(em, s)
        .select('v.status', 'status')
        .addSelect('v.ended_by', 'ended_by')
        .addSelect('COUNT(*)', 'n')
        .addSelect('SUM(v.quota)', 'quota')
        .groupBy('v.status')
        .addGroupBy('v.ended_by')
        .getRawMany<Raw>(),
    );
    return rows.map((r) => ({
      status: String(r.status),
      endedBy: r.ended_by === null ? null : String(r.ended_by),
      count: num(r.n),
      quota: num(r.quota),
    }));
  }

  // Per bucket of `size` seconds from `from`: tasks, successes, failures, quota charged.
  async series(
    s: TaskScope,
    size: number,
  ): Promise<Array<{ bucket: number; total: number; succeeded: number; failed: number; quota: number }>> {
    const bucket = 'FLOOR((v.created_at - :from) / :size)';
    const rows = await this.db.run((em) =>
      this.tasks(em, s)
        .select(bucket, 'bucket')
        .addSelect('COUNT(*)', 'total')
        .addSelect(SUCCEEDED, 'succeeded')
        .addSelect(FAILED, 'failed')
        .addSelect(CHARGED, 'quota')
        .setParameter('size', size)
        // By the alias: the expression holds placeholders, which MySQL does not match across clauses.
        .groupBy('bucket')
        .getRawMany<Raw>(),
    );
    return rows.map((r) => ({
      bucket: num(r.bucket),
      total: num(r.total),
      succeeded: num(r.succeeded),
      failed: num(r.failed),
      quota: num(r.quota),
    }));
  }

  // Per provider and model: tasks, successes, failures, quota charged.
  async byModel(
    s: TaskScope,
  ): Promise<
    Array<{ provider: string; model: string; total: number; succeeded: number; failed: number; quota: number }>
  > {
    const rows = await this.db.run((em) =>
      this.tasks(em, s)
        .select('v.provider', 'provider')
        .addSelect('v.model', 'model')
        .addSelect('COUNT(*)', 'total')
        .addSelect(SUCCEEDED, 'succeeded')
        .addSelect(FAILED, 'failed')
        .addSelect(CHARGED, 'quota')
        .groupBy('v.provider')
        .addGroupBy('v.model')
        .getRawMany<Raw>(),
    );
    return rows.map((r) => ({
      provider: String(r.provider),
      model: String(r.model),
      total: num(r.total),
      succeeded: num(r.succeeded),
      failed: num(r.failed),
      quota: num(r.quota),
    }));
  }

  // How long succeeded tasks took, in whole seconds from creation to the end: one row per model
  // and distinct duration (the percentiles are computed from this histogram). Status is grouped,
  // not filtered: a `status = 'succeed'` condition would tempt SQLite's planner onto idx_status,
  // which is not bounded by the time range.
  async completionHistogram(
    s: TaskScope,
  ): Promise<Array<{ provider: string; model: string; seconds: number; count: number }>> {
    const seconds = '(v.finished_at - v.created_at)';
    const rows = await this.db.run((em) =>
      this.tasks(em, s)
        .andWhere('v.finished_at IS NOT NULL')
        .select('v.provider', 'provider')
        .addSelect('v.model', 'model')
        .addSelect('v.status', 'status')
        .addSelect(seconds, 'duration_s')
        .addSelect('COUNT(*)', 'n')
        .groupBy('v.provider')
        .addGroupBy('v.model')
        .addGroupBy('v.status')
        .addGroupBy(seconds)
        .getRawMany<Raw>(),
    );
    return rows
      .filter((r) => r.status === 'succeed')
      .map((r) => ({
        provider: String(r.provider),
        model: String(r.model),
        seconds: num(r.duration_s),
        count: num(r.n),
      }));
  }

  // Per user, most credits charged first: one page, and how many users the scope has.
  async byUser(
    s: TaskScope,
    page: { offset: number; limit: number },
  ): Promise<{
    rows: Array<{ userId: number; total: number; succeeded: number; failed: number; quota: number }>;
    users: number;
  }> {
    const [rows, count] = await Promise.all([
      this.db.run((em) =>
        this.tasks(em, s)
          .select('v.user_id', 'user_id')
          .addSelect('COUNT(*)', 'total')
          .addSelect(SUCCEEDED, 'succeeded')
          .addSelect(FAILED, 'failed')
          .addSelect(CHARGED, 'quota')
          .groupBy('v.user_id')
          .orderBy(CHARGED, 'DESC')
          .addOrderBy(SUCCEEDED, 'DESC')
          .addOrderBy('v.user_id', 'ASC')
          .offset(page.offset)
          .limit(page.limit)
          .getRawMany<Raw>(),
      ),
      this.db.run((em) => this.tasks(em, s).select('COUNT(DISTINCT v.user_id)', 'n').getRawOne<Raw>()),
    ]);
    return {
      rows: rows.map((r) => ({
        userId: num(r.user_id),
        total: num(r.total),
        succeeded: num(r.succeeded),
        failed: num(r.failed),
        quota: num(r.quota),
      })),
      users: num(count?.n),
    };
  }

  // Per channel the tasks were recorded on: tasks, successes, failures.
  async byChannel(
    s: TaskScope,
  ): Promise<Array<{ channelId: number; total: number; succeeded: number; failed: number }>> {
    const rows = await this.db.run((em) =>
      this.tasks(em, s)
        .andWhere('v.channel_id IS NOT NULL')
        .select('v.channel_id', 'channel_id')
        .addSelect('COUNT(*)', 'total')
        .addSelect(SUCCEEDED, 'succeeded')
        .addSelect(FAILED, 'failed')
        .groupBy('v.channel_id')
        .getRawMany<Raw>(),
    );
    return rows.map((r) => ({
      channelId: num(r.channel_id),
      total: num(r.total),
      succeeded: num(r.succeeded),
      failed: num(r.failed),
    }));
  }

  // Paid orders by package, paid in [from, to) (idx_orders_paid covers it).
  async revenueByPackage(
    from: number,
    to: number,
  ): Promise<Array<{ packageId: number; orders: number; amountFen: number; credits: number }>> {
    const rows = await this.db.run((em) =>
      this.paidOrders(em, from, to)
        .select('o.package_id', 'package_id')
        .addSelect('COUNT(*)', 'orders')
        .addSelect('SUM(o.amount_fen)', 'amount_fen')
        .addSelect('SUM(o.credits)', 'credits')
        .groupBy('o.package_id')
        .getRawMany<Raw>(),
    );
    return rows.map((r) => ({
      packageId: num(r.package_id),
      orders: num(r.orders),
      amountFen: num(r.amount_fen),
      credits: num(r.credits),
    }));
  }

  async revenueSeries(
    from: number,
    to: number,
    size: number,
  ): Promise<Array<{ bucket: number; orders: number; amountFen: number }>> {
    const bucket = 'FLOOR((o.paid_at - :from) / :size)';
    const rows = await this.db.run((em) =>
      this.paidOrders(em, from, to)
        .select(bucket, 'bucket')
        .addSelect('COUNT(*)', 'orders')
        .addSelect('SUM(o.amount_fen)', 'amount_fen')
        .setParameter('size', size)
        // By the alias: the expression holds placeholders, which MySQL does not match across clauses.
        .groupBy('bucket')
        .getRawMany<Raw>(),
    );
    return rows.map((r) => ({ bucket: num(r.bucket), orders: num(r.orders), amountFen: num(r.amount_fen) }));
  }

  packagesByIds(ids: number[]): Promise<CreditPackage[]> {
    if (ids.length === 0) return Promise.resolve([]);
    return this.db.run((em) => em.createQueryBuilder(CreditPackage, 'p').where('p.id IN (:...ids)', { ids }).getMany());
  }

  private tasks(em: EntityManager, s: TaskScope): SelectQueryBuilder<VideoTask> {
    const q = em
      .createQueryBuilder(VideoTask, 'v')
      .where('v.created_at >= :from AND v.created_at < :to', { from: s.from, to: s.to });
    if (s.provider !== undefined) q.andWhere('v.provider = :provider', { provider: s.provider });
    if (s.model !== undefined) q.andWhere('v.model = :model', { model: s.model });
    if (s.channelId !== undefined) q.andWhere('v.channel_id = :channelId', { channelId: s.channelId });
    return q;
  }

  private paidOrders(em: EntityManager, from: number, to: number): SelectQueryBuilder<PaymentOrder> {
    return em
      .createQueryBuilder(PaymentOrder, 'o')
      .where("o.status = 'paid' AND o.paid_at >= :from AND o.paid_at < :to", { from, to });
  }
}
