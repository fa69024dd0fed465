import { call, sleep } from '../common/http-client';
import { FreshDatabase } from '../common/fresh-database';
import { setUpTenant, startReelay, startSimulator } from './harness';
import { round } from './load';

const KIE_KEY = 'kie-bench';
const TASK_MS = 600; // how long the simulator takes per video

export interface BatchFigures {
  makespan: { items: number; makespanMs: number; optimumMs: number; ratio: number; maxConcurrent: number };
  big: {
    items: number;
    concurrency: number;
    createMs: number;
    rssIdleMb: number;
    rssPeakMb: number;
    runSeconds: number;
    itemsFinished: number;
    itemsPerSecond: number;
  };
}

interface BatchView {
  id: string;
  status: string;
  counts: Record<string, number>;
}

const KINDS = [
  { model: 'sora-2', resolution: '720p', duration: 10, limit: 6 },
  { model: 'sora-2-pro', resolution: '720p', duration: 15, limit: 5 },
  { model: 'sora-2-pro', resolution: '1080p', duration: 10, limit: 4 },
  { model: 'sora-2-pro', resolution: '1080p', duration: 15, limit: 3 },
];

// Workload 5: a 100-item mixed batch on pro_plus against the concurrency-bound optimum (each
// kind's videos back to back at that kind's limit), then a 5,000-item batch on an admin-raised
// plan while Reelay's resident memory is sampled. Time constants run 100× compressed.
export async function batches(db: FreshDatabase, bigItems = 5000, bigSeconds = 20): Promise<BatchFigures> {
  const sim = await startSimulator('kie', KIE_KEY);
  // A reset restores the simulator's defaults, so the behaviour is set again after each.
  const resetSim = async () => {
    await call(sim.url, 'POST', '/__control/reset');
    await call(sim.url, 'PATCH', '/__control/behavior', { processingAfterMs: 50, completeAfterMs: TASK_MS });
    await call(sim.url, 'PATCH', `/__control/keys/${KIE_KEY}`, { credits: 1_000_000_000 });
  };
  await resetSim();
  const reelay = await startReelay(db, { BATCH_TIME_SCALE: '0.01', BATCH_TICK_MS: '20', POLL_TICK_MS: '100' });
  try {
    const t = await setUpTenant(
      reelay.url,
      { type: 'kie', baseUrl: sim.url, key: KIE_KEY, models: ['sora-2', 'sora-2-pro'] },
      10_000_000,
    );
    const admin = t.adminJwt;
    const setConfig = (doc: object) => call(reelay.url, 'PUT', '/api/admin/batch/config', admin, doc);
    const setPlan = (plan: string) => call(reelay.url, 'PATCH', `/api/admin/users/${t.userId}`, admin, { plan });
    const detail = (id: string) => call<BatchView>(reelay.url, 'GET', `/api/v1/workflow/batches/${id}`, t.apiKey);

    // 100 mixed items, one batch.
    await setPlan('pro_plus');
    await setConfig({ plans: { pro_plus: { max_batch_rows: 100 } } });
    const rows = Array.from({ length: 100 }, (_, i) => {
      const { limit: _l, ...k } = KINDS[(i * 7) % 4];
      return { prompt: `video ${i}`, ...k };
    });
    const optimumMs = rows.reduce(
      (s, r) =>
        s +
        TASK_MS /
          (KINDS.find((k) => k.model === r.model && k.resolution === r.resolution && k.duration === r.duration)
            ?.limit ?? 1),
      0,
    );
    await resetSim();
    const started = Date.now();
    const b = await call<BatchView>(reelay.url, 'POST', '/api/v1/workflow/batch-generate', t.apiKey, {
      rows,
      generationType: 'video',
    });
    await until(async () => (await detail(b.id)).status === 'completed', 120_000);
    const makespanMs = Date.now() - started;
    const stats = await call<{ maxConcurrentByKey: Record<string, number> }>(sim.url, 'GET', '/__control/stats');

    // 5,000 items: enterprise raised to 50 at once and 5,000 rows per batch.
    await setPlan('enterprise');
    await setConfig({
      plans: { enterprise: { concurrency: 50, max_batch_rows: bigItems } },
      model_caps: { 'sora-2': 50 },
      duration_weights: { '10': 1 },
    });
    await sleep(1100); // every replica's settings cache turns over
    const rssIdleMb = reelay.rssMb();
    const bigRows = Array.from({ length: bigItems }, (_, i) => ({
      prompt: `item ${i}`,
      model: 'sora-2',
      resolution: '720p',
      duration: 10,
    }));
    const c0 = Date.now();
    const big = await call<BatchView>(reelay.url, 'POST', '/api/v1/workflow/batch-generate', t.apiKey, {
      rows: bigRows,
      generationType: 'video',
    });
    const createMs = Date.now() - c0;
    let rssPeakMb = rssIdleMb;
    const r0 = Date.now();
    while (Date.now() - r0 < bigSeconds * 1000) {
      rssPeakMb = Math.max(rssPeakMb, reelay.rssMb());
      await sleep(250);
    }
    const runSeconds = (Date.now() - r0) / 1000;
    const counts = (await detail(big.id)).counts;
    const itemsFinished = (counts.succeed ?? 0) + (counts.failed ?? 0);
    await call(reelay.url, 'POST', `/api/v1/workflow/batches/${big.id}/cancel`, t.apiKey);
    return {
      makespan: {
        items: rows.length,
        makespanMs,
        optimumMs: Math.round(optimumMs),
        ratio: round(makespanMs / optimumMs),
        maxConcurrent: stats.maxConcurrentByKey[KIE_KEY] ?? 0,
      },
      big: {
        items: bigItems,
        concurrency: 50,
        createMs,
        rssIdleMb,
        rssPeakMb,
        runSeconds: round(runSeconds, 1),
        itemsFinished,
        itemsPerSecond: round(itemsFinished / runSeconds, 1),
      },
    };
  } finally {
    await reelay.stop();
    await sim.stop();
  }
}

async function until(check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await sleep(100);
  }
  throw new Error(`not done within ${timeoutMs} ms`);
}
