import { AsyncLocalStorage } from 'node:async_hooks';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Mutex } from 'async-mutex';
import { DataSource, EntityManager, QueryFailedError } from 'typeorm';

// What the metrics show of the connections: busy, idle, callers waiting for one, and the limit.
export interface PoolStats {
  inUse: number;
  idle: number;
  waiting: number;
  max: number;
}

// The parts of mysql2's Pool the stats read (internal fields, stable across mysql2 2.x and 3.x).
interface Mysql2PoolInternals {
  _allConnections: { length: number };
  _freeConnections: { length: number };
  _connectionQueue: { length: number };
  config: { connectionLimit: number };
}

// What a raw write reports: rows it changed and, for an insert, the new row's id.
export interface WriteResult {
  affected: number;
  insertId: number;
}

type SqlParam = string | number | null;

// The parts of mysql2's callback connection and pool that raw statements use.
interface Mysql2Queryable {
  query(sql: string, params: readonly SqlParam[], cb: (err: Error | null, result: unknown) => void): void;
}

// The parts of better-sqlite3 that raw statements use.
interface SqliteStatement {
  reader: boolean;
  all(...params: SqlParam[]): unknown[];
  run(...params: SqlParam[]): { changes: number; lastInsertRowid: number | bigint };
}
interface SqliteDatabase {
  prepare(sql: string): SqliteStatement;
}

const MYSQL_RETRYABLE = new Set(['ER_LOCK_DEADLOCK', 'ER_LOCK_WAIT_TIMEOUT']);
const MAX_ATTEMPTS = 5;
const MAX_PREPARED = 500;

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
  // Work to run after a transaction commits, by the transaction's manager.
  private readonly afterCommitQueues = new WeakMap<EntityManager, Array<() => void>>();
  // Work to run inside a transaction just before it commits, by the transaction's manager.
  private readonly beforeCommitQueues = new WeakMap<EntityManager, Array<() => Promise<void>>>();
  // SQLite: units of work queued behind the one running.
  private queued = 0;
  // SQLite: prepared statements of the raw hot-path SQL, by text (a small set; IN lists are padded).
  private readonly statements = new Map<string, SqliteStatement>();

  constructor(@InjectDataSource() readonly dataSource: DataSource) {
    this.queue = dataSource.options.type === 'better-sqlite3' ? new Mutex() : null;
  }

  get isMysql(): boolean {
    return this.dataSource.options.type === 'mysql';
  }

  // An INSERT that skips a row whose unique key is taken, in this database's words.
  get insertIgnore(): string {
    return this.isMysql ? 'INSERT IGNORE' : 'INSERT OR IGNORE';
  }

  // One transaction; `work` may run more than once on MySQL (deadlock retry), so it must only
  // touch the database through `m`.
  async tx<T>(work: (m: EntityManager) => Promise<T>): Promise<T> {
    let done: Array<() => void> = [];
    // Each attempt starts with no before- or after-commit work: a retried attempt records its own again.
    const attempt = async (m: EntityManager) => {
      done = [];
      const before: Array<() => Promise<void>> = [];
      this.afterCommitQueues.set(m, done);
      this.beforeCommitQueues.set(m, before);
      const result = await work(m);
      for (let i = 0; i < before.length; i++) await before[i](); // a hook may queue another
      return result;
    };
    const result = this.queue
      ? await this.exclusive(() => this.dataSource.transaction(attempt))
      : await this.mysqlTx(attempt);
    for (const fn of done) fn();
    return result;
  }

  // Runs `fn` inside the transaction `m` belongs to, after its work and just before it commits
  // (a failure rolls it back). False when `m` is no transaction of tx(): nothing is queued then.
  beforeCommit(m: EntityManager, fn: () => Promise<void>): boolean {
    const queue = this.beforeCommitQueues.get(m);
    if (!queue) return false;
    queue.push(fn);
    return true;
  }

  // Runs `fn` once the transaction `m` belongs to has committed (never when it rolls back), or at
  // once outside a transaction: for effects that must follow the data, such as metrics.
  afterCommit(m: EntityManager, fn: () => void): void {
    const queue = this.afterCommitQueues.get(m);
    if (queue) queue.push(fn);
    else fn();
  }

  private async mysqlTx<T>(work: (m: EntityManager) => Promise<T>): Promise<T> {
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

  // Plain parameterised SQL for the hot paths: no query building and no entity hydration, which
  // were a third of a submit's CPU. Given `m`, the statement joins the caller's unit of work (its
  // transaction's connection on MySQL); without one it runs on its own. The SQL must be valid on
  // both databases (backticks quote on both; `?` placeholders).
  async rows<T>(m: EntityManager | undefined, sql: string, params: readonly SqlParam[]): Promise<T[]> {
    return (await this.raw(m, sql, params)) as T[];
  }

  async write(m: EntityManager | undefined, sql: string, params: readonly SqlParam[]): Promise<WriteResult> {
    const res = (await this.raw(m, sql, params)) as { affectedRows?: number; insertId?: number };
    return { affected: res.affectedRows ?? 0, insertId: Number(res.insertId ?? 0) };
  }

  private raw(m: EntityManager | undefined, sql: string, params: readonly SqlParam[]): Promise<unknown> {
    if (this.queue) {
      // On SQLite a caller with a manager already holds the queue (its transaction or run).
      const exec = () => this.sqlite(sql, params);
      return m ? Promise.resolve().then(exec) : this.exclusive(() => Promise.resolve().then(exec));
    }
    const runner = m?.queryRunner as unknown as { databaseConnection?: Mysql2Queryable } | undefined;
    if (runner?.databaseConnection) return this.mysqlQuery(runner.databaseConnection, sql, params);
    return this.mysqlAlone(sql, params);
  }

  // A statement on its own (autocommit): a deadlock rolled back only this statement, so it is run
  // again, as tx() runs a transaction again. (Claims and reschedules of many rows meet the rows a
  // group commit is ending.)
  private async mysqlAlone(sql: string, params: readonly SqlParam[]): Promise<unknown> {
    const pool = (this.dataSource.driver as unknown as { pool: Mysql2Queryable }).pool;
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.mysqlQuery(pool, sql, params);
      } catch (err) {
        const code = ((err as QueryFailedError).driverError as { code?: string } | undefined)?.code ?? '';
        if (attempt >= MAX_ATTEMPTS || !MYSQL_RETRYABLE.has(code)) throw err;
        await new Promise((r) => setTimeout(r, 5 * attempt + Math.random() * 10));
      }
    }
  }

  private mysqlQuery(target: Mysql2Queryable, sql: string, params: readonly SqlParam[]): Promise<unknown> {
    return new Promise((resolve, reject) =>
      target.query(sql, params, (err, result) =>
        err ? reject(new QueryFailedError(sql, [...params], err)) : resolve(result),
      ),
    );
  }

  private sqlite(sql: string, params: readonly SqlParam[]): unknown {
    let stmt = this.statements.get(sql);
    if (!stmt) {
      const conn = (this.dataSource.driver as unknown as { databaseConnection: SqliteDatabase }).databaseConnection;
      stmt = conn.prepare(sql);
      // Bounded, in case a caller builds texts without limit: the oldest goes first.
      if (this.statements.size >= MAX_PREPARED) this.statements.delete(this.statements.keys().next().value as string);
      this.statements.set(sql, stmt);
    }
    try {
      if (stmt.reader) return stmt.all(...params);
      const res = stmt.run(...params);
      return { affectedRows: res.changes, insertId: res.lastInsertRowid };
    } catch (err) {
      throw new QueryFailedError(sql, [...params], err as Error);
    }
  }

  // The queue is not re-entrant: database work started from inside a unit of work would wait
  // for itself forever. Fail loudly instead; the fix is to pass the EntityManager down.
  private exclusive<T>(work: () => Promise<T>): Promise<T> {
    if (this.holder.getStore()) {
      return Promise.reject(
        new Error('Nested database work inside a transaction on SQLite: pass the EntityManager instead'),
      );
    }
    this.queued++;
    return (this.queue as Mutex).runExclusive(() => {
      this.queued--;
      return this.holder.run(true, work);
    });
  }

  // SQLite: one connection, busy while a unit of work runs, with the queue behind it. MySQL: the
  // driver's pool (zeros before it connects).
  poolStats(): PoolStats {
    if (this.queue) {
      const busy = this.queue.isLocked() ? 1 : 0;
      return { inUse: busy, idle: 1 - busy, waiting: this.queued, max: 1 };
    }
    const pool = (this.dataSource.driver as unknown as { pool?: Mysql2PoolInternals }).pool;
    if (!pool?._allConnections) return { inUse: 0, idle: 0, waiting: 0, max: 0 };
    const all = pool._allConnections.length;
    const idle = pool._freeConnections.length;
    return { inUse: all - idle, idle, waiting: pool._connectionQueue.length, max: pool.config.connectionLimit };
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
