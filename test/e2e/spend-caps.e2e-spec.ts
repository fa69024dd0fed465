import { KlingSimulator, startKlingSimulator } from '../../tools/simulators/kling/kling-simulator';
import { expectErrorShape } from '../helpers/error-shape';
import { bearer } from '../helpers/factories';
import { addChannel, fundedUser } from '../helpers/relay';
import { startTestApp, TestApp } from '../helpers/test-app';
import { waitFor } from '../helpers/wait';

const PRICE = 72; // kling-v1-6-std, 5 s, 16:9

// #14: a key may carry spending caps; a submit whose hold would pass one is refused, atomically
// with the hold, however many arrive at once.
describe('spending caps per API key', () => {
  let sim: KlingSimulator;
  let t: TestApp;

  beforeAll(async () => {
    sim = await startKlingSimulator({ behavior: { processingAfterMs: 30, completeAfterMs: 150 } });
    sim.addKey('ak-cap', 'sk-cap');
    t = await startTestApp({ env: { POLL_TICK_MS: '100', POLL_SCHEDULE_MS: '0:300' } });
    await addChannel(t, { base_url: sim.url, key: 'ak-cap|sk-cap', models: ['kling-v1-6-std'] });
  });
  afterAll(async () => {
    await t.close();
    await sim.close();
  });

  const submit = (key: string, prompt = 'capped') =>
    t.http().post('/kling/v1/videos/text2video').set(bearer(key)).send({ model: 'kling-v1-6-std', prompt });

  it('50 concurrent submits on a key capped at 5 videos a day hold at most 5; the rest get 402 spend_cap_exceeded', async () => {
    const u = await fundedUser(t, 10_000, 'capped');
    const key = (
      await t
        .http()
        .post('/api/tokens')
        .set(bearer(u.jwt))
        .send({ name: 'capped', credits_per_day: 5 * PRICE })
        .expect(201)
    ).body;
    expect(key).toMatchObject({ credits_per_day: 5 * PRICE, credits_per_month: null, spent_today: 0 });
    const results = await Promise.all(Array.from({ length: 50 }, (_, i) => submit(key.key, `capped ${i}`)));
    expect(results.filter((r) => r.status === 200)).toHaveLength(5);
    const refused = results.filter((r) => r.status !== 200);
    expect(refused.map((r) => r.status)).toEqual(Array(45).fill(402));
    expectErrorShape(refused[0].body, 'spend_cap_exceeded');
    const balance = (await t.http().get('/api/billing/balance').set(bearer(u.jwt)).expect(200)).body;
    expect(balance.held + balance.used).toBe(5 * PRICE);
    // The user's other keys (and their session) are not capped by it.
    expect((await submit(u.key, 'uncapped')).status).toBe(200);
    const listed = (await t.http().get('/api/tokens').set(bearer(u.jwt)).expect(200)).body.items;
    expect(listed.find((k: { id: number }) => k.id === key.id)).toMatchObject({ spent_today: 5 * PRICE });
  });

  it('a failed video gives its share back; caps can be raised, removed, and are only the owner’s to change', async () => {
    const u = await fundedUser(t, 10_000, 'cap-edit');
    const key = (
      await t
        .http()
        .post('/api/tokens')
        .set(bearer(u.jwt))
        .send({ name: 'one a month', credits_per_month: PRICE })
        .expect(201)
    ).body;
    const failing = await submit(key.key, 'this one SIM_FAIL').expect(200);
    await waitFor(async () => {
      const r = await t.http().get(`/kling/v1/videos/${failing.body.task_id}`).set(bearer(key.key)).expect(200);
      return r.body.status === 'failed';
    });
    await submit(key.key, 'fits again').expect(200); // the failure's share came back
    expectErrorShape((await submit(key.key, 'too many').expect(402)).body, 'spend_cap_exceeded');

    const other = await fundedUser(t, 0, 'cap-thief');
    await t.http().patch(`/api/tokens/${key.id}`).set(bearer(other.jwt)).send({ credits_per_month: null }).expect(404);
    const raised = await t
      .http()
      .patch(`/api/tokens/${key.id}`)
      .set(bearer(u.jwt))
      .send({ credits_per_month: 3 * PRICE })
      .expect(200);
    expect(raised.body).toMatchObject({ credits_per_month: 3 * PRICE, spent_this_month: PRICE });
    await submit(key.key, 'after raise').expect(200);
    const bad = await t
      .http()
      .patch(`/api/tokens/${key.id}`)
      .set(bearer(u.jwt))
      .send({ credits_per_day: -1 })
      .expect(400);
    expect(bad.body.error.details[0].field).toBe('credits_per_day');
    await t.http().patch(`/api/tokens/${key.id}`).set(bearer(u.jwt)).send({ credits_per_month: null }).expect(200);
    await submit(key.key, 'no cap now').expect(200);
  });
});
