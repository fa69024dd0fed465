import { DataSource } from 'typeorm';
import { KlingSimulator, startKlingSimulator } from '../../tools/simulators/kling/kling-simulator';
import { expectErrorShape } from '../helpers/error-shape';
import { bearer, loginAdmin, TestUser } from '../helpers/factories';
import { addChannel, fundedUser, FundedUser } from '../helpers/relay';
import { startTestApp, TestApp } from '../helpers/test-app';
import { waitFor } from '../helpers/wait';

const MODEL = 'kling-v1-6-std';

interface Entry {
  at: number;
  kind: string;
  [field: string]: unknown;
}

// #15: a task's timeline, for its owner and for operators, built from what the task row, the
// ledger and the media copy recorded. Tasks end by the simulator's callbacks (polls are far off).
describe('video task timeline', () => {
  let sim: KlingSimulator;
  let t: TestApp;
  let admin: TestUser;
  let channelId: number;

  beforeAll(async () => {
    sim = await startKlingSimulator({
      behavior: { processingAfterMs: 20, completeAfterMs: 200 },
      media: { serve: true, bytes: 4_000 },
    });
    sim.addKey('ak-timeline', 'sk-timeline');
    t = await startTestApp({
      env: { POLL_TICK_MS: '100', POLL_SCHEDULE_MS: '0:600000', MEDIA_COPY_TICK_MS: '50' },
    });
    admin = await loginAdmin(t);
    channelId = (
      await addChannel(t, { name: 'timeline', base_url: sim.url, key: 'ak-timeline|sk-timeline', models: [MODEL] })
    ).id;
  });
  afterAll(async () => {
    await t.close();
    await sim.close();
  });

  async function submit(u: FundedUser, prompt: string): Promise<string> {
    const res = await t
      .http()
      .post('/kling/v1/videos/text2video')
      .set(bearer(u.key))
      .send({ model: MODEL, prompt })
      .expect(200);
    return res.body.task_id as string;
  }

  const ownTimeline = (u: FundedUser, taskId: string) =>
    t.http().get(`/api/videos/${taskId}/timeline`).set(bearer(u.jwt));
  const adminTimeline = (taskId: string) => t.http().get(`/api/admin/videos/${taskId}/timeline`).set(bearer(admin.jwt));

  // The task as the list shows it (its price in credits) once it has ended.
  async function ended(u: FundedUser, taskId: string): Promise<{ credits: number; upstream_task_id: string }> {
    return waitFor(async () => {
      const r = await t.http().get('/api/videos?page_size=100').set(bearer(u.jwt)).expect(200);
      const v = r.body.items.find((i: { task_id: string }) => i.task_id === taskId);
      return v && ['succeed', 'failed'].includes(v.status) ? v : null;
    });
  }

  // The owner's timeline once the copy job is done with the task (stored or given up), so two
  // reads are not racing it.
  const settledTimeline = (u: FundedUser, taskId: string) =>
    waitFor(async () => {
      const r = (await ownTimeline(u, taskId).expect(200)).body;
      return r.entries.some((e: Entry) => e.kind === 'stored' || e.kind === 'store_failed') ? r : null;
    });

  const isSorted = (entries: Entry[]) => entries.every((e, i) => i === 0 || entries[i - 1].at <= e.at);

  it('shows submitted, hold, processing, succeeded by callback, capture and the stored copy, in order', async () => {
    const u = await fundedUser(t, 1000, 'timeline');
    // Steps a second or more apart, so the order shown is the order of the times themselves.
    sim.setBehavior({ processingAfterMs: 1100, completeAfterMs: 2200 });
    const taskId = await submit(u, 'a lighthouse at dawn');
    const video = await ended(u, taskId).finally(() =>
      sim.setBehavior({ processingAfterMs: 20, completeAfterMs: 200 }),
    );
    const body = await waitFor(async () => {
      const r = await ownTimeline(u, taskId).expect(200);
      return r.body.entries.some((e: Entry) => e.kind === 'stored') ? r.body : null;
    });

    expect(body).toMatchObject({ task_id: taskId, status: 'succeed' });
    expect(body.entries.map((e: Entry) => e.kind)).toEqual([
      'submitted',
      'credits_held',
      'processing',
      'succeeded',
      'credits_captured',
      'stored',
    ]);
    const [submitted, held, processing, succeeded, captured] = body.entries as Entry[];
    expect(submitted.at).toBeLessThan(processing.at);
    expect(processing.at).toBeLessThan(succeeded.at);
    expect(held.at).toBeGreaterThanOrEqual(submitted.at);
    expect(held.at).toBeLessThan(processing.at);
    expect(captured.at).toBeGreaterThanOrEqual(succeeded.at);
    expect(submitted).toEqual({ at: expect.any(Number), kind: 'submitted', upstream_task_id: video.upstream_task_id });
    expect(held).toMatchObject({ credits: video.credits });
    expect(video.credits).toBeGreaterThan(0);
    expect(succeeded).toMatchObject({ ended_by: 'callback' });
    expect(captured).toMatchObject({ credits: video.credits });
    expect(isSorted(body.entries)).toBe(true);
    // The customer's view never names the channel.
    for (const e of body.entries) expect(e).not.toHaveProperty('channel_id');
  });

  it('shows a failed task’s reason and its released hold', async () => {
    const u = await fundedUser(t, 1000, 'timeline-fail');
    const taskId = await submit(u, 'SIM_FAIL a storm');
    const video = await ended(u, taskId);
    const body = (await ownTimeline(u, taskId).expect(200)).body;
    expect(body.status).toBe('failed');
    expect(body.entries.map((e: Entry) => e.kind)).toEqual([
      'submitted',
      'credits_held',
      'processing',
      'failed',
      'credits_released',
    ]);
    expect(body.entries[3]).toMatchObject({ ended_by: 'callback', fail_reason: expect.any(String) });
    expect(body.entries[4]).toMatchObject({ credits: video.credits });
    expect(body.entries.map((e: Entry) => e.kind)).not.toContain('credits_captured');
  });

  it('answers another user’s task id exactly as an unknown one (404), and admins see any task with its channel', async () => {
    const a = await fundedUser(t, 1000, 'timeline-a');
    const b = await fundedUser(t, 1000, 'timeline-b');
    const taskId = await submit(a, 'only mine');
    await ended(a, taskId);

    const theirs = await ownTimeline(b, taskId).expect(404);
    expectErrorShape(theirs.body, 'not_found');
    const unknown = await ownTimeline(b, 'kling_doesnotexist').expect(404);
    expect(theirs.body.error).toEqual(unknown.body.error);
    expect(JSON.stringify(theirs.body)).not.toContain('only mine');

    const own = await settledTimeline(a, taskId);
    const op = (await adminTimeline(taskId).expect(200)).body;
    expect(op.entries.map((e: Entry) => e.kind)).toEqual(own.entries.map((e: Entry) => e.kind));
    expect(op.entries[0]).toMatchObject({ kind: 'submitted', channel_id: channelId });
    expectErrorShape((await adminTimeline('kling_doesnotexist').expect(404)).body, 'not_found');
    // A customer cannot use the operator's route.
    await t.http().get(`/api/admin/videos/${taskId}/timeline`).set(bearer(a.jwt)).expect(403);
  });

  it('gives the same answer when asked again, and writes nothing', async () => {
    const u = await fundedUser(t, 1000, 'timeline-again');
    const taskId = await submit(u, 'twice');
    await ended(u, taskId);
    const ds = t.app.get(DataSource);
    const rows = () =>
      Promise.all([
        ds.query('SELECT * FROM videos WHERE task_id = ?', [taskId]),
        ds.query('SELECT COUNT(*) AS n FROM ledger_entries WHERE user_id = ?', [u.id]),
      ]);
    const first = await settledTimeline(u, taskId);
    const before = await rows();
    const second = (await ownTimeline(u, taskId).expect(200)).body;
    expect(second).toEqual(first);
    expect(await rows()).toEqual(before);
  });

  it('keeps the first processing time when the processing callback arrives again', async () => {
    const u = await fundedUser(t, 1000, 'timeline-replay');
    sim.setBehavior({ processingAfterMs: 20, completeAfterMs: 600_000 });
    const taskId = await submit(u, 'a long one');
    sim.setBehavior({ processingAfterMs: 20, completeAfterMs: 200 });
    const ds = t.app.get(DataSource);
    const row = async () =>
      (
        await ds.query('SELECT status, upstream_task_id, processing_at, updated_at FROM videos WHERE task_id = ?', [
          taskId,
        ])
      )[0];
    const first = await waitFor(async () => {
      const r = await row();
      return r.status === 'processing' ? r : null;
    });
    expect(Number(first.processing_at)).toBeGreaterThan(0);
    const upstream = sim.tasks().find((x) => x.task_id === first.upstream_task_id)!;
    // A second later (a moved processing_at would show), Kling says "processing" once more.
    await new Promise((r) => setTimeout(r, 1100));
    const url = new URL(upstream.callback_url!);
    const replay = { task_id: upstream.task_id, task_status: 'processing', task_status_msg: '', task_info: {} };
    await t.http().post(`${url.pathname}${url.search}`).send(replay).expect(200);
    expect(await row()).toEqual(first);
    sim.completeTask(upstream.task_id, 'succeed');
    await ended(u, taskId);
    const body = (await ownTimeline(u, taskId).expect(200)).body;
    expect(body.entries.filter((e: Entry) => e.kind === 'processing')).toEqual([
      { at: Number(first.processing_at), kind: 'processing' },
    ]);
  });

  it('refuses a malformed task id with a 400 naming task_id, on both routes', async () => {
    const u = await fundedUser(t, 0, 'timeline-bad');
    for (const bad of ['x'.repeat(201), 'has%20space', '%C3%A9t%C3%A9']) {
      for (const res of [await ownTimeline(u, bad), await adminTimeline(bad)]) {
        expect(res.status).toBe(400);
        expectErrorShape(res.body, 'validation_failed');
        expect(res.body.error.details[0].field).toBe('task_id');
      }
    }
  });
});
