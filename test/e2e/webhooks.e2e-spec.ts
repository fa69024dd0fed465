import { EntityManager } from 'typeorm';
import { Db } from '../../src/common/database/db.service';
import { TaskSnapshot } from '../../src/webhooks/webhook-payloads';
import { WebhookOutbox } from '../../src/webhooks/webhook-outbox.service';
import { WebhookDispatcherJob } from '../../src/webhooks/webhook-dispatcher.job';
import { DataSource } from 'typeorm';
import { KlingSimulator, startKlingSimulator } from '../../tools/simulators/kling/kling-simulator';
import { expectErrorShape } from '../helpers/error-shape';
import { addChannel, addFormulaPrices, fundedUser } from '../helpers/relay';
import { bearer, createApiKey, registerUser, TestUser } from '../helpers/factories';
import { startTestApp, TestApp } from '../helpers/test-app';
import { waitFor } from '../helpers/wait';
import { verifyBoth, WebhookReceiver } from '../helpers/webhook-receiver';

let seq = 0;
function finishedTask(userId: number, status: 'succeed' | 'failed' = 'succeed'): TaskSnapshot {
  seq++;
  return {
    taskId: `kling_webhooktest${String(seq).padStart(8, '0')}${Math.random().toString(36).slice(2, 8)}`,
    userId,
    model: 'kling-v1-6-std',
    type: 'text2video',
    status,
    prompt: 'a cat on grass',
    duration: '5.042',
    videoId: status === 'succeed' ? `vid-${seq}` : null,
    storeUrl: status === 'succeed' ? `https://cdn.example.test/v/${seq}.mp4` : null,
    failReason: status === 'failed' ? 'Failure to pass the risk control system' : null,
    createdAt: 1_790_000_000,
    updatedAt: 1_790_000_090,
    finishedAt: 1_790_000_090,
  };
}

// Webhooks to clients over real HTTP: endpoints through the API, events written by the outbox
// entry points the relay core calls in a task's terminal transaction, deliveries by the
// dispatcher job, verified by receivers with `standardwebhooks` and OpenAI's SDK.
describe('webhooks', () => {
  let t: TestApp;
  let rx: WebhookReceiver;
  let sim: KlingSimulator;

  beforeAll(async () => {
    rx = await new WebhookReceiver().start();
    sim = await startKlingSimulator({ behavior: { processingAfterMs: 20, completeAfterMs: 80 } });
    sim.addKey('ak-hooks', 'sk-hooks');
    t = await startTestApp({
      env: {
        OUTBOUND_ALLOW_HOSTS: '127.0.0.1',
        WEBHOOK_TICK_MS: '50',
        WEBHOOK_RETRY_SCHEDULE_MS: '100,200,400,800,1600',
        WEBHOOK_DISABLE_AFTER_MS: '1500',
        POLL_TICK_MS: '100',
        POLL_SCHEDULE_MS: '0:300',
      },
    });
    await addFormulaPrices(t, {});
    await addChannel(t, { base_url: sim.url, key: 'ak-hooks|sk-hooks', models: ['kling-v1-6-std'] });
  });
  afterAll(async () => {
    await t.close();
    await rx.close();
    await sim.close();
  });
  afterEach(() => (rx.respond = () => 200));

  const api = (u: TestUser) => ({
    post: (p: string, body: object = {}) => t.http().post(p).set(bearer(u.jwt)).send(body),
    get: (p: string) => t.http().get(p).set(bearer(u.jwt)),
    patch: (p: string, body: object) => t.http().patch(p).set(bearer(u.jwt)).send(body),
    del: (p: string) => t.http().delete(p).set(bearer(u.jwt)),
  });
  const outbox = () => t.app.get(WebhookOutbox);
  const inTx = <T>(work: (em: EntityManager) => Promise<T>): Promise<T> => t.app.get(Db).tx(work);
  async function endpoint(u: TestUser, path: string, body: object = {}) {
    const res = await api(u)
      .post('/api/webhooks', { url: `${rx.url}${path}`, ...body })
      .expect(201);
    return res.body as { id: string; secret: string; url: string; events: string[] };
  }

  it('a real Kling task’s end: video.completed to the endpoint, Kling’s callback body to its callback_url', async () => {
    const u = await fundedUser(t, 500, 'hooked');
    const e = await endpoint(u, '/wired');
    const created = await t
      .http()
      .post('/v1/videos/text2video')
      .set(bearer(u.key))
      .send({
        model_name: 'kling-v1-6',
        mode: 'std',
        prompt: 'A cat playing on the grass',
        duration: '5',
        external_task_id: 'order-77',
        callback_url: `${rx.url}/wired-cb`,
      })
      .expect(200);
    const taskId = created.body.data.task_id as string;
    await waitFor(() => Promise.resolve(rx.at('/wired').length === 1 && rx.at('/wired-cb').length === 1));
    expect(await verifyBoth(rx.at('/wired')[0], e.secret)).toMatchObject({
      object: 'event',
      type: 'video.completed',
      data: { id: taskId, object: 'video', status: 'succeed', video_url: expect.stringMatching(/^https?:/) },
    });
    const secret = (await t.http().get('/api/webhooks/callback-secret').set(bearer(u.key)).expect(200)).body.secret;
    expect(await verifyBoth(rx.at('/wired-cb')[0], secret)).toEqual({
      task_id: taskId,
      task_status: 'succeed',
      task_status_msg: '',
      task_info: { external_task_id: 'order-77' },
      created_at: expect.any(Number),
      updated_at: expect.any(Number),
      task_result: {
        videos: [{ id: expect.any(String), url: expect.stringMatching(/^https?:/), duration: expect.any(String) }],
      },
    });
    // A refused submit (not enough credits) is answered at once and sends nothing later.
    const poor = await fundedUser(t, 0, 'poor');
    await endpoint(poor, '/poor');
    await t
      .http()
      .post('/v1/videos/text2video')
      .set(bearer(poor.key))
      .send({ model_name: 'kling-v1-6', prompt: 'x', callback_url: `${rx.url}/poor-cb` });
    await new Promise((r) => setTimeout(r, 500));
    expect([...rx.at('/poor'), ...rx.at('/poor-cb')]).toEqual([]);
  });

  it('creates an endpoint whose secret is shown once; lists, reads, changes and deletes it; another user sees none of it', async () => {
    const u = await registerUser(t);
    const other = await registerUser(t);
    const created = await endpoint(u, '/crud', { description: 'main', events: ['video.completed'] });
    expect(created).toEqual({
      id: expect.stringMatching(/^we_[A-Za-z0-9]{24}$/),
      url: `${rx.url}/crud`,
      events: ['video.completed'],
      enabled: true,
      description: 'main',
      disabled_reason: null,
      created_at: expect.any(Number),
      updated_at: expect.any(Number),
      secret: expect.stringMatching(/^whsec_[A-Za-z0-9+/]{43}=$/),
    });
    const listed = await api(u).get('/api/webhooks').expect(200);
    expect(listed.body.items).toEqual([expect.not.objectContaining({ secret: expect.anything() })]);
    expect(JSON.stringify(listed.body)).not.toContain(created.secret);
    const read = await api(u).get(`/api/webhooks/${created.id}`).expect(200);
    expect(read.body).not.toHaveProperty('secret');

    const changed = await api(u)
      .patch(`/api/webhooks/${created.id}`, { events: ['video.failed', 'batch.completed'], enabled: false })
      .expect(200);
    expect(changed.body).toMatchObject({ events: ['video.failed', 'batch.completed'], enabled: false });
    const rotated = await api(u).post(`/api/webhooks/${created.id}/rotate-secret`).expect(200);
    expect(rotated.body.secret).toMatch(/^whsec_/);
    expect(rotated.body.secret).not.toBe(created.secret);

    for (const res of [
      await api(other).get(`/api/webhooks/${created.id}`),
      await api(other).patch(`/api/webhooks/${created.id}`, { enabled: true }),
      await api(other).post(`/api/webhooks/${created.id}/test`),
      await api(other).post(`/api/webhooks/${created.id}/rotate-secret`),
      await api(other).get(`/api/webhooks/${created.id}/deliveries`),
      await api(other).del(`/api/webhooks/${created.id}`),
    ])
      expectErrorShape(res.body, 'not_found');
    expect((await api(other).get('/api/webhooks').expect(200)).body.total).toBe(0);

    await api(u).del(`/api/webhooks/${created.id}`).expect(204);
    await api(u).get(`/api/webhooks/${created.id}`).expect(404);
    expect(t.logs.text()).not.toContain(created.secret);
    expect(t.logs.text()).not.toContain(rotated.body.secret);
  });

  it('refuses webhook URLs aimed at loopback, private or link-local addresses unless the host is allow-listed', async () => {
    const u = await registerUser(t);
    for (const url of [
      'http://localhost:8080/hook',
      'http://10.1.2.3/hook',
      'http://192.168.0.7/hook',
      'http://169.254.169.254/latest/meta-data',
      'http://[::1]:8080/hook',
      'http://0.0.0.0/hook',
    ]) {
      const res = await api(u).post('/api/webhooks', { url }).expect(400);
      expectErrorShape(res.body, 'validation_failed');
      expect(res.body.error.details).toEqual([
        { field: 'url', message: expect.stringMatching(/private|loopback|localhost|link-local|unspecified/) },
      ]);
    }
    const bad = await api(u)
      .post('/api/webhooks', { url: 'ftp://example.com/x', events: ['video.done'] })
      .expect(400);
    expect(bad.body.error.details.map((d: { field: string }) => d.field).sort()).toEqual(['events', 'url']);
    // 127.0.0.1 is in OUTBOUND_ALLOW_HOSTS for this app (the simulators' and receivers' address).
    await api(u)
      .post('/api/webhooks', { url: `${rx.url}/allowed` })
      .expect(201);
    const created = await endpoint(u, '/patched');
    // Only the allow-listed address: the rest of 127.0.0.0/8 stays refused, on change too.
    const patched = await api(u).patch(`/api/webhooks/${created.id}`, { url: 'http://127.0.0.2:9/x' }).expect(400);
    expect(patched.body.error.details).toEqual([{ field: 'url', message: expect.stringMatching(/loopback/) }]);
  });

  it('delivers video.completed, video.failed and batch.completed to subscribed endpoints, signed so both SDKs verify them', async () => {
    const u = await registerUser(t);
    const all = await endpoint(u, '/all');
    const completedOnly = await endpoint(u, '/completed', { events: ['video.completed'] });
    const ok = finishedTask(u.id, 'succeed');
    const failed = finishedTask(u.id, 'failed');
    const ids = await inTx(async (em) => [
      await outbox().enqueueTaskEvent(em, ok, 'video.completed'),
      await outbox().enqueueTaskEvent(em, failed, 'video.failed'),
      await outbox().enqueueBatchEvent(em, {
        publicId: 'batch_abc',
        userId: u.id,
        status: 'completed',
        total: 2,
        counts: { succeed: 1, failed: 1 },
        createdAt: 1_790_000_000,
        finishedAt: 1_790_000_100,
      }),
    ]);
    expect(ids).toEqual([
      expect.stringMatching(/^evt_/),
      expect.stringMatching(/^evt_/),
      expect.stringMatching(/^evt_/),
    ]);
    await waitFor(() => Promise.resolve(rx.at('/all').length === 3 && rx.at('/completed').length === 1));

    const bodies = new Map<string, unknown>();
    for (const r of rx.at('/all')) bodies.set(r.id, await verifyBoth(r, all.secret));
    expect(bodies.get(ids[0] as string)).toEqual({
      id: ids[0],
      object: 'event',
      created_at: expect.any(Number),
      type: 'video.completed',
      data: {
        id: ok.taskId,
        object: 'video',
        status: 'succeed',
        model: 'kling-v1-6-std',
        type: 'text2video',
        duration: '5.042',
        video_url: ok.storeUrl,
        fail_reason: null,
        created_at: ok.createdAt,
        finished_at: ok.finishedAt,
      },
    });
    expect(bodies.get(ids[1] as string)).toMatchObject({
      type: 'video.failed',
      data: { id: failed.taskId, status: 'failed', fail_reason: failed.failReason, video_url: null },
    });
    expect(bodies.get(ids[2] as string)).toMatchObject({
      type: 'batch.completed',
      data: { id: 'batch_abc', object: 'batch', status: 'completed', counts: { succeed: 1, failed: 1 } },
    });
    const [onlyOne] = rx.at('/completed');
    expect(onlyOne.id).toBe(ids[0]);
    expect(await verifyBoth(onlyOne, completedOnly.secret)).toMatchObject({ type: 'video.completed' });
    // Signed with the other endpoint's secret it would not verify.
    await expect(verifyBoth(onlyOne, all.secret)).rejects.toThrow();
  });

  it('writes nothing for a user without endpoints, and replaying an entry point adds no second event', async () => {
    const lonely = await registerUser(t);
    expect(await inTx((em) => outbox().enqueueTaskEvent(em, finishedTask(lonely.id), 'video.completed'))).toBeNull();

    const u = await registerUser(t);
    await endpoint(u, '/replay');
    const task = finishedTask(u.id);
    const first = await inTx((em) => outbox().enqueueTaskEvent(em, task, 'video.completed'));
    const again = await Promise.all(
      [1, 2, 3].map(() => inTx((em) => outbox().enqueueTaskEvent(em, task, 'video.completed'))),
    );
    expect(again).toEqual([null, null, null]);
    await waitFor(() => Promise.resolve(rx.at('/replay').length === 1));
    await new Promise((r) => setTimeout(r, 300));
    expect(rx.at('/replay').map((r) => r.id)).toEqual([first]);
  });

  it('gets the event to a receiver that answers 500 three times on the 4th attempt, with the same webhook-id', async () => {
    const u = await registerUser(t);
    const e = await endpoint(u, '/flaky');
    rx.respond = ({ path, attempt }) => (path === '/flaky' && attempt <= 3 ? 500 : 200);
    const id = await inTx((em) => outbox().enqueueTaskEvent(em, finishedTask(u.id), 'video.completed'));
    await waitFor(() => Promise.resolve(rx.at('/flaky').some((r) => r.status === 200)));
    const tries = rx.at('/flaky');
    expect(tries.map((r) => [r.id, r.status])).toEqual([
      [id, 500],
      [id, 500],
      [id, 500],
      [id, 200],
    ]);
    for (const r of tries) await verifyBoth(r, e.secret); // each attempt freshly signed
    // Backoff: the waits grow (100, 200, 400 ms scaled schedule).
    const gaps = tries.slice(1).map((r, i) => r.at - tries[i].at);
    expect(gaps[2]).toBeGreaterThan(gaps[0]);

    const list = await api(u).get(`/api/webhooks/${e.id}/deliveries`).expect(200);
    expect(list.body.items).toEqual([
      {
        id: expect.stringMatching(/^dlv_/),
        event_id: id,
        event_type: 'video.completed',
        status: 'delivered',
        attempts: 4,
        last_status: 200,
        last_error: null,
        next_attempt_at: null,
        delivered_at: expect.any(Number),
        created_at: expect.any(Number),
      },
    ]);
    expect((await api(u).get(`/api/webhooks/${e.id}`).expect(200)).body.enabled).toBe(true);
  });

  it('sends a test event, and redelivers a delivery with the same event id', async () => {
    const u = await registerUser(t);
    const e = await endpoint(u, '/tested', { events: ['batch.completed'] });
    const queued = await api(u).post(`/api/webhooks/${e.id}/test`).expect(202);
    expect(queued.body).toMatchObject({ status: 'pending', event_type: 'webhook.test', attempts: 0 });
    await waitFor(() => Promise.resolve(rx.at('/tested').length === 1));
    expect(await verifyBoth(rx.at('/tested')[0], e.secret)).toMatchObject({
      id: queued.body.event_id,
      object: 'event',
      type: 'webhook.test',
    });

    const again = await api(u).post(`/api/webhooks/deliveries/${queued.body.id}/redeliver`).expect(202);
    expect(again.body).toMatchObject({ id: queued.body.id, status: 'pending' });
    await waitFor(() => Promise.resolve(rx.at('/tested').length === 2));
    expect(rx.at('/tested').map((r) => r.id)).toEqual([queued.body.event_id, queued.body.event_id]);
    const other = await registerUser(t);
    await api(other).post(`/api/webhooks/deliveries/${queued.body.id}/redeliver`).expect(404);
  });

  it('disables an endpoint whose every delivery failed for the whole window, says why, and starts afresh when re-enabled', async () => {
    const u = await registerUser(t);
    const e = await endpoint(u, '/down');
    rx.respond = ({ path }) => (path === '/down' ? 503 : 200);
    await inTx((em) => outbox().enqueueTaskEvent(em, finishedTask(u.id), 'video.completed'));
    const off = await waitFor(async () => {
      const r = await api(u).get(`/api/webhooks/${e.id}`).expect(200);
      return r.body.enabled ? null : r.body;
    }, 20_000);
    expect(off.disabled_reason).toMatch(/^Disabled after every delivery failed for 2 s \(last: HTTP 503\)$/);
    // A disabled endpoint gets no new events.
    expect(await inTx((em) => outbox().enqueueTaskEvent(em, finishedTask(u.id), 'video.completed'))).toBeNull();

    rx.respond = () => 200;
    const on = await api(u).patch(`/api/webhooks/${e.id}`, { enabled: true }).expect(200);
    expect(on.body).toMatchObject({ enabled: true, disabled_reason: null });
    const next = await inTx((em) => outbox().enqueueTaskEvent(em, finishedTask(u.id), 'video.completed'));
    await waitFor(() => Promise.resolve(rx.at('/down').some((r) => r.id === next && r.status === 200)));
  });

  it('forgets finished deliveries after 30 days and never a pending one', async () => {
    const u = await registerUser(t);
    const done = await endpoint(u, '/history');
    const retrying = await endpoint(u, '/history-pending');
    rx.respond = ({ path }) => (path === '/history-pending' ? 503 : 200);
    const ds = t.app.get(DataSource);
    await inTx((em) => outbox().enqueueTaskEvent(em, finishedTask(u.id), 'video.completed'));
    // Wait for what the dispatcher recorded, not for the receiver: the request arrives before its
    // outcome is written, and a delivery still in flight is (rightly) not history yet.
    const recorded = async (id: string, want: (d: { status: string; last_status: number | null }) => boolean) => {
      const items = (await api(u).get(`/api/webhooks/${id}/deliveries`).expect(200)).body.items;
      return items.length === 1 && want(items[0]) ? true : null;
    };
    await waitFor(() => recorded(done.id, (d) => d.status === 'delivered'));
    await waitFor(() => recorded(retrying.id, (d) => d.status === 'pending' && d.last_status === 503));
    const month = 31 * 86_400;
    await ds.query('UPDATE webhook_deliveries SET created_at_ms = created_at_ms - ? WHERE user_id = ?', [
      month * 1000,
      u.id,
    ]);
    await ds.query('UPDATE webhook_events SET created_at = created_at - ? WHERE user_id = ?', [month, u.id]);
    await t.app.get(WebhookDispatcherJob).pruneHistory();
    expect((await api(u).get(`/api/webhooks/${done.id}/deliveries`).expect(200)).body.total).toBe(0);
    const still = (await api(u).get(`/api/webhooks/${retrying.id}/deliveries`).expect(200)).body.items;
    expect(still).toEqual([expect.objectContaining({ status: 'pending', last_status: 503 })]);
  });

  it('calls a task’s callback_url with Kling’s callback body, signed with the user’s callback secret', async () => {
    const u = await registerUser(t);
    const key = await createApiKey(t, u);
    const ok = finishedTask(u.id, 'succeed');
    const failed = finishedTask(u.id, 'failed');
    const [a, b] = await inTx(async (em) => [
      await outbox().enqueueKlingCallback(em, ok, `${rx.url}/kling-cb?order=1`, 'order-1'),
      await outbox().enqueueKlingCallback(em, failed, `${rx.url}/kling-cb?order=2`, null),
    ]);
    await waitFor(() => Promise.resolve(rx.at('/kling-cb').length === 2));
    const secret = (await t.http().get('/api/webhooks/callback-secret').set(bearer(key.key)).expect(200)).body.secret;
    expect(secret).toMatch(/^whsec_/);
    const got = new Map<string, unknown>();
    for (const r of rx.at('/kling-cb')) got.set(r.id, await verifyBoth(r, secret));
    expect(got.get(a as string)).toEqual({
      task_id: ok.taskId,
      task_status: 'succeed',
      task_status_msg: '',
      task_info: { external_task_id: 'order-1' },
      created_at: ok.createdAt * 1000,
      updated_at: (ok.finishedAt as number) * 1000,
      task_result: { videos: [{ id: ok.videoId, url: ok.storeUrl, duration: '5.042' }] },
    });
    expect(got.get(b as string)).toEqual({
      task_id: failed.taskId,
      task_status: 'failed',
      task_status_msg: failed.failReason,
      task_info: {},
      created_at: failed.createdAt * 1000,
      updated_at: (failed.finishedAt as number) * 1000,
    });

    // The same secret is returned again; rotating replaces it for the next calls.
    expect((await t.http().get('/api/webhooks/callback-secret').set(bearer(u.jwt)).expect(200)).body.secret).toBe(
      secret,
    );
    const rotated = (await t.http().post('/api/webhooks/callback-secret/rotate').set(bearer(u.jwt)).expect(200)).body
      .secret;
    const c = await inTx((em) =>
      outbox().enqueueKlingCallback(em, finishedTask(u.id), `${rx.url}/kling-cb`, 'order-3'),
    );
    await waitFor(() => Promise.resolve(rx.at('/kling-cb').some((r) => r.id === c)));
    await verifyBoth(
      rx.at('/kling-cb').find((r) => r.id === c)!,
      rotated,
    );
    expect(t.logs.text()).not.toContain(secret.slice(6));
  });
});
