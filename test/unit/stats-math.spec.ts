import { completionFigures, ratio } from '../../src/stats/stats-math';

describe('completionFigures (nearest rank over a histogram of seconds)', () => {
  it('gives p50, p95 and the mean of the durations the histogram holds', () => {
    // Durations 10, 20, 20, 30, 100 seconds.
    const f = completionFigures([
      { seconds: 30, count: 1 },
      { seconds: 10, count: 1 },
      { seconds: 20, count: 2 },
      { seconds: 100, count: 1 },
    ]);
    // p50: rank ceil(2.5) = 3 → 20; p95: rank ceil(4.75) = 5 → 100; mean 180 / 5 = 36.
    expect(f).toEqual({ count: 5, p50: 20, p95: 100, average: 36 });
  });

  it('matches sorting every duration when there are many', () => {
    const durations = Array.from({ length: 1000 }, (_, i) => (i * 7919) % 613);
    const histogram = new Map<number, number>();
    for (const d of durations) histogram.set(d, (histogram.get(d) ?? 0) + 1);
    const sorted = [...durations].sort((a, b) => a - b);
    const f = completionFigures([...histogram].map(([seconds, count]) => ({ seconds, count })));
    expect(f.p50).toBe(sorted[Math.ceil(0.5 * 1000) - 1]);
    expect(f.p95).toBe(sorted[Math.ceil(0.95 * 1000) - 1]);
    expect(f.average).toBeCloseTo(durations.reduce((a, b) => a + b, 0) / 1000, 1);
  });

  it('is empty without measurements', () => {
    expect(completionFigures([])).toEqual({ count: 0, p50: null, p95: null, average: null });
    expect(completionFigures([{ seconds: 5, count: 1 }])).toEqual({ count: 1, p50: 5, p95: 5, average: 5 });
  });
});

describe('ratio', () => {
  it('divides to four decimals, and is null with nothing to divide', () => {
    expect(ratio(2, 3)).toBe(0.6667);
    expect(ratio(0, 0)).toBeNull();
  });
});
