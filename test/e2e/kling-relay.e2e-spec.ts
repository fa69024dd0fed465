import { request as httpRequest } from 'node:http';
import { DataSource } from 'typeorm';
import { ReconciliationService } from '../../src/billing/reconciliation.service';
import { VideoTaskRepository } from '../../src/relay/core/video-task.repository';
import { KlingSimulator, startKlingSimulator } from '../../tools/simulators/kling/kling-simulator';
import { expectErrorShape } from '../helpers/error-shape';
import { bearer, loginAdmin } from '../helpers/factories';
import { addChannel, addFormulaPrices, fundedUser, FundedUser } from '../helpers/relay';
import { startTestApp, TestApp } from '../helpers/test-app';
import { waitFor } from '../helpers/wait';
import { verifyBoth, WebhookReceiver } from '../helpers/webhook-receiver';

const IMAGE = 'https://example.test/cat.png';

// The relay end to end: Reelay over HTTP, the Kling simulator over HTTP, a real database.
describe('Kling relay', () => {
  let sim: KlingSimulator;
  let t: TestApp;
  let ds: DataSource;
  let mainChannel: { id: number };

  beforeAll(async () => {
    sim = await startKlingSimulator({ behavior: { processingAfterMs: 20, completeAfterMs: 80 } });
    sim.addKey('ak-main', 'sk-main');
    t = await startTestApp({
      env: { POLL_TICK_MS: '100', POLL_SCHEDULE_MS: '0:300', UPSTREAM_TIMEOUT_MS: '3000', UNKNOWN_GRACE_SECONDS: '30' },
    });
    ds = t.app.get(DataSource);
    await addFormulaPrices(t, { 'kling-video-o1-pro': 100 });
    mainChannel = await addChannel(t, {
      name: 'main',
      base_url: sim.url,
      key: 'ak-main|sk-main',
      models: ['kling-v1-6-std', 'kling-v1-5-pro', 'kling-v1-6-pro', 'kling-video-o1-pro'],
    });
  });
  afterAll(async () => {
    await t.close();
    await sim.close();
  });
  afterEach(() => sim.reset());

  const submit = (u: FundedUser, kind: string, body: object, headers: Record<string, string> = {}) =>
    t.http().post(`/kling/v1/videos/${kind}`).set(bearer(u.key)).set(headers).send(body);
  const getTask = (u: FundedUser, taskId: string) => t.http().get(`/kling/v1/videos/${taskId}`).set(bearer(u.key));
  const balance = async (u: FundedUser) =>
    (await t.http().get('/api/billing/balance').set(bearer(u.jwt)).expect(200)).body;
  const waitTerminal = (u: FundedUser, taskId: string) =>
    waitFor(async () => {
      const r = await getTask(u, taskId).expect(200);
      return ['succeed', 'failed'].includes(r.body.status) ? r.body : null;
    });
  const settleRows = (taskId: string) =>
    ds.query(
      "SELECT kind, amount FROM ledger_entries WHERE ref_type = 'task' AND ref_id = ? AND kind IN ('capture', 'release')",
      [taskId],
    );

  it.each([
    ['text2video', { model: 'kling-v1-6-std', prompt: 'a cat on grass', duration: 5, aspect_ratio: '16:9' }, 72],
    ['image2video', { model: 'kling-v1-5-pro', image: IMAGE, duration: '10', aspect_ratio: '1:1' }, 220],
    [
      'multi-image2video',
      { model: 'kling-v1-6-pro', prompt: 'a walk', image_list: [{ image: IMAGE }, { image: IMAGE }], duration: 10 },
      374.4,
    ],
    [
      'omni-video',
      { model: 'kling-video-o1-pro', prompt: 'the cat in <<<image_1>>>', image_list: [{ image_url: IMAGE }] },
      144,
    ],
  ])('%s: submit → callback → succeed, charged the formula price exactly once', async (kind, body, price) => {
    const u = await fundedUser(t, 1000);
    const res = await submit(u, kind, body).expect(200);
    expect(res.body).toEqual({
      task_id: expect.stringMatching(/^kling_[A-Za-z0-9]{24}$/),
      kling_task_id: expect.any(String),
      status: 'submitted',
      message: expect.any(String),
    });
    expect(await balance(u)).toEqual({ balance: 1000, held: price, available: 1000 - price, used: 0 });

    const done = await waitTerminal(u, res.body.task_id);
    expect(done).toEqual({
      task_id: res.body.task_id,
      kling_task_id: res.body.kling_task_id,
      status: 'succeed',
      video_url: expect.stringMatching(/^https:\/\//),
      duration: expect.any(String),
      fail_reason: '',
      // The simulator's result URLs are not files here: Reelay's copy is still being tried (and
      // may have failed once already, on the simulator's made-up CDN host).
      store_url: null,
      store_status: 'pending',
      store_error: done.store_error === null ? null : expect.stringContaining('sim.klingai.local'),
    });
    expect(await balance(u)).toEqual({ balance: 1000 - price, held: 0, available: 1000 - price, used: price });
    expect(await settleRows(res.body.task_id)).toEqual([{ kind: 'capture', amount: expect.anything() }]);

    // What Kling received: our callback URL and our task id, never the caller's.
    const create = sim.tasks().find((x) => x.external_task_id === res.body.task_id);
    expect(create?.callback_url).toMatch(new RegExp(`/kling/callback/${res.body.task_id}\\?token=`));
  });

  it('fails a task refused by the content policy, charges nothing and releases the hold', async () => {
    const u = await fundedUser(t, 100);
    const res = await submit(u, 'text2video', { model: 'kling-v1-6-std', prompt: 'SIM_FAIL please' }).expect(200);
    const done = await waitTerminal(u, res.body.task_id);
    expect(done).toMatchObject({ status: 'failed', fail_reason: expect.stringMatching(/risk control/) });
    expect(await balance(u)).toEqual({ balance: 100, held: 0, available: 100, used: 0 });
    expect(await settleRows(res.body.task_id)).toEqual([{ kind: 'release', amount: expect.anything() }]);

    const refused = await submit(u, 'text2video', { model: 'kling-v1-6-std', prompt: 'SIM_REJECT this' }).expect(422);
    expectErrorShape(refused.body, 'content_rejected');
    expect(await balance(u)).toEqual({ balance: 100, held: 0, available: 100, used: 0 });
  });

  it.each([
    ['sora-2', 'text2video', { prompt: 'a sora video' }],
    ['sora-2-pro', 'image2video', { image: IMAGE }],
    ['veo3', 'text2video', { prompt: 'a veo video' }],
  ])(
    'refuses %s on the Kling route (%s) with a 400 naming POST /v1/videos, nothing held',
    async (model, kind, body) => {
      const u = await fundedUser(t, 500);
      const res = await submit(u, kind, { ...body, model }).expect(400);
      expectErrorShape(res.body, 'validation_failed');
      expect(res.body.error.details).toEqual([expect.objectContaining({ field: 'model' })]);
      expect(res.body.error.message + JSON.stringify(res.body.error.details)).toContain('POST /v1/videos');
      expect(await balance(u)).toEqual({ balance: 500, held: 0, available: 500, used: 0 });
      const [row] = await ds.query('SELECT COUNT(*) AS n FROM videos WHERE user_id = ?', [u.id]);
      expect(Number(row.n)).toBe(0);
      expect(sim.calls().filter((c) => c.method === 'POST')).toEqual([]);
    },
  );

  it('captures exactly 100 times when 100 success callbacks each arrive 20 times at once while the poller runs', async () => {
    sim.setBehavior({ terminalCallbackCopies: 20, completeAfterMs: 300 });
    const u = await fundedUser(t, 100 * 72);
    const ids: string[] = [];
    for (let i = 0; i < 100; i += 50) {
      const batch = await Promise.all(
        Array.from({ length: 50 }, () =>
          submit(u, 'text2video', { model: 'kling-v1-6-std', prompt: 'many cats' }).expect(200),
        ),
      );
      ids.push(...batch.map((r) => r.body.task_id as string));
    }
    await waitFor(async () => {
      const [row] = await ds.query("SELECT COUNT(*) AS n FROM videos WHERE user_id = ? AND status = 'succeed'", [u.id]);
      return Number(row.n) === 100;
    }, 60_000);
    // Every copy was answered 2xx: a duplicate racing the first is not an error (nor a lost deadlock).
    const delivered = () => {
      const st = sim.stats();
      return st.callbacksAnswered + Object.values(st.callbackFailures).reduce((a, b) => a + b, 0);
    };
    await waitFor(() => Promise.resolve(delivered() >= 100 * 20), 30_000);
    expect(sim.stats().callbackFailures).toEqual({});
    const [caps] = await ds.query("SELECT COUNT(*) AS n FROM ledger_entries WHERE user_id = ? AND kind = 'capture'", [
      u.id,
    ]);
    expect(Number(caps.n)).toBe(100);
    expect(await balance(u)).toEqual({ balance: 0, held: 0, available: 0, used: 100 * 72 });
    expect((await t.app.get(ReconciliationService).reconcile()).mismatches).toEqual([]);
  });

  // What a service logs while serving a request carries that request (its id), then the request's
  // own line follows (request-log.ts: Fastify hooks in place of nestjs-pino's middleware). Also when
  // the body comes in a later packet than the headers: the body is read in another async context.
  it.each([
    ['with its headers', 0],
    ['after its headers', 50],
  ])("logs a callback naming another task with the callback request's id, the body sent %s", async (_, delayMs) => {
    sim.setBehavior({ dropCallbacks: true, completeAfterMs: 60_000 });
    const u = await fundedUser(t, 100);
    const res = await submit(u, 'text2video', { model: 'kling-v1-6-std', prompt: 'a cat' }).expect(200);
    const url = new URL(sim.tasks().find((x) => x.external_task_id === res.body.task_id)?.callback_url ?? '');
    const body = { task_id: 'not-this-one', task_status: 'succeed', task_result: { videos: [] } };
    const cb = await postJsonLater(`${t.baseUrl}${url.pathname}${url.search}`, body, delayMs);
    expect(cb.status).toBe(200);
    const lines = t.logs.lines
      .map((l) => JSON.parse(l) as { req?: { id: string; url: string }; msg: string; level: number })
      .filter((l) => l.req?.id === cb.requestId);
    expect(lines.map((l) => [l.level, l.msg])).toEqual([
      [40, 'callback names another task; ignored'],
      [30, 'request completed'],
    ]);
    expect(lines[1].req?.url).toContain('token=[Redacted]');
    expect((await getTask(u, res.body.task_id).expect(200)).body.status).not.toBe('succeed');
  });

  // The submit answers before its accept record (the upstream's task id) is written; a callback
  // arriving in between waits for it, so it can still tell a callback naming another task.
  it('reads a callback that arrives before the accept record once that record is written', async () => {
    sim.setBehavior({ dropCallbacks: true, completeAfterMs: 60_000 });
    const repo = t.app.get(VideoTaskRepository);
    const record = repo.recordAccepted.bind(repo);
    const slow = jest.spyOn(repo, 'recordAccepted').mockImplementation(async (...args) => {
      await new Promise((r) => setTimeout(r, 300));
      return record(...args);
    });
    try {
      const u = await fundedUser(t, 100);
      const res = await submit(u, 'text2video', { model: 'kling-v1-6-std', prompt: 'a cat' }).expect(200);
      const upstream = sim.tasks().find((x) => x.external_task_id === res.body.task_id);
      const url = new URL(upstream?.callback_url ?? '');
      const body = { task_id: 'not-this-one', task_status: 'succeed', task_result: { videos: [] } };
      const cb = await postJsonLater(`${t.baseUrl}${url.pathname}${url.search}`, body, 0);
      expect(cb.status).toBe(200);
      expect(slow).toHaveBeenCalledTimes(1);
      const warned = t.logs.lines.map((l) => JSON.parse(l)).filter((l) => l.req?.id === cb.requestId && l.level === 40);
      expect(warned.map((l) => l.msg)).toEqual(['callback names another task; ignored']);
      const [row] = await ds.query('SELECT status, upstream_task_id FROM videos WHERE task_id = ?', [res.body.task_id]);
      expect(row).toEqual({ status: 'submitted', upstream_task_id: upstream?.task_id });
      expect(await balance(u)).toMatchObject({ held: 72, used: 0 });
    } finally {
      slow.mockRestore();
    }
  });

  it('answers 401 to a missing or wrong callback token and changes nothing; 404 for another user’s task', async () => {
    sim.setBehavior({ dropCallbacks: true, completeAfterMs: 60_000 });
    const u = await fundedUser(t, 100);
    const res = await submit(u, 'text2video', { model: 'kling-v1-6-std', prompt: 'a cat' }).expect(200);
    const forged = {
      task_id: res.body.kling_task_id,
      task_status: 'succeed',
      task_result: { videos: [{ id: 'v', url: 'https://evil/v.mp4', duration: '5' }] },
    };
    const none = await t.http().post(`/kling/callback/${res.body.task_id}`).send(forged).expect(401);
    expectErrorShape(none.body, 'unauthenticated');
    await t.http().post(`/kling/callback/${res.body.task_id}?token=wrong`).send(forged).expect(401);
    const other = await fundedUser(t, 0, 'other');
    const otherTask = await t
      .http()
      .post(`/kling/callback/${res.body.task_id}?token=${'x'.repeat(43)}`)
      .send(forged);
    expect(otherTask.status).toBe(401);
    expect((await getTask(u, res.body.task_id).expect(200)).body.status).not.toBe('succeed');
    expect(await balance(u)).toMatchObject({ used: 0 });

    const notYours = await getTask(other, res.body.task_id).expect(404);
    expectErrorShape(notYours.body, 'not_found');
  });

  it('finishes every task through polling when callbacks are dropped', async () => {
    sim.setBehavior({ dropCallbacks: true });
    const u = await fundedUser(t, 1000);
    const ids = (
      await Promise.all(
        Array.from({ length: 10 }, () =>
          submit(u, 'text2video', { model: 'kling-v1-6-std', prompt: 'poll me' }).expect(200),
        ),
      )
    ).map((r) => r.body.task_id as string);
    await waitFor(async () => {
      const rows = await ds.query(`SELECT status FROM videos WHERE task_id IN (${ids.map(() => '?').join(',')})`, ids);
      return rows.every((r: { status: string }) => r.status === 'succeed');
    });
    expect(sim.stats().callbacksSent).toBe(0);
    expect(await balance(u)).toMatchObject({ used: 720, held: 0 });
  });

  it('resolves a create whose answer was lost (5002) by external id, with exactly one create upstream', async () => {
    sim.failNextCreates(5002, 1);
    sim.setBehavior({ dropCallbacks: true });
    const u = await fundedUser(t, 100);
    const res = await submit(u, 'text2video', { model: 'kling-v1-6-std', prompt: 'lost answer' }).expect(200);
    expect(res.body).toMatchObject({ status: 'unknown', kling_task_id: null });
    const done = await waitTerminal(u, res.body.task_id);
    expect(done.status).toBe('succeed');
    expect(done.kling_task_id).toEqual(expect.any(String));
    const creates = sim
      .calls()
      .filter(
        (c) => c.method === 'POST' && (c.body as { external_task_id?: string })?.external_task_id === res.body.task_id,
      );
    expect(creates).toHaveLength(1);
    expect(await balance(u)).toMatchObject({ used: 72, held: 0 });
  });

  describe('routing', () => {
    it('moves to the next channel when the first answers 1303', async () => {
      sim.addKey('ak-busy', 'sk-busy', { concurrency: 0 });
      const busy = await addChannel(t, {
        name: 'busy',
        base_url: sim.url,
        key: 'ak-busy|sk-busy',
        models: ['kling-v1-6-std'],
        priority: 100,
      });
      try {
        const u = await fundedUser(t, 100);
        const res = await submit(u, 'text2video', { model: 'kling-v1-6-std', prompt: 'route me' }).expect(200);
        const [row] = await ds.query('SELECT channel_id FROM videos WHERE task_id = ?', [res.body.task_id]);
        expect(Number(row.channel_id)).toBe(mainChannel.id);
        expect(sim.calls().filter((c) => c.ak === 'ak-busy' && c.code === 1303)).toHaveLength(1);
      } finally {
        const admin = await loginAdmin(t);
        await t.http().delete(`/api/admin/channels/${busy.id}`).set(bearer(admin.jwt)).expect(204);
      }
    });

    it('auto-disables a channel whose key is refused, while a user with no balance disables nothing', async () => {
      const bad = await addChannel(t, {
        name: 'bad',
        base_url: sim.url,
        key: 'ak-unknown|sk-x',
        models: ['kling-v1-6-std'],
        priority: 100,
      });
      const admin = await loginAdmin(t);
      try {
        const broke = await fundedUser(t, 0, 'broke');
        const refused = await submit(broke, 'text2video', { model: 'kling-v1-6-std', prompt: 'no money' }).expect(402);
        expectErrorShape(refused.body, 'insufficient_balance');
        expect(
          (await t.http().get(`/api/admin/channels/${bad.id}`).set(bearer(admin.jwt)).expect(200)).body.status,
        ).toBe('enabled');

        const u = await fundedUser(t, 100);
        const res = await submit(u, 'text2video', { model: 'kling-v1-6-std', prompt: 'bad key first' }).expect(200);
        expect(res.body.status).toBe('submitted');
        const ch = (await t.http().get(`/api/admin/channels/${bad.id}`).set(bearer(admin.jwt)).expect(200)).body;
        expect(ch).toMatchObject({
          status: 'auto_disabled',
          disabled_reason: expect.stringMatching(/^Kling 1000/),
          key_masked: 'ak-u…|****',
        });
        expect(JSON.stringify(ch)).not.toContain('sk-x');
        // The caller saw nothing of the broken channel.
        expect(JSON.stringify(res.body)).not.toMatch(/Kling 1000|ak-unknown|auto_disabled/);
      } finally {
        await t.http().delete(`/api/admin/channels/${bad.id}`).set(bearer(admin.jwt)).expect(204);
      }
    });
  });

  describe('Idempotency-Key', () => {
    it('answers the first response again for the same key and body, without a second task or hold', async () => {
      const u = await fundedUser(t, 500);
      const body = { model: 'kling-v1-6-std', prompt: 'once only' };
      const first = await submit(u, 'text2video', body, { 'Idempotency-Key': 'k-1' }).expect(200);
      const again = await Promise.all(
        Array.from({ length: 5 }, () => submit(u, 'text2video', body, { 'Idempotency-Key': 'k-1' })),
      );
      for (const r of again) expect(r.status === 200 ? r.body : r.status).toEqual(r.status === 200 ? first.body : 409);
      const [row] = await ds.query('SELECT COUNT(*) AS n FROM videos WHERE user_id = ?', [u.id]);
      expect(Number(row.n)).toBe(1);
      const after = await balance(u);
      expect(after.held + after.used).toBe(72); // one hold (maybe already captured), never two

      const other = await submit(
        u,
        'text2video',
        { ...body, prompt: 'something else' },
        { 'Idempotency-Key': 'k-1' },
      ).expect(422);
      expectErrorShape(other.body, 'idempotency_mismatch');
    });
  });

  it("calls the client's callback_url with Kling's callback body (its external_task_id echoed), signed", async () => {
    const rx = await new WebhookReceiver().start();
    try {
      const u = await fundedUser(t, 100);
      const res = await submit(u, 'text2video', {
        model: 'kling-v1-6-std',
        prompt: 'call me back',
        callback_url: `${rx.url}/kling-cb`,
        external_task_id: 'client-7',
      }).expect(200);
      await waitFor(() => Promise.resolve(rx.at('/kling-cb').length === 1));
      const secret = (await t.http().get('/api/webhooks/callback-secret').set(bearer(u.key)).expect(200)).body.secret;
      expect(await verifyBoth(rx.at('/kling-cb')[0], secret)).toMatchObject({
        task_id: res.body.task_id,
        task_status: 'succeed',
        task_info: { external_task_id: 'client-7' },
        task_result: { videos: [{ url: expect.stringMatching(/^https?:/) }] },
      });
      // Kling got Reelay's own callback URL and id, never the client's.
      const upstream = sim.tasks().find((x) => x.external_task_id === res.body.task_id);
      expect(upstream?.callback_url).toContain('/kling/callback/');
      // A callback URL aimed at a private address is refused, naming the field; the id is unique.
      const bad = await submit(u, 'text2video', {
        model: 'kling-v1-6-std',
        prompt: 'x',
        callback_url: 'http://10.0.0.7/cb',
      });
      expect([bad.status, bad.body.error.details[0].field]).toEqual([400, 'callback_url']);
      const dup = await submit(u, 'text2video', { model: 'kling-v1-6-std', prompt: 'x', external_task_id: 'client-7' });
      expect([dup.status, dup.body.error.details[0].field]).toEqual([400, 'external_task_id']);
    } finally {
      await rx.close();
    }
  });
});

// POSTs JSON with its headers sent at once and its body `delayMs` later (0: together).
function postJsonLater(target: string, body: unknown, delayMs: number) {
  const payload = JSON.stringify(body);
  return new Promise<{ status: number; requestId: string }>((resolve, reject) => {
    const req = httpRequest(
      target,
      { method: 'POST', headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } },
      (res) => {
        res.resume();
        res.on('end', () => resolve({ status: res.statusCode ?? 0, requestId: String(res.headers['x-request-id']) }));
      },
    );
    req.on('error', reject);
    if (delayMs === 0) return void req.end(payload);
    req.flushHeaders();
    setTimeout(() => req.end(payload), delayMs);
  });
}
