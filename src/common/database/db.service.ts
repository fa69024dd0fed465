import { AsyncLocalStorage } from 'node:async_hooks';
import { Injectable, OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Mutex } from 'async-mutex';
import { DataSource, EntityManager, QueryFailedError, QueryRunner } from 'typeorm';
import { ReadsAhead, SendText } from './reads-ahead';
import { SqliteDatabase, SqliteStatements, SqlParam } from './sqlite-statements';

// A query runner whose connection and transaction flag Db sets itself.
type WritableRunner = Pick<QueryRunner, 'manager'> & {
  databaseConnection: unknown;
  isTransactionActive: boolean;
};

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

// A write sent at commit (writeAtCommit): `check` may throw, rolling the transaction back;
// `onResult` only reads what it reports. `expect`: the rows it must report when `check` passes
// (the same judgement in the database's words), so that in a shared transaction the database
// itself can fail the commit's multi-statement before its COMMIT (see commitWith).
export interface AtCommit {
  check?: (r: WriteResult) => void;
  expect?: number;
  onResult?: (r: WriteResult) => void;
}
interface DeferredWrite extends AtCommit {
  sql: string;
  params: readonly SqlParam[];
}
interface Mysql2Result {
  affectedRows?: number;
  insertId?: number;
}

// The parts of mysql2's callback connection and pool that raw statements use.
interface Mysql2Queryable {
  query(sql: string, params: readonly SqlParam[], cb: (err: Error | null, result: unknown) => void): void;
}

interface Mysql2PooledConnection extends Mysql2Queryable {
  release(): void;
  destroy(): void;
}
interface Mysql2Pool {
  getConnection(cb: (err: Error | null, conn: Mysql2PooledConnection) => void): void;
  end(cb: () => void): void;
}
// TypeORM's MysqlDriver: the mysql2 module it loaded and how it turns its options into a pool's.
interface Mysql2DriverInternals {
  mysql: { createPool(options: object): Mysql2Pool };
  options: object;
  createConnectionOptions(options: object, credentials: object): object;
}

const MYSQL_RETRYABLE = new Set(['ER_LOCK_DEADLOCK', 'ER_LOCK_WAIT_TIMEOUT']);
// Fails (error 1242, a subquery of two rows) unless the statement before it reported `?` rows
// (ROW_COUNT() counts rows matched, as mysql2's found-rows flag makes affectedRows do). Plain SQL
// has no conditional error outside stored programs; this works on MySQL and MariaDB alike.
const ROW_COUNT_GUARD = 'SET @reelay_guard = (SELECT 1 UNION ALL SELECT 1 FROM DUAL WHERE ROW_COUNT() <> ?)';
const MAX_ATTEMPTS = 5;
const AUTOINC_MODE = 'SELECT @@innodb_autoinc_lock_mode AS `mode`';

// Every unit of database work goes through here so one service code path is correct on both
// databases. SQLite has one connection and one writer: work is queued, so a transaction never
// starts inside another caller's transaction and no statement lands in someone else's.
// MySQL runs work concurrently at READ COMMITTED (each statement sees what is committed, which
// is what claim-then-read and conditional UPDATEs rely on) and retries a lost deadlock.
@Injectable()
export class Db implements OnApplicationShutdown {
  private readonly queue: Mutex | null;
  private readonly holder = new AsyncLocalStorage<boolean>();
  // MySQL: the connections transactions run on (autocommit off); TypeORM's pool serves the rest.
  private txPool: Mysql2Pool | null = null;
  // Its connections whose session is set up (READ COMMITTED, autocommit off).
  private readonly txSessions = new WeakSet<object>();
  // Work to run after a transaction commits, by the transaction's manager.
  private readonly afterCommitQueues = new WeakMap<EntityManager, Array<() => void>>();
  // Work to run inside a transaction just before it commits, by the transaction's manager.
  private readonly beforeCommitQueues = new WeakMap<EntityManager, Array<() => Promise<void>>>();
  // MySQL: writes a transaction sends in one round trip as it commits, by the transaction's manager.
  private readonly deferredWrites = new WeakMap<EntityManager, DeferredWrite[]>();
  // MySQL: reads that go ahead of the transaction's next statement, by the transaction's manager.
  private readonly readsAhead = new ReadsAhead();
  // Transactions that several group-commit callers share.
  private readonly shared = new WeakSet<EntityManager>();
  // SQLite: units of work queued behind the one running.
  private queued = 0;
  // SQLite: the raw hot-path SQL, prepared once per text.
  private readonly sqliteStatements: SqliteStatements;
  // MySQL: whether a multi-row INSERT's rows take consecutive ids from the one it reports
  // (innodb_autoinc_lock_mode 0 or 1; 2, MySQL 8's default, may interleave concurrent inserts).
  // Read as the first transaction session is set up; false until then and on SQLite.
  private consecutiveIds: boolean | undefined;

  constructor(@InjectDataSource() readonly dataSource: DataSource) {
    this.queue = dataSource.options.type === 'better-sqlite3' ? new Mutex() : null;
    this.sqliteStatements = new SqliteStatements(() => this.sqliteConnection() as SqliteDatabase);
  }

  // SQLite: the one connection TypeORM opened (null on MySQL).
  sqliteConnection(): SqliteDatabase | null {
    if (!this.queue) return null;
    return (this.dataSource.driver as unknown as { databaseConnection: SqliteDatabase }).databaseConnection;
  }

  get isMysql(): boolean {
    return this.dataSource.options.type === 'mysql';
  }

  // Inside a transaction of tx(): whether a multi-row INSERT may give each row its id as the
  // first row's plus its place (else a caller that needs the ids inserts row by row).
  get consecutiveInsertIds(): boolean {
    return this.consecutiveIds === true;
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
      if (!this.queue) this.deferredWrites.set(m, []);
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

  // A write nothing later in the transaction reads: on MySQL it waits and goes with the
  // transaction's other such writes as one multi-statement, sent as it commits (with the COMMIT
  // itself when none has a `check`, or, in a shared transaction, every checked one an `expect`),
  // one round trip for what were many. A `check` that throws
  // rolls the transaction back, so a caller that would judge a failure differently at once defers
  // only in a shared transaction (whose failure re-runs each caller alone). Elsewhere (SQLite,
  // outside tx()) the write happens now.
  async writeAtCommit(m: EntityManager, sql: string, params: readonly SqlParam[], at: AtCommit = {}): Promise<void> {
    const queue = this.deferredWrites.get(m);
    if (queue) {
      queue.push({ sql, params, ...at });
      return;
    }
    await this.writeNow(m, sql, params, at);
  }

  // A CommitBuffer's write: at commit when its flush is the commit's, now when a reader waits.
  async flushWrite(m: EntityManager, sql: string, params: readonly SqlParam[], atCommit: boolean, at: AtCommit = {}) {
    return atCommit ? this.writeAtCommit(m, sql, params, at) : this.writeNow(m, sql, params, at);
  }

  private async writeNow(m: EntityManager, sql: string, params: readonly SqlParam[], at: AtCommit): Promise<void> {
    const res = await this.write(m, sql, params);
    at.check?.(res);
    at.onResult?.(res);
  }

  // A group commit's transaction (several callers' work in one): a statement whose failure would
  // only spoil the group (which is then re-run caller by caller) may wait for the commit.
  markShared(m: EntityManager): void {
    this.shared.add(m);
  }

  isShared(m: EntityManager): boolean {
    return this.shared.has(m);
  }

  // Runs `fn` once the transaction `m` belongs to has committed (never when it rolls back), or at
  // once outside a transaction: for effects that must follow the data, such as metrics.
  afterCommit(m: EntityManager, fn: () => void): void {
    const queue = this.afterCommitQueues.get(m);
    if (queue) queue.push(fn);
    else fn();
  }

  private mysqlTx<T>(work: (m: EntityManager) => Promise<T>): Promise<T> {
    return againIfLocked(() => this.mysqlTransaction(work));
  }

  // A transaction on a connection of the transaction pool: its sessions run with autocommit off at
  // READ COMMITTED, so the first statement opens the transaction and no START TRANSACTION round
  // trip precedes it (one of a submit's six). COMMIT and ROLLBACK go straight to mysql2.
  private async mysqlTransaction<T>(work: (m: EntityManager) => Promise<T>): Promise<T> {
    const conn = await this.txConnection();
    const qr = this.dataSource.createQueryRunner() as unknown as WritableRunner;
    qr.databaseConnection = conn; // qr.connect() hands this one out
    qr.isTransactionActive = true;
    try {
      const result = await work(qr.manager);
      await this.readsAhead.flush(qr.manager, this.sender(conn)); // none is left waiting behind the commit
      const writes = this.deferredWrites.get(qr.manager) ?? [];
      this.deferredWrites.delete(qr.manager); // a write after this point has no commit to go with
      await this.commitWith(conn, writes, this.shared.has(qr.manager));
      conn.release();
      return result;
    } catch (err) {
      this.readsAhead.drop(qr.manager, err);
      this.deferredWrites.delete(qr.manager);
      // A connection that cannot say ROLLBACK may still hold the transaction: it is closed, never
      // handed to the next caller. The original error is the one that matters.
      await this.mysqlQuery(conn, 'ROLLBACK', []).then(
        () => conn.release(),
        () => conn.destroy(),
      );
      throw err;
    } finally {
      qr.isTransactionActive = false;
    }
  }

  // The deferred writes and COMMIT. MySQL stops a multi-statement at its first error, so a COMMIT
  // at its end runs only if every write before it did. A write with a `check` needs the COMMIT
  // apart (a round trip more), unless the transaction is shared and the write says what it must
  // report: a guard after it then fails the statement in the database, and the group that failed
  // is re-run caller by caller, where each check is made in JavaScript as before.
  private async commitWith(conn: Mysql2Queryable, writes: DeferredWrite[], shared: boolean): Promise<void> {
    if (writes.length === 0) return void (await this.mysqlQuery(conn, 'COMMIT', []));
    const guarded = shared && writes.some((w) => w.expect !== undefined);
    const commitApart = writes.some((w) => w.check && !(guarded && w.expect !== undefined));
    const texts: string[] = [];
    const params: SqlParam[] = [];
    const at: number[] = []; // each write's result among the statements'
    for (const w of writes) {
      at.push(texts.length);
      texts.push(w.sql);
      for (const p of w.params) params.push(p);
      if (guarded && w.expect !== undefined) {
        texts.push(ROW_COUNT_GUARD);
        params.push(w.expect);
      }
    }
    if (!commitApart) texts.push('COMMIT');
    const out = await this.mysqlQuery(conn, texts.join(';\n'), params).catch((err: unknown) => {
      if (guarded && lockErrorCode(err) === 'ER_SUBQUERY_NO_1_ROW') {
        throw new Error('A write sent at commit did not report the rows it expects: rolled back', { cause: err });
      }
      throw err;
    });
    const results = (texts.length === 1 ? [out] : out) as Mysql2Result[];
    writes.forEach((w, i) => {
      const res = results[at[i]];
      const r = { affected: res.affectedRows ?? 0, insertId: Number(res.insertId ?? 0) };
      w.check?.(r);
      w.onResult?.(r);
    });
    if (commitApart) await this.mysqlQuery(conn, 'COMMIT', []);
  }

  // A connection of the transaction pool, its session set up on first use (awaited: a session
  // left in autocommit would make transactions silently non-atomic).
  private async txConnection(): Promise<Mysql2PooledConnection> {
    // Same options and size as TypeORM's pool (its own builder).
    const driver = this.dataSource.driver as unknown as Mysql2DriverInternals;
    // Multi-statements carry the writes sent at commit; every text Reelay sends is parameterised.
    this.txPool ??= driver.mysql.createPool({
      ...driver.createConnectionOptions(driver.options, driver.options),
      multipleStatements: true,
    });
    const pool = this.txPool;
    const conn = await new Promise<Mysql2PooledConnection>((resolve, reject) =>
      pool.getConnection((err, c) => (err ? reject(err) : resolve(c))),
    );
    if (this.txSessions.has(conn)) return conn;
    try {
      if (this.consecutiveIds === undefined) {
        const [row] = (await this.mysqlQuery(conn, AUTOINC_MODE, [])) as Array<{ mode: unknown }>;
        this.consecutiveIds = Number(row?.mode) < 2;
      }
      await this.mysqlQuery(conn, 'SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED', []);
      await this.mysqlQuery(conn, 'SET SESSION autocommit = 0', []);
    } catch (err) {
      conn.destroy();
      throw err;
    }
    this.txSessions.add(conn);
    return conn;
  }

  async onApplicationShutdown(): Promise<void> {
    await this.close();
  }

  // Ends the transaction pool (tools that build a Db by hand call this before they exit).
  async close(): Promise<void> {
    const pool = this.txPool;
    this.txPool = null;
    if (pool) await new Promise<void>((resolve) => pool.end(() => resolve()));
  }

  // A single statement (or a read) outside any transaction. On MySQL a lost deadlock rolled back
  // only the statement that lost, and `work` runs again (a callback's status move met a batch of
  // accepts under load): its writes must be ones a second run changes nothing by.
  async run<T>(work: (m: EntityManager) => Promise<T>): Promise<T> {
    if (this.queue) return this.exclusive(() => work(this.dataSource.manager));
    return againIfLocked(() => work(this.dataSource.manager));
  }

  // Plain parameterised SQL for the hot paths: no query building and no entity hydration, which
  // were a third of a submit's CPU. Given `m`, the statement joins the caller's unit of work (its
  // transaction's connection on MySQL); without one it runs on its own. The SQL must be valid on
  // both databases (backticks quote on both; `?` placeholders).
  async rows<T>(m: EntityManager | undefined, sql: string, params: readonly SqlParam[]): Promise<T[]> {
    return (await this.raw(m, sql, params)) as T[];
  }

  // A read in a transaction whose answer can wait for the transaction's next statement: on MySQL
  // it goes in that statement's round trip, ahead of it (a group's webhook endpoints with the lock
  // on its tasks). Should nothing follow within this turn of the event loop, it goes alone; so
  // the caller must not wait for it before sending what it would go with. Elsewhere it runs now.
  rowsAhead<T>(m: EntityManager, sql: string, params: readonly SqlParam[]): Promise<T[]> {
    const conn = this.txConnectionOf(m);
    if (this.queue || !conn || !this.deferredWrites.has(m)) return this.rows<T>(m, sql, params);
    return this.readsAhead.ask<T>(m, this.sender(conn), () => this.deferredWrites.has(m), sql, params);
  }

  private sender(conn: Mysql2Queryable): SendText {
    return (sql, params) => this.mysqlQuery(conn, sql, params);
  }

  private txConnectionOf(m: EntityManager | undefined): Mysql2Queryable | undefined {
    return (m?.queryRunner as unknown as { databaseConnection?: Mysql2Queryable } | undefined)?.databaseConnection;
  }

  async write(m: EntityManager | undefined, sql: string, params: readonly SqlParam[]): Promise<WriteResult> {
    const res = (await this.raw(m, sql, params)) as { affectedRows?: number; insertId?: number };
    return { affected: res.affectedRows ?? 0, insertId: Number(res.insertId ?? 0) };
  }

  private raw(m: EntityManager | undefined, sql: string, params: readonly SqlParam[]): Promise<unknown> {
    if (this.queue) {
      // On SQLite a caller with a manager already holds the queue (its transaction or run).
      const exec = () => this.sqliteStatements.run(sql, params);
      return m ? Promise.resolve().then(exec) : this.exclusive(() => Promise.resolve().then(exec));
    }
    const conn = this.txConnectionOf(m);
    if (!conn) return this.mysqlAlone(sql, params);
    // Most statements have no read waiting: they go straight, without a sender built for them.
    if (!this.readsAhead.waitIn(m)) return this.mysqlQuery(conn, sql, params);
    return this.readsAhead.sendWith(m, this.sender(conn), sql, params);
  }

  // A statement on its own (autocommit): a deadlock rolled back only this statement, so it is run
  // again, as tx() runs a transaction again. (Claims and reschedules of many rows meet the rows a
  // group commit is ending.)
  private mysqlAlone(sql: string, params: readonly SqlParam[]): Promise<unknown> {
    const pool = (this.dataSource.driver as unknown as { pool: Mysql2Queryable }).pool;
    return againIfLocked(() => this.mysqlQuery(pool, sql, params));
  }

  private mysqlQuery(target: Mysql2Queryable, sql: string, params: readonly SqlParam[]): Promise<unknown> {
    return new Promise((resolve, reject) =>
      target.query(sql, params, (err, result) =>
        err ? reject(new QueryFailedError(sql, [...params], err)) : resolve(result),
      ),
    );
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
    // TypeORM's pool (single statements) and the transaction pool, together.
    const pools = [(this.dataSource.driver as unknown as { pool?: Mysql2PoolInternals }).pool, this.txPool];
    const stats: PoolStats = { inUse: 0, idle: 0, waiting: 0, max: 0 };
    for (const p of pools as Array<Partial<Mysql2PoolInternals> | null | undefined>) {
      if (!p?._allConnections || !p._freeConnections || !p._connectionQueue || !p.config) {
        stats.max += (this.dataSource.options as { poolSize?: number }).poolSize ?? 0; // not opened yet
        continue;
      }
      stats.inUse += p._allConnections.length - p._freeConnections.length;
      stats.idle += p._freeConnections.length;
      stats.waiting += p._connectionQueue.length;
      stats.max += p.config.connectionLimit;
    }
    return stats;
  }
}

// MySQL: `work` again (up to MAX_ATTEMPTS, after a short random pause) when it lost a deadlock or
// timed out waiting for a lock; InnoDB rolled back what it was doing, nothing more.
async function againIfLocked<T>(work: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (err) {
      if (attempt >= MAX_ATTEMPTS || !MYSQL_RETRYABLE.has(lockErrorCode(err))) throw err;
      await new Promise((r) => setTimeout(r, 5 * attempt + Math.random() * 10));
    }
  }
}

function lockErrorCode(err: unknown): string {
  const e = err as { code?: string; driverError?: { code?: string } };
  return e.driverError?.code ?? e.code ?? '';
}

// Base for repositories: a method given a manager joins the caller's transaction; without
// one it runs on its own.
export abstract class DbRepository {
  constructor(protected readonly db: Db) {}

  protected use<T>(m: EntityManager | undefined, work: (m: EntityManager) => Promise<T>): Promise<T> {
    return m ? work(m) : this.db.run(work);
  }
}
