import { EntityManager } from 'typeorm';
import { Db } from './db.service';

export interface CommitBufferOptions<V> {
  // Two writes of one key in one transaction become one (summed, or the first kept).
  merge: (earlier: V, later: V) => V;
  // Writes the entries, in the transaction `m`; throwing rolls the transaction back. `atCommit`:
  // this is the flush as the transaction commits, which may use Db.writeAtCommit; otherwise a
  // reader waits for the rows, which must be written now.
  write: (m: EntityManager, entries: Array<[string, V]>, atCommit: boolean) => Promise<void>;
}

// Writes that nothing later in the transaction depends on, gathered by key and written together
// just before it commits (Db.beforeCommit): a group commit that ends fifty tasks writes one
// statement for their copy jobs instead of fifty. Outside a transaction of Db.tx a write happens
// at once. A reader of the same rows inside the transaction calls flush(m, key) first.
export class CommitBuffer<V> {
  private readonly pending = new WeakMap<EntityManager, Map<string, V>>();

  constructor(
    private readonly db: Db,
    private readonly opts: CommitBufferOptions<V>,
  ) {}

  async add(m: EntityManager, key: string, value: V): Promise<void> {
    let entries = this.pending.get(m);
    if (!entries) {
      if (!this.db.beforeCommit(m, () => this.flush(m))) return this.opts.write(m, [[key, value]], false);
      this.pending.set(m, (entries = new Map<string, V>()));
    }
    const earlier = entries.get(key);
    entries.set(key, earlier === undefined ? value : this.opts.merge(earlier, value));
  }

  // Writes what is pending in `m`: one key's entry, or all of them (sorted by key, one lock order).
  async flush(m: EntityManager, key?: string): Promise<void> {
    const entries = this.pending.get(m);
    if (!entries || entries.size === 0) return;
    if (key !== undefined) {
      const value = entries.get(key);
      if (value === undefined) return;
      entries.delete(key);
      return this.opts.write(m, [[key, value]], false);
    }
    const all = [...entries].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    this.pending.delete(m); // a write added after this (by a later hook) queues its own flush
    await this.opts.write(m, all, true);
  }
}

// Multi-row statements in chunks whose sizes are powers of two (largest first), so the texts of
// a multi-row INSERT stay few (SQLite prepares each text once).
export function powerOfTwoChunks<T>(items: readonly T[], max = 64): T[][] {
  const out: T[][] = [];
  let i = 0;
  while (i < items.length) {
    let size = 1;
    while (size * 2 <= Math.min(max, items.length - i)) size *= 2;
    out.push(items.slice(i, i + size));
    i += size;
  }
  return out;
}
