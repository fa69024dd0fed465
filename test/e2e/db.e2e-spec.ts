import { statSync } from 'node:fs';
import { Db } from '../../src/common/database/db.service';
import { User } from '../../src/auth/user.entity';
import { startTestApp, TestApp } from '../helpers/test-app';
import { testDbKind } from '../helpers/test-db';

// The same service code must be correct on both databases: on SQLite's single connection,
// concurrent transactions are queued instead of failing with "transaction already started"
// or committing each other's statements.
// A user row by plain SQL, for the raw-statement tests: `${tag}-${i}@x.test`.
const INSERT_USER =
  'INSERT INTO `users` (`email`, `password_hash`, `role`, `status`, `plan`, `created_at`, `updated_at`) ' +
  'VALUES (?, ?, ?, ?, ?, ?, ?)';
const userRow = (tag: string) => (i: number) => [`${tag}-${i}@x.test`, 'x', 'user', 'active', 'free', 1, 1];

describe('Db', () => {
  let t: TestApp;
  let db: Db;
  beforeAll(async () => {
    // No scheduled jobs: the tests below count the round trips their own statements take, and a
    // job's statement in between would count too.
    t = await startTestApp({ env: { JOBS_ENABLED: 'false' } });
    db = t.app.get(Db);
  });
  afterAll(() => t.close());

  const insertUser = (m: import('typeorm').EntityManager, email: string) =>
    m.insert(User, {
      email,
      passwordHash: 'x',
      role: 'user',
      status: 'active',
      plan: 'free',
      createdAt: 1,
      updatedAt: 1,
    });

  it('runs 100 concurrent transactions, committing the good ones and rolling back the failed ones whole', async () => {
    const tag = `tx${Date.now()}`;
    const outcomes = await Promise.allSettled(
      Array.from({ length: 100 }, (_, i) =>
        db.tx(async (m) => {
          await insertUser(m, `${tag}-${i}-a@x.test`);
          await new Promise((r) => setTimeout(r, Math.random() * 3));
          await insertUser(m, `${tag}-${i}-b@x.test`);
          if (i % 2 === 1) throw new Error('roll me back');
        }),
      ),
    );
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(50);
    const rejected = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
    expect(rejected.map((o) => String(o.reason.message))).toEqual(Array(50).fill('roll me back'));

    const emails = (await db.run((m) => m.find(User, { select: { email: true } })))
      .map((u) => u.email)
      .filter((e) => e.startsWith(tag));
    expect(emails).toHaveLength(100);
    for (const e of emails) expect(Number(e.split('-')[1]) % 2).toBe(0);
  });

  it('keeps a statement outside a transaction out of a transaction that rolls back', async () => {
    const tag = `solo${Date.now()}`;
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const failing = db.tx(async (m) => {
      await insertUser(m, `${tag}-in-tx@x.test`);
      await gate;
      throw new Error('rollback');
    });
    const solo = db.run((m) => insertUser(m, `${tag}-solo@x.test`));
    setTimeout(release, 20);
    await expect(failing).rejects.toThrow('rollback');
    await solo;
    const emails = (await db.run((m) => m.find(User))).map((u) => u.email).filter((e) => e.startsWith(tag));
    expect(emails).toEqual([`${tag}-solo@x.test`]);
  });

  // A statement on its own that loses a deadlock was rolled back alone: it runs again, and the
  // caller never sees the deadlock (a callback's status move meeting a batch of accepts was a 500).
  if (testDbKind() === 'mysql')
    it('runs a statement outside a transaction again when it loses a deadlock', async () => {
      const tag = `dl${Date.now()}`;
      await db.run((m) => insertUser(m, `${tag}-a@x.test`));
      await db.run((m) => insertUser(m, `${tag}-b@x.test`));
      const [a, b] = await Promise.all(
        ['a', 'b'].map(async (x) => (await db.run((m) => m.findOneByOrFail(User, { email: `${tag}-${x}@x.test` }))).id),
      );
      const setUpdated = 'UPDATE `users` SET `updated_at` = ? WHERE `id` = ?';
      let locked!: () => void;
      const aLocked = new Promise<void>((r) => (locked = r));
      // The transaction has written more rows than the statement will have: InnoDB picks the statement.
      const heavy = db.tx(async (m) => {
        for (let i = 0; i < 20; i++) await insertUser(m, `${tag}-heavy-${i}@x.test`);
        await m.query(setUpdated, [5, a]);
        locked();
        await new Promise((r) => setTimeout(r, 300)); // the statement now holds b and waits for a
        await m.query(setUpdated, [5, b]);
      });
      await aLocked;
      let attempts = 0;
      await db.run((m) => {
        attempts++;
        // One statement locking b, then a.
        return m.query('UPDATE `users` SET `updated_at` = 7 WHERE `id` IN (?, ?) ORDER BY `id` DESC', [a, b]);
      });
      await heavy;
      expect(attempts).toBe(2);
      const rows = await db.run((m) => m.find(User, { where: [{ id: a }, { id: b }] }));
      expect(rows.map((u) => u.updatedAt)).toEqual([7, 7]);
    });

  // The app's one SQLite connection never copies the WAL back inside a commit (a stall of ~10 ms
  // for every request waiting); a worker thread does, on its own connection.
  if (testDbKind() === 'sqlite')
    it('leaves SQLite checkpoints to the worker thread, which writes what the app commits into the file', async () => {
      const path = (t.app.get(Db).dataSource.options as { database: string }).database;
      const fileBytes = () => statSync(path).size;
      const [auto] = await db.run((m) => m.query('PRAGMA wal_autocheckpoint'));
      expect(Object.values(auto)).toEqual([0]);
      const before = fileBytes();
      const tag = `ckpt${Date.now()}`;
      await db.tx(async (m) => {
        for (let i = 0; i < 400; i++) await m.query(INSERT_USER, userRow(`${tag}-${'x'.repeat(200)}`)(i));
      });
      const end = Date.now() + 10_000;
      while (fileBytes() <= before && Date.now() < end) await new Promise((r) => setTimeout(r, 50));
      expect(fileBytes()).toBeGreaterThan(before);
    });

  // The transaction pool's sessions run with autocommit off: the first statement opens the
  // transaction, so none costs a START TRANSACTION round trip, and COMMIT leaves nothing open.
  if (testDbKind() === 'mysql')
    it('opens MySQL transactions without START TRANSACTION and leaves no transaction open after one', async () => {
      const tag = `lazy${Date.now()}`;
      const seen = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          db.tx(async (m) => {
            await insertUser(m, `${tag}-${i}@x.test`);
            const status = await db.rows<{ Variable_name: string; Value: string }>(
              m,
              "SHOW SESSION STATUS WHERE Variable_name IN ('Com_begin', 'Com_commit')",
              [],
            );
            const [{ ac }] = await db.rows<{ ac: number }>(m, 'SELECT @@autocommit AS ac', []);
            const [{ iso }] = await db.rows<{ iso: string }>(m, 'SELECT @@tx_isolation AS iso', []);
            return {
              ac: Number(ac),
              iso,
              ...Object.fromEntries(status.map((r) => [r.Variable_name, Number(r.Value)])),
            };
          }),
        ),
      );
      for (const s of seen) expect(s).toMatchObject({ ac: 0, iso: 'READ-COMMITTED', Com_begin: 0 });
      // Committed: every row is visible outside (a connection left mid-transaction would hide some).
      const n = (await db.run((m) => m.find(User))).filter((u) => u.email.startsWith(tag)).length;
      expect(n).toBe(20);
      // The next transaction on any of those connections starts clean: a read sees a row committed
      // by another session after the previous transaction ended.
      await db.run((m) => insertUser(m, `${tag}-after@x.test`));
      const after = await Promise.all(
        Array.from({ length: 20 }, () =>
          db.tx((m) =>
            db.rows<{ n: number }>(m, 'SELECT COUNT(*) AS n FROM users WHERE email = ?', [`${tag}-after@x.test`]),
          ),
        ),
      );
      for (const [{ n: c }] of after) expect(Number(c)).toBe(1);
    });
  // Writes deferred to the commit go with it: on MySQL one multi-statement (the COMMIT at its end
  // when none is judged); a judged one that fails, or a write that fails, commits none of them.
  it('sends the writes a transaction defers to its commit together, judged there: all commit or none', async () => {
    const tag = `atc${Date.now()}`;
    const sql = INSERT_USER;
    const row = userRow(tag);
    const emails = async () =>
      (await db.run((m) => m.find(User)))
        .map((u) => u.email)
        .filter((e) => e.startsWith(tag))
        .sort();
    const mysql = testDbKind() === 'mysql';
    const sent = jest.spyOn(db as unknown as { mysqlQuery: () => Promise<unknown> }, 'mysqlQuery');
    const ids: number[] = [];
    const seenInside = await db.tx(async (m) => {
      for (const i of [1, 2, 3]) await db.writeAtCommit(m, sql, row(i), { onResult: (r) => ids.push(r.insertId) });
      const [{ n }] = await db.rows<{ n: number }>(m, 'SELECT COUNT(*) AS n FROM users WHERE email LIKE ?', [
        `${tag}%`,
      ]);
      return Number(n);
    });
    const roundTrips = sent.mock.calls.length;
    sent.mockRestore();
    expect(seenInside).toBe(mysql ? 0 : 3); // SQLite writes at once: no round trip to save
    if (mysql) expect(roundTrips).toBe(2); // the read, then the three writes and COMMIT
    expect(new Set(ids).size).toBe(3);
    for (const id of ids) expect(id).toBeGreaterThan(0);
    expect(await emails()).toEqual([1, 2, 3].map((i) => `${tag}-${i}@x.test`));

    const noSuchUser = (r: { affected: number }) => {
      if (r.affected === 0) throw new Error('no such user');
    };
    await expect(
      db.tx(async (m) => {
        await db.writeAtCommit(m, sql, row(4));
        await db.writeAtCommit(m, 'UPDATE `users` SET `updated_at` = 2 WHERE `email` = ?', [`${tag}-none`], {
          check: noSuchUser,
        });
        await db.writeAtCommit(m, sql, row(5));
      }),
    ).rejects.toThrow('no such user');
    await expect(
      db.tx(async (m) => {
        await db.writeAtCommit(m, sql, row(6));
        await db.writeAtCommit(m, sql, row(1)); // taken: MySQL runs nothing after it, COMMIT included
        await db.writeAtCommit(m, sql, row(7));
      }),
    ).rejects.toThrow();
    expect(await emails()).toEqual([1, 2, 3].map((i) => `${tag}-${i}@x.test`));
    // The connection is clean for the next transaction.
    await db.tx((m) => db.writeAtCommit(m, sql, row(8)));
    expect(await emails()).toHaveLength(4);
  });

  // In a group commit's (shared) transaction a failure only means the group is re-run caller by
  // caller, so a checked write that says what it must report is judged by the database itself:
  // on MySQL the COMMIT goes with the writes (one round trip), and a miss commits none of them.
  it('commits a shared transaction whose checked writes say what they expect with them, and nothing on a miss', async () => {
    const tag = `guard${Date.now()}`;
    const insert = INSERT_USER;
    const row = userRow(tag);
    const touch = 'UPDATE `users` SET `updated_at` = ? WHERE `email` IN (?, ?)';
    const both = (r: { affected: number }) => {
      if (r.affected !== 2) throw new Error(`touched ${r.affected} of 2`);
    };
    const users = async () =>
      (await db.run((m) => m.find(User)))
        .filter((u) => u.email.startsWith(tag))
        .map((u) => `${u.email.slice(tag.length + 1, -'@x.test'.length)}:${u.updatedAt}`)
        .sort();
    const mysql = testDbKind() === 'mysql';
    await db.tx(async (m) => {
      for (const i of [1, 2]) await db.writeAtCommit(m, insert, row(i));
    });
    const sent = jest.spyOn(db as unknown as { mysqlQuery: () => Promise<unknown> }, 'mysqlQuery');
    const trips = () => {
      const n = sent.mock.calls.length;
      sent.mockClear();
      return n;
    };
    const shared = (work: (m: import('typeorm').EntityManager) => Promise<void>) =>
      db.tx(async (m) => {
        db.markShared(m);
        await work(m);
      });

    const ends: number[] = [];
    await shared(async (m) => {
      await db.writeAtCommit(m, insert, row(3));
      const emails = [`${tag}-1@x.test`, `${tag}-2@x.test`];
      await db.writeAtCommit(m, touch, [5, ...emails], {
        check: both,
        expect: 2,
        onResult: (r) => ends.push(r.affected),
      });
      await db.writeAtCommit(m, insert, row(4));
    });
    if (mysql) expect(trips()).toBe(1); // the writes, their guard and COMMIT together
    expect(ends).toEqual([2]); // the check still sees what the write reported
    expect(await users()).toEqual(['1:5', '2:5', '3:1', '4:1']);
    trips();

    // A miss: one of the two rows does not exist. Nothing of the transaction is kept.
    const miss = shared(async (m) => {
      await db.writeAtCommit(m, insert, row(6));
      await db.writeAtCommit(m, touch, [7, `${tag}-1@x.test`, `${tag}-none@x.test`], { check: both, expect: 2 });
      await db.writeAtCommit(m, insert, row(8));
    });
    await expect(miss).rejects.toThrow(mysql ? 'did not report the rows it expects' : 'touched 1 of 2');
    if (mysql) expect(trips()).toBe(2); // the writes up to the failed guard, then ROLLBACK
    expect(await users()).toEqual(['1:5', '2:5', '3:1', '4:1']);

    // Outside a shared transaction the check is made apart (its own error), COMMIT in a round trip of its own.
    const alone = db.tx(async (m) => {
      await db.writeAtCommit(m, insert, row(9));
      await db.writeAtCommit(m, touch, [9, `${tag}-2@x.test`, `${tag}-none@x.test`], { check: both, expect: 2 });
    });
    await expect(alone).rejects.toThrow('touched 1 of 2');
    trips();
    await db.tx(async (m) => {
      await db.writeAtCommit(m, touch, [10, `${tag}-1@x.test`, `${tag}-2@x.test`], { check: both, expect: 2 });
    });
    if (mysql) expect(trips()).toBe(2); // the write, then COMMIT
    sent.mockRestore();
    expect(await users()).toEqual(['1:10', '2:10', '3:1', '4:1']);
  });

  // A read whose answer can wait goes in the round trip of the transaction's next statement, ahead
  // of it; alone when nothing follows in that turn; never after the transaction ended.
  it('sends a read ahead with the next statement, alone when none follows, and drops it with a failed transaction', async () => {
    const tag = `ahead${Date.now()}`;
    const insert = INSERT_USER;
    const row = userRow(tag);
    const count = 'SELECT COUNT(*) AS n FROM `users` WHERE `email` LIKE ?';
    const mysql = testDbKind() === 'mysql';
    const sent = jest.spyOn(
      db as unknown as { mysqlQuery: (t: unknown, sql: string) => Promise<unknown> },
      'mysqlQuery',
    );
    const trips = () => {
      const texts = sent.mock.calls.map(([, sql]) => sql.split(';\n').length);
      sent.mockClear();
      return texts;
    };
    const seen = await db.tx(async (m) => {
      const before = db.rowsAhead<{ n: number }>(m, count, [`${tag}%`]);
      await db.write(m, insert, row(1)); // the read goes first, in this round trip
      const alone = db.rowsAhead<{ n: number }>(m, count, [`${tag}%`]);
      const [[b], [a]] = await Promise.all([before, alone]); // nothing follows: it goes by itself
      const last = db.rowsAhead<{ n: number }>(m, count, [`${tag}%`]); // answered after the tx returns
      await db.write(m, insert, row(2)).then(() => undefined);
      return { before: Number(b.n), alone: Number(a.n), last };
    });
    expect(seen).toMatchObject({ before: 0, alone: 1 });
    expect(Number((await seen.last)[0].n)).toBe(1);
    if (mysql) expect(trips()).toEqual([2, 1, 2, 1]); // [read, insert], read, [read, insert], COMMIT
    trips();

    // A transaction that fails drops what waits: the read rejects and is never sent.
    let dropped: Promise<unknown> = Promise.resolve();
    await expect(
      db.tx((m) => {
        dropped = db.rowsAhead(m, count, [`${tag}%`]);
        dropped.catch(() => undefined);
        return Promise.reject(new Error('changed my mind'));
      }),
    ).rejects.toThrow('changed my mind');
    if (mysql) {
      await expect(dropped).rejects.toThrow('changed my mind');
      await new Promise((r) => setImmediate(r));
      expect(sent.mock.calls.map(([, sql]) => sql)).toEqual(['ROLLBACK']);
    } else await expect(dropped).resolves.toEqual([{ n: 2 }]); // SQLite reads at once
    sent.mockRestore();
  });
});
