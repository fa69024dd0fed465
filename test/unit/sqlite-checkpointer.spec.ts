import Database from 'better-sqlite3';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AUTO_CHECKPOINT_PAGES,
  CheckpointResult,
  SqliteCheckpointer,
} from '../../src/common/database/sqlite-checkpointer';

// The checkpoint worker on a real database file: the app's connection stops checkpointing inside
// its commits, the worker copies the WAL back instead, and the app's connection takes over again
// when the worker stops or dies.
describe('SqliteCheckpointer', () => {
  let dir: string;
  let path: string;
  let db: Database.Database;
  const autoPages = () => db.pragma('wal_autocheckpoint', { simple: true });

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'reelay-ckpt-'));
    path = join(dir, 'app.sqlite');
    db = new Database(path);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, body TEXT NOT NULL)');
  });
  afterEach(() => {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  // 3,000 commits of a 2 KB row: ~1,500 pages of WAL, past the 1,000 at which SQLite would copy
  // it inside a commit.
  const write = (n = 3000) => {
    const insert = db.prepare('INSERT INTO t (body) VALUES (?)');
    for (let i = 0; i < n; i++) insert.run('x'.repeat(2000));
  };

  const until = async (what: () => boolean, ms = 10_000) => {
    const end = Date.now() + ms;
    while (!what()) {
      if (Date.now() > end) throw new Error('timed out');
      await new Promise((r) => setTimeout(r, 10));
    }
  };

  // Pages the database holds, written back to its file or not.
  const databaseBytes = () =>
    Number(db.pragma('page_count', { simple: true })) * Number(db.pragma('page_size', { simple: true }));

  it('copies the WAL into the database file from its own thread; the app connection never checkpoints', async () => {
    const seen: CheckpointResult[] = [];
    const ckpt = new SqliteCheckpointer(db, path, 20, { checkpointed: (r) => seen.push(r) });
    ckpt.start();
    expect(autoPages()).toBe(0);
    write();
    // Only a checkpoint grows the database file, and the app connection does none: the worker
    // wrote every page back (its report of that arrives a moment after the file has grown).
    await until(() => statSync(path).size >= databaseBytes() && seen.length > 0);
    expect(databaseBytes()).toBeGreaterThan(3000 * 2000);
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.every((r) => r.checkpointed <= r.log)).toBe(true);
    await ckpt.stop();
    expect(autoPages()).toBe(AUTO_CHECKPOINT_PAGES);
    expect(ckpt.running).toBe(false);
    expect(db.prepare('SELECT COUNT(*) AS n FROM t').get()).toEqual({ n: 3000 });
  });

  it('without it the WAL keeps what was written and the file stays as it was (the control)', () => {
    db.pragma('wal_autocheckpoint = 0');
    const before = statSync(path).size;
    write();
    expect(statSync(path).size).toBe(before);
  });

  it('hands checkpoints back to the app connection when the worker dies', async () => {
    const stopped: Error[] = [];
    // A worker that cannot open the database file dies at once.
    const ckpt = new SqliteCheckpointer(db, join(dir, 'gone', 'app.sqlite'), 20, {
      stopped: (err) => stopped.push(err),
    });
    ckpt.start();
    await until(() => stopped.length === 1);
    expect(stopped[0].message).toMatch(/directory does not exist|unable to open/i);
    expect(autoPages()).toBe(AUTO_CHECKPOINT_PAGES);
    expect(ckpt.running).toBe(false);
    await ckpt.stop(); // nothing left to stop
  });

  it('stops twice without harm and can start again', async () => {
    const ckpt = new SqliteCheckpointer(db, path, 20);
    ckpt.start();
    await ckpt.stop();
    await ckpt.stop();
    ckpt.start();
    expect(ckpt.running).toBe(true);
    expect(autoPages()).toBe(0);
    await ckpt.stop();
    expect(autoPages()).toBe(AUTO_CHECKPOINT_PAGES);
  });
});
