import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { buildDataSourceOptions } from '../../src/common/database/data-source-options';

// Two processes on one SQLite file (the embedded default behind a balancer) must queue for the write
// lock, not fail: a transaction takes it when it begins, so another connection sees it held even
// before the transaction has written anything.
describe('SQLite transactions', () => {
  let dir: string;
  let ds: DataSource;
  let other: Database.Database;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'reelay-sqlite-'));
    const path = join(dir, 'db.sqlite');
    ds = await new DataSource(buildDataSourceOptions({ type: 'sqlite', path })).initialize();
    await ds.query('CREATE TABLE t (id INTEGER PRIMARY KEY, v INTEGER)');
    await ds.query('INSERT INTO t (id, v) VALUES (1, 0)');
    other = new Database(path, { timeout: 0 });
  });
  afterAll(async () => {
    other.close();
    await ds.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  it('holds the write lock from BEGIN, so a read-then-write cannot lose its snapshot', async () => {
    await ds.transaction(async (em) => {
      expect(await em.query('SELECT v FROM t WHERE id = 1')).toEqual([{ v: 0 }]);
      // Another connection cannot start writing until this transaction ends…
      expect(() => other.exec('BEGIN IMMEDIATE')).toThrow(expect.objectContaining({ code: 'SQLITE_BUSY' }));
      // …but it can still read (WAL).
      expect(other.prepare('SELECT v FROM t WHERE id = 1').get()).toEqual({ v: 0 });
      await em.query('UPDATE t SET v = v + 1 WHERE id = 1');
    });
    other.exec('BEGIN IMMEDIATE');
    other.exec('UPDATE t SET v = v + 1 WHERE id = 1');
    other.exec('COMMIT');
    expect(await ds.query('SELECT v FROM t WHERE id = 1')).toEqual([{ v: 2 }]);
  });

  it('leaves statements other than the transaction start as they are', async () => {
    await ds.query('UPDATE t SET v = 10 WHERE id = 1');
    expect(await ds.query("SELECT 'BEGIN TRANSACTION' AS s, v FROM t")).toEqual([{ s: 'BEGIN TRANSACTION', v: 10 }]);
  });
});
