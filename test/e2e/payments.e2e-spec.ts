import { DataSource } from 'typeorm';
import { PaymentsService } from '../../src/payments/payments.service';
import { alipayEnv, notifyFields, signAsAlipay } from '../helpers/alipay';
import { FakeAlipay, startFakeAlipay } from '../helpers/fake-alipay';
import { expectErrorShape } from '../helpers/error-shape';
import { bearer, loginAdmin, registerUser, TestUser } from '../helpers/factories';
import { startTestApp, TestApp } from '../helpers/test-app';

// Alipay's gateway is a local stand-in that answers trade queries and closes signed with the
// test Alipay key; the real SDK checks every signature.
describe('payments', () => {
  let t: TestApp;
  let ds: DataSource;
  let alipay: FakeAlipay;

  beforeAll(async () => {
    alipay = await startFakeAlipay();
    t = await startTestApp({
      env: { ...alipayEnv(), ALIPAY_GATEWAY: alipay.gateway, JOBS_ENABLED: 'false', ORDER_CHECK_AFTER_SECONDS: '10' },
    });
    ds = t.app.get(DataSource);
  });
  afterAll(async () => {
    await t.close();
    await alipay.close();
  });

  const packages = async () =>
    (await t.http().get('/api/packages').expect(200)).body.items as Array<{ id: number; code: string }>;
  const order = async (u: TestUser, code = 'basic') => {
    const pkg = (await packages()).find((p) => p.code === code)!;
    return (await t.http().post('/api/payments/orders').set(bearer(u.jwt)).send({ package_id: pkg.id }).expect(201))
      .body;
  };
  const notify = (fields: Record<string, string>) =>
    t.http().post('/api/payment/alipay/notify').type('form').send(fields);
  const balanceOf = async (u: TestUser) =>
    (await t.http().get('/api/billing/balance').set(bearer(u.jwt)).expect(200)).body;
  const ledgerCount = async () => Number((await ds.query('SELECT COUNT(*) AS n FROM ledger_entries'))[0].n);

  it('sells the seeded packages', async () => {
    const res = await t.http().get('/api/packages').expect(200);
    expect(
      res.body.items.map((p: Record<string, unknown>) => [p.code, p.price_fen, p.price_yuan, p.credits, p.grants_plan]),
    ).toEqual([
      ['basic', 4900, '49.00', 50, 'pro'],
      ['pro', 9900, '99.00', 150, 'pro_plus'],
      ['enterprise', 29900, '299.00', 500, 'enterprise'],
    ]);
  });

  it('creates an order with a signed Alipay page-pay URL', async () => {
    const u = await registerUser(t);
    const created = await order(u);
    expect(created.order).toMatchObject({
      status: 'pending',
      amount_fen: 4900,
      credits: 50,
      out_trade_no: expect.stringMatching(/^RL\d{14}/),
    });
    const url = new URL(created.pay_url);
    expect(url.origin + url.pathname).toBe(alipay.gateway);
    expect(url.searchParams.get('method')).toBe('alipay.trade.page.pay');
    expect(url.searchParams.get('sign')).toBeTruthy();
    expect(url.searchParams.get('notify_url')).toBe(`${t.config.serverAddress}/api/payment/alipay/notify`);
    expect(JSON.parse(url.searchParams.get('biz_content')!)).toMatchObject({
      out_trade_no: created.order.out_trade_no,
      total_amount: '49.00',
      product_code: 'FAST_INSTANT_TRADE_PAY',
      // Alipay refuses the payment after Reelay's own expiry (UTC+8, ORDER_EXPIRE_SECONDS later).
      time_expire: new Date((created.order.created_at + t.config.orderExpireSeconds + 8 * 3600) * 1000)
        .toISOString()
        .slice(0, 19)
        .replace('T', ' '),
    });
  });

  it('credits an authentic notify once, through 8 replays, 20 concurrent copies and a later TRADE_FINISHED', async () => {
    const u = await registerUser(t);
    const { order: o } = await order(u);
    const signed = signAsAlipay(notifyFields(o.out_trade_no));
    const first = await notify(signed).expect(200);
    expect(first.text).toBe('success');
    expect(first.headers['content-type']).toMatch(/^text\/plain/);
    expect(await balanceOf(u)).toMatchObject({ balance: 50 });

    for (let i = 0; i < 8; i++) expect((await notify(signed).expect(200)).text).toBe('success');
    const burst = await Promise.all(Array.from({ length: 20 }, () => notify(signed)));
    expect(burst.map((r) => r.text)).toEqual(Array(20).fill('success'));
    const finished = await notify(
      signAsAlipay(notifyFields(o.out_trade_no, { trade_status: 'TRADE_FINISHED', notify_id: 'n-finished' })),
    ).expect(200);
    expect(finished.text).toBe('success');

    expect(await balanceOf(u)).toMatchObject({ balance: 50 });
    const [row] = await ds.query("SELECT COUNT(*) AS n FROM ledger_entries WHERE user_id = ? AND kind = 'topup'", [
      u.id,
    ]);
    expect(Number(row.n)).toBe(1);
    const me = await t.http().get('/api/users/me').set(bearer(u.jwt)).expect(200);
    expect(me.body.plan).toBe('pro');
    const quotas = await t.http().get('/api/quotas/me').set(bearer(u.jwt)).expect(200);
    expect(quotas.body.items).toEqual([
      { provider: 'viva', quota: 50, used: 0, remaining: 50, percent: 0, dedicated_key: false },
    ]);
    const orders = await t.http().get('/api/payments/orders').set(bearer(u.jwt)).expect(200);
    expect(orders.body.items[0]).toMatchObject({ status: 'paid', paid_at: expect.any(Number) });
  });

  it('refuses every bad notify with fail (or no credit) and leaves the ledger unchanged', async () => {
    const u = await registerUser(t);
    const { order: o } = await order(u);
    const good = notifyFields(o.out_trade_no);
    const signedGood = signAsAlipay(good);
    const { sign: _s, ...unsignedFields } = signedGood;
    const corpus: Array<[string, Record<string, string> | string]> = [
      ['signed by another key', signAsAlipay(good, 'stranger')],
      ['signature of other content', { ...signedGood, total_amount: '0.01' }],
      ['tampered amount, re-signed wrongly', { ...signAsAlipay({ ...good, total_amount: '4900.00' }, 'stranger') }],
      ['amount differs from the order', signAsAlipay({ ...good, total_amount: '0.01' })],
      ['amount a cent short', signAsAlipay({ ...good, total_amount: '48.99' })],
      ['amount not a number', signAsAlipay({ ...good, total_amount: 'forty-nine' })],
      ['other app_id', signAsAlipay({ ...good, app_id: '2021999999999999' })],
      ['other seller_id', signAsAlipay({ ...good, seller_id: '2088999999999999' })],
      ['unknown order', signAsAlipay({ ...good, out_trade_no: 'RL20260101000000nope000000' })],
      ['WAIT_BUYER_PAY', signAsAlipay({ ...good, trade_status: 'WAIT_BUYER_PAY' })],
      ['made-up status', signAsAlipay({ ...good, trade_status: 'TRADE_PAID' })],
      ['no sign', unsignedFields],
      ['empty sign', { ...signedGood, sign: '' }],
      ['garbage sign', { ...signedGood, sign: 'not-base64!!' }],
      ['no out_trade_no', signAsAlipay((({ out_trade_no: _o, ...r }) => r)(good))],
      ['no trade_status', signAsAlipay((({ trade_status: _o, ...r }) => r)(good))],
      ['no app_id', signAsAlipay((({ app_id: _o, ...r }) => r)(good))],
      ['no total_amount', signAsAlipay((({ total_amount: _o, ...r }) => r)(good))],
      ['empty form', {}],
      ['malformed body', '%%%&&&==='],
      ['JSON instead of a form', JSON.stringify(signedGood)],
    ];
    expect(corpus.length).toBeGreaterThanOrEqual(20);
    const before = await ledgerCount();
    for (const [label, body] of corpus) {
      const req = t.http().post('/api/payment/alipay/notify');
      const res =
        typeof body === 'string' && label.startsWith('JSON')
          ? await req.set('content-type', 'application/json').send(body)
          : await req.type('form').send(body);
      // Authentic but not a payment: acknowledged so Alipay stops re-sending, and nothing credited.
      if (label === 'WAIT_BUYER_PAY' || label === 'made-up status')
        expect({ label, text: res.text }).toEqual({ label, text: 'success' });
      else expect({ label, text: res.text }).toEqual({ label, text: 'fail' });
    }
    expect(await ledgerCount()).toBe(before);
    expect(await balanceOf(u)).toMatchObject({ balance: 0 });
    // The genuine notify still works afterwards.
    expect((await notify(signedGood)).text).toBe('success');
    expect(await balanceOf(u)).toMatchObject({ balance: 50 });
  });

  it('settles an order whose notify never came by querying Alipay, and closes one that was never paid', async () => {
    const u = await registerUser(t);
    const { order: paid } = await order(u, 'pro');
    const { order: abandoned } = await order(u, 'basic');
    alipay.trades.set(paid.out_trade_no, { status: 'TRADE_SUCCESS', totalAmount: '99.00', tradeNo: 'T-1' });
    alipay.trades.set(abandoned.out_trade_no, { status: 'TRADE_CLOSED', totalAmount: '49.00' });
    await ds.query('UPDATE payment_orders SET next_check_at = 0 WHERE user_id = ?', [u.id]);
    const service = t.app.get(PaymentsService);
    const [a, b] = await Promise.all([service.checkPendingOrders(), service.checkPendingOrders()]);
    expect(a + b).toBe(1);
    expect(await balanceOf(u)).toMatchObject({ balance: 150 });
    const orders = (await t.http().get('/api/payments/orders').set(bearer(u.jwt)).expect(200)).body.items;
    expect(orders.map((o: { out_trade_no: string; status: string }) => [o.out_trade_no, o.status]).sort()).toEqual(
      [
        [paid.out_trade_no, 'paid'],
        [abandoned.out_trade_no, 'closed'],
      ].sort(),
    );
    // A late notify for the settled order changes nothing.
    expect((await notify(signAsAlipay(notifyFields(paid.out_trade_no, { total_amount: '99.00' })))).text).toBe(
      'success',
    );
    expect(await balanceOf(u)).toMatchObject({ balance: 150 });
  });

  const pendingCheck = async (u: TestUser) => {
    await ds.query('UPDATE payment_orders SET next_check_at = 0 WHERE user_id = ?', [u.id]);
    return t.app.get(PaymentsService).checkPendingOrders();
  };
  const statusOf = async (outTradeNo: string) =>
    (await ds.query('SELECT status FROM payment_orders WHERE out_trade_no = ?', [outTradeNo]))[0].status as string;

  it('believes no trade-query answer Alipay did not sign: unsigned, forged or altered answers credit nothing', async () => {
    const u = await registerUser(t);
    const { order: o } = await order(u);
    for (const mode of ['unsigned', 'stranger', 'tampered'] as const) {
      alipay.signMode = mode;
      alipay.trades.set(o.out_trade_no, {
        status: mode === 'tampered' ? 'WAIT_BUYER_PAY' : 'TRADE_SUCCESS',
        totalAmount: '49.00',
      });
      expect({ mode, settled: await pendingCheck(u) }).toEqual({ mode, settled: 0 });
      expect(await statusOf(o.out_trade_no)).toBe('pending');
    }
    expect(await balanceOf(u)).toMatchObject({ balance: 0 });
    expect(t.logs.text()).toContain('trade query failed; will retry');
    // Signed by Alipay, the same answer is believed.
    alipay.signMode = 'alipay';
    alipay.trades.set(o.out_trade_no, { status: 'TRADE_SUCCESS', totalAmount: '49.00' });
    expect(await pendingCheck(u)).toBe(1);
    expect(await balanceOf(u)).toMatchObject({ balance: 50 });
  });

  it('closes an expired order only after Alipay closed the trade, and never on a forged close', async () => {
    const u = await registerUser(t);
    const { order: o } = await order(u);
    alipay.trades.set(o.out_trade_no, { status: 'WAIT_BUYER_PAY', totalAmount: '49.00' });
    await ds.query('UPDATE payment_orders SET created_at = created_at - ? WHERE out_trade_no = ?', [
      t.config.orderExpireSeconds + 60,
      o.out_trade_no,
    ]);
    alipay.signMode = 'stranger';
    await pendingCheck(u);
    expect(await statusOf(o.out_trade_no)).toBe('pending');
    alipay.signMode = 'alipay';
    alipay.calls.length = 0;
    await pendingCheck(u);
    expect(alipay.calls.map((c) => c.method)).toEqual(['alipay.trade.query', 'alipay.trade.close']);
    expect(alipay.trades.get(o.out_trade_no)?.status).toBe('TRADE_CLOSED');
    expect(await statusOf(o.out_trade_no)).toBe('closed');
  });

  it('credits an authentic paid notify for an order it had closed, once, and logs it as a late payment', async () => {
    const u = await registerUser(t);
    const { order: o } = await order(u);
    await ds.query('UPDATE payment_orders SET created_at = created_at - ? WHERE out_trade_no = ?', [
      t.config.orderExpireSeconds + 60,
      o.out_trade_no,
    ]);
    await pendingCheck(u); // Alipay never opened the trade: closed at both ends
    expect(await statusOf(o.out_trade_no)).toBe('closed');
    const late = signAsAlipay(notifyFields(o.out_trade_no, { notify_id: 'n-late' }));
    expect((await notify(late).expect(200)).text).toBe('success');
    for (let i = 0; i < 3; i++) expect((await notify(late)).text).toBe('success');
    expect(await balanceOf(u)).toMatchObject({ balance: 50 });
    expect(await statusOf(o.out_trade_no)).toBe('paid');
    const lines = t.logs.lines.filter((l) => l.includes(o.out_trade_no)).map((l) => JSON.parse(l));
    expect(lines).toContainEqual(
      expect.objectContaining({
        level: 40,
        out_trade_no: o.out_trade_no,
        msg: expect.stringContaining('late payment'),
      }),
    );
    expect(lines).toContainEqual(expect.objectContaining({ outcome: 'already_settled', out_trade_no: o.out_trade_no }));
  });

  it('logs every notify outcome with the order number', async () => {
    const u = await registerUser(t);
    const { order: o } = await order(u);
    const good = notifyFields(o.out_trade_no);
    await notify(signAsAlipay(good, 'stranger')).expect(200);
    await notify(signAsAlipay({ ...good, total_amount: '0.01' })).expect(200);
    await notify(signAsAlipay({ ...good, trade_status: 'WAIT_BUYER_PAY' })).expect(200);
    await notify(signAsAlipay(good)).expect(200);
    const outcomes = t.logs.lines
      .filter((l) => l.includes('alipay notify') && l.includes(o.out_trade_no))
      .map((l) => JSON.parse(l).outcome as string);
    expect(outcomes).toEqual([
      'refused: signature invalid',
      'refused: does not match the order',
      'acknowledged: not a payment',
      'settled',
    ]);
  });

  it('shows users only their own orders and quotas; admins see all with filters', async () => {
    const a = await registerUser(t, 'a');
    const b = await registerUser(t, 'b');
    const { order: oa } = await order(a);
    await notify(signAsAlipay(notifyFields(oa.out_trade_no))).expect(200);
    const bo = await t.http().get('/api/payments/orders').set(bearer(b.jwt)).expect(200);
    expect(bo.body.total).toBe(0);
    const bq = await t.http().get('/api/quotas/me').set(bearer(b.jwt)).expect(200);
    expect(bq.body.items).toEqual([]);
    const admin = await loginAdmin(t);
    const all = await t
      .http()
      .get(`/api/admin/payments/orders?user_id=${a.id}&status=paid`)
      .set(bearer(admin.jwt))
      .expect(200);
    expect(all.body.items).toEqual([
      expect.objectContaining({ user_id: a.id, out_trade_no: oa.out_trade_no, trade_no: expect.any(String) }),
    ]);
  });

  it('gives enterprise buyers a video-only API key', async () => {
    const u = await registerUser(t);
    await t.http().post('/api/quotas/me/api-key').set(bearer(u.jwt)).expect(403);
    const { order: o } = await order(u, 'enterprise');
    await notify(signAsAlipay(notifyFields(o.out_trade_no, { total_amount: '299.00' }))).expect(200);
    const key = await t.http().post('/api/quotas/me/api-key').set(bearer(u.jwt)).expect(201);
    expect(key.body.key).toMatch(/^sk-/);
    await t.http().get('/api/videos').set(bearer(key.body.key)).expect(200);
    const denied = await t.http().get('/api/billing/balance').set(bearer(key.body.key)).expect(403);
    expectErrorShape(denied.body, 'forbidden');
  });

  it('lets admins manage packages; new orders use the new price', async () => {
    const admin = await loginAdmin(t);
    const created = await t
      .http()
      .post('/api/admin/packages')
      .set(bearer(admin.jwt))
      .send({ code: 'starter', name: 'Starter', price_fen: 1900, credits: 20 })
      .expect(201);
    expect(created.body).toMatchObject({ price_yuan: '19.00', credits: 20, status: 'active' });
    await t
      .http()
      .patch(`/api/admin/packages/${created.body.id}`)
      .set(bearer(admin.jwt))
      .send({ status: 'inactive' })
      .expect(200);
    expect((await packages()).map((p) => p.code)).not.toContain('starter');
    const u = await registerUser(t);
    await t.http().post('/api/payments/orders').set(bearer(u.jwt)).send({ package_id: created.body.id }).expect(404);
  });
});

describe('payments without Alipay configured', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ env: { JOBS_ENABLED: 'false' } });
  });
  afterAll(() => t.close());

  it('answers 503 for new orders and fail for notifies', async () => {
    const u = await registerUser(t);
    const pkg = (await t.http().get('/api/packages').expect(200)).body.items[0];
    const res = await t.http().post('/api/payments/orders').set(bearer(u.jwt)).send({ package_id: pkg.id }).expect(503);
    expectErrorShape(res.body, 'payments_unavailable');
    const n = await t
      .http()
      .post('/api/payment/alipay/notify')
      .type('form')
      .send(signAsAlipay(notifyFields('RLx')));
    expect(n.text).toBe('fail');
  });
});
