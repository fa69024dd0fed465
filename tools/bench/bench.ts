import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DbKind, freshDatabase } from '../common/fresh-database';
import { batches } from './batch-workloads';
import { summarizeProfile } from './cpu-profile';
import { pollAtScale } from './poll-workload';
import { BenchFile, DbResults, evaluateTargets, formatDuration, machine, renderMarkdown, withPrevious } from './report';
import { callbacks, profileSubmit, submitAndQuery } from './relay-workloads';
import { soak } from './soak-workload';
import { workers } from './workers-workload';
import { zipDownload } from './zip-workload';

// `npm run bench`: Reelay against the direct upstream, on loopback, bounded in time. SQLite
// always; MySQL too when BENCH_MYSQL_URL is set (BENCH_DBS=mysql runs only MySQL).
//   BENCH_ONLY        workloads to run (submit,callbacks,workers,poll,soak,batch,profile,zip; default all;
//                     workers runs on MySQL only)
//   BENCH_SECONDS     each load run (10)
//   BENCH_POLL_TASKS  tasks in flight for the polling workload (100000)
//   BENCH_POLL_AGE_S  their ages spread over this many seconds (600)
//   BENCH_POLL_PROFILE_DIR  the polling workload's poller writes a .cpuprofile there
//   BENCH_CALLBACKS_PROFILE_DIR  the callbacks workload's Reelay writes one there (its fill's submits come first)
//   BENCH_SOAK_S      the soak's judged length (600)
//   BENCH_SOAK_WARMUP_S  the same traffic before it, sampled, not judged (300)
//   BENCH_WORKERS_ROUNDS  alternated rounds of WORKERS=1 and auto (3)
//   BENCH_QUICK=1     every workload tenfold smaller (to check the harness, not to quote)

const ROOT = join(__dirname, '..', '..', '..');
const DOCS = join(ROOT, 'docs');
const WORKLOADS = ['submit', 'callbacks', 'workers', 'poll', 'soak', 'batch', 'profile', 'zip'] as const;
type Workload = (typeof WORKLOADS)[number];
const ALIASES: Record<string, Workload> = { polling: 'poll' };
const out = (line = '') => process.stdout.write(`${line}\n`);

interface Sizes {
  seconds: number; // each load run
  callbackTasks: number;
  pollTasks: number;
  pollAgeS: number;
  soakS: number;
  soakWarmUpS: number;
  workersRounds: number;
}

// Read and checked before anything runs, so a typo fails at once, not half an hour in.
function sizes(): Sizes {
  const quick = process.env.BENCH_QUICK === '1';
  return {
    seconds: envInt('BENCH_SECONDS', 10, 1, 120),
    callbackTasks: quick ? 500 : 5000,
    pollTasks: envInt('BENCH_POLL_TASKS', quick ? 10_000 : 100_000, 100, 1_000_000),
    pollAgeS: envInt('BENCH_POLL_AGE_S', 600, 0, 86_400),
    soakS: envInt('BENCH_SOAK_S', quick ? 60 : 600, 10, 86_400),
    soakWarmUpS: envInt('BENCH_SOAK_WARMUP_S', quick ? 30 : 300, 0, 86_400),
    workersRounds: envInt('BENCH_WORKERS_ROUNDS', quick ? 1 : 3, 1, 9),
  };
}

async function runDatabase(kind: DbKind, only: Set<Workload>, size: Sizes): Promise<DbResults> {
  const { seconds } = size;
  const mysqlUrl = process.env.BENCH_MYSQL_URL;
  const started = Date.now();
  const r: Omit<DbResults, 'targets'> = {
    database: kind,
    measuredAt: new Date().toISOString(),
    wallSeconds: 0,
    secondsPerRun: seconds,
  };
  // Each workload gets a fresh database and fresh processes, so none inherits another's load.
  const step = async <T>(name: Workload, work: (db: Awaited<ReturnType<typeof freshDatabase>>) => Promise<T>) => {
    if (!only.has(name)) return undefined;
    out(`[${kind}] ${name}…`);
    const db = await freshDatabase(kind, mysqlUrl, 'reelay_bench_');
    try {
      const result = await work(db);
      out(`[${kind}] ${name}: ${JSON.stringify(result)}`);
      return result;
    } finally {
      await db.drop();
    }
  };
  const quick = process.env.BENCH_QUICK === '1';
  r.submit = await step('submit', (db) => submitAndQuery({ db, seconds }));
  r.callbacks = await step('callbacks', (db) => callbacks({ db, seconds }, size.callbackTasks));
  if (kind === 'mysql') {
    r.workers = await step('workers', () =>
      workers(() => freshDatabase(kind, mysqlUrl, 'reelay_bench_'), seconds, size.callbackTasks, size.workersRounds),
    );
  }
  r.poll = await step('poll', (db) => pollAtScale(db, size.pollTasks, size.pollAgeS));
  r.soak = await step('soak', (db) => soak(db, size.soakS, size.soakWarmUpS));
  r.batch = await step('batch', (db) => (quick ? batches(db, 500, 5) : batches(db)));
  r.profile = await step('profile', async (db) => {
    // BENCH_PROFILE_DIR keeps the .cpuprofile (for Chrome DevTools or speedscope).
    const keep = process.env.BENCH_PROFILE_DIR;
    const dir = keep ? join(keep, db.kind) : mkdtempSync(join(tmpdir(), 'reelay-prof-'));
    try {
      return summarizeProfile(dir, await profileSubmit({ db, seconds, profileDir: dir }));
    } finally {
      if (!keep) rmSync(dir, { recursive: true, force: true });
    }
  });
  r.zip = await step('zip', (db) => (quick ? zipDownload(db, 100) : zipDownload(db)));
  r.wallSeconds = (Date.now() - started) / 1000;
  return { ...r, targets: evaluateTargets(r) };
}

function envInt(name: string, dflt: number, min: number, max: number): number {
  const v = process.env[name] === undefined || process.env[name] === '' ? dflt : Number(process.env[name]);
  if (!Number.isInteger(v) || v < min || v > max)
    throw new Error(`${name} must be a whole number from ${min} to ${max}`);
  return v;
}

async function main(): Promise<void> {
  const benchStarted = Date.now();
  const size = sizes();
  const only = new Set(
    (process.env.BENCH_ONLY ?? WORKLOADS.join(','))
      .split(',')
      .map((s) => ALIASES[s.trim()] ?? s.trim())
      .filter((s): s is Workload => {
        if (!(WORKLOADS as readonly string[]).includes(s)) throw new Error(`BENCH_ONLY: unknown workload "${s}"`);
        return true;
      }),
  );
  const dbs: DbKind[] = process.env.BENCH_DBS
    ? (process.env.BENCH_DBS.split(',') as DbKind[])
    : process.env.BENCH_MYSQL_URL
      ? ['sqlite', 'mysql']
      : ['sqlite'];
  if (dbs.includes('mysql') && !process.env.BENCH_MYSQL_URL) throw new Error('BENCH_DBS=mysql needs BENCH_MYSQL_URL');

  const jsonPath = join(DOCS, 'bench-results.json');
  const file: BenchFile = existsSync(jsonPath)
    ? (JSON.parse(readFileSync(jsonPath, 'utf8')) as BenchFile)
    : { command: '', machine: machine(), results: {} };
  file.machine = machine();
  file.command = 'BENCH_MYSQL_URL=mysql://root@127.0.0.1:3306/test npm run bench';
  for (const kind of dbs) {
    const fresh = await runDatabase(kind, only, size);
    // Workloads not run this time keep their last figures (BENCH_ONLY runs one or two).
    const kept = Object.fromEntries(Object.entries(fresh).filter(([, v]) => v !== undefined));
    const before = file.results[kind];
    // `polling` was the 10,000-task workload before #16's 100,000; its figures no longer render.
    const { polling: _old, ...merged } = { ...before, ...kept } as DbResults & { polling?: unknown };
    const rerun = new Set(fresh.targets.map((t) => t.name));
    const r = { ...merged, targets: withPrevious(evaluateTargets(merged), before?.targets, rerun) };
    file.results[kind] = r;
    out();
    for (const t of r.targets) out(`[${kind}] ${t.met ? 'met  ' : 'MISSED'} ${t.name}: ${t.actual} (bar ${t.bar})`);
    // Written after each database, so a later failure keeps what was measured.
    writeFileSync(jsonPath, `${JSON.stringify(file, null, 2)}\n`);
    writeFileSync(join(DOCS, 'benchmarks.md'), renderMarkdown(file));
  }
  file.totalSeconds = (Date.now() - benchStarted) / 1000;
  writeFileSync(jsonPath, `${JSON.stringify(file, null, 2)}\n`);
  writeFileSync(join(DOCS, 'benchmarks.md'), renderMarkdown(file));
  out(`\nwrote ${join(DOCS, 'benchmarks.md')} and ${jsonPath}`);
  out(`bench took ${formatDuration(file.totalSeconds)}`);
}

main().catch((err: unknown) => {
  process.stderr.write(`bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exitCode = 1;
});
