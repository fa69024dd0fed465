import autocannon from 'autocannon';
import { Pool } from 'undici';

export interface LoadResult {
  requests: number; // 2xx responses
  rps: number; // 2xx per second
  p50: number; // ms, exact (from each response's own timing, not the 1 ms histogram)
  p99: number;
  max: number;
  failed: number; // non-2xx and transport errors
  seconds: number;
  cpuMsPerOp?: number; // Reelay's CPU (user + system, all its processes) per 2xx answer
}

export interface LoadSpec {
  url: string;
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  // A fixed body, or one per request (index counts up from 0).
  body?: string | ((i: number) => string);
  path?: (i: number) => string;
  connections: number;
  // Fixed offered load (requests per second over all connections); omitted: as fast as possible.
  rate?: number;
  seconds?: number;
  amount?: number; // stop after this many requests instead of after `seconds`
}

// One autocannon run. Latencies are taken from every 2xx response's own float timing so a
// 1 ms difference is not lost to the histogram's resolution.
export function runLoad(spec: LoadSpec): Promise<LoadResult> {
  const times: number[] = [];
  let failed = 0;
  let i = 0;
  const dynamic = typeof spec.body === 'function' || spec.path !== undefined;
  const started = process.hrtime.bigint();
  let lastAt = started;
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url: spec.url,
        method: spec.method ?? 'GET',
        headers: { 'content-type': 'application/json', ...spec.headers },
        body: typeof spec.body === 'string' ? spec.body : undefined,
        connections: spec.connections,
        overallRate: spec.rate,
        ...(spec.amount ? { amount: spec.amount } : { duration: spec.seconds ?? 10 }),
        timeout: 30,
        requests: dynamic
          ? [
              {
                setupRequest: (req) => {
                  const n = i++;
                  return {
                    ...req,
                    ...(spec.path ? { path: spec.path(n) } : {}),
                    ...(typeof spec.body === 'function' ? { body: spec.body(n) } : {}),
                  };
                },
              },
            ]
          : undefined,
      },
      (err: unknown) => {
        if (err) return reject(err instanceof Error ? err : new Error(`autocannon failed: ${JSON.stringify(err)}`));
        // autocannon notices the end on its 1 s ticker; the last answer marks the real end.
        resolve(summarize(times, failed, Number(lastAt - started) / 1e9));
      },
    );
    instance.on('response', (_client, status, _bytes, ms) => {
      lastAt = process.hrtime.bigint();
      if (status >= 200 && status < 300) times.push(ms);
      else failed++;
    });
    instance.on('reqError', () => failed++);
  });
}

export function percentile(sorted: number[], q: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
}

export const round = (v: number, digits = 2) => Math.round(v * 10 ** digits) / 10 ** digits;

export interface PacedSpec {
  url: string; // origin + path
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: string;
  rate: number; // requests per second, evenly spaced
  seconds: number;
}

// Open-loop load at a fixed rate: request i is due at start + i/rate and its latency counts
// from then, so a slow answer cannot hold back the next send (no coordinated omission).
// autocannon's fixed-rate mode releases each second's quota in a burst at the top of the
// second, which measures queueing rather than the latency a steady client sees.
export async function runPaced(spec: PacedSpec): Promise<LoadResult> {
  const target = new URL(spec.url);
  const pool = new Pool(target.origin, { connections: 128, keepAliveTimeout: 30_000 });
  const total = Math.round(spec.rate * spec.seconds);
  const gapNs = 1e9 / spec.rate;
  const times: number[] = [];
  let failed = 0;
  const inflight: Array<Promise<void>> = [];
  const start = process.hrtime.bigint();
  const send = async (dueNs: bigint) => {
    try {
      const r = await pool.request({
        path: target.pathname + target.search,
        method: spec.method ?? 'GET',
        headers: { 'content-type': 'application/json', ...spec.headers },
        body: spec.body,
      });
      await r.body.dump();
      const ms = Number(process.hrtime.bigint() - dueNs) / 1e6;
      if (r.statusCode >= 200 && r.statusCode < 300) times.push(ms);
      else failed++;
    } catch {
      failed++;
    }
  };
  for (let i = 0; i < total;) {
    const now = process.hrtime.bigint();
    while (i < total && start + BigInt(Math.round(i * gapNs)) <= now) {
      inflight.push(send(start + BigInt(Math.round(i * gapNs))));
      i++;
    }
    await new Promise((r) => setTimeout(r, 1)); // ~1 ms timer: fine at 3.3 ms gaps, leaves the cores to the servers
  }
  await Promise.all(inflight);
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  await pool.close();
  return summarize(times, failed, seconds);
}

function summarize(times: number[], failed: number, seconds: number): LoadResult {
  times.sort((a, b) => a - b);
  return {
    requests: times.length,
    rps: Math.round(times.length / seconds),
    p50: round(percentile(times, 0.5)),
    p99: round(percentile(times, 0.99)),
    max: round(times[times.length - 1] ?? 0),
    failed,
    seconds: round(seconds),
  };
}
