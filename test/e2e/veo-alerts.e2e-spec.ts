import { createHmac } from 'node:crypto';
import { createServer, IncomingMessage, Server } from 'node:http';
import { QuotasService } from '../../src/quotas/quotas.service';
import { Db } from '../../src/common/database/db.service';
import { startVivaSimulator, VivaSimulator } from '../../tools/simulators/viva/viva-simulator';
import { expectErrorShape } from '../helpers/error-shape';
import { bearer, loginAdmin } from '../helpers/factories';
import { addChannel, fundedUser, FundedUser } from '../helpers/relay';
import { freePort } from '../../tools/common/http-client';
import { startTestApp, TestApp } from '../helpers/test-app';
import { waitFor } from '../helpers/wait';

const WEBHOOK_SECRET = 'alert-webhook-secret-for-tests';

interface Received {
  headers: IncomingMessage['headers'];
  body: string;
}

describe('Veo through VivaAPI, provider quotas and alerts', () => {
  let sim: VivaSimulator;
  let t: TestApp;
  let receiver: Server;
  const received: Received[] = [];
  let failWebhook = 0;

  beforeAll(async () => {
    sim = await startVivaSimulator({ behavior: { processingAfterMs: 20, completeAfterMs: 80 } });
    sim.addKey('sk-viva-master');
    const port = await freePort();
    receiver = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        if (failWebhook > 0) {
          failWebhook--;
          res.writeHead(500).end();
          return;
        }
        received.push({ headers: req.headers, body });
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((r) => receiver.listen(port, '127.0.0.1', r));
    t = await startTestApp({
      env: {
        POLL_TICK_MS: '100',
        POLL_SCHEDULE_MS: '0:150',
        ALERT_WEBHOOK_URL: `http://127.0.0.1:${port}/alerts`,
        ALERT_WEBHOOK_SECRET: WEBHOOK_SECRET,
        VIVA_MASTER_QUOTA: '100000',
        ALERT_REFILL_THRESHOLD: '0',
      },
    });
    await addChannel(t, { name: 'viva', type: 'viva', base_url: sim.url, key: 'sk-viva-master', models: ['veo3'] });
  });
  afterAll(async () => {
    await t.close();
    await sim.close();
    receiver.close();
  });

  const generate = (u: FundedUser, prompt: string) =>
    t.http().post('/api/generate/video').set(bearer(u.key)).send({ prompt, aspect_ratio: '16:9' });
  const waitDone = (u: FundedUser, taskId: string) =>
    waitFor(async () => {
      const r = await t.http().get(`/api/generate/video/${taskId}`).set(bearer(u.key)).expect(200);
      return ['succeed', 'failed'].includes(r.body.status) ? r.body : null;
    });
  const balance = async (u: FundedUser) =>
    (await t.http().get('/api/billing/balance').set(bearer(u.jwt)).expect(200)).body;
  const quota = async (u: FundedUser) =>
    (await t.http().get('/api/quotas/me').set(bearer(u.jwt)).expect(200)).body.items;
  const addQuota = (u: FundedUser, credits: number) =>
    t.app.get(Db).tx((em) => t.app.get(QuotasService).addQuota(em, u.id, 'viva', credits * 1000));

  it('charges 15 credits once for a succeeded video and adds it to the VivaAPI quota used', async () => {
    const u = await fundedUser(t, 100);
    await addQuota(u, 50);
    const res = await generate(u, 'a paper boat').expect(200);
    expect(res.body).toMatchObject({ task_id: expect.stringMatching(/^veo_/), status: 'submitted', credits: 15 });
    expect(await balance(u)).toMatchObject({ held: 15 });
    const done = await waitDone(u, res.body.task_id);
    expect(done).toMatchObject({ status: 'succeed', video_url: expect.stringMatching(/^https:\/\/sim\.vivaapi/) });
    expect(await balance(u)).toEqual({ balance: 85, held: 0, available: 85, used: 15 });
    expect(await quota(u)).toEqual([
      { provider: 'viva', quota: 50, used: 15, remaining: 35, percent: 30, dedicated_key: false },
    ]);
    // Sent with the channel's master key.
    expect(sim.calls().find((c) => c.method === 'POST')?.key).toBe('sk-viva-master');
  });

  it('charges nothing for a failed video and leaves the quota untouched', async () => {
    const u = await fundedUser(t, 100);
    await addQuota(u, 50);
    const res = await generate(u, 'SIM_FAIL please').expect(200);
    const done = await waitDone(u, res.body.task_id);
    expect(done).toMatchObject({ status: 'failed', fail_reason: expect.stringMatching(/content policy/) });
    expect(await balance(u)).toEqual({ balance: 100, held: 0, available: 100, used: 0 });
    expect((await quota(u))[0]).toMatchObject({ used: 0 });
  });

  it('uses an enterprise user’s dedicated key when an admin set one', async () => {
    sim.addKey('sk-viva-dedicated');
    const u = await fundedUser(t, 100);
    const admin = await loginAdmin(t);
    await t
      .http()
      .put(`/api/admin/users/${u.id}/quotas`)
      .set(bearer(admin.jwt))
      .send({ provider: 'viva', api_key: 'sk-viva-dedicated' })
      .expect(200);
    const res = await generate(u, 'with my own key').expect(200);
    await waitDone(u, res.body.task_id);
    const create = sim
      .calls()
      .filter((c) => c.method === 'POST')
      .pop();
    expect(create?.key).toBe('sk-viva-dedicated');
    expect((await quota(u))[0]).toMatchObject({ dedicated_key: true });
    expect(JSON.stringify(await quota(u))).not.toContain('sk-viva-dedicated');
  });

  it('raises one alert when a user passes 80 % of their quota, delivers it signed, and none on the next run', async () => {
    const admin = await loginAdmin(t);
    const u = await fundedUser(t, 100);
    await addQuota(u, 50);
    for (const p of ['one', 'two', 'three'])
      await waitDone(u, (await generate(u, p).expect(200)).body.task_id as string);
    expect((await quota(u))[0]).toMatchObject({ used: 45, percent: 90 });

    failWebhook = 1; // the first delivery fails and is retried
    const first = await t.http().post('/api/admin/alerts/run').set(bearer(admin.jwt)).expect(200);
    const mine = first.body.raised.filter((a: { subject: string }) => a.subject === `user:${u.id}`);
    expect(mine).toEqual([
      expect.objectContaining({ kind: 'user_quota_high', details: { user_id: u.id, quota: 50, used: 45 } }),
    ]);
    await waitFor(
      async () => {
        await t.http().post('/api/admin/alerts/run').set(bearer(admin.jwt)).expect(200);
        return received.some((r) => (JSON.parse(r.body) as { subject: string }).subject === `user:${u.id}`);
      },
      15_000,
      500,
    );
    const delivery = received.find((r) => (JSON.parse(r.body) as { subject: string }).subject === `user:${u.id}`)!;
    const expected = createHmac('sha256', WEBHOOK_SECRET)
      .update(`${String(delivery.headers['x-reelay-timestamp'])}.${delivery.body}`)
      .digest('hex');
    expect(delivery.headers['x-reelay-signature']).toBe(`sha256=${expected}`);

    const again = await t.http().post('/api/admin/alerts/run').set(bearer(admin.jwt)).expect(200);
    expect(again.body.raised.filter((a: { subject: string }) => a.subject === `user:${u.id}`)).toEqual([]);
    const listed = await t.http().get('/api/admin/alerts').set(bearer(admin.jwt)).expect(200);
    expect(listed.body.items.filter((a: { subject: string }) => a.subject === `user:${u.id}`)).toEqual([
      expect.objectContaining({ delivered_at: expect.any(Number), attempts: 2 }),
    ]);

    // Back below 80 % re-arms it; crossing again raises a new one.
    await addQuota(u, 100);
    await t.http().post('/api/admin/alerts/run').set(bearer(admin.jwt)).expect(200);
    const notAdmin = await t.http().post('/api/admin/alerts/run').set(bearer(u.jwt)).expect(403);
    expectErrorShape(notAdmin.body, 'forbidden');
  });
});
