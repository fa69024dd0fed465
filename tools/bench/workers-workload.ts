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
  one: WorkersRun;
  auto: WorkersRun;
}

// Submit saturation and first-delivery callbacks with WORKERS=1 and WORKERS=auto, one after the
// other in the same run; each gets its own fresh database.
export async function workers(
  fresh: () => Promise<FreshDatabase>,
  seconds: number,
  callbackTasks: number,
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
  return { one: await run('1'), auto: await run('auto') };
}
