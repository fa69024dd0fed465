import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DbKind, freshDatabase } from '../common/fresh-database';
import { batches } from './batch-workloads';
import { summarizeProfile } from './cpu-profile';
import { BenchFile, DbResults, evaluateTargets, machine, renderMarkdown } from './report';
import { callbacks, polling, profileSubmit, submitAndQuery } from './relay-workloads';

// `npm run bench`: Reelay against the direct upstream, on loopback, bounded in time. SQLite
// always; MySQL too when BENCH_MYSQL_URL is set (BENCH_DBS=mysql runs only MySQL). BENCH_ONLY
// picks workloads (submit,callbacks,polling,batch,profile); BENCH_SECONDS sets each load run;
// BENCH_QUICK=1 shrinks every workload tenfold (to check the harness, not to quote).

const ROOT = join(__dirname, '..', '..', '..');
const DOCS = join(ROOT, 'docs');
const WORKLOADS = ['submit', 'callbacks', 'polling', 'batch', 'profile'] as const;
type Workload = (typeof WORKLOADS)[number];
const out = (line = '') => process.stdout.write(`${line}\n`);

async function runDatabase(kind: DbKind, only: Set<Workload>, seconds: number): Promise<DbResults> {
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
  r.submit = await step('submit', (db) => submitAndQuery({ db, seconds }));
  const quick = process.env.BENCH_QUICK === '1';
  r.callbacks = await step('callbacks', (db) => callbacks({ db, seconds }, quick ? 500 : 5000));
  r.polling = await step('polling', (db) => polling({ db, seconds }, quick ? 1000 : 10_000));
  r.batch = await step('batch', (db) => (quick ? batches(db, 500, 5) : batches(db)));
  r.profile = await step('profile', async (db) => {
    const dir = mkdtempSync(join(tmpdir(), 'reelay-prof-'));
    try {
      await profileSubmit({ db, seconds, profileDir: dir });
      return summarizeProfile(dir);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
  r.wallSeconds = (Date.now() - started) / 1000;
  return { ...r, targets: evaluateTargets(r) };
}

async function main(): Promise<void> {
  const seconds = Number(process.env.BENCH_SECONDS ?? 10);
  if (!Number.isFinite(seconds) || seconds < 1 || seconds > 120) throw new Error('BENCH_SECONDS must be 1 to 120');
  const only = new Set(
    (process.env.BENCH_ONLY ?? WORKLOADS.join(','))
      .split(',')
      .map((s) => s.trim())
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
    const fresh = await runDatabase(kind, only, seconds);
    // Workloads not run this time keep their last figures (BENCH_ONLY runs one or two).
    const kept = Object.fromEntries(Object.entries(fresh).filter(([, v]) => v !== undefined));
    const merged = { ...file.results[kind], ...kept } as DbResults;
    const r = { ...merged, targets: evaluateTargets(merged) };
    file.results[kind] = r;
    out();
    for (const t of r.targets) out(`[${kind}] ${t.met ? 'met  ' : 'MISSED'} ${t.name}: ${t.actual} (bar ${t.bar})`);
    // Written after each database, so a later failure keeps what was measured.
    writeFileSync(jsonPath, `${JSON.stringify(file, null, 2)}\n`);
    writeFileSync(join(DOCS, 'benchmarks.md'), renderMarkdown(file));
  }
  out(`\nwrote ${join(DOCS, 'benchmarks.md')} and ${jsonPath}`);
}

main().catch((err: unknown) => {
  process.stderr.write(`bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exitCode = 1;
});
