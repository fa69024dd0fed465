import { Worker } from 'node:worker_threads';

// SQLite in WAL mode copies the log back into the database file once it passes 1,000 pages,
// inside whichever commit crossed the line, and better-sqlite3 commits on the event loop: that
// commit blocked every request for ~10 ms (measured on this machine: 0.7 % of commits took 9–12 ms
// with the automatic checkpoint, none over 2 ms without). Here the copy runs on a connection of
// its own in a worker thread, PASSIVE: it never waits for the app's readers or writer, nor blocks
// them. Should the worker stop, the main connection checkpoints for itself again.

// The automatic checkpoint's threshold (SQLite's default), restored when the worker is not running.
export const AUTO_CHECKPOINT_PAGES = 1000;

export interface CheckpointResult {
  busy: number; // 1 when another connection was checkpointing (nothing is wrong then)
  log: number; // frames in the WAL
  checkpointed: number; // frames copied into the database file
}

interface MainConnection {
  pragma(sql: string): unknown;
}

export interface CheckpointerEvents {
  checkpointed?: (r: CheckpointResult) => void;
  failed?: (message: string) => void; // one checkpoint failed (the next is tried on time)
  stopped?: (err: Error) => void; // the worker ended before stop(): the main connection took over
}

// The worker's whole program, run from source text (eval) so the same code serves the compiled
// app and the TypeScript tests. It checks the WAL every `everyMs` and checkpoints what it holds;
// a checkpoint that fails (a full disk) is reported and tried again next time.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.path);
db.pragma('synchronous = NORMAL');
const timer = setInterval(() => {
  try {
    const [r] = db.pragma('wal_checkpoint(PASSIVE)');
    if (r.log > 0) parentPort.postMessage(r);
  } catch (err) {
    parentPort.postMessage({ error: String(err && err.message) });
  }
}, workerData.everyMs);
parentPort.on('message', () => { clearInterval(timer); db.close(); parentPort.close(); });
`;

export class SqliteCheckpointer {
  private worker: Worker | null = null;
  private stopping = false;

  constructor(
    private readonly main: MainConnection,
    private readonly path: string,
    private readonly everyMs: number,
    private readonly events: CheckpointerEvents = {},
  ) {}

  start(): void {
    this.stopping = false;
    this.main.pragma('wal_autocheckpoint = 0');
    const worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { driver: require.resolve('better-sqlite3'), path: this.path, everyMs: this.everyMs },
    });
    // A worker that ended in error emits 'error' then 'exit'; either way the main connection
    // checkpoints for itself from then on.
    let failure: Error | null = null;
    worker.on('message', (m: CheckpointResult | { error: string }) =>
      'error' in m ? this.events.failed?.(m.error) : this.events.checkpointed?.(m),
    );
    worker.on('error', (err) => (failure = err));
    worker.on('exit', () => {
      this.worker = null;
      if (this.stopping) return;
      this.checkpointInCommits();
      this.events.stopped?.(failure ?? new Error('the checkpoint worker exited'));
    });
    // The worker never keeps the process alive.
    worker.unref();
    this.worker = worker;
  }

  // Ends the worker after its current checkpoint; the main connection checkpoints again.
  async stop(): Promise<void> {
    const worker = this.worker;
    if (!worker) return;
    this.stopping = true;
    const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
    worker.postMessage('stop');
    await exited;
    this.checkpointInCommits();
  }

  // SQLite's own behaviour again (a connection already closed has nothing left to commit).
  private checkpointInCommits(): void {
    try {
      this.main.pragma(`wal_autocheckpoint = ${AUTO_CHECKPOINT_PAGES}`);
    } catch {
      // closed
    }
  }

  get running(): boolean {
    return this.worker !== null;
  }
}
