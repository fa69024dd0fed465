import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { call, sleep } from '../common/http-client';
import { FreshDatabase } from '../common/fresh-database';
import { cpuPerOp, MemorySample, memoryVerdict, MemoryVerdict } from './bench-math';
import { DbProbe } from './db-probe';
import { Proc, setUpTenant, startReelay, startSimulator } from './harness';
import { LoadResult, round, runLoad } from './load';
import { AK, KLING_MODELS, klingSim, SK, stopAll, SUBMIT } from './relay-workloads';

const KIE_KEY = 'kie-soak';
const SUBMITS_PER_S = 40;
const QUERIES_PER_S = 40;
const BATCH_EVERY_S = 60;
const BATCH_ROWS = 20;

export interface SoakFigures {
  seconds: number; // judged, after the warm-up
  warmUpS?: number; // the same traffic before them, sampled, not judged (absent before 2026-12-04: half of `seconds`)
  sampleEveryS: number;
  samples: MemorySample[];
  verdict: MemoryVerdict;
  submits: LoadResult;
  queries: LoadResult;
  batches: number;
  tasksSucceeded: number;
  captures: number;
  distinctCaptures: number;
  reconciliationMismatches: number;
  cpuMsPerRequest: number; // Reelay's CPU over the soak per submit + query (callbacks and polls ride along)
}

// Workload: BENCH_SOAK_WARMUP_S then BENCH_SOAK_S of mixed traffic on one Reelay with its jobs on:
// paced submits whose tasks finish upstream a few seconds later and call back, paced queries, and
// a 20-item batch every minute. Resident memory (all Reelay processes) is sampled every 30 s
// (every tenth of a short soak), each sample right after a full collection (see heap-probe.ts);
// the verdict is the regression slope over the `seconds` after the warm-up.
export async function soak(db: FreshDatabase, seconds: number, warmUpS: number): Promise<SoakFigures> {
  const sampleEveryS = Math.min(30, Math.max(1, Math.floor(seconds / 10)));
  // Resident memory climbs steeply over the first minutes (V8 grows its heap to the working set, the
  // allocator and the compiler settle); a verdict over minutes 5-10 of one 10-minute run judged the
  // end of that climb, more or less of it from run to run. The slower creep after it is the
  // subject (docs/benchmarks.md, "Soak").
  const total = warmUpS + seconds;
  const heapLog = join(mkdtempSync(join(tmpdir(), 'reelay-soak-')), 'heap.jsonl');
  const rig = await soakRig(db, heapLog);
  const { reelay, tenant: t } = rig;
  try {
    const ids: string[] = [];
    for (let i = 0; i < 50; i++) {
      const body = JSON.parse(SUBMIT) as object;
      ids.push(
        (await call<{ task_id: string }>(reelay.url, 'POST', '/kling/v1/videos/text2video', t.apiKey, body)).task_id,
      );
    }
    const c0 = reelay.cpuMs();
    const t0 = Date.now();
    const samples: MemorySample[] = [await sampleAfterGc(reelay, t0)];
    const headers = { authorization: `Bearer ${t.apiKey}` };
    const [submits, queries, batches] = await Promise.all([
      runLoad({
        url: `${reelay.url}/kling/v1/videos/text2video`,
        method: 'POST',
        body: SUBMIT,
        headers,
        ...paced(SUBMITS_PER_S, total),
      }),
      runLoad({
        url: reelay.url,
        path: (i) => `/kling/v1/videos/${ids[i % ids.length]}`,
        headers,
        ...paced(QUERIES_PER_S, total),
      }),
      batchesEvery(reelay, t.apiKey, total),
      sampleMemory(reelay, t0, total, sampleEveryS, samples),
    ]);
    const cpuMs = reelay.cpuMs() - c0;
    await sleep(8000); // the last tasks finish upstream and call back
    withHeap(samples, heapLog);
    return {
      seconds,
      warmUpS,
      sampleEveryS,
      samples,
      verdict: memoryVerdict(samples, warmUpS),
      submits,
      queries,
      batches,
      ...(await exactlyOnce(db, reelay, t.adminJwt)),
      cpuMsPerRequest: cpuPerOp(cpuMs, submits.requests + queries.requests),
    };
  } finally {
    await stopAll(reelay, rig.kling, rig.kie);
    rmSync(dirname(heapLog), { recursive: true, force: true });
  }
}

// Enough connections that a slow answer does not hold the rate back.
const paced = (rate: number, seconds: number) => ({ connections: 16, rate, seconds });

// Kling tasks that finish 4 s after submit and call back; a KIE channel for the batches; a
// Reelay with its jobs on and a pro_plus user with both channels.
async function soakRig(db: FreshDatabase, heapLog: string) {
  const kling = await klingSim();
  await call(kling.url, 'PATCH', '/__control/behavior', {
    processingAfterMs: 1000,
    completeAfterMs: 4000,
    dropCallbacks: false,
  });
  const kie = await startSimulator('kie', KIE_KEY);
  await call(kie.url, 'PATCH', '/__control/behavior', { processingAfterMs: 200, completeAfterMs: 3000 });
  await call(kie.url, 'PATCH', `/__control/keys/${KIE_KEY}`, { credits: 1_000_000_000 });
  const probe = ['--expose-gc', '--require', join(__dirname, 'heap-probe.js')];
  const reelay = await startReelay(db, { WORKERS: '1', BENCH_HEAP_LOG: heapLog }, { nodeArgs: probe });
  try {
    const klingChannel = { type: 'kling' as const, baseUrl: kling.url, key: `${AK}|${SK}`, models: KLING_MODELS };
    const tenant = await setUpTenant(reelay.url, klingChannel, 100_000_000);
    await call(reelay.url, 'POST', '/api/admin/channels', tenant.adminJwt, {
      name: 'kie (simulator)',
      type: 'kie',
      base_url: kie.url,
      key: KIE_KEY,
      models: ['sora-2'],
    });
    await call(reelay.url, 'PATCH', `/api/admin/users/${tenant.userId}`, tenant.adminJwt, { plan: 'pro_plus' });
    return { kling, kie, reelay, tenant };
  } catch (err) {
    await stopAll(reelay, kling, kie);
    throw err;
  }
}

async function batchesEvery(reelay: Proc, apiKey: string, seconds: number): Promise<number> {
  let made = 0;
  const t0 = Date.now();
  while (Date.now() - t0 < seconds * 1000) {
    const rows = Array.from({ length: BATCH_ROWS }, (_, i) => ({
      prompt: `soak ${made}-${i}`,
      model: 'sora-2',
      resolution: '720p',
      duration: 10,
    }));
    await call(reelay.url, 'POST', '/api/v1/workflow/batch-generate', apiKey, { rows, generationType: 'video' });
    made++;
    await sleep(Math.min(BATCH_EVERY_S * 1000, Math.max(0, seconds * 1000 - (Date.now() - t0))));
  }
  return made;
}

async function sampleMemory(
  reelay: Proc,
  t0: number,
  seconds: number,
  everyS: number,
  into: MemorySample[],
): Promise<void> {
  for (let k = 1; k * everyS <= seconds; k++) {
    await sleep(Math.max(0, t0 + k * everyS * 1000 - Date.now()));
    into.push(await sampleAfterGc(reelay, t0));
  }
}

// Asks the Reelay for a full collection (heap-probe.ts), then reads its resident memory.
async function sampleAfterGc(reelay: Proc, t0: number): Promise<MemorySample> {
  process.kill(reelay.pid, 'SIGWINCH');
  await sleep(GC_SETTLE_MS);
  return { atS: round((Date.now() - t0) / 1000, 1), rssMb: reelay.rssMb() };
}

// The heap in use after each collection, in signal order (one line per sample).
function withHeap(samples: MemorySample[], heapLog: string): void {
  const lines = readFileSync(heapLog, 'utf8').trim().split('\n');
  if (lines.length !== samples.length)
    throw new Error(`heap probe wrote ${lines.length} lines for ${samples.length} samples`);
  lines.forEach((l, i) => {
    const p = JSON.parse(l) as { heapUsedMb: number; heapTotalMb?: number; externalMb?: number; anonMb?: number };
    Object.assign(samples[i], { heapMb: p.heapUsedMb, heapTotalMb: p.heapTotalMb, externalMb: p.externalMb });
    if (p.anonMb !== undefined) samples[i].anonMb = p.anonMb;
  });
}

// A full collection of a few hundred MB takes tens of ms; the sample waits for it.
const GC_SETTLE_MS = 500;

// After the soak: every succeeded direct task captured once (batch items settle under their
// own ref), and the books reconcile.
async function exactlyOnce(db: FreshDatabase, reelay: Proc, adminJwt: string) {
  const probe = await DbProbe.open(db);
  try {
    const c = await probe.one<{ n: number; d: number }>(
      "SELECT COUNT(*) AS n, COUNT(DISTINCT ref_id) AS d FROM ledger_entries WHERE kind = 'capture' AND ref_type = 'task'",
    );
    const s = await probe.one<{ n: number }>(
      "SELECT COUNT(*) AS n FROM videos WHERE status = 'succeed' AND owner = 'direct'",
    );
    const recon = await call<{ mismatches: unknown[] }>(
      reelay.url,
      'GET',
      '/api/admin/billing/reconciliation',
      adminJwt,
    );
    return {
      tasksSucceeded: Number(s.n),
      captures: Number(c.n),
      distinctCaptures: Number(c.d),
      reconciliationMismatches: recon.mismatches.length,
    };
  } finally {
    await probe.close();
  }
}
