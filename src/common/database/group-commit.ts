import { EntityManager } from 'typeorm';
import { Db } from './db.service';

export interface GroupCommitOptions<T, R> {
  // One item's work inside the shared transaction; it must only touch the database through `m`
  // and must be safe to run again (a deadlock retries the whole group, a failed group is re-run
  // item by item).
  work: (m: EntityManager, item: T) => Promise<R>;
  maxBatch: number;
  // Groups in flight at once (each holds a connection).
  maxConcurrent: number;
  // The order items run in within a group: one lock order for every group, so two groups in
  // flight at once do not deadlock.
  order?: (a: T, b: T) => number;
}

interface Waiting<T, R> {
  item: T;
  resolve: (r: R) => void;
  reject: (err: unknown) => void;
}

// Group commit: items that arrive while earlier groups are committing share the next
// transaction. An idle caller runs at once in a transaction of its own (no added wait); under load
// one commit, and one lock on each hot row, serves a whole group. Each caller's promise settles
// after the commit that holds its work. If a group fails, its items run again one by one, so one
// bad item fails alone and its neighbours still commit. Hand-written: the policy (lock order,
// per-item fallback, our Db's retry) is the point, and no library does it over TypeORM.
export class GroupCommit<T, R> {
  private readonly waiting: Array<Waiting<T, R>> = [];
  private running = 0;

  constructor(
    private readonly db: Db,
    private readonly opts: GroupCommitOptions<T, R>,
  ) {}

  run(item: T): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.waiting.push({ item, resolve, reject });
      this.pump();
    });
  }

  private pump(): void {
    while (this.running < this.opts.maxConcurrent && this.waiting.length > 0) {
      const group = this.waiting.splice(0, this.opts.maxBatch);
      this.running++;
      void this.commit(group).finally(() => {
        this.running--;
        this.pump();
      });
    }
  }

  private async commit(group: Array<Waiting<T, R>>): Promise<void> {
    const { order, work } = this.opts;
    if (order) group.sort((a, b) => order(a.item, b.item));
    if (group.length > 1) {
      try {
        const results = await this.db.tx(async (m) => {
          const out: R[] = [];
          for (const w of group) out.push(await work(m, w.item));
          return out;
        });
        group.forEach((w, i) => w.resolve(results[i]));
        return;
      } catch {
        // Some item spoiled the group: each runs alone below, and only the spoiler fails.
      }
    }
    for (const w of group) {
      await this.db.tx((m) => work(m, w.item)).then(w.resolve, w.reject);
    }
  }
}
