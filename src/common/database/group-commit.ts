import { EntityManager } from 'typeorm';
import { Batcher } from './batcher';
import { Db } from './db.service';

export interface GroupCommitOptions<T, R, C> {
  // Work for the whole group first, inside its transaction (multi-row statements), in run order;
  // what it returns is handed to each item's work. A group re-run item by item prepares each alone.
  prepare?: (m: EntityManager, items: T[]) => Promise<C>;
  // One item's work inside the shared transaction; it must only touch the database through `m`
  // and must be safe to run again (a deadlock retries the whole group, a failed group is re-run
  // item by item).
  work: (m: EntityManager, item: T, prepared: C) => Promise<R>;
  maxBatch: number;
  // Groups in flight at once (each holds a connection).
  maxConcurrent: number;
  // The order items run in within a group: one lock order for every group, so two groups in
  // flight at once do not deadlock.
  order?: (a: T, b: T) => number;
}

// Group commit: items that arrive while earlier groups are committing share the next
// transaction (a Batcher of transactions). An idle caller runs at once in a transaction of its own
// (no added wait); under load one commit, and one lock on each hot row, serves a whole group. Each
// caller's promise settles after the commit that holds its work. If a group fails, its items run
// again one by one, so one bad item fails alone and its neighbours still commit. Hand-written: the
// policy (lock order, per-item fallback, our Db's retry) is the point, and no library does it over
// TypeORM.
export class GroupCommit<T, R, C = void> {
  private readonly batcher: Batcher<T, R>;

  constructor(
    private readonly db: Db,
    private readonly opts: GroupCommitOptions<T, R, C>,
  ) {
    this.batcher = new Batcher<T, R>({
      run: (items) => this.commit(items),
      maxBatch: opts.maxBatch,
      maxConcurrent: opts.maxConcurrent,
    });
  }

  run(item: T): Promise<R> {
    return this.batcher.run(item);
  }

  // Results come back in the callers' order; the work runs in lock order.
  private async commit(group: T[]): Promise<Array<PromiseSettledResult<R>>> {
    const { order, work } = this.opts;
    const prepare = (m: EntityManager, items: T[]) =>
      this.opts.prepare ? this.opts.prepare(m, items) : Promise.resolve(undefined as C);
    const runOrder = group.map((_, i) => i);
    if (order) runOrder.sort((a, b) => order(group[a], group[b]));
    const settled = new Array<PromiseSettledResult<R>>(group.length);
    // Even a group of one runs shared first: its judged-at-commit writes go in one round trip, and
    // only a failure (rare: a refused hold, a replay) pays for a run alone.
    try {
      await this.db.tx(async (m) => {
        this.db.markShared(m);
        const prepared = await prepare(
          m,
          runOrder.map((i) => group[i]),
        );
        for (const i of runOrder) settled[i] = { status: 'fulfilled', value: await work(m, group[i], prepared) };
      });
      return settled;
    } catch {
      // Some item spoiled the group: each runs alone below, and only the spoiler fails.
    }
    for (const i of runOrder) {
      settled[i] = await this.db
        .tx(async (m) => work(m, group[i], await prepare(m, [group[i]])))
        .then(
          (value) => ({ status: 'fulfilled', value }) as const,
          (reason: unknown) => ({ status: 'rejected', reason }) as const,
        );
    }
    return settled;
  }
}
