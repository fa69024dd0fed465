import { Db } from '../../src/common/database/db.service';
import { User } from '../../src/auth/user.entity';
import { startTestApp, TestApp } from '../helpers/test-app';

// The same service code must be correct on both databases: on SQLite's single connection,
// concurrent transactions are queued instead of failing with "transaction already started"
// or committing each other's statements.
describe('Db', () => {
  let t: TestApp;
  let db: Db;
  beforeAll(async () => {
    t = await startTestApp();
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
});
