import { appendFileSync, readFileSync } from 'node:fs';

// Preloaded into the soak's Reelay (bench only; started with --expose-gc): on SIGWINCH a full
// collection, then what is still in use appended to BENCH_HEAP_LOG. The soak signals it before
// each memory sample, so the samples hold what survives (a leak), not where V8's sawtooth was.
// SIGWINCH because Nest's shutdown hooks take SIGUSR2 (and SIGUSR1 is the inspector's); a
// process without this probe ignores it.
const file = process.env.BENCH_HEAP_LOG;
const gc = (globalThis as { gc?: () => void }).gc;
const mb = (bytes: number) => Math.round((bytes / 1048576) * 10) / 10;

// Anonymous memory of the whole process (kB in smaps_rollup): the heap, the allocator's arenas,
// compiled code; what resident memory holds besides the mapped binary and libraries.
function anonymousMb(): number | undefined {
  try {
    const kb = /^Anonymous:\s+(\d+) kB/m.exec(readFileSync('/proc/self/smaps_rollup', 'utf8'));
    return kb ? mb(Number(kb[1]) * 1024) : undefined;
  } catch {
    return undefined; // not Linux
  }
}

if (file && gc) {
  process.on('SIGWINCH', () => {
    gc();
    const m = process.memoryUsage();
    const line = {
      heapUsedMb: mb(m.heapUsed),
      heapTotalMb: mb(m.heapTotal),
      externalMb: mb(m.external), // Buffers' and other off-heap memory V8 is told of
      anonMb: anonymousMb(),
    };
    appendFileSync(file, `${JSON.stringify(line)}\n`);
  });
}
