import dayjs from 'dayjs';
import type { Schemas } from '../api/client';

export type RangeKey = 'today' | '7d' | '30d';

export interface StatsRange {
  from: number; // unix seconds, inclusive
  to: number; // unix seconds, exclusive
  bucket: 'hour' | 'day';
}

// The dashboard's ranges in the viewer's time zone: today by the hour, else by day. Buckets
// count from `from`, so starting at local midnight makes them the viewer's days.
export function rangeOf(key: RangeKey, nowMs: number = Date.now()): StatsRange {
  const now = dayjs(nowMs);
  const to = now.unix() + 1;
  if (key === 'today') return { from: now.startOf('day').unix(), to, bucket: 'hour' };
  const days = key === '7d' ? 7 : 30;
  return {
    from: now
      .startOf('day')
      .subtract(days - 1, 'day')
      .unix(),
    to,
    bucket: 'day',
  };
}

export function bucketLabel(start: number, bucket: 'hour' | 'day'): string {
  return dayjs.unix(start).format(bucket === 'hour' ? 'HH:mm' : 'MM-DD');
}

// A share (0..1) as a percentage with one decimal; "—" when there is nothing to divide.
export function formatShare(share: number | null | undefined): string {
  if (share === null || share === undefined || !Number.isFinite(share)) return '—';
  return `${(Math.round(share * 1000) / 10).toFixed(1)}%`;
}

export interface DashboardAlert {
  level: 'error' | 'warning';
  key: 'channelAutoDisabled' | 'channelErrors' | 'lowSuccess' | 'quota';
  params: Record<string, string | number>;
}

// What needs an operator's eye: channels Reelay disabled, channels failing often, a low success
// rate over enough tasks, and the quota alerts not yet delivered anywhere else.
export function dashboardAlerts(
  overview: Schemas['StatsOverviewDto'] | undefined,
  channels: Schemas['ChannelStatsDto'] | undefined,
  quota: Schemas['AlertDto'][] = [],
  thresholds = { errorRate: 0.2, successRate: 0.8, minFinished: 5 },
): DashboardAlert[] {
  const out: DashboardAlert[] = [];
  for (const c of channels?.items ?? []) {
    const name = c.name ?? `#${c.channel_id}`;
    if (c.status === 'auto_disabled') {
      const last = [...c.history].reverse().find((h) => h.event === 'auto_disabled');
      out.push({ level: 'error', key: 'channelAutoDisabled', params: { name, reason: last?.reason ?? '' } });
    } else if (
      c.error_rate !== null &&
      c.succeeded + c.failed >= thresholds.minFinished &&
      c.error_rate > thresholds.errorRate
    ) {
      out.push({ level: 'warning', key: 'channelErrors', params: { name, rate: formatShare(c.error_rate) } });
    }
  }
  const totals = overview?.totals;
  if (
    totals &&
    totals.success_rate !== null &&
    totals.succeeded + totals.failed >= thresholds.minFinished &&
    totals.success_rate < thresholds.successRate
  ) {
    out.push({ level: 'warning', key: 'lowSuccess', params: { rate: formatShare(totals.success_rate) } });
  }
  for (const a of quota) out.push({ level: 'warning', key: 'quota', params: { message: a.message } });
  return out;
}
