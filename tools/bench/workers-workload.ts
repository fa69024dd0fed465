import { FreshDatabase } from '../common/fresh-database';
import { processTree } from './harness';
import { LoadResult, runLoad } from './load';
import { callbacks, CallbackFigures, measured, relayRig, stopAll, SUBMIT } from './relay-workloads';

export interface WorkersRun {
  workers: string; // the WORKERS value Reelay was started with
  processes: number; // Reelay processes seen under load (primary + workers)
  submit: LoadResult;
  callbacks: CallbackFigures;
}

export interface WorkersFigures {
  // The median of the rounds (submits and callbacks each from the round with the median rate).
  one: WorkersRun;
  auto: WorkersRun;
  rounds?: Array<{ one: WorkersRun; auto: WorkersRun }>; // absent in runs before 2026-12-04
}

// Submit saturation and first-delivery callbacks with WORKERS=1 and WORKERS=auto over `rounds`
// rounds in the same run, alternated (1, auto, auto, 1, 1, auto, …): one run of each differed by
// less than runs of the same setting did (one worker's submits measured 1,661 and 2,102/s within
// one run). Each run gets its own fresh database; the comparison is of the medians.
export async function workers(
  fresh: () => Promise<FreshDatabase>,
  seconds: number,
  callbackTasks: number,
  rounds = 3,
): Promise<WorkersFigures> {
  const run = async (w: string): Promise<WorkersRun> => {
    const db = await fresh();
    try {
      const { sim, reelay, tenant } = await relayRig(db, { JOBS_ENABLED: 'false', WORKERS: w });
      let submit: LoadResult;
      let processes = 1;
      try {
        const spec = {
          url: `${reelay.url}/kling/v1/videos/text2video`,
          method: 'POST' as const,
          body: SUBMIT,
          headers: { authorization: `Bearer ${tenant.apiKey}` },
          connections: 32,
        };
        await runLoad({ ...spec, seconds: 2 }); // warm every worker
        processes = processTree(reelay.pid).length;
        submit = await measured(reelay, () => runLoad({ ...spec, seconds }));
      } finally {
        await stopAll(reelay, sim);
      }
      await db.drop();
      const cbDb = await fresh();
      try {
        return {
          workers: w,
          processes,
          submit,
          callbacks: await callbacks({ db: cbDb, seconds, workers: w }, callbackTasks),
        };
      } finally {
        await cbDb.drop();
      }
    } catch (err) {
      await db.drop().catch(() => undefined);
      throw err;
    }
  };
  const all: Array<{ one: WorkersRun; auto: WorkersRun }> = [];
  for (let i = 0; i < rounds; i++) {
    // Each round starts with the setting the last one ended with, so neither always runs first.
    if (i % 2 === 0) all.push({ one: await run('1'), auto: await run('auto') });
    else {
      const auto = await run('auto');
      all.push({ one: await run('1'), auto });
    }
  }
  return { one: medianRun(all.map((r) => r.one)), auto: medianRun(all.map((r) => r.auto)), rounds: all };
}

// Submits from the round with the median submit rate, callbacks from the one with the median
// callback rate.
export function medianRun(runs: WorkersRun[]): WorkersRun {
  const median = (rate: (r: WorkersRun) => number) =>
    [...runs].sort((a, b) => rate(a) - rate(b))[(runs.length - 1) >> 1];
  const bySubmit = median((r) => r.submit.rps);
  const byCallbacks = median((r) => r.callbacks.firstDelivery.rps);
  return { ...bySubmit, processes: Math.max(...runs.map((r) => r.processes)), callbacks: byCallbacks.callbacks };
}
