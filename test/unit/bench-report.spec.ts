import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { summarizeProfile } from '../../tools/bench/cpu-profile';
import { percentile } from '../../tools/bench/load';
import { evaluateTargets, renderMarkdown } from '../../tools/bench/report';

const load = (rps: number, p50: number, p99: number) => ({
  requests: rps * 10,
  rps,
  p50,
  p99,
  max: p99,
  failed: 0,
  seconds: 10,
});

describe('benchmark report', () => {
  it('takes percentiles from sorted samples, nearest rank', () => {
    const xs = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentile(xs, 0.5)).toBe(50);
    expect(percentile(xs, 0.99)).toBe(99);
    expect(percentile([], 0.99)).toBe(0);
  });

  it('checks each figure against the issue’s bar and says which are missed', () => {
    const r = {
      database: 'mysql' as const,
      measuredAt: '2026-11-21T00:00:00Z',
      wallSeconds: 200,
      secondsPerRun: 10,
      submit: {
        saturation: { direct: load(9000, 1, 4), reelay: load(2000, 10, 30) },
        at300: { direct: load(300, 0.9, 3), reelay: load(300, 3.4, 14), addedP50: 2.5, addedP99: 11 },
        query: { direct: load(9000, 1, 4), reelay: load(5000, 2, 8) },
      },
      callbacks: {
        tasks: 5000,
        firstDelivery: load(900, 20, 60),
        duplicates: load(3000, 5, 20),
        captures: 5000,
        distinctCaptures: 5000,
        succeeded: 5000,
        reconciliationMismatches: 0,
      },
      polling: {
        tasks: 10000,
        intervalMs: 5000,
        inFlightAtOnce: 10000,
        submitRps: 800,
        pollsPerSecond: 2000,
        finished: 10000,
        worstLagMs: 12_000,
        p99LagMs: 6000,
        allFinishedWithinS: 40,
      },
    };
    const targets = evaluateTargets(r);
    expect(targets.map((t) => [t.name, t.met])).toEqual([
      ['Added latency on submit at 300 req/s, p50', true],
      ['Added latency on submit at 300 req/s, p99', true],
      ['Callbacks settled per second', false],
      ['Double captures after every callback twice', true],
      ['Polling lag at 10,000 in flight (worst)', false],
    ]);
    const md = renderMarkdown({
      command: 'npm run bench',
      machine: { cpus: 2, cpuModel: 'x', memoryGb: 24, node: 'v20', os: 'Linux' },
      results: { mysql: { ...r, targets } },
    });
    expect(md).toContain('| Callbacks settled per second | ≥ 1,000/s | 900/s | **no** |');
    expect(md).toContain("**Reelay's added latency at 300 req/s** | | **2.5** | **11** |");
  });

  it('summarises a CPU profile by area and function, idle left out', () => {
    const dir = mkdtempSync(join(tmpdir(), 'prof-'));
    try {
      const frame = (functionName: string, url: string) => ({ functionName, url, lineNumber: 0, columnNumber: 0 });
      writeFileSync(
        join(dir, 'x.cpuprofile'),
        JSON.stringify({
          nodes: [
            { id: 1, callFrame: frame('(idle)', ''), hitCount: 1000 },
            { id: 2, callFrame: frame('query', 'file:///app/node_modules/mysql2/lib/x.js'), hitCount: 30 },
            { id: 3, callFrame: frame('hold', 'file:///app/dist/src/billing/billing.service.js'), hitCount: 10 },
            { id: 4, callFrame: frame('(garbage collector)', ''), hitCount: 10 },
          ],
        }),
      );
      const s = summarizeProfile(dir);
      expect(s.samples).toBe(50);
      expect(s.byArea).toEqual([
        { area: 'mysql2', pct: 60 },
        { area: 'reelay/billing', pct: 20 },
        { area: '(garbage collector)', pct: 20 },
      ]);
      expect(s.topFunctions[0]).toEqual({ fn: 'query', where: 'mysql2/lib/x.js:1', pct: 60 });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
