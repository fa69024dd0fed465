import { DataSource } from 'typeorm';
import { BillingService } from '../../src/billing/billing.service';
import { Db } from '../../src/common/database/db.service';
import { ReconciliationService } from '../../src/billing/reconciliation.service';
import { DomainError } from '../../src/common/errors/domain-error';
import { ERROR_HTTP_STATUS, ErrorCode } from '../../src/common/errors/error-code';
import { CREDIT, newUser } from '../helpers/medium-fixtures';
import { openObserver } from '../helpers/observer';
import { prng } from '../helpers/prng';
import { testDbKind } from '../helpers/test-db';
import { startServices, TestServices } from '../helpers/test-services';

// In a shared transaction MySQL judges a checked write in the database (Db.commitWith), with
// its own message; SQLite writes at once and the check throws its own.
const mysqlGuard = (own: string) => (testDbKind() === 'mysql' ? 'did not report the rows it expects' : own);

// BillingService in the middle tier. Exactness under real concurrency: every call below runs at
// the same time against the real database (MySQL's connection pool, or SQLite's queued writer).
describe('BillingService on a real database', () => {
  let t: TestServices;
  let billing: BillingService;
  let ds: DataSource;

  beforeAll(async () => {
    t = await startServices();
    billing = t.get(BillingService);
    ds = t.get(DataSource);
  });
  afterAll(() => t.close());

  const statusOf = (err: unknown) => (err instanceof DomainError ? ERROR_HTTP_STATUS[err.code] : 500);

  it('200 concurrent holds of 10 credits on 500 credits: exactly 50 succeed, 150 get 402, available never negative', async () => {
    const u = await newUser(t);
    await billing.credit(u.id, 500 * CREDIT, { type: 'order', id: `seed-${u.id}` });

    // Sampled from a separate connection while the holds run.
    const observer = await openObserver(t.database.url);
    const samples: number[] = [];
    let running = true;
    const sampler = (async () => {
      while (running) {
        const [row] = await observer.query<{ available: number | string }>(
          'SELECT balance - held AS available FROM credit_accounts WHERE user_id = ?',
          [u.id],
        );
        samples.push(Number(row.available));
        // Yield a microtask turn, not a timer: on SQLite the holds never leave the microtask queue.
        await Promise.resolve();
      }
    })();
    const results = await Promise.allSettled(
      Array.from({ length: 200 }, (_, i) => billing.hold(u.id, 10 * CREDIT, { type: 'task', id: `h-${u.id}-${i}` })),
    );
    running = false;
    await sampler;
    await observer.close();

    const ok = results.filter((r) => r.status === 'fulfilled');
    const failed = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(ok).toHaveLength(50);
    expect(failed.map((f) => statusOf(f.reason))).toEqual(Array(150).fill(402));
    expect(samples.length).toBeGreaterThan(5);
    expect(Math.min(...samples)).toBeGreaterThanOrEqual(0);
    const [after] = await ds.query('SELECT balance - held AS available FROM credit_accounts WHERE user_id = ?', [u.id]);
    expect(Number(after.available)).toBe(0);
    const [{ n }] = await ds.query("SELECT COUNT(*) AS n FROM ledger_entries WHERE user_id = ? AND kind = 'hold'", [
      u.id,
    ]);
    expect(Number(n)).toBe(50);
  });

  it('20 concurrent captures of one reference charge once and write one ledger row', async () => {
    const u = await newUser(t);
    await billing.credit(u.id, 100 * CREDIT, { type: 'order', id: `seed-${u.id}` });
    const ref = { type: 'task' as const, id: `cap-${u.id}` };
    await billing.hold(u.id, 60 * CREDIT, ref);

    const outcomes = await Promise.all(Array.from({ length: 20 }, () => billing.capture(ref)));
    expect(outcomes.filter((o) => o.status === 'captured')).toEqual([{ status: 'captured', charged: 60 * CREDIT }]);
    expect(outcomes.filter((o) => o.status === 'already_captured')).toHaveLength(19);

    const rows = await ds.query("SELECT kind, amount FROM ledger_entries WHERE ref_id = ? AND kind = 'capture'", [
      ref.id,
    ]);
    expect(rows.map((r: { amount: string | number }) => Number(r.amount))).toEqual([-60 * CREDIT]);
    const [acct] = await ds.query('SELECT balance, held, used FROM credit_accounts WHERE user_id = ?', [u.id]);
    expect([Number(acct.balance), Number(acct.held), Number(acct.used)]).toEqual([40 * CREDIT, 0, 60 * CREDIT]);
  });

  it('settles a hold once when captures and releases race, and each order reports the other as a no-op', async () => {
    const u = await newUser(t);
    await billing.credit(u.id, 100 * CREDIT, { type: 'order', id: `seed-${u.id}` });

    const raced = { type: 'task' as const, id: `race-${u.id}` };
    await billing.hold(u.id, 30 * CREDIT, raced);
    const mixed = await Promise.all(
      Array.from({ length: 20 }, (_, i) => (i % 2 ? billing.release(raced) : billing.capture(raced, 25 * CREDIT))),
    );
    const firsts = mixed.filter((o) => o.status === 'captured' || o.status === 'released');
    expect(firsts).toHaveLength(1);
    const settles = await ds.query(
      "SELECT kind FROM ledger_entries WHERE ref_id = ? AND kind IN ('capture', 'release')",
      [raced.id],
    );
    expect(settles).toHaveLength(1);

    const a = { type: 'task' as const, id: `cr-${u.id}` };
    await billing.hold(u.id, 10 * CREDIT, a);
    expect(await billing.capture(a)).toEqual({ status: 'captured', charged: 10 * CREDIT });
    expect(await billing.release(a)).toEqual({ status: 'already_captured', charged: 0 });

    const b = { type: 'task' as const, id: `rc-${u.id}` };
    await billing.hold(u.id, 10 * CREDIT, b);
    expect(await billing.release(b)).toEqual({ status: 'released', charged: 0 });
    expect(await billing.capture(b)).toEqual({ status: 'already_released', charged: 0 });

    expect((await t.get(ReconciliationService).reconcile()).mismatches).toEqual([]);
  });

  it('a randomized workload of 1,200 operations over 20 users reconciles with zero mismatches', async () => {
    const rand = prng(20261121);
    const users = await Promise.all(Array.from({ length: 20 }, () => newUser(t)));
    type Ref = { type: 'task'; id: string; userId: number; amount: number };
    const open: Ref[] = [];
    const settled: Ref[] = [];
    const ops: Array<() => Promise<unknown>> = [];
    let seq = 0;
    const pick = <T>(xs: T[]) => xs[Math.floor(rand() * xs.length)];
    for (const u of users) await billing.credit(u.id, 200 * CREDIT, { type: 'order', id: `rw-seed-${u.id}` });

    const expectedFailures = (p: Promise<unknown>) =>
      p.catch((err: unknown) => {
        if (statusOf(err) !== 402) throw err; // only "insufficient balance" is an acceptable refusal
      });

    const nextOp = (): (() => Promise<unknown>) => {
      const r = rand();
      const u = pick(users);
      if (r < 0.35 || open.length === 0) {
        const ref: Ref = {
          type: 'task',
          id: `rw-${seq++}`,
          userId: u.id,
          amount: Math.floor(1 + rand() * 40) * CREDIT,
        };
        open.push(ref);
        return () => expectedFailures(billing.hold(ref.userId, ref.amount, ref));
      }
      if (r < 0.55) {
        const ref = open.splice(Math.floor(rand() * open.length), 1)[0];
        settled.push(ref);
        const final = rand() < 0.3 ? Math.floor(ref.amount * rand()) : undefined;
        return () => billing.capture(ref, final).catch(ignoreMissingHold);
      }
      if (r < 0.7) {
        const ref = open.splice(Math.floor(rand() * open.length), 1)[0];
        settled.push(ref);
        return () => billing.release(ref).catch(ignoreMissingHold);
      }
      if (r < 0.8 && settled.length > 0) {
        const ref = pick(settled); // replay a settlement (or race it)
        return () => (rand() < 0.5 ? billing.capture(ref) : billing.release(ref)).catch(ignoreMissingHold);
      }
      if (r < 0.9) {
        const id = `rw-order-${seq++}`;
        const amount = Math.floor(1 + rand() * 50) * CREDIT;
        return () =>
          Promise.all([
            billing.credit(u.id, amount, { type: 'order', id }),
            billing.credit(u.id, amount, { type: 'order', id }),
          ]);
      }
      const delta = (rand() < 0.5 ? -1 : 1) * Math.floor(1 + rand() * 30) * CREDIT;
      return () =>
        expectedFailures(
          billing.adjust(users[0].id, u.id, delta, 'random workload', { type: 'admin', id: `rw-adj-${seq++}` }),
        );
    };
    // A hold may have been refused (402), so its capture/release finds no hold: that is fine.
    const ignoreMissingHold = (err: unknown) => {
      if (!(err instanceof DomainError && err.code === ErrorCode.NotFound)) throw err;
    };

    for (let i = 0; i < 1200; i++) ops.push(nextOp());
    for (let i = 0; i < ops.length; i += 60) await Promise.all(ops.slice(i, i + 60).map((op) => op()));

    const report = await t.get(ReconciliationService).reconcile();
    expect(report.mismatches).toEqual([]);
    expect(report.ok).toBe(true);
    expect(report.checked_accounts).toBeGreaterThanOrEqual(20);
    const negative = await ds.query('SELECT user_id FROM credit_accounts WHERE balance - held < 0 OR held < 0');
    expect(negative).toEqual([]);
  });
});

describe('BillingService rules', () => {
  let t: TestServices;
  let billing: BillingService;

  beforeAll(async () => {
    t = await startServices();
    billing = t.get(BillingService);
  });
  afterAll(() => t.close());

  it('settlements in one transaction write the account once at commit; a later hold in it sees them; a broken sum rolls all back', async () => {
    const ds = t.get(DataSource);
    const u = await newUser(t);
    await billing.credit(u.id, 100 * CREDIT, { type: 'order', id: `seed-${u.id}` });
    const refs = Array.from({ length: 5 }, (_, i) => ({ type: 'task' as const, id: `g-${u.id}-${i}` }));
    for (const ref of refs) await billing.hold(u.id, 10 * CREDIT, ref);
    const account = () =>
      ds.query('SELECT balance, held, used FROM credit_accounts WHERE user_id = ?', [u.id]).then((r) => ({
        balance: Number(r[0].balance),
        held: Number(r[0].held),
        used: Number(r[0].used),
      }));
    const statements = jest.spyOn(t.get(Db), 'write');
    await t.get(Db).tx(async (em) => {
      await billing.capture(refs[0], undefined, em, { userId: u.id, amount: 10 * CREDIT });
      await billing.capture(refs[1], 4 * CREDIT, em, { userId: u.id, amount: 10 * CREDIT });
      await billing.release(refs[2], em, { userId: u.id, amount: 10 * CREDIT });
      // Not written yet: the three are one UPDATE at commit.
      expect(statements.mock.calls.filter(([, sql]) => sql.startsWith('UPDATE `credit_accounts`'))).toHaveLength(0);
      // A hold in the same transaction writes them first, so it sees 100 - 14 - 20 held = 66 available.
      await billing.hold(u.id, 66 * CREDIT, { type: 'task', id: `g-${u.id}-big` }, em);
    });
    statements.mockRestore();
    expect(await account()).toEqual({ balance: 86 * CREDIT, held: 86 * CREDIT, used: 14 * CREDIT });

    // A sum the account cannot cover (the ledger broken behind Reelay's back) fails the commit:
    // the settlements' ledger rows go with it.
    await ds.query('UPDATE credit_accounts SET held = 0 WHERE user_id = ?', [u.id]);
    await expect(
      t.get(Db).tx(async (em) => {
        await billing.capture(refs[3], undefined, em, { userId: u.id, amount: 10 * CREDIT });
        await billing.capture(refs[4], undefined, em, { userId: u.id, amount: 10 * CREDIT });
      }),
    ).rejects.toThrow(/cannot settle/);
    const settled = await ds.query('SELECT COUNT(*) AS n FROM ledger_entries WHERE op_key IN (?, ?)', [
      `settle:task:${refs[3].id}`,
      `settle:task:${refs[4].id}`,
    ]);
    expect(Number(settled[0].n)).toBe(0);
  });

  it('a replayed hold is a reported no-op; the same reference with another amount is refused', async () => {
    const u = await newUser(t);
    await billing.credit(u.id, 100 * CREDIT, { type: 'order', id: `o-${u.id}` });
    const ref = { type: 'task' as const, id: `t-${u.id}` };
    expect((await billing.hold(u.id, 30 * CREDIT, ref)).status).toBe('held');
    expect((await billing.hold(u.id, 30 * CREDIT, ref)).status).toBe('already_held');
    await expect(billing.hold(u.id, 31 * CREDIT, ref)).rejects.toMatchObject({ code: ErrorCode.IdempotencyMismatch });
    expect(await billing.available(u.id)).toBe(70 * CREDIT);
  });

  it('a capture never charges more than the hold, and after a release it is a no-op', async () => {
    const u = await newUser(t);
    await billing.credit(u.id, 100 * CREDIT, { type: 'order', id: `o-${u.id}` });
    const a = { type: 'task' as const, id: `a-${u.id}` };
    const b = { type: 'task' as const, id: `b-${u.id}` };
    await billing.hold(u.id, 10 * CREDIT, a);
    await billing.hold(u.id, 10 * CREDIT, b);
    expect(await billing.capture(a, 25 * CREDIT)).toEqual({ status: 'captured', charged: 10 * CREDIT, capped: true });
    expect(await billing.release(b)).toEqual({ status: 'released', charged: 0 });
    expect(await billing.capture(b)).toEqual({ status: 'already_released', charged: 0 });
    expect(await billing.release(a)).toEqual({ status: 'already_captured', charged: 0 });
    expect(await billing.available(u.id)).toBe(90 * CREDIT);
  });

  it('an adjustment never leaves available credits below zero', async () => {
    const u = await newUser(t);
    await billing.credit(u.id, 10 * CREDIT, { type: 'order', id: `o-${u.id}` });
    await billing.hold(u.id, 8 * CREDIT, { type: 'task', id: `h-${u.id}` });
    await expect(
      billing.adjust(1, u.id, -3 * CREDIT, 'too much', { type: 'admin', id: `adj-${u.id}` }),
    ).rejects.toMatchObject({ code: ErrorCode.InsufficientBalance });
    expect((await billing.adjust(1, u.id, -2 * CREDIT, 'fine', { type: 'admin', id: `adj2-${u.id}` })).status).toBe(
      'adjusted',
    );
    expect(await billing.available(u.id)).toBe(0);
  });

  it('settlement claims of a group commit are written together at its commit; one that finds no hold fails it whole', async () => {
    const u = await newUser(t);
    await billing.credit(u.id, 100 * CREDIT, { type: 'order', id: `seed-${u.id}` });
    const refs = Array.from({ length: 5 }, (_, i) => ({ type: 'task' as const, id: `shared_${u.id}_${i}` }));
    for (const ref of refs) await billing.hold(u.id, 10 * CREDIT, ref);
    const expected = { userId: u.id, amount: 10 * CREDIT };
    const db = t.get(Db);
    const write = jest.spyOn(db, 'flushWrite');
    const outcomes = await db.tx(async (m) => {
      db.markShared(m);
      const out = [];
      for (const ref of refs) out.push(await billing.capture(ref, undefined, m, expected));
      return out;
    });
    const claimWrites = write.mock.calls.filter(([, sql]) => sql.startsWith('INSERT INTO `ledger_entries`')).length;
    write.mockRestore();
    expect(outcomes.map((o) => o.status)).toEqual(Array(5).fill('captured'));
    expect(claimWrites).toBe(2); // 4 rows, then 1
    expect(await billing.available(u.id)).toBe(50 * CREDIT);
    const kinds = await t
      .get(DataSource)
      .query<Array<{ kind: string; n: number | string }>>(
        'SELECT kind, COUNT(*) AS n FROM ledger_entries WHERE user_id = ? GROUP BY kind ORDER BY kind',
        [u.id],
      );
    expect(kinds.map((k) => [k.kind, Number(k.n)])).toEqual([
      ['capture', 5],
      ['hold', 5],
      ['topup', 1],
    ]);

    // A claim with no hold behind it spoils the shared transaction: nothing of it stays.
    const held = { type: 'task' as const, id: `shared_${u.id}_more` };
    await billing.hold(u.id, 10 * CREDIT, held);
    await expect(
      db.tx(async (m) => {
        db.markShared(m);
        await billing.capture(held, undefined, m, expected);
        await billing.capture({ type: 'task', id: `ghost_${u.id}` }, undefined, m, expected);
      }),
    ).rejects.toThrow(mysqlGuard('found no hold'));
    expect(await billing.available(u.id)).toBe(40 * CREDIT); // still held, not captured
    // Outside a group the same capture is judged at once.
    expect((await billing.capture(held, undefined, undefined, expected)).status).toBe('captured');
    expect(await billing.available(u.id)).toBe(40 * CREDIT);
  });
  it('holds in a group commit are judged at its commit: one without room fails the group whole, alone it is a 402', async () => {
    const u = await newUser(t);
    await billing.credit(u.id, 25 * CREDIT, { type: 'order', id: `seed-${u.id}` });
    const db = t.get(Db);
    const ref = (i: number) => ({ type: 'task' as const, id: `gh_${u.id}_${i}` });
    const outcomes = await db.tx(async (m) => {
      db.markShared(m);
      return [await billing.hold(u.id, 10 * CREDIT, ref(1), m), await billing.hold(u.id, 10 * CREDIT, ref(2), m)];
    });
    expect(outcomes.map((o) => o.status)).toEqual(['held', 'held']);
    expect(outcomes.every((o) => o.entry.id > 0)).toBe(true); // ids known once it committed
    expect(await billing.available(u.id)).toBe(5 * CREDIT);
    await expect(
      db.tx(async (m) => {
        db.markShared(m);
        await billing.hold(u.id, 5 * CREDIT, ref(3), m);
        await billing.hold(u.id, 1 * CREDIT, ref(4), m); // no room left once ref(3) is held
      }),
    ).rejects.toThrow(mysqlGuard('No room'));
    expect(await billing.available(u.id)).toBe(5 * CREDIT); // neither held
    expect(await billing.movementsFor(ref(3))).toEqual([]);
    // Alone, and replayed inside a group, the rules answer as always.
    await expect(billing.hold(u.id, 6 * CREDIT, ref(4))).rejects.toMatchObject({ code: ErrorCode.InsufficientBalance });
    await expect(
      db.tx(async (m) => {
        db.markShared(m);
        await billing.hold(u.id, 1 * CREDIT, ref(1), m); // its op_key is taken: the group fails
      }),
    ).rejects.toThrow();
    expect((await billing.hold(u.id, 10 * CREDIT, ref(1))).status).toBe('already_held');
    expect(await billing.available(u.id)).toBe(5 * CREDIT);
  });
});
