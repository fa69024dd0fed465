// The arithmetic behind the report's verdicts, kept apart from I/O so it is unit-tested.

// Milliseconds of CPU per completed operation (3 decimals: 0.5 ms bars need µs resolution).
export function cpuPerOp(cpuMs: number, operations: number): number {
  return operations > 0 ? Math.round((cpuMs / operations) * 1000) / 1000 : 0;
}

// A part of a whole in percent, one decimal (Reelay's rate as a share of the direct simulator's).
export function ratioPct(part: number, whole: number): number {
  return whole > 0 ? Math.round((part / whole) * 1000) / 10 : 0;
}

// Least-squares slope of y over x (units of y per unit of x); 0 with fewer than two points.
export function slope(points: ReadonlyArray<{ x: number; y: number }>): number {
  const n = points.length;
  if (n < 2) return 0;
  const mx = points.reduce((s, p) => s + p.x, 0) / n;
  const my = points.reduce((s, p) => s + p.y, 0) / n;
  let num = 0;
  let den = 0;
  for (const p of points) {
    num += (p.x - mx) * (p.y - my);
    den += (p.x - mx) ** 2;
  }
  return den === 0 ? 0 : num / den;
}

export interface MemorySample {
  atS: number; // seconds since the soak began
  rssMb: number;
  heapMb?: number; // V8 heap in use right after a full collection (the soak forces one per sample)
  heapTotalMb?: number; // V8 heap committed then (since 2026-12-04 evening, as the next two)
  externalMb?: number; // off-heap memory V8 knows of (Buffers)
  anonMb?: number; // the process's anonymous memory (/proc/self/smaps_rollup)
}

export interface MemoryVerdict {
  warmUpS: number;
  samplesUsed: number;
  growthMbPer10Min: number;
  limitMbPer10Min: number;
  flat: boolean;
}

// A leak shows as a trend, not as a high sample: the post-warm-up samples' regression slope,
// scaled to 10 minutes, must stay under the limit. 10 MB per 10 minutes is below what V8's heap
// sawtooth and allocator caches move in a healthy process, and a leak of 200 bytes per request
// at the soak's ~100 requests/s (12 MB per 10 minutes) already crosses it.
export function memoryVerdict(samples: MemorySample[], warmUpS: number, limitMbPer10Min = 10): MemoryVerdict {
  const used = samples.filter((s) => s.atS >= warmUpS);
  const perS = slope(used.map((s) => ({ x: s.atS, y: s.rssMb })));
  const growth = Math.round(perS * 600 * 10) / 10;
  return {
    warmUpS,
    samplesUsed: used.length,
    growthMbPer10Min: growth,
    limitMbPer10Min,
    flat: used.length >= 2 && growth < limitMbPer10Min,
  };
}

// A poll schedule's interval at a task's age ("age:interval,…" in ms, as stored on the task).
export function intervalAt(schedule: string, ageMs: number): number {
  const steps = schedule.split(',').map((s) => s.split(':').map(Number) as [number, number]);
  let interval = steps[0][1];
  for (const [at, every] of steps) if (ageMs >= at) interval = every;
  return interval;
}
