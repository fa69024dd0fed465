import dayjs from 'dayjs';
import type { Schemas } from '../api/client';
import { auditChanges, auditFilters } from './audit';
import { urlParam } from './url-filters';
import { dashboardAlerts, formatShare, rangeOf } from './stats';

describe('dashboard ranges', () => {
  const now = dayjs('2026-11-30T15:42:10').valueOf(); // local time

  it('reads today by the hour from local midnight, up to now', () => {
    const r = rangeOf('today', now);
    expect(dayjs.unix(r.from).format('YYYY-MM-DD HH:mm:ss')).toBe('2026-11-30 00:00:00');
    expect(r.to).toBe(dayjs(now).unix() + 1);
    expect(r.bucket).toBe('hour');
  });

  it('reads 7 and 30 days by the day, today included', () => {
    expect(dayjs.unix(rangeOf('7d', now).from).format('YYYY-MM-DD HH:mm')).toBe('2026-11-24 00:00');
    expect(dayjs.unix(rangeOf('30d', now).from).format('YYYY-MM-DD')).toBe('2026-11-01');
    expect(rangeOf('30d', now).bucket).toBe('day');
  });

  it('shows shares as percentages with one decimal, and nothing to divide as a dash', () => {
    expect(formatShare(1)).toBe('100.0%');
    expect(formatShare(0.8571)).toBe('85.7%');
    expect(formatShare(0)).toBe('0.0%');
    expect(formatShare(null)).toBe('—');
  });
});

const channel = (c: Partial<Schemas['ChannelFigureDto']>): Schemas['ChannelFigureDto'] => ({
  channel_id: 1,
  name: 'kling-sg',
  type: 'kling',
  status: 'enabled',
  auto_reenable: null,
  total: 0,
  succeeded: 0,
  failed: 0,
  error_rate: null,
  history: [],
  ...c,
});
const range = { range: { from: 0, to: 1 }, filters: { provider: null, model: null, channel_id: null } };

describe('dashboard alerts', () => {
  it('names a channel Reelay disabled, with the last reason', () => {
    const alerts = dashboardAlerts(undefined, {
      ...range,
      items: [
        channel({
          status: 'auto_disabled',
          history: [
            { at: 1, event: 'auto_disabled', reason: 'first' },
            { at: 2, event: 'auto_reenabled', reason: null },
            { at: 3, event: 'auto_disabled', reason: 'Kling 1101: Account in arrears' },
          ],
        }),
      ],
    });
    expect(alerts).toEqual([
      {
        level: 'error',
        key: 'channelAutoDisabled',
        params: { name: 'kling-sg', reason: 'Kling 1101: Account in arrears' },
      },
    ]);
  });

  it('warns of a failing channel and a low success rate only over enough finished tasks', () => {
    const totals = (succeeded: number, failed: number): Schemas['StatsOverviewDto'] => ({
      ...range,
      totals: {
        tasks: succeeded + failed,
        succeeded,
        failed,
        in_flight: 0,
        success_rate: succeeded + failed ? succeeded / (succeeded + failed) : null,
        submit_accept_rate: 1,
        credits_charged: 0,
      },
      by_status: [],
      ended_by: [],
      series: { bucket: 'day', size_seconds: 86400, points: [] },
    });
    const failing = channel({ succeeded: 3, failed: 2, error_rate: 0.4 });
    expect(dashboardAlerts(totals(3, 2), { ...range, items: [failing] }).map((a) => [a.key, a.params])).toEqual([
      ['channelErrors', { name: 'kling-sg', rate: '40.0%' }],
      ['lowSuccess', { rate: '60.0%' }],
    ]);
    expect(
      dashboardAlerts(totals(1, 1), { ...range, items: [channel({ succeeded: 1, failed: 1, error_rate: 0.5 })] }),
    ).toEqual([]);
  });
});

describe('audit log filters and changes', () => {
  it('takes its filters from the URL and drops what is malformed', () => {
    expect(
      auditFilters(
        new URLSearchParams('action=credits.adjust&target_type=user&target_id=7&page=2&actor_type=robot&from=x'),
      ),
    ).toEqual({ action: 'credits.adjust', target_type: 'user', target_id: '7' });
  });

  it('lists each changed field; a creation lists every field it set', () => {
    expect(auditChanges({ balance: 0, plan: 'free' }, { balance: 300, plan: 'free', amount: 300 })).toEqual([
      { path: 'amount', before: undefined, after: 300 },
      { path: 'balance', before: 0, after: 300 },
    ]);
    expect(auditChanges(null, { name: 'Kling SG', key: 'AK…|***' })).toEqual([
      { path: 'key', before: undefined, after: 'AK…|***' },
      { path: 'name', before: undefined, after: 'Kling SG' },
    ]);
  });
});

describe('filters kept in the URL', () => {
  const p = new URLSearchParams(
    'user_id=7&channel_id=0&status=failed&kind=x&model=%20kling%20&page=-2&big=1234567890123',
  );
  it('reads positive ids, trimmed text and known choices, and nothing malformed', () => {
    expect(urlParam.id(p, 'user_id')).toBe(7);
    expect(urlParam.id(p, 'channel_id')).toBeUndefined();
    expect(urlParam.id(p, 'page')).toBeUndefined();
    expect(urlParam.id(p, 'big')).toBeUndefined();
    expect(urlParam.text(p, 'model')).toBe('kling');
    expect(urlParam.text(p, 'missing')).toBeUndefined();
    expect(urlParam.oneOf(p, 'status', ['failed', 'succeed'] as const)).toBe('failed');
    expect(urlParam.oneOf(p, 'kind', ['a', 'b'] as const)).toBeUndefined();
  });
});
