import { appendFileSync } from 'node:fs';

// Preloaded into the soak's Reelay (bench only; started with --expose-gc): on SIGWINCH a full
// collection, then the heap still in use appended to BENCH_HEAP_LOG. The soak signals it before
// each memory sample, so the samples hold what survives (a leak), not where V8's sawtooth was.
// SIGWINCH because Nest's shutdown hooks take SIGUSR2 (and SIGUSR1 is the inspector's); a
// process without this probe ignores it.
const file = process.env.BENCH_HEAP_LOG;
const gc = (globalThis as { gc?: () => void }).gc;
if (file && gc) {
  process.on('SIGWINCH', () => {
    gc();
    const heapUsedMb = Math.round((process.memoryUsage().heapUsed / 1048576) * 10) / 10;
    appendFileSync(file, `${JSON.stringify({ heapUsedMb })}\n`);
  });
}
