import { randomBytes } from 'node:crypto';
import { KieSimulator, startKieSimulator } from '../../tools/simulators/kie/kie-simulator';
import { KlingSimulator, startKlingSimulator } from '../../tools/simulators/kling/kling-simulator';
import { bearer, loginAdmin } from '../helpers/factories';
import { parsePrometheus, Series, sumOf } from '../helpers/prometheus';
import { addChannel, fundedUser, FundedUser } from '../helpers/relay';
import { startTestApp, TestApp } from '../helpers/test-app';
import { waitFor } from '../helpers/wait';
import { WebhookReceiver } from '../helpers/webhook-receiver';

const TOKEN = 'metrics-token-workload-0123456789';

// #14: /metrics after a scripted workload through the real paths — submits, callbacks, a task
// settled by polling, a timeout, a batch, a webhook and stored copies — has each family with the
// expected labels and counts, and its label sets stay bounded however many tasks there are.
describe('metrics after a real workload', () => {
  let kling: KlingSimulator;
  let kie: KieSimulator;
  let rx: WebhookReceiver;
  let t: TestApp;
  let u: FundedUser;

  beforeAll(async () => {
    const media = { serve: true, bytes: 10_000 };
    kling = await startKlingSimulator({ behavior: { processingAfterMs: 30, completeAfterMs: 200 }, media });
    kie = await startKieSimulator({ behavior: { processingAfterMs: 30, completeAfterMs: 200 }, media });
    kling.addKey('ak-m', 'sk-m');
    kie.addKey('kie-m');
    rx = await new WebhookReceiver().start();
    t = await startTestApp({
      env: {
        METRICS_TOKEN: TOKEN,
        POLL_TICK_MS: '100',
        // The first poll comes 1.5 s after acceptance, well after the callbacks (~200 ms): with 0:300
        // a loaded CI machine once let a poll settle a task meant for its callback (callback 2, poll 2).
        POLL_SCHEDULE_MS: '0:1500',
        TASK_TIMEOUT_SECONDS: '3',
        BATCH_TIME_SCALE: '0.01',
        BATCH_TICK_MS: '25',
        MEDIA_COPY_TICK_MS: '100',
        WEBHOOK_TICK_MS: '100',
      },
    });
    await addChannel(t, { base_url: kling.url, key: 'ak-m|sk-m', models: ['kling-v1-6-std'] });
    const admin = await loginAdmin(t);
    await t
      .http()
      .post('/api/admin/channels')
      .set(bearer(admin.jwt))
      .send({ name: 'kie', type: 'kie', base_url: kie.url, key: 'kie-m', models: ['sora-2'] })
      .expect(201);
    u = await fundedUser(t, 1000, 'metered');
    await t
      .http()
      .post('/api/webhooks')
      .set(bearer(u.jwt))
      .send({ url: `${rx.url}/hook`, events: ['video.completed', 'video.failed'] })
      .expect(201);
  });
  afterAll(async () => {
    await t.close();
    await Promise.all([kling.close(), kie.close(), rx.close()]);
  });

  const scrape = async (): Promise<Series[]> =>
    parsePrometheus((await t.http().get('/metrics').set(bearer(TOKEN)).expect(200)).text);
  const submit = (prompt: string) =>
    t.http().post('/kling/v1/videos/text2video').set(bearer(u.key)).send({ model: 'kling-v1-6-std', prompt });
  const statusOf = async (id: string) =>
    (await t.http().get(`/kling/v1/videos/${id}`).set(bearer(u.key)).expect(200)).body.status as string;
  const finished = (id: string) => waitFor(async () => ['succeed', 'failed'].includes(await statusOf(id)), 15_000, 100);

  it('counts every family of the workload, with bounded labels', async () => {
    // Three tasks finished by Kling's callbacks.
    const viaCallback = await Promise.all([1, 2, 3].map((i) => submit(`callback ${i}`).expect(200)));
    for (const r of viaCallback) await finished(r.body.task_id);
    // One finished by polling (callbacks dropped), one that never finishes and times out.
    kling.setBehavior({ dropCallbacks: true });
    const viaPoll = (await submit('polled').expect(200)).body.task_id as string;
    await finished(viaPoll);
    kling.setBehavior({ completeAfterMs: 600_000, processingAfterMs: 600_000 });
    const timedOut = (await submit('too slow').expect(200)).body.task_id as string;
    await finished(timedOut);
    kling.setBehavior({ dropCallbacks: false, completeAfterMs: 200, processingAfterMs: 30 });
    // A batch of two Sora rows.
    const batch = await t
      .http()
      .post('/api/v1/workflow/batch-generate')
      .set(bearer(u.key))
      .send({ rows: [{ prompt: 'b1' }, { prompt: 'b2' }], generationType: 'video' })
      .expect(201);
    await waitFor(async () => {
      const d = await t.http().get(`/api/v1/workflow/batches/${batch.body.id}`).set(bearer(u.key)).expect(200);
      return d.body.status === 'completed';
    }, 20_000);
    // The webhooks and the stored copies go out after the tasks end.
    await waitFor(() => Promise.resolve(rx.at('/hook').length >= 5), 15_000);

    const m = await waitFor(async () => {
      const s = await scrape();
      return sumOf(s, 'reelay_media_copies_total', { outcome: 'stored' }) >= 6 ? s : null;
    }, 15_000);
    expect(sumOf(m, 'reelay_tasks_created_total', { provider: 'kling', outcome: 'accepted' })).toBe(5);
    expect(sumOf(m, 'reelay_tasks_created_total', { provider: 'kie', outcome: 'accepted' })).toBe(2);
    const finishedBy = (settled_by: string, outcome: string) =>
      sumOf(m, 'reelay_tasks_finished_total', { provider: 'kling', settled_by, outcome });
    expect(finishedBy('callback', 'succeeded')).toBe(3);
    expect(finishedBy('poll', 'succeeded')).toBe(1);
    expect(finishedBy('timeout', 'failed')).toBe(1);
    expect(sumOf(m, 'reelay_tasks_finished_total', { provider: 'kie', outcome: 'succeeded' })).toBe(2);
    expect(sumOf(m, 'reelay_task_duration_seconds_count', { provider: 'kling' })).toBe(5);
    expect(sumOf(m, 'reelay_callbacks_total', { provider: 'kling', outcome: 'accepted' })).toBeGreaterThanOrEqual(3);
    expect(sumOf(m, 'reelay_poll_lag_seconds_count', { provider: 'kling' })).toBeGreaterThan(0);
    expect(sumOf(m, 'reelay_upstream_request_duration_seconds_count', { provider: 'kling', operation: 'submit' })).toBe(
      5,
    );
    expect(sumOf(m, 'reelay_upstream_request_duration_seconds_count', { provider: 'kie', operation: 'submit' })).toBe(
      2,
    );
    expect(sumOf(m, 'reelay_tasks_in_flight', { provider: 'kling' })).toBe(0);
    expect(sumOf(m, 'reelay_batch_items_finished_total', { outcome: 'succeeded' })).toBe(2);
    expect(sumOf(m, 'reelay_batch_items', { status: 'succeed' })).toBe(2);
    expect(sumOf(m, 'reelay_batch_concurrency_limit', { plan: 'free' })).toBe(1);
    expect(sumOf(m, 'reelay_webhook_deliveries_total', { outcome: 'delivered' })).toBeGreaterThanOrEqual(5);
    // Credits: 5 Kling holds (72 each) and 2 Sora holds (15 each); 4 + 2 captured, 1 released.
    expect(sumOf(m, 'reelay_credits_total', { movement: 'held' })).toBe(5 * 72 + 2 * 15);
    expect(sumOf(m, 'reelay_credits_total', { movement: 'captured' })).toBe(4 * 72 + 2 * 15);
    expect(sumOf(m, 'reelay_credits_total', { movement: 'released' })).toBe(72);
  });

  it('keeps label sets bounded after 1,000 tasks: no task or user id in any label', async () => {
    const ids = Array.from({ length: 1000 }, () => `kling_${randomBytes(12).toString('hex')}`);
    for (let i = 0; i < ids.length; i += 100) {
      await Promise.all(
        ids.slice(i, i + 100).map((id) => t.http().post(`/kling/callback/${id}?token=wrong`).send({}).expect(401)),
      );
    }
    const res = await t.http().get('/metrics').set(bearer(TOKEN)).expect(200);
    for (const id of ids.slice(0, 50)) expect(res.text).not.toContain(id);
    const series = parsePrometheus(res.text);
    expect(sumOf(series, 'reelay_callbacks_total', { provider: 'kling', outcome: 'rejected' })).toBe(1000);
    expect(series.filter((s) => s.name === 'reelay_callbacks_total').length).toBeLessThanOrEqual(9);
    expect(series.filter((s) => s.name.startsWith('reelay_http_request_duration_seconds_count')).length).toBeLessThan(
      60,
    );
    await t.http().get('/metrics').expect(401);
  });
});
