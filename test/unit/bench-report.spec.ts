import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hrtimeUs, summarizeProfile } from '../../tools/bench/cpu-profile';
import { processTree, treeCpuMs, treeRssMb } from '../../tools/bench/harness';
import { percentile } from '../../tools/bench/load';
import { cpuPerOp, intervalAt, memoryVerdict, ratioPct, slope } from '../../tools/bench/bench-math';
import { DbResults, evaluateTargets, renderMarkdown, withPrevious } from '../../tools/bench/report';
import { medianRun } from '../../tools/bench/workers-workload';

const load = (rps: number, p50: number, p99: number) => ({
  requests: rps * 10,
  rps,
  p50,
  p99,
  max: p99,
  failed: 0,
  seconds: 10,
});

// A callbacks workload's figures: `captures` of `tasks` settled, duplicates twice as fast.
const callbackRun = (tasks: number, rps: number, captures: number, warmUp?: number) => ({
  tasks,
  ...(warmUp === undefined ? {} : { warmUp }),
  firstDelivery: load(rps, 10, 20),
  duplicates: load(rps * 2, 5, 10),
  captures,
  distinctCaptures: captures,
  succeeded: captures,
  reconciliationMismatches: 0,
});

// The markdown of one MySQL run.
const renderMysql = (results: Omit<DbResults, 'targets'>, targets: DbResults['targets']) =>
  renderMarkdown({
    command: 'npm run bench',
    totalSeconds: 60,
    machine: { cpus: 2, cpuModel: 'x', memoryGb: 24, node: 'v20', os: 'Linux' },
    results: { mysql: { ...results, targets } },
  });

describe('benchmark report', () => {
  it('takes percentiles from sorted samples, nearest rank', () => {
    const xs = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentile(xs, 0.5)).toBe(50);
    expect(percentile(xs, 0.99)).toBe(99);
    expect(percentile([], 0.99)).toBe(0);
  });

  it('divides Reelay’s CPU by the operations completed, and rates Reelay against the direct simulator', () => {
    expect(cpuPerOp(2500, 5000)).toBe(0.5);
    expect(cpuPerOp(1234, 3000)).toBe(0.411); // µs resolution: the bars are fractions of a ms
    expect(cpuPerOp(100, 0)).toBe(0); // nothing completed: no figure rather than Infinity
    expect(ratioPct(486, 17_863)).toBe(2.7);
    expect(ratioPct(1800, 18_000)).toBe(10);
    expect(ratioPct(5, 0)).toBe(0);
  });

  it('counts the CPU of a process and its children (cluster workers) from /proc', async () => {
    // A child that burns 300 ms of CPU, says so, and stays alive.
    const child = spawn(process.execPath, [
      '-e',
      "while (process.cpuUsage().user < 300000); process.stdout.write('spun'); setTimeout(() => {}, 10000);",
    ]);
    try {
      await new Promise((resolve) => child.stdout.once('data', resolve));
      const pid = child.pid as number;
      expect(processTree(process.pid)).toContain(pid);
      expect(treeCpuMs(pid)).toBeGreaterThanOrEqual(290);
      expect(treeCpuMs(process.pid)).toBeGreaterThanOrEqual(treeCpuMs(pid));
      expect(treeRssMb(process.pid)).toBeGreaterThan(treeRssMb(pid));
    } finally {
      child.kill();
    }
  });

  it('reads a poll schedule’s interval at a task’s age', () => {
    const schedule = '0:5000,60000:10000,300000:30000';
    expect(intervalAt(schedule, 0)).toBe(5000);
    expect(intervalAt(schedule, 59_999)).toBe(5000);
    expect(intervalAt(schedule, 60_000)).toBe(10_000);
    expect(intervalAt(schedule, 3_600_000)).toBe(30_000);
  });

  it('calls memory flat when the post-warm-up trend is under the limit, however noisy the samples', () => {
    const series = (mbPer10Min: number) =>
      Array.from({ length: 21 }, (_, k) => ({
        atS: k * 30,
        // A steep warm-up, then the trend plus a ±6 MB GC sawtooth.
        rssMb: (k < 4 ? 100 + k * 30 : 220) + (k * 30 * mbPer10Min) / 600 + (k % 2 === 0 ? 6 : -6),
      }));
    expect(
      slope([
        { x: 0, y: 1 },
        { x: 10, y: 21 },
      ]),
    ).toBe(2);
    expect(slope([{ x: 5, y: 1 }])).toBe(0);
    const flat = memoryVerdict(series(2), 120);
    expect(flat.samplesUsed).toBe(17);
    expect(flat.flat).toBe(true);
    expect(flat.growthMbPer10Min).toBeGreaterThan(0);
    expect(flat.growthMbPer10Min).toBeLessThan(10);
    const leaking = memoryVerdict(series(30), 120);
    expect(leaking.flat).toBe(false);
    expect(leaking.growthMbPer10Min).toBeCloseTo(30, 0);
    // The warm-up's climb alone must not count as growth.
    expect(memoryVerdict(series(0), 0).flat).toBe(false);
    expect(memoryVerdict(series(0), 120).flat).toBe(true);
    expect(memoryVerdict([{ atS: 200, rssMb: 100 }], 120).flat).toBe(false); // one sample proves nothing
  });

  it('checks each figure against #16’s bars and says which are missed, with the previous run beside', () => {
    const cpu = (l: ReturnType<typeof load>, cpuMsPerOp: number) => ({ ...l, cpuMsPerOp });
    const r = {
      database: 'mysql' as const,
      measuredAt: '2026-11-21T00:00:00Z',
      wallSeconds: 200,
      secondsPerRun: 10,
      submit: {
        saturation: { direct: load(18_000, 1, 4), reelay: cpu(load(2000, 10, 30), 0.45), pctOfDirect: 11.1 },
        at300: { direct: load(300, 0.9, 3), reelay: load(300, 2.4, 14), addedP50: 1.5, addedP99: 11 },
        query: { direct: load(9000, 1, 4), reelay: cpu(load(5000, 2, 8), 0.2) },
      },
      callbacks: {
        tasks: 5000,
        firstDelivery: cpu(load(2100, 20, 60), 0.39),
        duplicates: cpu(load(3000, 5, 20), 0.1),
        captures: 5000,
        distinctCaptures: 5000,
        succeeded: 5000,
        reconciliationMismatches: 1,
      },
    };
    const targets = evaluateTargets(r);
    expect(targets.map((t) => [t.name, t.met])).toEqual([
      ['Reelay CPU per submit', true],
      ['Reelay CPU per query', false],
      ['Submit saturation, share of the direct simulator’s rate', true],
      ['Added latency on submit at 300 req/s, p50', true],
      ['Added latency on submit at 300 req/s, p99', false],
      ['Reelay CPU per first callback', true],
      ['First-delivery callbacks settled per second', true],
      ['Double captures after every callback twice', true],
      ['Reconciliation after the callbacks', false],
    ]);
    const before = [
      { name: 'Reelay CPU per submit', bar: '≤ 0.5 ms', actual: '2 ms', met: false },
      { name: 'Reelay CPU per query', bar: '≤ 0.15 ms', actual: '0.4 ms', met: false, previous: '0.5 ms' },
      { name: 'Callbacks settled per second', bar: '≥ 1,000/s', actual: '612/s', met: false },
    ];
    // Re-run targets show the old figure; a target not re-run keeps its own previous.
    const shown = withPrevious(targets, before, new Set(['Reelay CPU per submit']));
    expect(shown[0].previous).toBe('2 ms');
    expect(shown[1].previous).toBe('0.5 ms');
    expect(shown[2].previous).toBeUndefined();
    // Renamed since: the old figure still shows beside the new one.
    const rerunAll = withPrevious(targets, before, new Set(targets.map((t) => t.name)));
    expect(rerunAll.find((t) => t.name === 'First-delivery callbacks settled per second')?.previous).toBe('612/s');
    const md = renderMarkdown({
      command: 'npm run bench',
      totalSeconds: 1925,
      machine: { cpus: 2, cpuModel: 'x', memoryGb: 24, node: 'v20', os: 'Linux' },
      results: { mysql: { ...r, targets: shown } },
    });
    expect(md).toContain('| Reelay CPU per submit | ≤ 0.5 ms | 0.45 ms | 2 ms | yes |');
    expect(md).toContain(
      '| Submit saturation, share of the direct simulator’s rate | ≥ 10 % | 11.1 % (2,000/s of 18,000/s) |',
    );
    expect(md).toContain('| Submit at saturation, through Reelay | 2,000 | 10 | 30 | 0.45 |');
    expect(md).toContain("**Reelay's added latency at 300 req/s** | | **1.5** | **11** |");
    expect(md).toContain('The last run took 32 min 5 s');
  });

  it('judges WORKERS=auto, polling at scale and the soak', () => {
    const cb = (rps: number, captures: number) => callbackRun(500, rps, captures);
    const samples = [0, 30, 60, 90].map((atS) => ({ atS, rssMb: 200 }));
    const results = {
      database: 'mysql' as const,
      measuredAt: '2026-11-21T00:00:00Z',
      wallSeconds: 1,
      secondsPerRun: 10,
      workers: {
        one: { workers: '1', processes: 1, submit: load(500, 50, 90), callbacks: cb(600, 500) },
        auto: { workers: 'auto', processes: 3, submit: load(800, 30, 60), callbacks: cb(900, 499) },
      },
      poll: {
        tasks: 100_000,
        ageSpanS: 600,
        completeWindowS: 60,
        fill: load(1000, 30, 60),
        pollsNeededPerSecond: 7667,
        pollsPerSecond: 7000,
        listPages: 12_000,
        singleQueries: 40,
        cpuMsPerPoll: 0.2,
        cpuPctOfOneCore: 140,
        finished: 100_000,
        worstLagIntervals: 2.4,
        p99LagIntervals: 1.1,
        worstLagMs: 24_000,
        allFinishedAfterS: 140,
        rowsReadPerPoll: 3.1,
        rowsChangedPerPoll: 2.4,
        claimPlan: ['type=range key=idx_videos_next_poll'],
        claimUsesIndex: true,
        claimSortsAll: false,
      },
      soak: {
        seconds: 90,
        sampleEveryS: 30,
        samples,
        verdict: memoryVerdict(samples, 30),
        submits: load(40, 5, 9),
        queries: load(40, 2, 4),
        batches: 2,
        tasksSucceeded: 3600,
        captures: 3600,
        distinctCaptures: 3600,
        reconciliationMismatches: 0,
        cpuMsPerRequest: 1.2,
      },
    };
    const targets = evaluateTargets(results);
    expect(targets.map((t) => [t.name, t.met])).toEqual([
      ['WORKERS=auto: submits/s above one worker', true],
      ['WORKERS=auto: first callbacks/s above one worker, exactly once', false], // 499 captures for 500 tasks
      ['Polling 100,000 in flight: every end noticed within 2 of its intervals', false],
      [
        'Poll claim query: read from an index, each interval’s lane in due order (no full scan, no sort of all in flight)',
        true,
      ],
      ['Soak (2 min): resident memory flat after warm-up', true],
      ['Soak: exactly once and reconciliation clean', true],
    ]);
    const md = renderMysql(results, targets);
    expect(md).toContain('Rows read from `videos` per task polled: **3.1**');
    expect(md).toContain('Rows changed in `videos` per task polled: **2.4**');
    // The heap after each forced collection is shown when every sample has it, and only then.
    expect(md).not.toContain('V8 heap in use');
    const withHeap = { ...results.soak, samples: samples.map((x, i) => ({ ...x, heapMb: 100 + i })) };
    const md2 = renderMarkdown({
      command: 'npm run bench',
      totalSeconds: 60,
      machine: { cpus: 2, cpuModel: 'x', memoryGb: 24, node: 'v24', os: 'Linux' },
      results: { mysql: { ...results, soak: withHeap, targets } },
    });
    expect(md2).toContain(
      `V8 heap in use after the full collection before each sample (MB): ${samples.map((_, i) => 100 + i).join(', ')}.`,
    );
  });

  it('summarises a CPU profile by area and function, idle left out', () =>
    inTempDir((dir) => {
      writeProfile(dir, {
        nodes: [
          { id: 1, callFrame: frame('(idle)', ''), hitCount: 1000 },
          { id: 2, callFrame: frame('query', 'file:///app/node_modules/mysql2/lib/x.js'), hitCount: 30 },
          { id: 3, callFrame: frame('hold', 'file:///app/dist/src/billing/billing.service.js'), hitCount: 10 },
          { id: 4, callFrame: frame('(garbage collector)', ''), hitCount: 10 },
        ],
      });
      const s = summarizeProfile(dir);
      expect(s.samples).toBe(50);
      expect(s.byArea).toEqual([
        { area: 'mysql2', pct: 60 },
        { area: 'reelay/billing', pct: 20 },
        { area: '(garbage collector)', pct: 20 },
      ]);
      expect(s.topFunctions[0]).toEqual({ fn: 'query', where: 'mysql2/lib/x.js:1', pct: 60 });
      expect(s.windowed).toBeUndefined();
    }));

  it('counts only the samples taken within a window of the process.hrtime clock', () =>
    inTempDir((dir) => {
      // Start-up (node 2) for 3 samples, then the load (node 3) for 2, then shutdown (node 2) again.
      writeProfile(dir, {
        nodes: [
          { id: 1, callFrame: frame('(root)', ''), hitCount: 0 },
          { id: 2, callFrame: frame('compile', 'node:internal/modules/cjs/loader'), hitCount: 4 },
          { id: 3, callFrame: frame('hold', 'file:///app/dist/src/billing/billing.service.js'), hitCount: 2 },
        ],
        startTime: 1_000,
        samples: [2, 2, 2, 3, 3, 2],
        timeDeltas: [100, 100, 100, 100, 100, 100],
      });
      expect(summarizeProfile(dir).samples).toBe(6);
      const s = summarizeProfile(dir, { fromUs: 1_350, toUs: 1_500 });
      expect(s).toMatchObject({ samples: 2, windowed: true, byArea: [{ area: 'reelay/billing', pct: 100 }] });
    }));

  it('times a window on the same clock as the profile of another process', () =>
    inTempDir(async (dir) => {
      // A child spins for ~300 ms under --cpu-prof; the window is the parent's clock around it.
      const child = spawn(process.execPath, [
        '--cpu-prof',
        `--cpu-prof-dir=${dir}`,
        '-e',
        'const end = Date.now() + 300; while (Date.now() < end);',
      ]);
      const fromUs = hrtimeUs();
      await new Promise((resolve) => child.on('exit', resolve));
      const toUs = hrtimeUs();
      const all = summarizeProfile(dir);
      const during = summarizeProfile(dir, { fromUs, toUs });
      const before = summarizeProfile(dir, { fromUs: fromUs - 60_000_000, toUs: fromUs - 30_000_000 });
      expect(during.samples).toBeGreaterThan(all.samples / 2);
      expect(before.samples).toBe(0);
    }));

  it('compares WORKERS=1 and auto by the medians of alternated rounds, exactly once in every round', () => {
    const cb = (rps: number, captures = 550) => callbackRun(550, rps, captures, 50);
    const run = (workers: string, submits: number, callbacks: number, captures?: number) => ({
      workers,
      processes: workers === '1' ? 1 : 3,
      submit: load(submits, 20, 40),
      callbacks: cb(callbacks, captures),
    });
    const rounds = [
      { one: run('1', 1600, 2000), auto: run('auto', 1500, 2100) },
      { one: run('1', 2100, 1900), auto: run('auto', 1700, 2300) },
      { one: run('1', 1650, 2200), auto: run('auto', 1800, 2200, 549) },
    ];
    const one = medianRun(rounds.map((r) => r.one));
    const auto = medianRun(rounds.map((r) => r.auto));
    expect([one.submit.rps, one.callbacks.firstDelivery.rps]).toEqual([1650, 2000]);
    expect([auto.submit.rps, auto.callbacks.firstDelivery.rps, auto.callbacks.captures]).toEqual([1700, 2200, 549]);
    const results = {
      database: 'mysql' as const,
      measuredAt: '2026-12-04T00:00:00Z',
      wallSeconds: 1,
      secondsPerRun: 10,
      workers: { one, auto: { ...auto, callbacks: cb(2200) }, rounds },
    };
    // The medians favour auto, but one round captured 549 of 550: not exactly once.
    expect(evaluateTargets(results).map((t) => [t.name, t.met])).toEqual([
      ['WORKERS=auto: submits/s above one worker', true],
      ['WORKERS=auto: first callbacks/s above one worker, exactly once', false],
    ]);
    rounds[2].auto = run('auto', 1800, 2200);
    const targets = evaluateTargets(results);
    expect(targets.map((t) => t.met)).toEqual([true, true]);
    const md = renderMysql(results, targets);
    expect(md).toContain('3 rounds, the two settings alternated');
    expect(md).toContain('| 2 | auto | 3 | 1,700 |');
    expect(md).toContain('| median | 1 | 1 | 1,650 |');
  });
});

const frame = (functionName: string, url: string) => ({ functionName, url, lineNumber: 0, columnNumber: 0 });

function writeProfile(dir: string, profile: object): void {
  writeFileSync(join(dir, 'x.cpuprofile'), JSON.stringify(profile));
}

// Runs `work` with a fresh temporary directory, removed afterwards.
async function inTempDir(work: (dir: string) => void | Promise<void>): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'prof-'));
  try {
    await work(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
