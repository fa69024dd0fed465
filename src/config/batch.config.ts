import type { UserPlan } from '../auth/user.entity';

// Seed 004's batch.config.ts as one typed, documented config. Weights are in thousandths so the
// concurrency formula stays in integers. Times are in ms and are multiplied by BATCH_TIME_SCALE
// (tests run the same logic compressed).

export interface PlanLimits {
  // User-facing: how many of the user's videos may run at once, and how many rows a batch may have.
  concurrency: number;
  maxBatchRows: number;
}

export interface BatchEngineConfig {
  plans: Record<UserPlan, PlanLimits>;
  // Internal: never more than this many of one model in flight for a user.
  modelCaps: Record<string, number>;
  resolutionWeights: Record<string, number>; // thousandths: 720p 1.0, 1080p 0.65
  durationWeights: Record<number, number>; // thousandths: 10 s 1.3, 15 s 1.0
  // Poll interval by elapsed time, per resolution: [elapsedMs, intervalMs] ascending.
  polling: Record<string, Array<[number, number]>>;
  // A running item past this is failed and its hold released.
  timeoutsMs: Record<string, number>;
  retry: { backoffMs: number[] }; // one entry per retry: 2 s, 4 s, 8 s
  degradation: {
    window: number; // the last N attempt outcomes of a user
    failRateAbove: number; // thousandths: 300 = 30 %
    cutToPct: number; // concurrency falls to this share (60 % = cut by 40 %)
    recoverStepPct: number; // and climbs back this much
    recoverAfterSuccesses: number; // after this many successes in a row
  };
}

export const DEFAULT_BATCH_CONFIG: BatchEngineConfig = {
  plans: {
    free: { concurrency: 1, maxBatchRows: 5 },
    pro: { concurrency: 3, maxBatchRows: 15 },
    pro_plus: { concurrency: 5, maxBatchRows: 25 },
    enterprise: { concurrency: 10, maxBatchRows: 50 },
  },
  modelCaps: { 'sora-2': 12, 'sora-2-pro': 10 },
  resolutionWeights: { '720p': 1000, '1080p': 650 },
  durationWeights: { 10: 1300, 15: 1000 },
  polling: {
    '720p': [
      [0, 3_000],
      [60_000, 5_000],
      [180_000, 8_000],
    ],
    '1080p': [
      [0, 5_000],
      [180_000, 8_000],
      [480_000, 12_000],
    ],
  },
  timeoutsMs: { '720p': 5 * 60_000, '1080p': 15 * 60_000 },
  retry: { backoffMs: [2_000, 4_000, 8_000] },
  degradation: { window: 10, failRateAbove: 300, cutToPct: 60, recoverStepPct: 20, recoverAfterSuccesses: 3 },
};

// Every time constant multiplied by `scale` (BATCH_TIME_SCALE; 1 in production).
export function scaledBatchConfig(base: BatchEngineConfig, scale: number): BatchEngineConfig {
  const ms = (v: number) => (v === 0 ? 0 : Math.max(1, Math.round(v * scale)));
  return {
    ...base,
    polling: Object.fromEntries(
      Object.entries(base.polling).map(([k, steps]) => [
        k,
        steps.map(([at, every]) => [ms(at), ms(every)] as [number, number]),
      ]),
    ),
    timeoutsMs: Object.fromEntries(Object.entries(base.timeoutsMs).map(([k, v]) => [k, ms(v)])),
    retry: { backoffMs: base.retry.backoffMs.map(ms) },
  };
}
