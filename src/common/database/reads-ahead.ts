import { EntityManager } from 'typeorm';
import type { SqlParam } from './sqlite-statements';

// A connection that takes one text (several statements when the session allows them).
export type SendText = (sql: string, params: readonly SqlParam[]) => Promise<unknown>;

interface ReadAhead {
  sql: string;
  params: readonly SqlParam[];
  resolve: (rows: unknown) => void;
  reject: (err: unknown) => void;
}

// MySQL: reads in a transaction whose answers can wait for its next statement (Db.rowsAhead), by
// the transaction's manager. They go in that statement's round trip, ahead of it; should nothing
// follow within the turn of the event loop they were asked in, they go alone.
export class ReadsAhead {
  private readonly waiting = new WeakMap<EntityManager, ReadAhead[]>();

  // `open()` says the transaction still runs: once it has ended its reads were sent or dropped.
  ask<T>(m: EntityManager, send: SendText, open: () => boolean, sql: string, params: readonly SqlParam[]) {
    let reads = this.waiting.get(m);
    if (!reads) {
      this.waiting.set(m, (reads = []));
      // Each read rejects on its own.
      setImmediate(() => open() && void this.flush(m, send).catch(() => undefined));
    }
    const queued = reads;
    return new Promise<T[]>((resolve, reject) => queued.push({ sql, params, resolve: resolve as never, reject }));
  }

  // Whether reads wait in `m` for its next statement.
  waitIn(m: EntityManager | undefined): boolean {
    return m !== undefined && this.waiting.has(m);
  }

  // `sql` in one round trip with the reads waiting in `m`, if any.
  sendWith(m: EntityManager | undefined, send: SendText, sql: string, params: readonly SqlParam[]): Promise<unknown> {
    const reads = m && this.waiting.get(m);
    if (!reads) return send(sql, params);
    this.waiting.delete(m);
    return this.send(send, reads, sql, params);
  }

  // The reads still waiting in `m`, on their own (before the commit, or when nothing followed them).
  async flush(m: EntityManager, send: SendText): Promise<void> {
    const reads = this.waiting.get(m);
    this.waiting.delete(m);
    if (reads?.length) await this.send(send, reads, null, []);
  }

  // The transaction failed: what waits is answered with its error, never sent.
  drop(m: EntityManager, err: unknown): void {
    for (const r of this.waiting.get(m) ?? []) r.reject(err);
    this.waiting.delete(m);
  }

  // One round trip: the reads, then `sql` (none when null); each read hears its rows.
  private async send(send: SendText, reads: ReadAhead[], sql: string | null, params: readonly SqlParam[]) {
    const texts = reads.map((r) => r.sql);
    const all: SqlParam[] = [];
    for (const r of reads) for (const p of r.params) all.push(p);
    if (sql !== null) {
      texts.push(sql);
      for (const p of params) all.push(p);
    }
    try {
      const out = await send(texts.join(';\n'), all);
      const results = (texts.length === 1 ? [out] : out) as unknown[];
      reads.forEach((r, i) => r.resolve(results[i]));
      return sql === null ? undefined : results[texts.length - 1];
    } catch (err) {
      for (const r of reads) r.reject(err);
      throw err;
    }
  }
}
