import { USER_PLANS } from '../../src/common/auth/auth-user';
import {
  applyBatchOverrides,
  batchConfigDocument,
  DEFAULT_BATCH_CONFIG as CFG,
  scaledBatchConfig,
} from '../../src/batch/batch-config';
import {
  actualConcurrency,
  degradedConcurrency,
  laneOf,
  laneRank,
  nextFactorPct,
  retryDelayMs,
} from '../../src/batch/batch-rules';

// Every plan × model × resolution × duration (sora-2 has no 1080p: Pro only).
const TABLE: Array<[string, string, string, number, number]> = [
  // plan, model, resolution, duration, actual concurrency
  ['free', 'sora-2', '720p', 10, 1],
  ['free', 'sora-2', '720p', 15, 1],
  ['free', 'sora-2-pro', '720p', 10, 1],
  ['free', 'sora-2-pro', '720p', 15, 1],
  ['free', 'sora-2-pro', '1080p', 10, 1],
  ['free', 'sora-2-pro', '1080p', 15, 1],
  ['pro', 'sora-2', '720p', 10, 3], // 3 × 1.3 = 3.9
  ['pro', 'sora-2', '720p', 15, 3],
  ['pro', 'sora-2-pro', '720p', 10, 3],
  ['pro', 'sora-2-pro', '720p', 15, 3],
  ['pro', 'sora-2-pro', '1080p', 10, 2], // 3 × 0.65 × 1.3 = 2.535
  ['pro', 'sora-2-pro', '1080p', 15, 1], // 1.95
  ['pro_plus', 'sora-2', '720p', 10, 6], // 6.5
  ['pro_plus', 'sora-2', '720p', 15, 5],
  ['pro_plus', 'sora-2-pro', '720p', 10, 6],
  ['pro_plus', 'sora-2-pro', '720p', 15, 5],
  ['pro_plus', 'sora-2-pro', '1080p', 10, 4], // 4.225
  ['pro_plus', 'sora-2-pro', '1080p', 15, 3], // 3.25
  ['enterprise', 'sora-2', '720p', 10, 12], // 13 → the sora-2 cap
  ['enterprise', 'sora-2', '720p', 15, 10],
  ['enterprise', 'sora-2-pro', '720p', 10, 10], // 13 → the sora-2-pro cap
  ['enterprise', 'sora-2-pro', '720p', 15, 10],
  ['enterprise', 'sora-2-pro', '1080p', 10, 8], // 8.45
  ['enterprise', 'sora-2-pro', '1080p', 15, 6], // 6.5
];

describe('batch rules', () => {
  it('covers every plan, model, resolution and duration', () => {
    expect(new Set(TABLE.map((r) => r[0]))).toEqual(new Set(USER_PLANS));
    expect(TABLE).toHaveLength(USER_PLANS.length * 6);
  });

  it.each(TABLE)('%s %s %s %ss → %s at once', (plan, model, resolution, duration, expected) => {
    expect(actualConcurrency(CFG, plan as (typeof USER_PLANS)[number], { model, resolution, duration })).toBe(expected);
  });

  it('degrades by 40 % (at least one) and recovers step by step', () => {
    expect(degradedConcurrency(5, 60)).toBe(3);
    expect(degradedConcurrency(1, 60)).toBe(1);
    expect(degradedConcurrency(10, 80)).toBe(8);
    const fail = (n: number) => Array<boolean>(n).fill(false);
    const ok = (n: number) => Array<boolean>(n).fill(true);
    expect(nextFactorPct(CFG, 100, [...ok(7), ...fail(3)])).toBe(100); // exactly 30 %: not more than
    expect(nextFactorPct(CFG, 100, [...ok(6), ...fail(4)])).toBe(60);
    expect(nextFactorPct(CFG, 60, [...fail(4), ...ok(6)])).toBe(60); // still 40 % failed in the window
    expect(nextFactorPct(CFG, 60, [...fail(2), ...ok(8)])).toBe(80);
    expect(nextFactorPct(CFG, 80, [...fail(2), ...ok(8)])).toBe(100);
    expect(nextFactorPct(CFG, 100, ok(10))).toBe(100);
  });

  it('puts 720p and 1080p 10 s in the fast lane, shorter first', () => {
    expect(laneOf({ resolution: '720p', duration: 15 })).toBe('fast');
    expect(laneOf({ resolution: '1080p', duration: 10 })).toBe('fast');
    expect(laneOf({ resolution: '1080p', duration: 15 })).toBe('slow');
    const ranks = [
      { resolution: '1080p', duration: 15 },
      { resolution: '720p', duration: 15 },
      { resolution: '1080p', duration: 10 },
    ].map(laneRank);
    expect(ranks[1]).toBeGreaterThan(ranks[2]);
    expect(ranks[0]).toBeGreaterThan(ranks[1]);
    // Same lane and duration: 720p (more at once) before 1080p, so equal limits run together.
    expect(laneRank({ resolution: '720p', duration: 10 })).toBeLessThan(
      laneRank({ resolution: '1080p', duration: 10 }),
    );
  });

  it('lays admin overrides over the defaults, in the API’s units, and leaves the rest alone', () => {
    const cfg = applyBatchOverrides(CFG, {
      plans: { pro_plus: { max_batch_rows: 100 }, enterprise: { concurrency: 20 } },
      model_caps: { 'sora-2': 4 },
      resolution_weights: { '1080p': 0.5 },
      duration_weights: { '10': 1.25 },
      polling: { '720p': [[0, 1000]] },
      timeouts_ms: { '1080p': 60_000 },
      retry_backoff_ms: [],
      degradation: { fail_rate_above: 0.5 },
    });
    expect(cfg.plans.pro_plus).toEqual({ concurrency: 5, maxBatchRows: 100 });
    expect(cfg.plans.enterprise).toEqual({ concurrency: 20, maxBatchRows: 50 });
    expect(cfg.plans.free).toEqual(CFG.plans.free);
    expect(cfg.modelCaps).toEqual({ 'sora-2': 4, 'sora-2-pro': 10 });
    expect(cfg.resolutionWeights).toEqual({ '720p': 1000, '1080p': 500 });
    expect(cfg.durationWeights).toEqual({ 10: 1250, 15: 1000 });
    expect(cfg.polling['720p']).toEqual([[0, 1000]]);
    expect(cfg.polling['1080p']).toEqual(CFG.polling['1080p']);
    expect(cfg.timeoutsMs).toEqual({ '720p': 300_000, '1080p': 60_000 });
    expect(retryDelayMs(cfg, 1)).toBeNull();
    expect(cfg.degradation).toEqual({ ...CFG.degradation, failRateAbove: 500 });
    // 20 × 1.0 × 1.25 = 25, capped by sora-2's 4.
    expect(actualConcurrency(cfg, 'enterprise', { model: 'sora-2', resolution: '720p', duration: 10 })).toBe(4);
    // The API view of the defaults reads back as the seed wrote them.
    expect(batchConfigDocument(CFG)).toMatchObject({
      plans: { pro_plus: { concurrency: 5, max_batch_rows: 25 } },
      resolution_weights: { '720p': 1, '1080p': 0.65 },
      duration_weights: { '10': 1.3, '15': 1 },
      degradation: { fail_rate_above: 0.3 },
    });
    expect(applyBatchOverrides(CFG, {})).toEqual(CFG);
  });

  it('retries after 2, 4 and 8 seconds, then gives up; time constants scale', () => {
    expect([1, 2, 3, 4].map((n) => retryDelayMs(CFG, n))).toEqual([2000, 4000, 8000, null]);
    const fast = scaledBatchConfig(CFG, 0.01);
    expect(fast.retry.backoffMs).toEqual([20, 40, 80]);
    expect(fast.timeoutsMs['720p']).toBe(3000);
    expect(fast.polling['1080p'][0]).toEqual([0, 50]);
  });
});
