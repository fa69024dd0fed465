import { join } from 'node:path';
import { SignJWT } from 'jose';
import { call, sleep } from '../common/http-client';
import { FreshDatabase } from '../common/fresh-database';
import { DbProbe } from './db-probe';
import { cpuPerOp, ratioPct } from './bench-math';
import { hrtimeUs, ProfileWindow } from './cpu-profile';
import { Proc, setUpTenant, startReelay, startSimulator, Tenant, withCpu } from './harness';
import { LoadResult, round, runLoad, runPaced } from './load';

export const AK = 'bench-ak';
export const SK = 'bench-sk';
export const KLING_MODELS = ['kling-v1-6-std', 'kling-v1-6-pro'];
export const SUBMIT = JSON.stringify({
  model: 'kling-v1-6-std',
  prompt: 'A cat on the grass',
  duration: 5,
  aspect_ratio: '16:9',
});
// The same request as Kling itself takes it (what Reelay forwards).
const SUBMIT_DIRECT = JSON.stringify({
  model_name: 'kling-v1-6',
  mode: 'std',
  prompt: 'A cat on the grass',
  duration: '5',
  aspect_ratio: '16:9',
});
// Tasks that stay in flight for the whole run and never call back on their own.
export const PARKED = { processingAfterMs: 3_600_000, completeAfterMs: 7_200_000, dropCallbacks: true };

export interface RelayEnv {
  db: FreshDatabase;
  seconds: number; // per measured load run
  profileDir?: string; // when set, one extra profiled saturation run writes a .cpuprofile here
  workers?: string; // WORKERS for the Reelay process (default 1)
}

export interface SimTaskView {
  task_id: string;
  external_task_id: string | null;
  callback_url: string | null;
  status: string;
  updated_at: number;
}

export async function klingJwt(): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ iss: AK })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setExpirationTime(now + 3600)
    .setNotBefore(now - 5)
    .sign(new TextEncoder().encode(SK));
}

// A Kling simulator whose key takes any number of parallel tasks, all parked.
export async function klingSim(): Promise<Proc> {
  const sim = await startSimulator('kling', `${AK}|${SK}`);
  await parkAll(sim);
  return sim;
}

async function parkAll(sim: Proc): Promise<void> {
  await call(sim.url, 'PATCH', `/__control/keys/${AK}`, { concurrency: 10_000_000 });
  await call(sim.url, 'PATCH', '/__control/behavior', PARKED);
}

// Forgets every task and logged call (a reset restores the default behaviour, so park again).
async function emptySim(sim: Proc): Promise<void> {
  await call(sim.url, 'POST', '/__control/reset');
  await parkAll(sim);
}

export async function relayRig(db: FreshDatabase, env: Record<string, string>, profileDir?: string) {
  const sim = await klingSim();
  const reelay = await startReelay(db, { WORKERS: '1', ...env }, { cpuProfDir: profileDir });
  const tenant = await setUpTenant(
    reelay.url,
    { type: 'kling', baseUrl: sim.url, key: `${AK}|${SK}`, models: KLING_MODELS },
    10_000_000,
  );
  return { sim, reelay, tenant };
}

export async function stopAll(...procs: Proc[]): Promise<void> {
  for (const p of procs) await p.stop();
}

// One load run with Reelay's CPU over it, per 2xx answer.
export async function measured(reelay: Proc, run: () => Promise<LoadResult>): Promise<LoadResult> {
  const { result, cpuMs } = await withCpu(reelay, run);
  return { ...result, cpuMsPerOp: cpuPerOp(cpuMs, result.requests) };
}

export interface SubmitFigures {
  saturation: { direct: LoadResult; reelay: LoadResult; pctOfDirect: number };
  at300: { direct: LoadResult; reelay: LoadResult; addedP50: number; addedP99: number };
  query: { direct: LoadResult; reelay: LoadResult };
}

// Workloads 1 and 2: submit and query through Reelay against the same request straight to
// the simulator, side by side in one run. Background jobs are off in this replica, as in a
// deployment that keeps request serving and polling apart.
export async function submitAndQuery(e: RelayEnv): Promise<SubmitFigures> {
  const { sim, reelay, tenant } = await relayRig(e.db, { JOBS_ENABLED: 'false', WORKERS: e.workers ?? '1' });
  try {
    const jwt = await klingJwt();
    const viaReelay = { url: `${reelay.url}/kling/v1/videos/text2video`, method: 'POST' as const, body: SUBMIT };
    const direct = { url: `${sim.url}/v1/videos/text2video`, method: 'POST' as const, body: SUBMIT_DIRECT };
    const rH = { authorization: `Bearer ${tenant.apiKey}` };
    const dH = { authorization: `Bearer ${jwt}` };
    // Warm both paths (JIT, pools, caches) before measuring.
    await runLoad({ ...viaReelay, headers: rH, connections: 8, seconds: 2 });
    await runLoad({ ...direct, headers: dH, connections: 8, seconds: 2 });

    const satD = await runLoad({ ...direct, headers: dH, connections: 32, seconds: e.seconds });
    const satR = await measured(reelay, () =>
      runLoad({ ...viaReelay, headers: rH, connections: 32, seconds: e.seconds }),
    );
    // Settle after the saturation runs (the database flushes, GC catches up), then pace 300/s.
    // The simulator forgets the ~200,000 tasks the saturation left parked in its heap: its
    // collector's pauses over them landed in whichever paced run they fell into (up to 160 ms).
    await emptySim(sim);
    await sleep(3000);
    const fixD = await runPaced({ ...direct, headers: dH, rate: 300, seconds: e.seconds });
    const fixR = await measured(reelay, () => runPaced({ ...viaReelay, headers: rH, rate: 300, seconds: e.seconds }));

    // Query: recent tasks (younger than STALE_REFRESH_SECONDS, so Reelay answers from its own row).
    const ids: string[] = [];
    for (let i = 0; i < 200; i++) {
      const r = await call<{ task_id: string }>(
        reelay.url,
        'POST',
        '/kling/v1/videos/text2video',
        tenant.apiKey,
        JSON.parse(SUBMIT) as object,
      );
      ids.push(r.task_id);
    }
    const upstream = (await call<SimTaskView[]>(sim.url, 'GET', '/__control/tasks')).slice(-200).map((t) => t.task_id);
    const qR = await measured(reelay, () =>
      runLoad({
        url: reelay.url,
        headers: rH,
        path: (i) => `/kling/v1/videos/${ids[i % ids.length]}`,
        connections: 32,
        seconds: e.seconds,
      }),
    );
    const qD = await runLoad({
      url: sim.url,
      headers: dH,
      path: (i) => `/v1/videos/text2video/${upstream[i % upstream.length]}`,
      connections: 32,
      seconds: e.seconds,
    });
    return {
      saturation: { direct: satD, reelay: satR, pctOfDirect: ratioPct(satR.rps, satD.rps) },
      at300: {
        direct: fixD,
        reelay: fixR,
        addedP50: round(fixR.p50 - fixD.p50),
        addedP99: round(fixR.p99 - fixD.p99),
      },
      query: { direct: qD, reelay: qR },
    };
  } finally {
    await stopAll(reelay, sim);
  }
}

// A separate saturation run under --cpu-prof (profiling skews timing, so it is not measured).
// Returns when the load ran (the profile's clock), so its summary leaves start-up and shutdown out.
export async function profileSubmit(e: RelayEnv & { profileDir: string }): Promise<ProfileWindow> {
  const { sim, reelay, tenant } = await relayRig(e.db, { JOBS_ENABLED: 'false' }, e.profileDir);
  try {
    const fromUs = hrtimeUs();
    await runLoad({
      url: `${reelay.url}/kling/v1/videos/text2video`,
      method: 'POST',
      body: SUBMIT,
      headers: { authorization: `Bearer ${tenant.apiKey}` },
      connections: 32,
      seconds: e.seconds,
    });
    return { fromUs, toUs: hrtimeUs() };
  } finally {
    await stopAll(reelay, sim);
  }
}

// Submits `n` tasks as fast as Reelay takes them (the models taking turns); returns the
// simulator's view of them.
export async function fill(
  reelay: Proc,
  sim: Proc,
  tenant: Tenant,
  n: number,
): Promise<{ tasks: SimTaskView[]; load: LoadResult }> {
  const bodies = KLING_MODELS.map((model) => JSON.stringify({ ...(JSON.parse(SUBMIT) as object), model }));
  const r = await measured(reelay, () =>
    runLoad({
      url: `${reelay.url}/kling/v1/videos/text2video`,
      method: 'POST',
      body: (i) => bodies[i % bodies.length],
      headers: { authorization: `Bearer ${tenant.apiKey}` },
      connections: 32,
      amount: n,
    }),
  );
  if (r.failed > 0) throw new Error(`${r.failed} of ${n} submits failed while filling`);
  return { tasks: await call<SimTaskView[]>(sim.url, 'GET', '/__control/tasks'), load: r };
}

export interface CallbackFigures {
  tasks: number; // settled in all: the timed ones and the warm-up
  warmUp?: number; // settled first, not timed (absent in runs before 2026-12-04)
  firstDelivery: LoadResult;
  duplicates: LoadResult;
  captures: number;
  distinctCaptures: number;
  succeeded: number;
  reconciliationMismatches: number;
}

// Workload 3: 5,000 in-flight tasks settled by their success callbacks, then every callback
// delivered again (Kling may repeat them): exactly one capture per task.
export async function callbacks(e: RelayEnv, n = 5000): Promise<CallbackFigures> {
  // BENCH_CALLBACKS_PROFILE_DIR: a one-worker run writes Reelay's .cpuprofile there (the fill is in it too).
  const profileDir = e.workers && e.workers !== '1' ? undefined : process.env.BENCH_CALLBACKS_PROFILE_DIR;
  const env = { JOBS_ENABLED: 'false', WORKERS: e.workers ?? '1' };
  const { sim, reelay, tenant } = await relayRig(e.db, env, profileDir && join(profileDir, e.db.kind));
  try {
    // A tenth more are settled first, unmeasured: every process's callback path is compiled and
    // its pools open before the timed deliveries (a run of ~2 s otherwise counts each worker's
    // warm-up, twice over with two workers).
    const warmUp = Math.round(n / 10);
    const { tasks } = await fill(reelay, sim, tenant, n + warmUp);
    const now = Date.now();
    const deliveries = tasks.map((t) => {
      const u = new URL(t.callback_url as string);
      return {
        path: u.pathname + u.search,
        body: JSON.stringify({
          task_id: t.task_id,
          task_status: 'succeed',
          task_status_msg: '',
          task_info: { external_task_id: t.external_task_id },
          task_result: {
            videos: [{ id: `v-${t.task_id}`, url: `https://cdn.example.test/${t.task_id}.mp4`, duration: '5' }],
          },
          watermark_info: { enabled: false },
          final_unit_deduction: '1',
          created_at: now,
          updated_at: now,
        }),
      };
    });
    // Autocannon calls path() and body() in the same order, so each request pairs up.
    const deliver = (set: typeof deliveries) =>
      runLoad({
        url: reelay.url,
        method: 'POST',
        path: (i) => set[i % set.length].path,
        body: (i) => set[i % set.length].body,
        connections: 32,
        amount: set.length,
      });
    const [warm, timed] = [deliveries.slice(0, warmUp), deliveries.slice(warmUp)];
    await deliver(warm);
    await deliver(warm);
    const first = await measured(reelay, () => deliver(timed));
    const again = await measured(reelay, () => deliver(timed));
    const probe = await DbProbe.open(e.db);
    try {
      const c = await probe.one<{ n: number; d: number }>(
        "SELECT COUNT(*) AS n, COUNT(DISTINCT ref_id) AS d FROM ledger_entries WHERE kind = 'capture'",
      );
      const s = await probe.one<{ n: number }>("SELECT COUNT(*) AS n FROM videos WHERE status = 'succeed'");
      const recon = await call<{ mismatches: unknown[] }>(
        reelay.url,
        'GET',
        '/api/admin/billing/reconciliation',
        tenant.adminJwt,
      );
      return {
        tasks: n + warmUp,
        warmUp,
        firstDelivery: first,
        duplicates: again,
        captures: Number(c.n),
        distinctCaptures: Number(c.d),
        succeeded: Number(s.n),
        reconciliationMismatches: recon.mismatches.length,
      };
    } finally {
      await probe.close();
    }
  } finally {
    await stopAll(reelay, sim);
  }
}
