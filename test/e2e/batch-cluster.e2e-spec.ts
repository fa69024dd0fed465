import request from 'supertest';
import { KieSimulator, startKieSimulator } from '../../tools/simulators/kie/kie-simulator';
import { TEST_ADMIN } from '../helpers/test-app';
import { buildApp, ReelayProcess, spawnReelay } from '../helpers/reelay-process';
import { FrontProxy, startFrontProxy } from '../helpers/front-proxy';
import { createTestDatabase, TestDatabase } from '../helpers/test-db';
import { waitFor } from '../helpers/wait';

// Two real Reelay processes on one database, behind one public address (a balancer), run one
// user's batches; one is killed with SIGKILL mid-batch and started again. Nothing is submitted
// twice, the user's limit holds across both processes, and every success is charged once.
describe('batch engine across processes', () => {
  let sim: KieSimulator;
  let db: TestDatabase;
  let front: FrontProxy;
  const procs: ReelayProcess[] = [];
  const live: string[] = [];

  beforeAll(async () => {
    buildApp(); // the processes run the built app
    // KIE retries a callback the balancer could not deliver (seed: 3 retries).
    sim = await startKieSimulator({
      behavior: { processingAfterMs: 50, completeAfterMs: 700, callbackRetries: 3, callbackRetryDelayMs: 500 },
    });
    sim.addKey('kie-cluster');
    db = await createTestDatabase();
    front = await startFrontProxy();
  }, 180_000);
  afterAll(async () => {
    // A healthy run logs no warnings or errors; when one fails, what the processes said is the clue.
    for (const p of procs) {
      const trouble = p
        .output()
        .split('\n')
        .filter((l) => /"level":(40|50|60)/.test(l));
      if (trouble.length > 0) process.stdout.write(`${trouble.join('\n').slice(0, 6000)}\n`);
    }
    for (const p of procs) p.kill();
    await front.close();
    await sim.close();
    await db.drop();
  });

  async function startReelay(): Promise<ReelayProcess> {
    const p = await spawnReelay(db.url, {
      SERVER_ADDRESS: front.url,
      BATCH_TIME_SCALE: '0.05', // 720p times out after 15 s: longer than a dead replica's poll lease
      BATCH_TICK_MS: '25',
      POLL_TICK_MS: '100',
      UPSTREAM_TIMEOUT_MS: '1000',
      UNKNOWN_GRACE_SECONDS: '5',
    });
    procs.push(p);
    live.push(p.url);
    front.setBackends(live);
    return p;
  }

  it('never submits an item twice, keeps the per-user limit, survives kill -9, and charges each success once', async () => {
    const a = await startReelay();
    const b = await startReelay();
    const admin = (await request(a.url).post('/api/auth/login').send(TEST_ADMIN).expect(200)).body
      .access_token as string;
    const auth = (t: string) => ({ Authorization: `Bearer ${t}` });
    await request(a.url)
      .post('/api/admin/channels')
      .set(auth(admin))
      .send({ name: 'kie', type: 'kie', base_url: sim.url, key: 'kie-cluster', models: ['sora-2', 'sora-2-pro'] })
      .expect(201);
    const reg = (
      await request(b.url)
        .post('/api/auth/register')
        .send({ email: 'cluster@example.test', password: 'lantern-orbit-52-violet' })
        .expect(201)
    ).body;
    await request(a.url)
      .patch(`/api/admin/users/${reg.user.id}`)
      .set(auth(admin))
      .send({ plan: 'pro_plus' })
      .expect(200);
    await request(a.url)
      .post(`/api/admin/users/${reg.user.id}/credits`)
      .set(auth(admin))
      .send({ amount: 1000, reason: 'cluster' })
      .expect(201);
    const user = reg.access_token as string;
    const rows = (n: number, tag: string) =>
      Array.from({ length: n }, (_, i) => ({
        prompt: `${tag} ${i}`,
        model: 'sora-2',
        resolution: '720p',
        duration: 10,
      }));
    const b1 = (
      await request(a.url)
        .post('/api/v1/workflow/batch-generate')
        .set(auth(user))
        .send({ rows: rows(25, 'a'), generationType: 'video' })
        .expect(201)
    ).body.id as string;
    const b2 = (
      await request(b.url)
        .post('/api/v1/workflow/batch-generate')
        .set(auth(user))
        .send({ rows: rows(25, 'b'), generationType: 'video' })
        .expect(201)
    ).body.id as string;

    // Kill process A mid-batch, without any chance to clean up, then start it again.
    await waitFor(() => Promise.resolve(sim.stats().creates >= 12), 30_000, 20);
    a.kill();
    live.splice(live.indexOf(a.url), 1);
    front.setBackends(live);
    await new Promise((r) => setTimeout(r, 500));
    const a2 = await startReelay();

    const status = async (url: string, id: string) =>
      (await request(url).get(`/api/v1/workflow/batches/${id}`).set(auth(user)).expect(200)).body;
    await waitFor(
      async () => (await status(a2.url, b1)).status === 'completed' && (await status(b.url, b2)).status === 'completed',
      90_000,
      300,
    );

    type Item = { idx: number; status: string; error: string | null };
    const withPrompt = (tag: string) => (i: Item) => ({ ...i, prompt: `${tag} ${i.idx}` });
    const all = [
      ...((await status(b.url, b1)).items as Item[]).map(withPrompt('a')),
      ...((await status(b.url, b2)).items as Item[]).map(withPrompt('b')),
    ];
    const upstreamPrompts = sim.tasks().map((x) => x.prompt);
    // A kill between recording an item's task and sending it leaves a task KIE never received
    // (KIE cannot be asked by our id): that item fails, uncharged, and is never sent twice. Only
    // the one item process A was sending can end so; every other item succeeds.
    const failed = all.filter((i) => i.status !== 'succeed');
    expect(failed.length).toBeLessThanOrEqual(1);
    for (const f of failed) {
      expect(f).toMatchObject({ status: 'failed', error: 'The upstream never received the task' });
      expect(upstreamPrompts).not.toContain(f.prompt);
    }
    const succeeded = all.length - failed.length;
    // Every upstream task belongs to exactly one item: nothing was submitted twice.
    expect(upstreamPrompts).toHaveLength(succeeded);
    expect(new Set(upstreamPrompts).size).toBe(succeeded);
    // pro_plus × 720p × 10 s: six at once, across both processes.
    expect(sim.stats().maxConcurrentByKey['kie-cluster']).toBeLessThanOrEqual(6);
    const bal = (await request(b.url).get('/api/billing/balance').set(auth(user)).expect(200)).body;
    expect(bal).toEqual({
      balance: 1000 - 15 * succeeded,
      held: 0,
      available: 1000 - 15 * succeeded,
      used: 15 * succeeded,
    });
    const recon = (await request(b.url).get('/api/admin/billing/reconciliation').set(auth(admin)).expect(200)).body;
    expect(recon.mismatches).toEqual([]);
  });
});
