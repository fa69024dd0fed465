import OpenAI, { APIError, toFile } from 'openai';
import { DataSource } from 'typeorm';
import { KieSimulator, startKieSimulator } from '../../tools/simulators/kie/kie-simulator';
import { KlingSimulator, startKlingSimulator } from '../../tools/simulators/kling/kling-simulator';
import { startVivaSimulator, VivaSimulator } from '../../tools/simulators/viva/viva-simulator';
import { alipayEnv } from '../helpers/alipay';
import { expectErrorShape } from '../helpers/error-shape';
import { bearer, loginAdmin } from '../helpers/factories';
import { addChannel, fundedUser, FundedUser } from '../helpers/relay';
import { startTestApp, TestApp } from '../helpers/test-app';

// #17: every POST that creates something costing money honours Idempotency-Key the same way —
// one resource per key, the first answer again (`idempotent-replayed: true`), 409 only while a
// live request holds the key, 422 for another body, and a key freed when nothing was created.
describe('Idempotency-Key on every paid create', () => {
  let kling: KlingSimulator;
  let kie: KieSimulator;
  let viva: VivaSimulator;
  let t: TestApp;
  let ds: DataSource;

  beforeAll(async () => {
    [kling, kie, viva] = await Promise.all([
      startKlingSimulator({ behavior: { processingAfterMs: 50, completeAfterMs: 200 } }),
      startKieSimulator({ behavior: { processingAfterMs: 50, completeAfterMs: 200 } }),
      startVivaSimulator({ behavior: { processingAfterMs: 50, completeAfterMs: 200 } }),
    ]);
    kling.addKey('ak-i', 'sk-i');
    kie.addKey('kie-i');
    viva.addKey('viva-i');
    t = await startTestApp({ env: { ...alipayEnv(), POLL_TICK_MS: '100', BATCH_TIME_SCALE: '0.01' } });
    ds = t.app.get(DataSource);
    await addChannel(t, { base_url: kling.url, key: 'ak-i|sk-i', models: ['kling-v1-6-std'] });
    await addChannel(t, { type: 'viva', base_url: viva.url, key: 'viva-i', models: ['veo3'] });
    const admin = await loginAdmin(t);
    await t
      .http()
      .post('/api/admin/channels')
      .set(bearer(admin.jwt))
      .send({ name: 'kie', type: 'kie', base_url: kie.url, key: 'kie-i', models: ['sora-2'] })
      .expect(201);
  });
  afterAll(async () => {
    await t.close();
    await Promise.all([kling.close(), kie.close(), viva.close()]);
  });

  const count = async (sql: string, params: unknown[]) => Number((await ds.query(sql, params))[0].n);
  const post = (u: FundedUser, path: string, key: string, body: object) =>
    t.http().post(path).set(bearer(u.key)).set('Idempotency-Key', key).send(body);

  it('a retry while the first request is still running is a 409; once it answered, the same answer', async () => {
    const u = await fundedUser(t, 500, 'idem-live');
    kling.setBehavior({ createLatencyMs: 400 });
    try {
      const body = { model: 'kling-v1-6-std', prompt: 'slow create' };
      const first = post(u, '/kling/v1/videos/text2video', 'live-1', body).then((r) => r); // sent now
      await new Promise((r) => setTimeout(r, 150));
      const during = await post(u, '/kling/v1/videos/text2video', 'live-1', body).expect(409);
      expectErrorShape(during.body, 'idempotency_in_flight');
      const answered = await first;
      expect(answered.status).toBe(200);
      const after = await post(u, '/kling/v1/videos/text2video', 'live-1', body).expect(200);
      expect(after.headers['idempotent-replayed']).toBe('true');
      expect(after.body).toEqual(answered.body);
      expect(await count('SELECT COUNT(*) AS n FROM videos WHERE user_id = ?', [u.id])).toBe(1);
    } finally {
      kling.setBehavior({ createLatencyMs: 0 });
    }
  });

  it('a request that created nothing (402) frees its key: after a top-up the same key creates the task', async () => {
    const u = await fundedUser(t, 10, 'idem-402');
    const body = { model: 'kling-v1-6-std', prompt: 'too expensive for now' };
    const refused = await post(u, '/kling/v1/videos/text2video', 'topup-1', body).expect(402);
    expectErrorShape(refused.body, 'insufficient_balance');
    const admin = await loginAdmin(t);
    await t
      .http()
      .post(`/api/admin/users/${u.id}/credits`)
      .set(bearer(admin.jwt))
      .send({ amount: 100, reason: 'top-up' })
      .expect(201);
    const ok = await post(u, '/kling/v1/videos/text2video', 'topup-1', body).expect(200);
    expect(ok.headers['idempotent-replayed']).toBeUndefined();
    expect(ok.body.task_id).toMatch(/^kling_/);
  });

  it('Veo: the same key twice is one task and one hold; another body with it is a 422', async () => {
    const u = await fundedUser(t, 100, 'idem-veo');
    const a = await post(u, '/api/generate/video', 'veo-1', { prompt: 'one veo' }).expect(200);
    const b = await post(u, '/api/generate/video', 'veo-1', { prompt: 'one veo' }).expect(200);
    expect(b.body).toEqual(a.body);
    expect(b.headers['idempotent-replayed']).toBe('true');
    expectErrorShape(
      (await post(u, '/api/generate/video', 'veo-1', { prompt: 'two' }).expect(422)).body,
      'idempotency_mismatch',
    );
    expect(await count('SELECT COUNT(*) AS n FROM videos WHERE user_id = ?', [u.id])).toBe(1);
    expect(await count("SELECT COUNT(*) AS n FROM ledger_entries WHERE user_id = ? AND kind = 'hold'", [u.id])).toBe(1);
  });

  it('batches: two identical requests with one key make one batch and one set of holds', async () => {
    const u = await fundedUser(t, 500, 'idem-batch');
    const body = { rows: [{ prompt: 'b1' }, { prompt: 'b2' }], generationType: 'video' };
    const [a, b] = await Promise.all([
      post(u, '/api/v1/workflow/batch-generate', 'batch-1', body),
      post(u, '/api/v1/workflow/batch-generate', 'batch-1', body),
    ]);
    const statuses = [a.status, b.status].sort();
    expect([
      [201, 201],
      [201, 409],
    ]).toContainEqual(statuses);
    const again = await post(u, '/api/v1/workflow/batch-generate', 'batch-1', body).expect(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body.id).toBe((a.status === 201 ? a : b).body.id);
    expect(await count('SELECT COUNT(*) AS n FROM batches WHERE user_id = ?', [u.id])).toBe(1);
    expect(await count("SELECT COUNT(*) AS n FROM ledger_entries WHERE user_id = ? AND kind = 'hold'", [u.id])).toBe(2);
  });

  it('a batch the credits do not cover is a 402 naming the batch total and the credits available', async () => {
    const u = await fundedUser(t, 20, 'idem-batch402');
    const rows = Array.from({ length: 3 }, (_, i) => ({ prompt: `r${i}` })); // 3 × 15 credits
    const res = await post(u, '/api/v1/workflow/batch-generate', 'batch-402', {
      rows,
      generationType: 'video',
    }).expect(402);
    expectErrorShape(res.body, 'insufficient_balance');
    expect(res.body.error.details).toEqual({ required: 45, available: 20 });
    expect(await count('SELECT COUNT(*) AS n FROM batches WHERE user_id = ?', [u.id])).toBe(0);
  });

  it('orders: the same key twice is one order; another user with the same key gets their own', async () => {
    const u = await fundedUser(t, 0, 'idem-order');
    const other = await fundedUser(t, 0, 'idem-order2');
    const pkg = (await t.http().get('/api/packages').expect(200)).body.items[0];
    const order = (who: FundedUser) =>
      t
        .http()
        .post('/api/payments/orders')
        .set(bearer(who.jwt))
        .set('Idempotency-Key', 'order-1')
        .send({ package_id: pkg.id });
    const a = await order(u).expect(201);
    const b = await order(u).expect(201);
    expect(b.body.order).toEqual(a.body.order);
    expect(b.headers['idempotent-replayed']).toBe('true');
    const c = await order(other).expect(201);
    expect(c.body.order.out_trade_no).not.toBe(a.body.order.out_trade_no);
    expect(await count('SELECT COUNT(*) AS n FROM payment_orders WHERE user_id = ?', [u.id])).toBe(1);
  });

  // A 1×1 PNG, and a second image that differs by one byte.
  const PNG = Buffer.from(
    'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
    'base64',
  );
  const tasksOf = (u: FundedUser) => count('SELECT COUNT(*) AS n FROM videos WHERE user_id = ?', [u.id]);
  const holdsOf = (u: FundedUser) =>
    count("SELECT COUNT(*) AS n FROM ledger_entries WHERE user_id = ? AND kind = 'hold'", [u.id]);

  it('OpenAI POST /v1/videos through the SDK (multipart): same key and body → the same video, one task, one hold; another body → 422', async () => {
    const u = await fundedUser(t, 500, 'idem-oai');
    const openai = new OpenAI({ baseURL: `${t.baseUrl}/v1`, apiKey: u.key, maxRetries: 0 });
    const withKey = (key: string) => ({ headers: { 'Idempotency-Key': key } });
    const body = async (prompt = 'one sora', image = PNG) => ({
      model: 'sora-2' as const,
      prompt,
      input_reference: await toFile(image, 'frame.png', { type: 'image/png' }),
    });
    const first = await openai.videos.create(await body(), withKey('oai-1')).withResponse();
    expect(first.response.headers.get('idempotent-replayed')).toBeNull();
    const again = await openai.videos.create(await body(), withKey('oai-1')).withResponse();
    expect(again.response.status).toBe(200);
    expect(again.response.headers.get('idempotent-replayed')).toBe('true');
    expect(again.data).toEqual(first.data);
    expect(first.data.id).toMatch(/^video_/);
    expect([await tasksOf(u), await holdsOf(u)]).toEqual([1, 1]);
    expect(kie.tasks().filter((x) => x.prompt === 'one sora')).toHaveLength(1);

    // Another prompt, or another uploaded file, with the same key: a 422 in OpenAI's shape.
    const otherImage = Buffer.from(PNG);
    otherImage[otherImage.length - 13] ^= 1; // inside the IEND chunk's CRC: another file
    for (const other of [await body('another sora'), await body('one sora', otherImage)]) {
      const err = await openai.videos.create(other, withKey('oai-1')).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(APIError);
      expect(err).toMatchObject({ status: 422, code: 'idempotency_mismatch', type: 'invalid_request_error' });
    }
    expect([await tasksOf(u), await holdsOf(u)]).toEqual([1, 1]);

    // A JSON body with its fields in another order is the same request.
    const json = { model: 'veo3', prompt: 'json veo', seconds: '8' };
    const a = await post(u, '/v1/videos', 'oai-json', json).expect(200);
    const b = await post(u, '/v1/videos', 'oai-json', { seconds: '8', prompt: 'json veo', model: 'veo3' }).expect(200);
    expect([b.body, b.headers['idempotent-replayed']]).toEqual([a.body, 'true']);
    const mismatch = await post(u, '/v1/videos', 'oai-json', { ...json, prompt: 'other veo' }).expect(422);
    expect(mismatch.body.error).toMatchObject({ code: 'idempotency_mismatch', type: 'invalid_request_error' });
    expect([await tasksOf(u), await holdsOf(u)]).toEqual([2, 2]);
  });

  it("Kling's protocol POST /v1/videos/{kind}: same key and body → the same envelope, one task, one hold; another body → 1201", async () => {
    const u = await fundedUser(t, 500, 'idem-native');
    const body = { model_name: 'kling-v1-6', mode: 'std', prompt: 'native once', duration: '5' };
    const first = await post(u, '/v1/videos/text2video', 'native-1', body).expect(200);
    expect(first.body).toMatchObject({ code: 0, data: { task_id: expect.stringMatching(/^kling_/) } });
    const again = await Promise.all([1, 2, 3].map(() => post(u, '/v1/videos/text2video', 'native-1', body)));
    for (const r of again) {
      expect([r.status, r.body, r.headers['idempotent-replayed']]).toEqual([200, first.body, 'true']);
    }
    expect([await tasksOf(u), await holdsOf(u)]).toEqual([1, 1]);
    expect(kling.tasks().filter((x) => x.body.prompt === 'native once')).toHaveLength(1);
    // Kling has no 422: another body is its parameter error (HTTP 400, code 1201), nothing made.
    const other = await post(u, '/v1/videos/text2video', 'native-1', { ...body, prompt: 'native twice' }).expect(400);
    expect(other.body).toMatchObject({ code: 1201, data: null, message: expect.stringMatching(/Idempotency-Key/) });
    // A user's key is one request whatever the route: on another route it is that same 1201.
    const elsewhere = await post(u, '/v1/videos/image2video', 'native-1', {
      model_name: 'kling-v1-6',
      image: 'https://example.test/a.png',
    }).expect(400);
    expect(elsewhere.body).toMatchObject({ code: 1201, data: null });
    expect([await tasksOf(u), await holdsOf(u)]).toEqual([1, 1]);
    expect(kling.tasks().filter((x) => x.body.prompt === 'native twice')).toHaveLength(0);
  });

  it("one user's key never answers for another user's request, on either route", async () => {
    const [u, v] = [await fundedUser(t, 300, 'idem-mine'), await fundedUser(t, 300, 'idem-theirs')];
    const native = { model_name: 'kling-v1-6', prompt: 'shared key' };
    const a = await post(u, '/v1/videos/text2video', 'shared-1', native).expect(200);
    const b = await post(v, '/v1/videos/text2video', 'shared-1', native).expect(200);
    expect(b.headers['idempotent-replayed']).toBeUndefined();
    expect(b.body.data.task_id).not.toBe(a.body.data.task_id);
    const oai = { model: 'veo3', prompt: 'shared key veo' };
    const c = await post(u, '/v1/videos', 'shared-2', oai).expect(200);
    const d = await post(v, '/v1/videos', 'shared-2', { ...oai, prompt: 'a different body is fine for v' }).expect(200);
    expect(d.headers['idempotent-replayed']).toBeUndefined();
    expect(d.body.id).not.toBe(c.body.id);
    for (const who of [u, v]) expect([await tasksOf(who), await holdsOf(who)]).toEqual([2, 2]);
    // Each user's replay is still their own.
    expect((await post(v, '/v1/videos/text2video', 'shared-1', native).expect(200)).body).toEqual(b.body);
    expect((await post(u, '/v1/videos', 'shared-2', oai).expect(200)).body).toEqual(c.body);
  });
});
