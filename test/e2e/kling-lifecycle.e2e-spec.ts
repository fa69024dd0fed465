import { createServer, Server } from 'node:net';
import { DataSource } from 'typeorm';
import { TaskPollerService } from '../../src/relay/core/task-poller.service';
import { VideoTaskRepository } from '../../src/relay/core/video-task.repository';
import { KlingSimulator, startKlingSimulator } from '../../tools/simulators/kling/kling-simulator';
import { bearer, loginAdmin, TestUser } from '../helpers/factories';
import { addChannel, fundedUser, FundedUser } from '../helpers/relay';
import { startTestApp, TestApp } from '../helpers/test-app';
import { waitFor } from '../helpers/wait';

// Lifecycle edges with the scheduled jobs off: the tests drive the poller themselves.
describe('relay task lifecycle', () => {
  let sim: KlingSimulator;
  let t: TestApp;
  let ds: DataSource;
  let poller: TaskPollerService;
  let admin: TestUser;
  let blackHole: Server;
  let blackHolePort: number;

  beforeAll(async () => {
    sim = await startKlingSimulator({ behavior: { processingAfterMs: 20, completeAfterMs: 80, dropCallbacks: true } });
    sim.addKey('ak-life', 'sk-life');
    // Accepts connections and never answers: a create whose outcome is unknowable.
    blackHole = createServer(() => undefined);
    await new Promise<void>((r) => blackHole.listen(0, '127.0.0.1', r));
    blackHolePort = (blackHole.address() as { port: number }).port;
    t = await startTestApp({
      env: {
        JOBS_ENABLED: 'false',
        POLL_SCHEDULE_MS: '0:100',
        TASK_TIMEOUT_SECONDS: '3',
        UNKNOWN_GRACE_SECONDS: '1',
        STALE_REFRESH_SECONDS: '0',
        UPSTREAM_TIMEOUT_MS: '500',
      },
    });
    ds = t.app.get(DataSource);
    poller = t.app.get(TaskPollerService);
    admin = await loginAdmin(t);
    await addChannel(t, { name: 'life', base_url: sim.url, key: 'ak-life|sk-life', models: ['kling-v1-6-std'] });
  });
  afterAll(async () => {
    await t.close();
    await sim.close();
    blackHole.close();
  });
  afterEach(() => sim.reset());

  const submit = (u: FundedUser, prompt: string) =>
    t.http().post('/kling/v1/videos/text2video').set(bearer(u.key)).send({ model: 'kling-v1-6-std', prompt });
  const balance = async (u: FundedUser) =>
    (await t.http().get('/api/billing/balance').set(bearer(u.jwt)).expect(200)).body;
  const statusOf = async (taskId: string) => {
    const [row] = await ds.query('SELECT status, fail_reason FROM videos WHERE task_id = ?', [taskId]);
    return row as { status: string; fail_reason: string | null };
  };

  it('refreshes a stale task from Kling when its owner asks for it', async () => {
    const u = await fundedUser(t, 100);
    const res = await submit(u, 'refresh me').expect(200);
    await new Promise((r) => setTimeout(r, 1100)); // finished upstream, nobody told Reelay
    const got = await t.http().get(`/kling/v1/videos/${res.body.task_id}`).set(bearer(u.key)).expect(200);
    expect(got.body.status).toBe('succeed');
    expect(await balance(u)).toMatchObject({ used: 72, held: 0 });
  });

  it('fails a task past its timeout after one last query, and releases the hold', async () => {
    sim.setBehavior({ completeAfterMs: 60_000 });
    const u = await fundedUser(t, 100);
    const res = await submit(u, 'slow one').expect(200);
    const queriesBefore = sim.stats().queries;
    await waitFor(
      async () => {
        await poller.pollDue();
        return (await statusOf(res.body.task_id)).status === 'failed';
      },
      10_000,
      200,
    );
    expect(await statusOf(res.body.task_id)).toEqual({ status: 'failed', fail_reason: 'timeout' });
    expect(sim.stats().queries).toBeGreaterThan(queriesBefore);
    expect(await balance(u)).toEqual({ balance: 100, held: 0, available: 100, used: 0 });
  });

  it('fails a task whose create answer was lost and that the upstream never received, without resubmitting', async () => {
    const channel = await addChannel(t, {
      name: 'black hole',
      base_url: `http://127.0.0.1:${blackHolePort}`,
      key: 'ak-life|sk-life',
      models: ['kling-v1-6-std'],
      priority: 50,
    });
    try {
      const u = await fundedUser(t, 100);
      const res = await submit(u, 'into the void').expect(200);
      expect(res.body).toMatchObject({ status: 'unknown', kling_task_id: null });
      expect(await balance(u)).toMatchObject({ held: 72 });
      // The black hole answers no query either: the task stays unresolved until its timeout.
      await waitFor(
        async () => {
          await poller.pollDue();
          return (await statusOf(res.body.task_id)).status === 'failed';
        },
        15_000,
        250,
      );
      expect(await balance(u)).toEqual({ balance: 100, held: 0, available: 100, used: 0 });
      expect(sim.tasks().filter((x) => x.external_task_id === res.body.task_id)).toEqual([]);
    } finally {
      await t.http().delete(`/api/admin/channels/${channel.id}`).set(bearer(admin.jwt)).expect(204);
    }
  });

  it('never lets two pollers claim the same task', async () => {
    sim.setBehavior({ completeAfterMs: 60_000 });
    const u = await fundedUser(t, 2000);
    await Promise.all(Array.from({ length: 20 }, (_, i) => submit(u, `lease ${i}`).expect(200)));
    await new Promise((r) => setTimeout(r, 150));
    const repo = t.app.get(VideoTaskRepository);
    const now = Date.now();
    const lanes = await repo.pollLanes();
    const [a, b] = await Promise.all([
      repo.claimDuePolls('replica-a', now, 15, 60_000, lanes),
      repo.claimDuePolls('replica-b', now, 15, 60_000, lanes),
    ]);
    const c = await repo.claimDuePolls('replica-c', now, 100, 60_000, lanes);
    const ids = [...a, ...b, ...c].map((x) => x.taskId);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.length).toBeGreaterThanOrEqual(20);
    // A lease that has not expired keeps the task away from everyone else.
    expect(await repo.claimDuePolls('replica-d', now, 100, 60_000, lanes)).toEqual([]);
    // An expired lease (a crashed replica) frees it again.
    const later = await repo.claimDuePolls('replica-c', now + 61_000, 100, 60_000, lanes);
    expect(later.length).toBeGreaterThanOrEqual(20);
  });
});

describe('reading a long-running task', () => {
  let sim: KlingSimulator;
  let t: TestApp;

  beforeAll(async () => {
    sim = await startKlingSimulator({
      behavior: { processingAfterMs: 600_000, completeAfterMs: 600_000, dropCallbacks: true },
    });
    sim.addKey('ak-read', 'sk-read');
    t = await startTestApp({ env: { JOBS_ENABLED: 'false', STALE_REFRESH_SECONDS: '2' } });
    await addChannel(t, { name: 'read', base_url: sim.url, key: 'ak-read|sk-read', models: ['kling-v1-6-std'] });
  });
  afterAll(async () => {
    await t.close();
    await sim.close();
  });

  it('asks Kling at most once per stale interval, however often its owner polls', async () => {
    const u = await fundedUser(t, 100);
    const res = await t
      .http()
      .post('/kling/v1/videos/text2video')
      .set(bearer(u.key))
      .send({ model: 'kling-v1-6-std', prompt: 'a long one' })
      .expect(200);
    const read = () => t.http().get(`/kling/v1/videos/${res.body.task_id}`).set(bearer(u.key)).expect(200);
    await new Promise((r) => setTimeout(r, 3000)); // stale now
    const before = sim.stats().queries;
    for (let i = 0; i < 5; i++) expect((await read()).body.status).toBe('submitted');
    expect(sim.stats().queries).toBe(before + 1);
    await new Promise((r) => setTimeout(r, 2100)); // stale again
    await read();
    expect(sim.stats().queries).toBe(before + 2);
  });
});
