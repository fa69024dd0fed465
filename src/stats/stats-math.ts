// Pure figures for the admin stats, computed from what the database grouped.

export interface CompletionFigures {
  count: number;
  p50: number | null;
  p95: number | null;
  average: number | null;
}

// Percentiles by nearest rank (the smallest value with at least p % of the values at or below
// it) over a histogram of whole seconds, which is what the database keeps: exact, and the
// database returns one row per distinct duration instead of one per task.
export function completionFigures(histogram: ReadonlyArray<{ seconds: number; count: number }>): CompletionFigures {
  const sorted = [...histogram].filter((h) => h.count > 0).sort((a, b) => a.seconds - b.seconds);
  const count = sorted.reduce((n, h) => n + h.count, 0);
  if (count === 0) return { count: 0, p50: null, p95: null, average: null };
  const total = sorted.reduce((s, h) => s + h.seconds * h.count, 0);
  return {
    count,
    p50: nearestRank(sorted, count, 50),
    p95: nearestRank(sorted, count, 95),
    average: round(total / count, 1),
  };
}

function nearestRank(sorted: ReadonlyArray<{ seconds: number; count: number }>, count: number, p: number): number {
  const rank = Math.max(1, Math.ceil((p / 100) * count));
  let seen = 0;
  for (const h of sorted) {
    seen += h.count;
    if (seen >= rank) return h.seconds;
  }
  return sorted[sorted.length - 1].seconds;
}

// part / whole to four decimals; null when there is nothing to divide.
export function ratio(part: number, whole: number): number | null {
  return whole > 0 ? round(part / whole, 4) : null;
}

export function round(value: number, decimals: number): number {
  const f = 10 ** decimals;
  return Math.round(value * f) / f;
}
