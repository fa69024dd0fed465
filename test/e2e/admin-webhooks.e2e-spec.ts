import { WebhookDispatcher } from '../../src/webhooks/webhook-dispatcher.service';
import { expectErrorShape } from '../helpers/error-shape';
import { bearer, loginAdmin, registerUser, TestUser } from '../helpers/factories';
import { startTestApp, TestApp } from '../helpers/test-app';
import { WebhookReceiver } from '../helpers/webhook-receiver';

interface Delivery {
  id: string;
  user_id: number;
  endpoint_id: string;
  url: string | null;
  status: string;
  attempts: number;
  event_type: string;
  event_id: string;
}

// Operators read every user's webhook deliveries and send one again; jobs are off, so a
// delivery moves only when the test runs a dispatch round.
describe('admin webhook deliveries', () => {
  let t: TestApp;
  let rx: WebhookReceiver;
  let admin: TestUser;

  beforeAll(async () => {
    rx = await new WebhookReceiver().start();
    t = await startTestApp({ env: { JOBS_ENABLED: 'false', OUTBOUND_ALLOW_HOSTS: '127.0.0.1' } });
    admin = await loginAdmin(t);
  });
  afterAll(async () => {
    await t.close();
    await rx.close();
  });

  const as = (u: TestUser) => ({
    post: (p: string, body: object = {}) => t.http().post(p).set(bearer(u.jwt)).send(body),
    get: (p: string) => t.http().get(p).set(bearer(u.jwt)),
  });
  // A user with an endpoint and one test delivery queued to it.
  async function userWithDelivery(path: string) {
    const u = await registerUser(t);
    const e = (
      await as(u)
        .post('/api/webhooks', { url: `${rx.url}${path}` })
        .expect(201)
    ).body as { id: string };
    const d = (await as(u).post(`/api/webhooks/${e.id}/test`).expect(202)).body as Delivery;
    return { u, endpointId: e.id, deliveryId: d.id };
  }
  const listed = async (query: string) =>
    (await as(admin).get(`/api/admin/webhooks/deliveries?${query}`).expect(200)).body as {
      items: Delivery[];
      total: number;
    };

  it("lists every user's deliveries with the endpoint's URL, filtered by user, endpoint, status and event type", async () => {
    const a = await userWithDelivery('/a');
    const b = await userWithDelivery('/b');

    const ofA = await listed(`user_id=${a.u.id}`);
    expect(ofA.total).toBe(1);
    expect(ofA.items[0]).toMatchObject({
      id: a.deliveryId,
      user_id: a.u.id,
      endpoint_id: a.endpointId,
      url: `${rx.url}/a`,
      status: 'pending',
      event_type: 'webhook.test',
    });
    expect((await listed(`endpoint_id=${b.endpointId}`)).items.map((d) => d.id)).toEqual([b.deliveryId]);
    expect((await listed(`user_id=${a.u.id}&status=delivered`)).total).toBe(0);
    expect((await listed(`user_id=${a.u.id}&event_type=video.completed`)).total).toBe(0);
    expect((await listed(`user_id=${b.u.id}&event_type=webhook.test&status=pending`)).total).toBe(1);
    const page = await listed('page=1&page_size=1');
    expect(page.items).toHaveLength(1);
    expect(page.total).toBeGreaterThanOrEqual(2);
  });

  it('redelivers a delivered one with the same event id, audited once; replaying the request changes nothing', async () => {
    const a = await userWithDelivery('/again');
    await t.app.get(WebhookDispatcher).runDue();
    expect((await listed(`user_id=${a.u.id}`)).items[0]).toMatchObject({ status: 'delivered', attempts: 1 });

    const first = await as(admin).post(`/api/admin/webhooks/deliveries/${a.deliveryId}/redeliver`).expect(202);
    expect(first.body).toMatchObject({ id: a.deliveryId, status: 'pending', attempts: 0, user_id: a.u.id });
    const replay = await as(admin).post(`/api/admin/webhooks/deliveries/${a.deliveryId}/redeliver`).expect(202);
    expect(replay.body).toEqual(first.body);

    const audit = await as(admin)
      .get(`/api/admin/audit?action=webhook_delivery.redeliver&target_id=${a.deliveryId}`)
      .expect(200);
    expect(audit.body.total).toBe(1);
    expect(audit.body.items[0]).toMatchObject({
      actor_id: admin.id,
      target_type: 'webhook_delivery',
      before: { status: 'delivered', attempts: 1 },
      after: { status: 'pending', attempts: 0 },
    });

    await t.app.get(WebhookDispatcher).runDue();
    const sent = rx.at('/again');
    expect(sent).toHaveLength(2);
    expect(sent[1].id).toBe(sent[0].id);
  });

  it('cannot be used by a non-admin: 403 for the list and the redeliver, and the delivery is untouched', async () => {
    const a = await userWithDelivery('/private');
    const other = await registerUser(t);
    expectErrorShape((await as(other).get('/api/admin/webhooks/deliveries').expect(403)).body, 'forbidden');
    await as(a.u).get(`/api/admin/webhooks/deliveries?user_id=${a.u.id}`).expect(403);
    await as(other).post(`/api/admin/webhooks/deliveries/${a.deliveryId}/redeliver`).expect(403);
    await t.http().get('/api/admin/webhooks/deliveries').expect(401);
    const audit = await as(admin).get(`/api/admin/audit?target_id=${a.deliveryId}`).expect(200);
    expect(audit.body.total).toBe(0);
  });

  it('names the field of a bad filter, and answers 404 for an unknown delivery', async () => {
    const cases: Array<[string, string]> = [
      ['user_id=abc', 'user_id'],
      ['user_id=0', 'user_id'],
      ['endpoint_id=nope', 'endpoint_id'],
      ['status=sent', 'status'],
      ['event_type=video.started', 'event_type'],
      ['page_size=500', 'page_size'],
    ];
    for (const [query, field] of cases) {
      const res = await as(admin).get(`/api/admin/webhooks/deliveries?${query}`).expect(400);
      expectErrorShape(res.body);
      expect(res.body.error.details[0].field).toBe(field);
    }
    const missing = await as(admin).post('/api/admin/webhooks/deliveries/dlv_missing/redeliver').expect(404);
    expectErrorShape(missing.body, 'not_found');
  });
});
