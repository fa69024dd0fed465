import cluster, { Worker } from 'node:cluster';
import type { Logger } from 'pino';
import { WORKER_ID_ENV } from '../../config/load-config';
import { isClusterMessage } from './cluster-messages';

// A worker that keeps dying is restarted after 0.5 s, then 1, 2, 4 … up to 30 s between attempts,
// so a crash loop costs little CPU and few log lines; a worker that served for a minute starts the
// count again.
export const RESTART_MIN_MS = 500;
export const RESTART_MAX_MS = 30_000;
const STABLE_MS = 60_000;
// How much longer than a worker's own shutdown bound the primary waits before SIGKILL.
const KILL_MARGIN_MS = 2_000;

interface Slot {
  id: number;
  worker: Worker | null;
  servingSince: number | null;
  failures: number;
  restart: NodeJS.Timeout | null;
}

export interface SupervisorOptions {
  workers: number;
  shutdownTimeoutMs: number;
  log: Logger;
}

// The primary's one job: keep `workers` processes serving. The first starts alone (it migrates the
// database and creates the admin account on first boot), the rest once it serves; one that exits
// is restarted with backoff; stop() ends them all within the shutdown bound.
export class WorkerSupervisor {
  private readonly slots: Slot[];
  private started = false;
  private stopping = false;
  private allGone: (() => void) | null = null;
  private stopped: Promise<number> | null = null;

  constructor(private readonly opts: SupervisorOptions) {
    this.slots = Array.from({ length: opts.workers }, (_, i) => ({
      id: i + 1,
      worker: null,
      servingSince: null,
      failures: 0,
      restart: null,
    }));
  }

  // Resolves once the first worker serves and the others are forked; rejects when the first dies
  // before serving (bad database, migration failure: the same failure a single process reports).
  async start(): Promise<void> {
    const first = this.fork(this.slots[0]);
    await new Promise<void>((resolve, reject) => {
      const onMessage = (m: unknown) => isClusterMessage(m, 'reelay:ready') && settle(resolve);
      const onExit = (code: number | null, signal: string | null) =>
        settle(() =>
          this.stopping ? resolve() : reject(new Error(`worker 1 exited before serving (${exitText(code, signal)})`)),
        );
      const settle = (then: () => void) => {
        first.off('message', onMessage).off('exit', onExit);
        then();
      };
      first.on('message', onMessage).on('exit', onExit);
    });
    this.started = true;
    if (!this.stopping) for (const slot of this.slots.slice(1)) this.fork(slot);
  }

  pids(): number[] {
    return this.slots.flatMap((s) => (s.worker?.process.pid ? [s.worker.process.pid] : []));
  }

  // SIGTERM to every worker (each closes its app within SHUTDOWN_TIMEOUT_MS); SIGKILL to any still
  // there after that bound. Resolves with the exit code for the primary: 1 if one had to be killed.
  stop(): Promise<number> {
    this.stopped ??= this.stopAll();
    return this.stopped;
  }

  private async stopAll(): Promise<number> {
    this.stopping = true;
    for (const slot of this.slots) {
      if (slot.restart) clearTimeout(slot.restart);
      slot.restart = null;
      slot.worker?.process.kill('SIGTERM');
    }
    const gone = new Promise<void>((resolve) => (this.allGone = resolve));
    if (this.live().length === 0) return 0;
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<'late'>(
      (r) => (timer = setTimeout(() => r('late'), this.opts.shutdownTimeoutMs + KILL_MARGIN_MS)),
    );
    const outcome = await Promise.race([gone, late]);
    clearTimeout(timer);
    if (outcome !== 'late') return 0;
    const left = this.live();
    this.opts.log.error(
      { pids: left.map((w) => w.process.pid) },
      'workers still running after the shutdown bound; killing them',
    );
    for (const w of left) w.process.kill('SIGKILL');
    return 1;
  }

  private live(): Worker[] {
    return this.slots.flatMap((s) => (s.worker ? [s.worker] : []));
  }

  private fork(slot: Slot): Worker {
    const worker = cluster.fork({ [WORKER_ID_ENV]: String(slot.id) });
    slot.worker = worker;
    slot.servingSince = null;
    worker.on('message', (m: unknown) => {
      if (!isClusterMessage(m, 'reelay:ready')) return;
      slot.servingSince = Date.now();
      this.opts.log.info({ worker: slot.id, worker_pid: worker.process.pid }, 'worker serving');
    });
    worker.once('exit', (code, signal) => this.exited(slot, worker, code, signal));
    return worker;
  }

  private exited(slot: Slot, worker: Worker, code: number | null, signal: string | null): void {
    if (slot.worker !== worker) return;
    slot.worker = null;
    const fields = { worker: slot.id, worker_pid: worker.process.pid, code, signal };
    if (this.stopping || !this.started) {
      this.opts.log.info(fields, 'worker stopped');
      if (this.live().length === 0) this.allGone?.();
      return;
    }
    if (slot.servingSince !== null && Date.now() - slot.servingSince >= STABLE_MS) slot.failures = 0;
    const delay = restartDelayMs(slot.failures++);
    this.opts.log.error({ ...fields, restart_in_ms: delay }, 'worker exited unexpectedly; restarting it');
    slot.restart = setTimeout(() => {
      slot.restart = null;
      if (!this.stopping) this.fork(slot);
    }, delay);
  }
}

// The wait before restart number `failures` + 1 of a worker that keeps exiting.
export function restartDelayMs(failures: number): number {
  return Math.min(RESTART_MAX_MS, RESTART_MIN_MS * 2 ** Math.min(failures, 16));
}

function exitText(code: number | null, signal: string | null): string {
  return signal ? `signal ${signal}` : `code ${code}`;
}
