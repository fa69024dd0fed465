import { call, sleep } from '../common/http-client';
import { FreshDatabase } from '../common/fresh-database';
import { cpuPerOp, intervalAt } from './bench-math';
import { DbProbe } from './db-probe';
import { Proc, setUpTenant, startReelay, withCpu } from './harness';
import { LoadResult, percentile, round, runLoad } from './load';
import { pollDueParams, pollDueSql, pollLanesSql } from '../../src/relay/core/video-task.repository';
import { AK, fill, KLING_MODELS, klingSim, SimTaskView, SK } from './relay-workloads';

export interface PollScaleFigures {
  tasks: number;
  ageSpanS: number; // in-flight ages spread evenly over 0..ageSpanS (a steady flow of tasks)
  completeWindowS: number; // the simulator finishes them at random moments in this window
  fill: LoadResult; // the submits that made them (through Reelay, jobs off)
  pollsNeededPerSecond: number; // what the schedules ask for at the window's start
  pollsPerSecond: number; // due tasks Reelay polled per second while the tasks were finishing
  // Upstream calls behind those polls over the whole run: task list pages and single-task queries
  // (absent from results recorded before the poller read lists).
  listPages?: number;
  singleQueries?: number;
  cpuMsPerPoll: number;
  cpuPctOfOneCore: number;
  finished: number;
  worstLagIntervals: number;
  p99LagIntervals: number;
  worstLagMs: number;
  allFinishedAfterS: number;
  rowsReadPerPoll: number | null; // MySQL: rows read from `videos` (TABLE_STATISTICS) per task polled
  // MySQL: rows changed in `videos` per task polled (claims, hand-backs and the ends; absent from
  // results recorded before it was measured).
  rowsChangedPerPoll?: number | null;
  claimPlan: string[]; // the claim query's plan (EXPLAIN on MySQL, EXPLAIN QUERY PLAN on SQLite)
  claimUsesIndex: boolean; // no full table scan
  claimSortsAll: boolean; // sorts every matching row for ORDER BY … LIMIT (reads all in flight)
}

const COMPLETE_WINDOW_S = 60;

// Workload: BENCH_POLL_TASKS (100,000) tasks in flight with callbacks dropped, so only the poller
// finds their ends. They are submitted through Reelay with its jobs off (the fill), then their
// ages are spread evenly over BENCH_POLL_AGE_S (as a steady flow of tasks would have them) and
// their next polls spread over each one's interval; a Reelay with the poller on (production
// tick and schedules) then takes over while the simulator finishes every task at a random
// moment of the next minute. Lag is measured in the task's own poll interval at its age.
export async function pollAtScale(db: FreshDatabase, n: number, ageSpanS: number): Promise<PollScaleFigures> {
  const sim = await klingSim();
  try {
    const filled = await fillParked(db, sim, n);
    const probe = await DbProbe.open(db, { writable: true });
    try {
      const spread = await backdate(probe, ageSpanS);
      const plan = await claimPlan(probe);
      const run = await pollRun(db, probe, sim, filled.tasks, COMPLETE_WINDOW_S + 2 * spread.maxIntervalS + 60);
      const lags = await lagsInIntervals(probe, sim.url);
      return {
        tasks: n,
        ageSpanS,
        completeWindowS: COMPLETE_WINDOW_S,
        fill: filled.load,
        pollsNeededPerSecond: spread.pollsNeededPerSecond,
        pollsPerSecond: run.windowPollsPerSecond,
        listPages: run.listPages,
        singleQueries: run.queries - run.listPages,
        cpuMsPerPoll: cpuPerOp(run.cpuMs, run.polls),
        cpuPctOfOneCore: round((run.cpuMs / (run.seconds * 1000)) * 100, 1),
        finished: lags.finished,
        worstLagIntervals: lags.worst,
        p99LagIntervals: lags.p99,
        worstLagMs: lags.worstMs,
        allFinishedAfterS: run.finishedAfterS,
        rowsReadPerPoll: perPoll(run.rows?.read, run.polls),
        rowsChangedPerPoll: perPoll(run.rows?.changed, run.polls),
        ...plan,
      };
    } finally {
      await probe.close();
    }
  } finally {
    await sim.stop();
  }
}

// The fill: `n` submits through a Reelay with its jobs off (every worker the machine has on MySQL;
// SQLite takes one writer process), the tasks parked upstream.
async function fillParked(db: FreshDatabase, sim: Proc, n: number) {
  const workers = db.kind === 'mysql' ? 'auto' : '1';
  const filler = await startReelay(db, { JOBS_ENABLED: 'false', WORKERS: workers });
  try {
    const channel = { type: 'kling' as const, baseUrl: sim.url, key: `${AK}|${SK}`, models: KLING_MODELS };
    const tenant = await setUpTenant(filler.url, channel, 100_000_000);
    return await fill(filler, sim, tenant, n);
  } finally {
    await filler.stop();
  }
}

// One Reelay with the poller on while the simulator finishes every task; its CPU, the due tasks
// it polled (its own count: one list page answers for hundreds), the upstream calls behind them,
// and the rows the database read meanwhile.
async function pollRun(db: FreshDatabase, probe: DbProbe, sim: Proc, tasks: SimTaskView[], timeoutS: number) {
  const upstream = () => call<{ queries: number; listPages: number }>(sim.url, 'GET', '/__control/stats');
  const stats = await TableRows.start(probe);
  // BENCH_POLL_PROFILE_DIR: the poller writes a .cpuprofile there (to see where its CPU goes).
  const profileDir = process.env.BENCH_POLL_PROFILE_DIR || undefined;
  const poller = await startReelay(db, { WORKERS: '1', METRICS_TOKEN }, { cpuProfDir: profileDir });
  try {
    const u0 = await upstream();
    const p0 = await polledBy(poller);
    const t0 = Date.now();
    let windowPollsPerSecond = 0;
    const { result: finishedAfterS, cpuMs } = await withCpu(poller, async () => {
      await finishAtRandom(sim.url, tasks);
      windowPollsPerSecond = Math.round(((await polledBy(poller)) - p0) / ((Date.now() - t0) / 1000));
      return waitAllFinished(probe, tasks.length, t0, timeoutS);
    });
    const seconds = (Date.now() - t0) / 1000;
    const polls = (await polledBy(poller)) - p0;
    const u1 = await upstream();
    return {
      windowPollsPerSecond,
      finishedAfterS,
      cpuMs,
      seconds,
      polls,
      queries: u1.queries - u0.queries,
      listPages: u1.listPages - u0.listPages,
      rows: await stats.delta(),
    };
  } finally {
    await poller.stop();
    await stats.stop();
  }
}

const METRICS_TOKEN = 'bench-metrics-token-0123456789abcdef';

// Due tasks the Reelay polled so far (reelay_polls_total, however answered).
async function polledBy(reelay: Proc): Promise<number> {
  const res = await fetch(`${reelay.url}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
  if (!res.ok) throw new Error(`GET /metrics → ${res.status}`);
  return (await res.text())
    .split('\n')
    .filter((line) => /^reelay_polls_total[{ ]/.test(line))
    .reduce((sum, line) => sum + Number(line.slice(line.lastIndexOf(' ') + 1)), 0);
}

// Spreads ages over 0..ageSpanS and each next poll over the interval at that age (its lane), in chunks of
// 250 rows per UPDATE (short CASE lists: each row's CASE is a linear search). Returns the polls per second the schedules then ask for.
async function backdate(
  probe: DbProbe,
  ageSpanS: number,
): Promise<{ pollsNeededPerSecond: number; maxIntervalS: number }> {
  const rows = await probe.all<{ id: number; created_at: number; poll_schedule: string }>(
    'SELECT id, created_at, poll_schedule FROM videos ORDER BY id',
  );
  const nowMs = Date.now();
  let demand = 0;
  let maxInterval = 0;
  for (let i = 0; i < rows.length; i += 250) {
    const chunk = rows.slice(i, i + 250);
    const created: string[] = [];
    const next: string[] = [];
    const lane: string[] = [];
    for (const [j, r] of chunk.entries()) {
      const ageS = Math.floor(((i + j) / rows.length) * ageSpanS); // even spread, by fill order
      const interval = intervalAt(r.poll_schedule, ageS * 1000);
      demand += 1000 / interval;
      maxInterval = Math.max(maxInterval, intervalAt(r.poll_schedule, (ageS + COMPLETE_WINDOW_S) * 1000));
      created.push(`WHEN ${Number(r.id)} THEN ${Math.floor(nowMs / 1000) - ageS}`);
      next.push(`WHEN ${Number(r.id)} THEN ${nowMs + Math.floor(Math.random() * interval)}`);
      lane.push(`WHEN ${Number(r.id)} THEN ${interval}`);
    }
    await probe.exec(
      `UPDATE videos SET created_at = CASE id ${created.join(' ')} END, next_poll_at_ms = CASE id ${next.join(' ')} END, poll_interval_ms = CASE id ${lane.join(' ')} END WHERE id IN (${chunk.map((r) => Number(r.id)).join(',')})`,
    );
  }
  return { pollsNeededPerSecond: Math.round(demand), maxIntervalS: maxInterval / 1000 };
}

// The claim query VideoTaskRepository.claimDuePolls runs, explained on the filled table.
async function claimPlan(
  probe: DbProbe,
): Promise<{ claimPlan: string[]; claimUsesIndex: boolean; claimSortsAll: boolean }> {
  const lanes = (await probe.all<{ every: number }>(pollLanesSql(probe.kind === 'mysql'), [])).map((r) =>
    Number(r.every),
  );
  const sql = pollDueSql(lanes.length);
  const params = pollDueParams(lanes, Date.now(), 200);
  if (probe.kind === 'sqlite') {
    const plan = await probe.all<{ detail: string }>(`EXPLAIN QUERY PLAN ${sql}`, params);
    const lines = plan.map((p) => p.detail);
    return {
      claimPlan: lines,
      claimUsesIndex:
        lines.some((l) => /USING (COVERING )?INDEX/.test(l)) && !lines.some((l) => /^SCAN videos\b/.test(l)),
      claimSortsAll: lines.some((l) => /TEMP B-TREE/.test(l)),
    };
  }
  const plan = await probe.all<Record<string, unknown>>(`EXPLAIN ${sql}`, params);
  const lines = plan.map((p) =>
    ['select_type', 'table', 'type', 'possible_keys', 'key', 'rows', 'Extra']
      .map((k) => `${k}=${String(p[k])}`)
      .join(' '),
  );
  return {
    claimPlan: lines,
    // The lanes' derived tables (up to 200 rows each) are read whole; `videos` only by index.
    claimUsesIndex: plan.filter((p) => p.table === 'videos').every((p) => p.type !== 'ALL' && p.key !== null),
    claimSortsAll: plan.some((p) => /filesort|temporary/i.test(String(p.Extra))),
  };
}

// The simulator finishes each task (succeed) in random order, evenly over the window.
async function finishAtRandom(simUrl: string, tasks: SimTaskView[]): Promise<void> {
  const ids = tasks.map((t) => t.task_id);
  for (let i = ids.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [ids[i], ids[j]] = [ids[j], ids[i]];
  }
  await runLoad({
    url: simUrl,
    method: 'POST',
    path: (i) => `/__control/tasks/${ids[i % ids.length]}/complete`,
    body: '{"outcome":"succeed"}',
    connections: 16,
    rate: Math.max(1, Math.ceil(ids.length / COMPLETE_WINDOW_S)),
    amount: ids.length,
  });
}

// Counted from the ledger (one capture per finished task), so the count does not read `videos`
// and its row statistics stay the poller's own.
async function waitAllFinished(probe: DbProbe, n: number, t0: number, timeoutS: number): Promise<number> {
  while (Date.now() - t0 < timeoutS * 1000) {
    const c = await probe.one<{ n: number }>("SELECT COUNT(*) AS n FROM ledger_entries WHERE kind = 'capture'");
    if (Number(c.n) >= n) break;
    await sleep(1000);
  }
  return round((Date.now() - t0) / 1000, 1);
}

// Each task's lag (Reelay's finished_at, whole seconds rounded up, minus the simulator's finish)
// in units of its poll interval at the age it finished.
async function lagsInIntervals(probe: DbProbe, simUrl: string) {
  const doneAt = new Map(
    (await call<SimTaskView[]>(simUrl, 'GET', '/__control/tasks')).map((t) => [t.task_id, t.updated_at]),
  );
  const rows = await probe.all<{
    upstream_task_id: string;
    created_at: number;
    finished_at: number;
    poll_schedule: string;
  }>('SELECT upstream_task_id, created_at, finished_at, poll_schedule FROM videos WHERE finished_at IS NOT NULL');
  const ms: number[] = [];
  const units: number[] = [];
  for (const r of rows) {
    const done = doneAt.get(r.upstream_task_id) ?? 0;
    const lag = Math.max(0, (Number(r.finished_at) + 1) * 1000 - done);
    ms.push(lag);
    units.push(lag / intervalAt(r.poll_schedule, done - Number(r.created_at) * 1000));
  }
  ms.sort((a, b) => a - b);
  units.sort((a, b) => a - b);
  return {
    finished: rows.length,
    worst: round(units[units.length - 1] ?? 0),
    p99: round(percentile(units, 0.99)),
    worstMs: ms[ms.length - 1] ?? 0,
  };
}

const perPoll = (rows: number | undefined, polls: number): number | null =>
  rows === undefined ? null : round(rows / Math.max(1, polls), 2);

interface RowCounts {
  read: number;
  changed: number;
}

// Rows read from and changed in this database's `videos` table (MariaDB's user statistics, per
// schema and table, so other databases on a shared server do not count). SQLite keeps no such
// counter: null.
class TableRows {
  private constructor(
    private readonly probe: DbProbe,
    private readonly before: RowCounts | null,
    private readonly restoreUserstat: boolean,
  ) {}

  static async start(probe: DbProbe): Promise<TableRows> {
    if (probe.kind !== 'mysql') return new TableRows(probe, null, false);
    const on = Number((await probe.one<{ v: number }>('SELECT @@userstat AS v')).v) === 1;
    try {
      if (!on) await probe.exec('SET GLOBAL userstat = 1');
    } catch {
      return new TableRows(probe, null, false); // no privilege: no figure
    }
    return new TableRows(probe, await TableRows.read(probe), !on);
  }

  private static async read(probe: DbProbe): Promise<RowCounts> {
    const r = await probe.one<{ r: number; c: number } | undefined>(
      'SELECT ROWS_READ AS r, ROWS_CHANGED AS c FROM information_schema.TABLE_STATISTICS ' +
        "WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'videos'",
    );
    return { read: Number(r?.r ?? 0), changed: Number(r?.c ?? 0) };
  }

  async delta(): Promise<RowCounts | null> {
    if (this.before === null) return null;
    const now = await TableRows.read(this.probe);
    return { read: now.read - this.before.read, changed: now.changed - this.before.changed };
  }

  async stop(): Promise<void> {
    if (this.restoreUserstat) await this.probe.exec('SET GLOBAL userstat = 0');
  }
}
