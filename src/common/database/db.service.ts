import { AsyncLocalStorage } from 'node:async_hooks';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Mutex } from 'async-mutex';
import { DataSource, EntityManager } from 'typeorm';

const MYSQL_RETRYABLE = new Set(['ER_LOCK_DEADLOCK', 'ER_LOCK_WAIT_TIMEOUT']);
const MAX_ATTEMPTS = 5;

// Every unit of database work goes through here so one service code path is correct on both
// databases. SQLite has one connection and one writer: work is queued, so a transaction never
// starts inside another caller's transaction and no statement lands in someone else's.
// MySQL runs work concurrently at READ COMMITTED (each statement sees what is committed, which
// is what claim-then-read and conditional UPDATEs rely on) and retries a lost deadlock.
@Injectable()
export class Db {
  private readonly queue: Mutex | null;
  private readonly holder = new AsyncLocalStorage<boolean>();
  // Pooled MySQL connections already at READ COMMITTED for their session.
  private readonly readCommitted = new WeakSet<object>();

  constructor(@InjectDataSource() readonly dataSource: DataSource) {
    this.queue = dataSource.options.type === 'better-sqlite3' ? new Mutex() : null;
  }

  get isMysql(): boolean {
    return this.dataSource.options.type === 'mysql';
  }

  // One transaction; `work` may run more than once on MySQL (deadlock retry), so it must only
  // touch the database through `m`.
  async tx<T>(work: (m: EntityManager) => Promise<T>): Promise<T> {
    if (this.queue) return this.exclusive(() => this.dataSource.transaction(work));
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.mysqlTransaction(work);
      } catch (err) {
        if (attempt >= MAX_ATTEMPTS || !MYSQL_RETRYABLE.has((err as { code?: string }).code ?? '')) throw err;
        await new Promise((r) => setTimeout(r, 5 * attempt + Math.random() * 10));
      }
    }
  }

  // What DataSource.transaction('READ COMMITTED') does, minus its per-transaction
  // `SET TRANSACTION ISOLATION LEVEL` round trip: each pooled connection is switched to READ
  // COMMITTED for its session once. (Single statements outside a transaction may then run at
  // READ COMMITTED too, which only means fewer gap locks.)
  private async mysqlTransaction<T>(work: (m: EntityManager) => Promise<T>): Promise<T> {
    const qr = this.dataSource.createQueryRunner();
    try {
      const conn = (await qr.connect()) as object;
      if (!this.readCommitted.has(conn)) {
        await qr.query('SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED');
        this.readCommitted.add(conn);
      }
      await qr.startTransaction();
      try {
        const result = await work(qr.manager);
        await qr.commitTransaction();
        return result;
      } catch (err) {
        await qr.rollbackTransaction().catch(() => undefined); // the original error matters, not this one
        throw err;
      }
    } finally {
      await qr.release();
    }
  }

  // A single statement (or a read) outside any transaction.
  async run<T>(work: (m: EntityManager) => Promise<T>): Promise<T> {
    if (this.queue) return this.exclusive(() => work(this.dataSource.manager));
    return work(this.dataSource.manager);
  }

  // The queue is not re-entrant: database work started from inside a unit of work would wait
  // for itself forever. Fail loudly instead; the fix is to pass the EntityManager down.
  private exclusive<T>(work: () => Promise<T>): Promise<T> {
    if (this.holder.getStore()) {
      return Promise.reject(
        new Error('Nested database work inside a transaction on SQLite: pass the EntityManager instead'),
      );
    }
    return (this.queue as Mutex).runExclusive(() => this.holder.run(true, work));
  }
}

// Base for repositories: a method given a manager joins the caller's transaction; without
// one it runs on its own.
export abstract class DbRepository {
  constructor(protected readonly db: Db) {}

  protected use<T>(m: EntityManager | undefined, work: (m: EntityManager) => Promise<T>): Promise<T> {
    return m ? work(m) : this.db.run(work);
  }
}
