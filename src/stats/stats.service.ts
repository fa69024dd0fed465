import { Injectable } from '@nestjs/common';
import { AuditService } from '../audit/audit.service';
import { UserRepository } from '../auth/user.repository';
import { quotaToCredits } from '../common/money/money';
import { ChannelsService } from '../channels/channels.service';
import { assertAdmin, AuthUser } from '../common/auth/auth-user';
import { Clock } from '../common/clock/clock.service';
import { DomainError } from '../common/errors/domain-error';
import { Page } from '../common/pagination/page.dto';
import { AppConfig } from '../config/app-config';
import { fenToYuan } from '../providers/alipay/alipay.gateway';
import { completionFigures, ratio } from './stats-math';
import {
  Bucket,
  ChannelFigureDto,
  ChannelStatsDto,
  ModelStatsDto,
  OverviewQueryDto,
  RevenueQueryDto,
  RevenueStatsDto,
  StatsOverviewDto,
  StatsRangeQueryDto,
  TaskStatsFiltersDto,
  TaskStatsQueryDto,
  TaskTotalsDto,
  UserFigureDto,
  UserStatsQueryDto,
} from './stats.dto';
import { StatsRepository, TaskScope } from './stats.repository';

const WEEK = 7 * 86400;
const BUCKET_SECONDS: Record<Bucket, number> = { hour: 3600, day: 86400 };
const MAX_BUCKETS = 1000;
const IN_FLIGHT = new Set(['submitting', 'unknown', 'submitted', 'processing']);
const CHANNEL_EVENTS: Record<string, 'auto_disabled' | 'auto_reenabled'> = {
  'channel.auto_disable': 'auto_disabled',
  'channel.auto_reenable': 'auto_reenabled',
};

// The seeds' monitoring figures for the console: counts and sums by status, success rates, how
// tasks ended, completion times per model, per-user and per-channel figures, revenue.
@Injectable()
export class StatsService {
  constructor(
    private readonly stats: StatsRepository,
    private readonly accounts: UserRepository,
    private readonly channels: ChannelsService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly config: AppConfig,
  ) {}

  async overview(admin: AuthUser, q: OverviewQueryDto): Promise<StatsOverviewDto> {
    assertAdmin(admin);
    const scope = this.scope(q);
    const bucket = q.bucket ?? 'day';
    const size = bucketSize(scope, bucket);
    const [rows, series] = await Promise.all([this.stats.byStatus(scope), this.stats.series(scope, size)]);
    const byStatus = sumByStatus(rows);
    const byBucket = new Map(series.map((p) => [p.bucket, p]));
    return {
      range: { from: scope.from, to: scope.to },
      filters: filtersOf(q),
      totals: this.totals(rows),
      by_status: [...byStatus.entries()].map(([status, s]) => ({
        status,
        count: s.count,
        quota: s.quota,
        credits: this.credits(s.quota),
      })),
      ended_by: endedByShares(rows),
      series: {
        bucket,
        size_seconds: size,
        points: bucketStarts(scope, size).map((start, i) => ({
          start,
          total: byBucket.get(i)?.total ?? 0,
          succeeded: byBucket.get(i)?.succeeded ?? 0,
          failed: byBucket.get(i)?.failed ?? 0,
          credits_charged: this.credits(byBucket.get(i)?.quota ?? 0),
        })),
      },
    };
  }

  private totals(rows: StatusRow[]): TaskTotalsDto {
    const count = (pick: (r: StatusRow) => boolean) => rows.filter(pick).reduce((n, r) => n + r.count, 0);
    const succeeded = count((r) => r.status === 'succeed');
    const failed = count((r) => r.status === 'failed');
    const total = count(() => true);
    return {
      tasks: total,
      succeeded,
      failed,
      in_flight: count((r) => IN_FLIGHT.has(r.status)),
      success_rate: ratio(succeeded, succeeded + failed),
      submit_accept_rate: ratio(total - count((r) => r.endedBy === 'submit'), total),
      credits_charged: this.credits(rows.filter((r) => r.status === 'succeed').reduce((q, r) => q + r.quota, 0)),
    };
  }

  async models(admin: AuthUser, q: TaskStatsQueryDto): Promise<ModelStatsDto> {
    assertAdmin(admin);
    const scope = this.scope(q);
    const [rows, histogram] = await Promise.all([this.stats.byModel(scope), this.stats.completionHistogram(scope)]);
    const items = rows.map((r) => ({
      provider: r.provider,
      model: r.model,
      total: r.total,
      succeeded: r.succeeded,
      failed: r.failed,
      success_rate: ratio(r.succeeded, r.succeeded + r.failed),
      credits_charged: this.credits(r.quota),
      completion_seconds: completionFigures(histogram.filter((h) => h.provider === r.provider && h.model === r.model)),
    }));
    items.sort((a, b) => b.total - a.total || (a.model < b.model ? -1 : 1));
    return { range: { from: scope.from, to: scope.to }, filters: filtersOf(q), items };
  }

  async userFigures(admin: AuthUser, q: UserStatsQueryDto): Promise<Page<UserFigureDto>> {
    assertAdmin(admin);
    const scope = this.scope(q);
    const { rows, users } = await this.stats.byUser(scope, {
      offset: (q.page - 1) * q.page_size,
      limit: q.page_size,
    });
    const emails = new Map((await this.accounts.findByIds(rows.map((r) => r.userId))).map((u) => [u.id, u.email]));
    return {
      items: rows.map((r) => ({
        user_id: r.userId,
        email: emails.get(r.userId) ?? null,
        total: r.total,
        succeeded: r.succeeded,
        failed: r.failed,
        success_rate: ratio(r.succeeded, r.succeeded + r.failed),
        credits_charged: this.credits(r.quota),
      })),
      page: q.page,
      page_size: q.page_size,
      total: users,
    };
  }

  async channelFigures(admin: AuthUser, q: TaskStatsQueryDto): Promise<ChannelStatsDto> {
    assertAdmin(admin);
    const scope = this.scope(q);
    const [rows, events] = await Promise.all([
      this.stats.byChannel(scope),
      this.audit.history('channel', Object.keys(CHANNEL_EVENTS), scope.from, scope.to),
    ]);
    const ids = [...new Set([...rows.map((r) => r.channelId), ...events.map((e) => Number(e.target_id))])];
    const known = new Map((await this.channels.findMany(admin, ids)).map((c) => [c.id, c]));
    const counts = new Map(rows.map((r) => [r.channelId, r]));
    const items: ChannelFigureDto[] = ids
      .sort((a, b) => a - b)
      .map((id) => {
        const c = known.get(id);
        const r = counts.get(id) ?? { total: 0, succeeded: 0, failed: 0 };
        return {
          channel_id: id,
          name: c?.name ?? null,
          type: c?.type ?? null,
          status: c?.status ?? null,
          auto_reenable: c?.auto_reenable ?? null,
          total: r.total,
          succeeded: r.succeeded,
          failed: r.failed,
          error_rate: ratio(r.failed, r.succeeded + r.failed),
          history: events
            .filter((e) => Number(e.target_id) === id)
            .map((e) => ({ at: e.created_at, event: CHANNEL_EVENTS[e.action], reason: reasonOf(e.after) })),
        };
      })
      // A provider or model filter narrows the tasks; a channel only in the history must match the provider.
      .filter((item) => counts.has(item.channel_id) || (!q.model && (!q.provider || item.type === q.provider)))
      .filter((item) => q.channel_id === undefined || item.channel_id === q.channel_id);
    return { range: { from: scope.from, to: scope.to }, filters: filtersOf(q), items };
  }

  async revenue(admin: AuthUser, q: RevenueQueryDto): Promise<RevenueStatsDto> {
    assertAdmin(admin);
    const { from, to } = this.range(q);
    const bucket = q.bucket ?? 'day';
    const size = bucketSize({ from, to }, bucket);
    const [byPackage, series] = await Promise.all([
      this.stats.revenueByPackage(from, to),
      this.stats.revenueSeries(from, to, size),
    ]);
    const packages = new Map((await this.stats.packagesByIds(byPackage.map((p) => p.packageId))).map((p) => [p.id, p]));
    const amountFen = byPackage.reduce((s, p) => s + p.amountFen, 0);
    const byBucket = new Map(series.map((p) => [p.bucket, p]));
    return {
      range: { from, to },
      paid_orders: byPackage.reduce((n, p) => n + p.orders, 0),
      amount_fen: amountFen,
      amount_yuan: fenToYuan(amountFen),
      credits: this.credits(byPackage.reduce((s, p) => s + p.credits, 0)),
      by_package: byPackage
        .map((p) => ({
          package_id: p.packageId,
          code: packages.get(p.packageId)?.code ?? null,
          name: packages.get(p.packageId)?.name ?? null,
          orders: p.orders,
          amount_fen: p.amountFen,
          credits: this.credits(p.credits),
        }))
        .sort((a, b) => b.amount_fen - a.amount_fen || a.package_id - b.package_id),
      series: {
        bucket,
        size_seconds: size,
        points: bucketStarts({ from, to }, size).map((start, i) => ({
          start,
          orders: byBucket.get(i)?.orders ?? 0,
          amount_fen: byBucket.get(i)?.amountFen ?? 0,
        })),
      },
    };
  }

  private scope(q: TaskStatsQueryDto): TaskScope {
    return { ...this.range(q), provider: q.provider, model: q.model, channelId: q.channel_id };
  }

  // [from, to): to defaults to now, from to a week before to.
  private range(q: StatsRangeQueryDto): { from: number; to: number } {
    const to = q.to ?? this.clock.now() + 1;
    const from = q.from ?? Math.max(0, to - WEEK);
    if (from >= to) throw DomainError.validation('from', 'must be before to');
    return { from, to };
  }

  private credits(quota: number): number {
    return quotaToCredits(quota, this.config.quotaPerCredit);
  }
}

type StatusRow = { status: string; endedBy: string | null; count: number; quota: number };

// Tasks and quota per status, statuses in name order.
function sumByStatus(rows: StatusRow[]): Map<string, { count: number; quota: number }> {
  const out = new Map<string, { count: number; quota: number }>();
  for (const r of [...rows].sort((a, b) => (a.status < b.status ? -1 : a.status > b.status ? 1 : 0))) {
    const s = out.get(r.status) ?? { count: 0, quota: 0 };
    out.set(r.status, { count: s.count + r.count, quota: s.quota + r.quota });
  }
  return out;
}

// How the finished tasks ended, most first ('unknown': ended before it was recorded).
function endedByShares(rows: StatusRow[]): Array<{ ended_by: string; count: number; share: number }> {
  const finished = rows.filter((r) => r.status === 'succeed' || r.status === 'failed');
  const total = finished.reduce((n, r) => n + r.count, 0);
  const counts = new Map<string, number>();
  for (const r of finished) counts.set(r.endedBy ?? 'unknown', (counts.get(r.endedBy ?? 'unknown') ?? 0) + r.count);
  return [...counts.entries()]
    .sort(([a, x], [b, y]) => y - x || (a < b ? -1 : 1))
    .map(([by, n]) => ({ ended_by: by, count: n, share: ratio(n, total) ?? 0 }));
}

function bucketSize(range: { from: number; to: number }, bucket: Bucket): number {
  const size = BUCKET_SECONDS[bucket];
  if (Math.ceil((range.to - range.from) / size) > MAX_BUCKETS) {
    throw DomainError.validation('bucket', `gives more than ${MAX_BUCKETS} steps for this range; use a larger one`);
  }
  return size;
}

function bucketStarts(range: { from: number; to: number }, size: number): number[] {
  return Array.from({ length: Math.ceil((range.to - range.from) / size) }, (_, i) => range.from + i * size);
}

function filtersOf(q: TaskStatsQueryDto): TaskStatsFiltersDto {
  return { provider: q.provider ?? null, model: q.model ?? null, channel_id: q.channel_id ?? null };
}

function reasonOf(after: unknown): string | null {
  const reason = (after as { disabled_reason?: unknown } | null)?.disabled_reason;
  return typeof reason === 'string' ? reason : null;
}
