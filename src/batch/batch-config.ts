import type { UserPlan } from '../common/auth/auth-user';

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

// What an admin may override (GET/PUT /api/admin/batch/config), in the API's words: snake_case,
// weights and the failure threshold as decimals, times in production milliseconds (before
// BATCH_TIME_SCALE). Anything left out keeps its default.
type Resolution = '720p' | '1080p';
export interface BatchConfigDocument {
  plans?: Partial<Record<UserPlan, { concurrency?: number; max_batch_rows?: number }>>;
  model_caps?: Partial<Record<'sora-2' | 'sora-2-pro', number>>;
  resolution_weights?: Partial<Record<Resolution, number>>;
  duration_weights?: Partial<Record<'10' | '15', number>>;
  polling?: Partial<Record<Resolution, Array<[number, number]>>>;
  timeouts_ms?: Partial<Record<Resolution, number>>;
  retry_backoff_ms?: number[];
  degradation?: {
    window?: number;
    fail_rate_above?: number;
    cut_to_pct?: number;
    recover_step_pct?: number;
    recover_after_successes?: number;
  };
}

const permille = (v: number) => Math.round(v * 1000);

// The defaults with an admin's overrides laid over them (before time scaling).
export function applyBatchOverrides(base: BatchEngineConfig, doc: BatchConfigDocument): BatchEngineConfig {
  const plans = { ...base.plans };
  for (const [plan, o] of Object.entries(doc.plans ?? {}) as Array<
    [UserPlan, { concurrency?: number; max_batch_rows?: number }]
  >) {
    if (!o) continue; // a plan the document leaves out (a DTO holds it as undefined)
    plans[plan] = {
      concurrency: o.concurrency ?? plans[plan].concurrency,
      maxBatchRows: o.max_batch_rows ?? plans[plan].maxBatchRows,
    };
  }
  const d = doc.degradation ?? {};
  return {
    plans,
    modelCaps: { ...base.modelCaps, ...mapValues(doc.model_caps, (v) => v) },
    resolutionWeights: { ...base.resolutionWeights, ...mapValues(doc.resolution_weights, permille) },
    durationWeights: { ...base.durationWeights, ...mapValues(doc.duration_weights, permille) },
    polling: { ...base.polling, ...mapValues(doc.polling, (v) => v) },
    timeoutsMs: { ...base.timeoutsMs, ...mapValues(doc.timeouts_ms, (v) => v) },
    retry: { backoffMs: doc.retry_backoff_ms ?? base.retry.backoffMs },
    degradation: {
      window: d.window ?? base.degradation.window,
      failRateAbove: d.fail_rate_above !== undefined ? permille(d.fail_rate_above) : base.degradation.failRateAbove,
      cutToPct: d.cut_to_pct ?? base.degradation.cutToPct,
      recoverStepPct: d.recover_step_pct ?? base.degradation.recoverStepPct,
      recoverAfterSuccesses: d.recover_after_successes ?? base.degradation.recoverAfterSuccesses,
    },
  };
}

// A whole config in the API's words, for showing the values in force.
export function batchConfigDocument(cfg: BatchEngineConfig): Required<BatchConfigDocument> {
  return {
    plans: mapValues(cfg.plans, (p) => ({ concurrency: p.concurrency, max_batch_rows: p.maxBatchRows })),
    model_caps: { ...cfg.modelCaps },
    resolution_weights: mapValues(cfg.resolutionWeights, (v) => v / 1000),
    duration_weights: mapValues(cfg.durationWeights, (v) => v / 1000),
    polling: mapValues(cfg.polling, (steps) => steps.map(([at, every]) => [at, every] as [number, number])),
    timeouts_ms: { ...cfg.timeoutsMs },
    retry_backoff_ms: [...cfg.retry.backoffMs],
    degradation: {
      window: cfg.degradation.window,
      fail_rate_above: cfg.degradation.failRateAbove / 1000,
      cut_to_pct: cfg.degradation.cutToPct,
      recover_step_pct: cfg.degradation.recoverStepPct,
      recover_after_successes: cfg.degradation.recoverAfterSuccesses,
    },
  };
}

function mapValues<V, W>(obj: Partial<Record<string, V>> | undefined, f: (v: V) => W): Record<string, W> {
  return Object.fromEntries(
    Object.entries(obj ?? {})
      .filter((e): e is [string, V] => e[1] !== undefined)
      .map(([k, v]) => [k, f(v)]),
  );
}

// Every value of a whole config, in the API's field names: what is wrong, or nothing. Checked
// before an admin's document is stored (a bad one changes nothing) and when one is read back.
export function batchConfigProblems(cfg: BatchEngineConfig): Array<{ field: string; message: string }> {
  const problems: Array<{ field: string; message: string }> = [];
  const whole = (field: string, v: unknown, min: number) => {
    if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < min)
      problems.push({ field, message: `must be a whole number of at least ${min}` });
  };
  for (const plan of ['free', 'pro', 'pro_plus', 'enterprise'] as const) {
    const p = (cfg.plans as Partial<Record<UserPlan, PlanLimits | null>>)[plan];
    if (!p || typeof p !== 'object') problems.push({ field: `plans.${plan}`, message: 'must be an object' });
    else {
      whole(`plans.${plan}.concurrency`, p.concurrency, 1);
      whole(`plans.${plan}.max_batch_rows`, p.maxBatchRows, 1);
    }
  }
  for (const [k, v] of Object.entries(cfg.modelCaps)) whole(`model_caps.${k}`, v, 1);
  for (const [k, v] of Object.entries(cfg.resolutionWeights)) whole(`resolution_weights.${k}`, v, 1);
  for (const [k, v] of Object.entries(cfg.durationWeights)) whole(`duration_weights.${k}`, v, 1);
  for (const [k, v] of Object.entries(cfg.timeoutsMs)) whole(`timeouts_ms.${k}`, v, 1);
  for (const [k, steps] of Object.entries(cfg.polling)) {
    if (!Array.isArray(steps) || steps.length === 0)
      problems.push({ field: `polling.${k}`, message: 'must be a list of steps' });
    else
      steps.forEach((s, i) => {
        if (!Array.isArray(s) || s.length !== 2)
          problems.push({ field: `polling.${k}[${i}]`, message: 'must be [elapsed ms, interval ms]' });
        else {
          whole(`polling.${k}[${i}][0]`, s[0], 0);
          whole(`polling.${k}[${i}][1]`, s[1], 1);
        }
      });
  }
  if (!Array.isArray(cfg.retry.backoffMs)) problems.push({ field: 'retry_backoff_ms', message: 'must be a list' });
  else cfg.retry.backoffMs.forEach((v, i) => whole(`retry_backoff_ms[${i}]`, v, 0));
  const d = cfg.degradation;
  whole('degradation.window', d.window, 1);
  whole('degradation.fail_rate_above', d.failRateAbove, 0);
  whole('degradation.cut_to_pct', d.cutToPct, 1);
  whole('degradation.recover_step_pct', d.recoverStepPct, 1);
  whole('degradation.recover_after_successes', d.recoverAfterSuccesses, 1);
  return problems;
}
