import { DataSource } from 'typeorm';
import { BillingService } from '../../src/billing/billing.service';
import { ReconciliationService } from '../../src/billing/reconciliation.service';
import { expectErrorShape } from '../helpers/error-shape';
import { bearer, createApiKey, loginAdmin, registerUser, TestUser } from '../helpers/factories';
import { startTestApp, TestApp } from '../helpers/test-app';

describe('billing API', () => {
  let t: TestApp;
  let admin: TestUser;
  let billing: BillingService;

  beforeAll(async () => {
    t = await startTestApp();
    admin = await loginAdmin(t);
    billing = t.app.get(BillingService);
  });
  afterAll(() => t.close());

  const adjust = (userId: number, body: object) =>
    t.http().post(`/api/admin/users/${userId}/credits`).set(bearer(admin.jwt)).send(body);

  describe('balance and ledger', () => {
    it('starts every user at zero', async () => {
      const u = await registerUser(t);
      const res = await t.http().get('/api/billing/balance').set(bearer(u.jwt)).expect(200);
      expect(res.body).toEqual({ balance: 0, held: 0, available: 0, used: 0 });
    });

    it('shows holds, captures and releases in credits, also to an API key', async () => {
      const u = await registerUser(t);
      await adjust(u.id, { amount: 500, reason: 'welcome credits' }).expect(201);
      await billing.hold(u.id, 405600, { type: 'task', id: `t1-${u.id}` });
      await billing.hold(u.id, 60000, { type: 'task', id: `t2-${u.id}` });
      await billing.capture({ type: 'task', id: `t1-${u.id}` });
      const { key } = await createApiKey(t, u);
      const res = await t.http().get('/api/billing/balance').set(bearer(key)).expect(200);
      expect(res.body).toEqual({ balance: 94.4, held: 60, available: 34.4, used: 405.6 });

      const ledger = await t.http().get('/api/billing/ledger?page_size=10').set(bearer(u.jwt)).expect(200);
      expect(ledger.body.total).toBe(4);
      expect(
        ledger.body.items.map((e: { kind: string; amount: number; held_delta: number }) => [
          e.kind,
          e.amount,
          e.held_delta,
        ]),
      ).toEqual([
        ['capture', -405.6, -405.6],
        ['hold', 0, 60],
        ['hold', 0, 405.6],
        ['adjustment', 500, 0],
      ]);
      expect(ledger.body.items[3]).toMatchObject({ ref_type: 'admin', note: 'welcome credits' });
    });

    it("never shows one user another user's ledger or balance", async () => {
      const a = await registerUser(t, 'a');
      const b = await registerUser(t, 'b');
      await adjust(a.id, { amount: 77, reason: 'for a only' }).expect(201);
      const bl = await t.http().get('/api/billing/ledger').set(bearer(b.jwt)).expect(200);
      expect(bl.body).toMatchObject({ items: [], total: 0 });
      const bb = await t.http().get('/api/billing/balance').set(bearer(b.jwt)).expect(200);
      expect(bb.body.balance).toBe(0);
      const al = await t.http().get('/api/billing/ledger').set(bearer(a.jwt)).expect(200);
      expect(al.body.items.every((e: { ref_id: string }) => typeof e.ref_id === 'string')).toBe(true);
      expect(al.body.total).toBe(1);
    });
  });

  describe('admin adjustments', () => {
    it('adds and removes credits with a reason; the same reference twice is a no-op', async () => {
      const u = await registerUser(t);
      const first = await adjust(u.id, { amount: 12.345, reason: 'goodwill', reference: 'ticket-1' }).expect(201);
      expect(first.body).toMatchObject({ status: 'adjusted', balance: { balance: 12.345, available: 12.345 } });
      const again = await adjust(u.id, { amount: 12.345, reason: 'goodwill', reference: 'ticket-1' }).expect(201);
      expect(again.body).toMatchObject({ status: 'already_adjusted', balance: { balance: 12.345 } });
      const reused = await adjust(u.id, { amount: 5, reason: 'other', reference: 'ticket-1' }).expect(422);
      expectErrorShape(reused.body, 'idempotency_mismatch');
      const minus = await adjust(u.id, { amount: -2.345, reason: 'correction' }).expect(201);
      expect(minus.body.balance.balance).toBe(10);
    });

    it('refuses to take available credits below zero, and more decimals than a quota unit', async () => {
      const u = await registerUser(t);
      await adjust(u.id, { amount: 10, reason: 'start' }).expect(201);
      await billing.hold(u.id, 8000, { type: 'task', id: `held-${u.id}` });
      const res = await adjust(u.id, { amount: -5, reason: 'too much' }).expect(402);
      expectErrorShape(res.body, 'insufficient_balance');
      const fine = await adjust(u.id, { amount: 0.0001, reason: 'dust' }).expect(400);
      expect(fine.body.error.details).toEqual([{ field: 'amount', message: 'has more decimals than a quota unit' }]);
      await adjust(u.id, { amount: 0, reason: 'nothing' }).expect(400);
      await adjust(999999, { amount: 1, reason: 'nobody' }).expect(404);
    });
  });

  describe('quotes and prices', () => {
    it('quotes the seed formula and the fixed tables', async () => {
      const u = await registerUser(t);
      const q = (body: object) => t.http().post('/api/billing/quote').set(bearer(u.jwt)).send(body).expect(200);
      expect(
        (await q({ model: 'kling-v1-6-pro', kind: 'multi-image2video', duration: 10, aspect_ratio: '9:16' })).body,
      ).toEqual({
        model: 'kling-v1-6-pro',
        credits: 374.4,
        quota: 374400,
        duration: 10,
        aspect_ratio: '9:16',
        resolution: '1080p',
      });
      // kling-v1-5 only animates images: its quote is an image2video one (50 × 1.2 × 1.1).
      expect((await q({ model: 'kling-v1-5-std' })).body.credits).toBe(66);
      expect((await q({ model: 'sora-2-pro', resolution: '1080p', duration: 15 })).body.credits).toBe(130);
      expect((await q({ model: 'veo3' })).body.credits).toBe(15);
    });

    it('refuses what no submit could do (400 naming the field) and a model without a price (422)', async () => {
      const u = await registerUser(t);
      const quote = (body: object) => t.http().post('/api/billing/quote').set(bearer(u.jwt)).send(body);
      const unknown = await quote({ model: 'kling-v9' }).expect(400);
      expect(unknown.body.error.details[0].field).toBe('model');
      const unpriced = await quote({ model: 'kling-v2-6-std' }).expect(422);
      expectErrorShape(unpriced.body, 'model_not_priced');
      expect(unpriced.body.error.details).toEqual([{ field: 'model', message: 'has no price' }]);
      // The Kling routes refuse 21:9 and Sora 2 renders 720p only: the quote says so too.
      expect((await quote({ model: 'kling-v1-6-std', aspect_ratio: '21:9' }).expect(400)).body.error.details).toEqual([
        { field: 'aspect_ratio', message: 'kling-v1-6-std renders 16:9, 9:16, 1:1' },
      ]);
      expect((await quote({ model: 'sora-2', resolution: '1080p' }).expect(400)).body.error.details[0].field).toBe(
        'resolution',
      );
      expect((await quote({ model: 'kling-v1-6-std', duration: 7 }).expect(400)).body.error.details[0].field).toBe(
        'duration',
      );
    });

    it('lets an admin replace the price table, and the new prices apply at once', async () => {
      const current = await t.http().get('/api/admin/prices?page_size=100').set(bearer(admin.jwt)).expect(200);
      expect(current.body.total).toBe(7);
      const items = current.body.items.map(({ updated_at: _u, ...rest }: { updated_at: number }) => rest);
      const std = items.find((i: { model: string }) => i.model === 'kling-v1-5-std');
      expect(std).toEqual({
        model: 'kling-v1-5-std',
        scheme: 'kling_formula',
        base_credits: 50,
        per_seconds: 5,
        aspect_multipliers: { '16:9': 1.2, '9:16': 1.2, '1:1': 1, '21:9': 1.3, '9:21': 1.3 },
        kind_multipliers: { text2video: 1, image2video: 1.1, 'omni-video': 1.2, 'multi-image2video': 1.3 },
        default_duration: 5,
        default_aspect_ratio: '16:9',
      });
      std.base_credits = 55.5;
      const next = [
        ...items.filter((i: { model: string }) => i.model !== 'veo3'),
        { model: 'kling-v2-master', scheme: 'fixed', entries: [{ credits: 90 }] },
      ];
      const put = await t.http().put('/api/admin/prices').set(bearer(admin.jwt)).send({ items: next }).expect(200);
      expect(put.body.total).toBe(7);

      const u = await registerUser(t);
      const q = await t
        .http()
        .post('/api/billing/quote')
        .set(bearer(u.jwt))
        .send({ model: 'kling-v1-5-std' })
        .expect(200);
      expect(q.body.credits).toBe(73.26); // 55.5 × 1.2 (16:9) × 1.1 (kling-v1-5 animates images)
      await t.http().post('/api/billing/quote').set(bearer(u.jwt)).send({ model: 'veo3' }).expect(422);
      const v2 = await t
        .http()
        .post('/api/billing/quote')
        .set(bearer(u.jwt))
        .send({ model: 'kling-v2-master' })
        .expect(200);
      expect(v2.body.credits).toBe(90);

      // Put the seed table back for the other tests.
      await t.http().put('/api/admin/prices').set(bearer(admin.jwt)).send({ items }).expect(200);
    });

    it('refuses an invalid price table, naming the field, and keeps the old one', async () => {
      const bad = [
        { model: 'm1', scheme: 'kling_formula', base_credits: 10, aspect_multipliers: { '16:9': -1 } },
        { model: 'm2', scheme: 'fixed' },
        { model: 'm3', scheme: 'kling_formula' },
        { model: 'm3', scheme: 'fixed', entries: [{ credits: 1 }] },
      ];
      const res = await t.http().put('/api/admin/prices').set(bearer(admin.jwt)).send({ items: bad }).expect(400);
      expect(res.body.error.details.map((d: { field: string }) => d.field)).toEqual([
        'items[0].aspect_multipliers.16:9',
        'items[1].entries',
        'items[2].base_credits',
        'items[3].model',
      ]);
      const after = await t.http().get('/api/admin/prices').set(bearer(admin.jwt)).expect(200);
      expect(after.body.total).toBe(7);
    });
  });

  describe('reconciliation', () => {
    it('reports a clean ledger, and names an account that no longer matches its ledger', async () => {
      const ok = await t.http().get('/api/admin/billing/reconciliation').set(bearer(admin.jwt)).expect(200);
      expect(ok.body).toMatchObject({ ok: true, mismatches: [] });
      expect(ok.body.checked_accounts).toBeGreaterThan(0);

      const u = await registerUser(t, 'tampered');
      await adjust(u.id, { amount: 20, reason: 'start' }).expect(201);
      // Someone edits the balance behind the ledger's back.
      await t.app
        .get(DataSource)
        .query('UPDATE credit_accounts SET balance = balance + 1000 WHERE user_id = ?', [u.id]);
      const bad = await t.http().get('/api/admin/billing/reconciliation').set(bearer(admin.jwt)).expect(200);
      expect(bad.body.ok).toBe(false);
      expect(bad.body.mismatches).toEqual([{ user_id: u.id, check: 'balance', expected: 20, actual: 21 }]);

      await t.app.get(ReconciliationService).runAndLog();
      const lines = t.logs.lines.filter((l) => l.includes('ledger reconciliation mismatch'));
      expect(lines).toHaveLength(1);
      expect(JSON.parse(lines[0])).toMatchObject({ level: 50, mismatch: { user_id: u.id, check: 'balance' } });
      await t.app
        .get(DataSource)
        .query('UPDATE credit_accounts SET balance = balance - 1000 WHERE user_id = ?', [u.id]);
    });
  });
});

describe('quota unit guard', () => {
  it('refuses to start when QUOTA_PER_CREDIT differs from the one the database was created with', async () => {
    const first = await startTestApp();
    await first.app.close();
    await expect(startTestApp({ database: first.database, env: { QUOTA_PER_CREDIT: '100' } })).rejects.toThrow(
      'QUOTA_PER_CREDIT is 100 but this database was created with 1000; set QUOTA_PER_CREDIT=1000',
    );
    await first.database.drop();
  });
});
