import { KieSimulator, startKieSimulator } from '../../tools/simulators/kie/kie-simulator';
import { expectErrorShape } from '../helpers/error-shape';
import { bearer, loginAdmin, TestUser } from '../helpers/factories';
import { fundedUser, FundedUser } from '../helpers/relay';
import { startTestApp, TestApp } from '../helpers/test-app';

interface Timeline {
  item_idx: number | null;
  status: string;
  detail: string | null;
  at_ms: number;
}

// Operators read every user's batches and one batch's timeline. Jobs are off: a batch moves only
// when its owner pauses or cancels it, so the timeline is exactly what the test did.
describe('admin batches', () => {
  let t: TestApp;
  let sim: KieSimulator;
  let admin: TestUser;

  beforeAll(async () => {
    sim = await startKieSimulator({ behavior: { processingAfterMs: 20, completeAfterMs: 80 } });
    sim.addKey('kie-admin-batches');
    t = await startTestApp({ env: { JOBS_ENABLED: 'false', OUTBOUND_ALLOW_HOSTS: '127.0.0.1' } });
    admin = await loginAdmin(t);
    await t
      .http()
      .post('/api/admin/channels')
      .set(bearer(admin.jwt))
      .send({ name: 'kie', type: 'kie', base_url: sim.url, key: 'kie-admin-batches', models: ['sora-2'] })
      .expect(201);
  });
  afterAll(async () => {
    await t.close();
    await sim.close();
  });

  const get = (jwt: string, p: string) => t.http().get(p).set(bearer(jwt));
  async function batchOf(u: FundedUser, prompts: string[]): Promise<string> {
    const res = await t
      .http()
      .post('/api/v1/workflow/batch-generate')
      .set(bearer(u.key))
      .send({ rows: prompts.map((prompt) => ({ prompt })), generationType: 'video' })
      .expect(201);
    return res.body.id as string;
  }

  it("lists every user's batches with their owner, filtered by user and status", async () => {
    const a = await fundedUser(t, 500, 'batcher');
    const b = await fundedUser(t, 500, 'batcher');
    const ofA = await batchOf(a, ['a fox', 'a wave']);
    const ofB = await batchOf(b, ['a cat']);
    await t.http().post(`/api/v1/workflow/batches/${ofB}/pause`).set(bearer(b.key)).expect(200);

    const listA = (await get(admin.jwt, `/api/admin/batches?user_id=${a.id}`).expect(200)).body;
    expect(listA.total).toBe(1);
    expect(listA.items[0]).toMatchObject({
      id: ofA,
      user_id: a.id,
      status: 'running',
      total: 2,
      counts: { queued: 2 },
    });
    const paused = (await get(admin.jwt, `/api/admin/batches?status=paused&user_id=${b.id}`).expect(200)).body;
    expect(paused.items.map((x: { id: string }) => x.id)).toEqual([ofB]);
    expect((await get(admin.jwt, `/api/admin/batches?status=paused&user_id=${a.id}`).expect(200)).body.total).toBe(0);
    expect((await get(admin.jwt, '/api/admin/batches?page_size=1').expect(200)).body.items).toHaveLength(1);
  });

  it('shows one batch with its items, owner and the timeline of its status changes, oldest first', async () => {
    const u = await fundedUser(t, 500, 'timeline');
    const id = await batchOf(u, ['a fox', 'a wave']);
    await t.http().post(`/api/v1/workflow/batches/${id}/pause`).set(bearer(u.key)).expect(200);
    await t.http().post(`/api/v1/workflow/batches/${id}/cancel`).set(bearer(u.key)).expect(200);

    const d = (await get(admin.jwt, `/api/admin/batches/${id}`).expect(200)).body;
    expect(d).toMatchObject({ id, user_id: u.id, status: 'cancelled', total: 2 });
    expect(d.items.map((i: { status: string }) => i.status)).toEqual(['cancelled', 'cancelled']);
    const steps = (d.timeline as Timeline[]).map((e) => [e.item_idx, e.status]);
    expect(steps).toEqual([
      [null, 'created'],
      [null, 'paused'],
      [0, 'cancelled'],
      [1, 'cancelled'],
      [null, 'cancelling'],
    ]);
    expect(d.timeline[0].detail).toBe('2 items');
    const times = (d.timeline as Timeline[]).map((e) => e.at_ms);
    expect([...times].sort((x, y) => x - y)).toEqual(times);
  });

  it("cannot be read by a non-admin, not even the batch's owner (403), and answers 404 for an unknown batch", async () => {
    const u = await fundedUser(t, 500, 'owner');
    const id = await batchOf(u, ['a fox']);
    expectErrorShape((await get(u.jwt, '/api/admin/batches').expect(403)).body, 'forbidden');
    await get(u.jwt, `/api/admin/batches/${id}`).expect(403);
    await t.http().get('/api/admin/batches').expect(401);
    expectErrorShape((await get(admin.jwt, '/api/admin/batches/batch_missing').expect(404)).body, 'not_found');
  });

  it('names the field of a bad filter', async () => {
    for (const [query, field] of [
      ['user_id=x', 'user_id'],
      ['status=done', 'status'],
      ['page=0', 'page'],
    ]) {
      const res = await get(admin.jwt, `/api/admin/batches?${query}`).expect(400);
      expectErrorShape(res.body);
      expect(res.body.error.details[0].field).toBe(field);
    }
  });
});
