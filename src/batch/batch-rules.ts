import type { UserPlan } from '../common/auth/auth-user';
import { BatchEngineConfig } from './batch-config';

export type Lane = 'fast' | 'slow';

export interface ItemShape {
  model: string;
  resolution: string;
  duration: number;
}

// Seed 004: floor(plan concurrency × resolution weight × duration weight), at least 1, at most
// the model's cap. Integer arithmetic (weights in thousandths), so 5 × 1.3 is exactly 6.
export function actualConcurrency(cfg: BatchEngineConfig, plan: UserPlan, item: ItemShape): number {
  const base = cfg.plans[plan].concurrency;
  const rw = cfg.resolutionWeights[item.resolution] ?? 1000;
  const dw = cfg.durationWeights[item.duration] ?? 1000;
  const raw = Math.floor((base * rw * dw) / 1_000_000);
  const cap = cfg.modelCaps[item.model] ?? Number.MAX_SAFE_INTEGER;
  return Math.min(cap, Math.max(1, raw));
}

// The degraded limit: a share of the actual concurrency, never below one.
export function degradedConcurrency(actual: number, factorPct: number): number {
  return Math.max(1, Math.floor((actual * factorPct) / 100));
}

// Fast lane: 720p, and 1080p 10 s; slow lane: 1080p 15 s. Inside a lane, shorter first.
export function laneOf(item: Pick<ItemShape, 'resolution' | 'duration'>): Lane {
  return item.resolution === '1080p' && item.duration >= 15 ? 'slow' : 'fast';
}

// Lane, then duration, then resolution (720p first): items that share a limit run together, so
// the scheduler does not wait for a 6-slot run to drain to 3 and back over and over.
export function laneRank(item: Pick<ItemShape, 'resolution' | 'duration'>): number {
  return (laneOf(item) === 'fast' ? 0 : 1_000_000) + item.duration * 10 + (item.resolution === '1080p' ? 1 : 0);
}

// After the n-th failed attempt (1-based), wait this long; null: no retries left.
export function retryDelayMs(cfg: BatchEngineConfig, failedAttempts: number): number | null {
  return cfg.retry.backoffMs[failedAttempts - 1] ?? null;
}

// The user's concurrency share after an outcome, given their last outcomes (newest last):
// over the failure threshold → cut; otherwise climb back one step after enough successes.
export function nextFactorPct(cfg: BatchEngineConfig, currentPct: number, recent: boolean[]): number {
  const d = cfg.degradation;
  const window = recent.slice(-d.window);
  const failures = window.filter((ok) => !ok).length;
  if (window.length > 0 && failures * 1000 > window.length * d.failRateAbove) return Math.min(currentPct, d.cutToPct);
  const streak = window.slice(-d.recoverAfterSuccesses);
  if (currentPct < 100 && streak.length === d.recoverAfterSuccesses && streak.every(Boolean)) {
    return Math.min(100, currentPct + d.recoverStepPct);
  }
  return currentPct;
}
