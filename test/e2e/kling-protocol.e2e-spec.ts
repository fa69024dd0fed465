import { KlingSimulator, startKlingSimulator } from '../../tools/simulators/kling/kling-simulator';
import { bearer } from '../helpers/factories';
import { addChannel, addFormulaPrices, fundedUser, FundedUser } from '../helpers/relay';
import { startTestApp, TestApp } from '../helpers/test-app';
import { waitFor } from '../helpers/wait';

// #13: code written against Kling's own API works by changing the host and sending a Reelay key.
// Requests and answers are shaped as providers.md §1.4–§1.9 shows them.
describe("Kling's own protocol at Kling's paths", () => {
  let sim: KlingSimulator;
  let t: TestApp;

  beforeAll(async () => {
    sim = await startKlingSimulator({ behavior: { processingAfterMs: 50, completeAfterMs: 250 } });
    sim.addKey('ak-native', 'sk-native');
    t = await startTestApp({ env: { POLL_TICK_MS: '100', POLL_SCHEDULE_MS: '0:300' } });
    await addFormulaPrices(t, { 'kling-v1-std': 30 });
    await addChannel(t, {
      base_url: sim.url,
      key: 'ak-native|sk-native',
      models: ['kling-v1-std', 'kling-v1-6-std', 'kling-v1-6-pro'],
    });
  });
  afterAll(async () => {
    await t.close();
    await sim.close();
  });

  const create = (u: FundedUser, kind: string, body: object) =>
    t.http().post(`/v1/videos/${kind}`).set(bearer(u.key)).send(body);
  const query = (u: FundedUser, path: string) => t.http().get(path).set(bearer(u.key));

  it('creates with model_name + mode, answers Kling’s envelope, and is found by task_id and by external_task_id', async () => {
    const u = await fundedUser(t, 500, 'native');
    const res = await create(u, 'text2video', {
      model_name: 'kling-v1-6',
      mode: 'std',
      prompt: 'A cat playing on the grass',
      negative_prompt: '',
      cfg_scale: 0.5,
      aspect_ratio: '16:9',
      duration: '5',
      external_task_id: 'my-id-123',
    }).expect(200);
    expect(res.body).toEqual({
      code: 0,
      message: 'SUCCEED',
      request_id: expect.any(String),
      data: {
        task_id: expect.stringMatching(/^kling_/),
        task_status: 'submitted',
        task_status_msg: '',
        task_info: { external_task_id: 'my-id-123' },
        created_at: expect.any(Number),
        updated_at: expect.any(Number),
      },
    });
    expect(res.body.data.created_at).toBeGreaterThan(1e12); // milliseconds, as Kling's
    const id = res.body.data.task_id as string;
    // Kling got Reelay's own callback URL and id, and the model as model_name + mode.
    const upstream = sim.tasks().find((x) => x.external_task_id === id);
    expect(upstream).toMatchObject({ model_name: 'kling-v1-6', mode: 'std' });
    expect(upstream?.callback_url).toContain('/kling/callback/');

    const done = await waitFor(async () => {
      const q = await query(u, `/v1/videos/text2video/${id}`).expect(200);
      return q.body.data.task_status === 'succeed' ? q.body : null;
    });
    expect(done.data).toMatchObject({
      task_id: id,
      task_status: 'succeed',
      task_info: { external_task_id: 'my-id-123' },
      task_result: {
        videos: [
          {
            id: expect.any(String),
            url: expect.stringMatching(/^https?:\/\//),
            duration: expect.stringMatching(/^5(\.\d+)?$/),
          },
        ],
      },
    });
    const byExternal = await query(u, '/v1/videos/text2video/my-id-123').expect(200);
    expect(byExternal.body.data.task_id).toBe(id);
    // Another kind's path does not find it; another user does not either.
    expect((await query(u, `/v1/videos/image2video/${id}`).expect(404)).body).toMatchObject({ code: 1203, data: null });
    const other = await fundedUser(t, 0, 'native-other');
    expect((await query(other, '/v1/videos/text2video/my-id-123').expect(404)).body.code).toBe(1203);
  });

  it('lists a kind with pageNum and pageSize, newest first', async () => {
    const u = await fundedUser(t, 500, 'native-list');
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      ids.push(
        (await create(u, 'text2video', { model_name: 'kling-v1', prompt: `list ${i}` }).expect(200)).body.data.task_id,
      );
    }
    const page1 = await query(u, '/v1/videos/text2video?pageNum=1&pageSize=2').expect(200);
    expect(page1.body).toMatchObject({ code: 0, message: 'SUCCEED' });
    expect(page1.body.data.map((x: { task_id: string }) => x.task_id)).toEqual([ids[2], ids[1]]);
    const page2 = await query(u, '/v1/videos/text2video?pageNum=2&pageSize=2').expect(200);
    expect(page2.body.data.map((x: { task_id: string }) => x.task_id)).toEqual([ids[0]]);
    expect((await query(u, '/v1/videos/image2video?pageNum=1&pageSize=30').expect(200)).body.data).toEqual([]);
  });

  it('lists Kling task objects (§1.6) equal to the single-task query (no params: page 1), bounds as documented', async () => {
    const u = await fundedUser(t, 500, 'native-list-shape');
    const ids: string[] = [];
    for (const ext of ['shape-a', 'shape-b']) {
      const body = { model_name: 'kling-v1-6', prompt: `shape ${ext}`, duration: '5', external_task_id: ext };
      ids.push((await create(u, 'text2video', body).expect(200)).body.data.task_id);
    }
    const singles = await waitFor(async () => {
      const got = await Promise.all(ids.map((id) => query(u, `/v1/videos/text2video/${id}`).expect(200)));
      return got.every((q) => q.body.data.task_status === 'succeed') ? got.map((q) => q.body.data) : null;
    });
    const listed = await query(u, '/v1/videos/text2video').expect(200);
    expect(listed.body).toEqual({
      code: 0,
      message: 'SUCCEED',
      request_id: expect.any(String),
      data: expect.any(Array),
    });
    expect(listed.body.data).toEqual([singles[1], singles[0]]);
    for (const task of listed.body.data) {
      expect(task).toMatchObject({
        task_id: expect.stringMatching(/^kling_/),
        task_status: 'succeed',
        task_status_msg: '',
        task_info: { external_task_id: expect.stringMatching(/^shape-/) },
        task_result: { videos: [{ id: expect.any(String), url: expect.any(String), duration: expect.any(String) }] },
        created_at: expect.any(Number),
        updated_at: expect.any(Number),
      });
      expect(task.created_at).toBeGreaterThan(1e12);
    }
    // pageNum [1,1000], pageSize [1,500], integers: anything else is Kling's 1201 with a 400.
    for (const bad of ['pageNum=0', 'pageNum=1001', 'pageSize=0', 'pageSize=501', 'pageSize=abc', 'pageNum=1.5']) {
      const res = await query(u, `/v1/videos/text2video?${bad}`).expect(400);
      expect(res.body).toMatchObject({ code: 1201, data: null, message: expect.stringMatching(/page(Num|Size)/) });
    }
    expect((await query(u, '/v1/videos/text2video?pageNum=1000&pageSize=500').expect(200)).body.data).toEqual([]);
    const other = await fundedUser(t, 0, 'native-list-other');
    expect((await query(other, '/v1/videos/text2video').expect(200)).body.data).toEqual([]);
  });

  it.each(['sora-2', 'sora-2-pro', 'veo3'])(
    'refuses model_name %s with 1201 and a 400 naming POST /v1/videos, nothing held',
    async (model) => {
      const u = await fundedUser(t, 500, 'native-other-model');
      const res = await create(u, 'text2video', { model_name: model, prompt: 'not a Kling model' }).expect(400);
      expect(res.body).toMatchObject({ code: 1201, data: null, message: expect.stringContaining('POST /v1/videos') });
      const balance = (await t.http().get('/api/billing/balance').set(bearer(u.jwt)).expect(200)).body;
      expect(balance).toEqual({ balance: 500, held: 0, available: 500, used: 0 });
    },
  );

  it("answers Kling's error codes: 1000 auth, 1201 parameters, 1102 balance, a reused external_task_id", async () => {
    const u = await fundedUser(t, 1, 'native-errors');
    const noKey = await t.http().post('/v1/videos/text2video').send({ prompt: 'x' }).expect(401);
    expect(noKey.body).toMatchObject({ code: 1000, data: null, request_id: expect.any(String) });
    const bad = await create(u, 'text2video', { prompt: 'x', duration: '7', model_name: 'kling-v1-6' }).expect(400);
    expect(bad.body.code).toBe(1201);
    expect(bad.body.message).toMatch(/duration/);
    const poor = await create(u, 'text2video', { prompt: 'x', model_name: 'kling-v1-6' }).expect(429);
    expect(poor.body.code).toBe(1102);
    const rich = await fundedUser(t, 200, 'native-dup');
    await create(rich, 'text2video', { prompt: 'a', external_task_id: 'dup-1' }).expect(200);
    const dup = await create(rich, 'text2video', { prompt: 'b', external_task_id: 'dup-1' }).expect(400);
    expect(dup.body).toMatchObject({ code: 1201, message: expect.stringContaining('external_task_id') });
  });
});
