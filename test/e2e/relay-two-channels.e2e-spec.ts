import { DataSource } from 'typeorm';
import { ReconciliationService } from '../../src/billing/reconciliation.service';
import { CallbackUrls } from '../../src/relay/core/callback-urls';
import { KieSimulator, startKieSimulator } from '../../tools/simulators/kie/kie-simulator';
import {
  KIE_WEBHOOK_SIGNATURE_HEADER,
  KIE_WEBHOOK_TIMESTAMP_HEADER,
  signKieWebhook,
} from '../../tools/simulators/kie/kie-webhook';
import { KlingSimulator, startKlingSimulator } from '../../tools/simulators/kling/kling-simulator';
import { startVivaSimulator, VivaSimulator } from '../../tools/simulators/viva/viva-simulator';
import { bearer, loginAdmin } from '../helpers/factories';
import { parsePrometheus, sumOf } from '../helpers/prometheus';
import { fundedUser, FundedUser } from '../helpers/relay';
import { startTestApp, TestApp } from '../helpers/test-app';
import { waitFor } from '../helpers/wait';

interface TaskRow {
  task_id: string;
  channel_id: number | string;
  upstream_task_id: string | null;
  status: string;
}

const METRICS_TOKEN = 'metrics-token-two-channels';

// #10's money leak: with two channels of equal priority per provider, each with its own key (and
// webhook key where the provider signs), every video the upstream made is a succeeded task on the
// channel whose account made it, charged exactly once — and nothing waits for a timeout.
describe('relay over two channels of equal priority', () => {
  let kling: KlingSimulator;
  let kie: KieSimulator;
  let viva: VivaSimulator;
  let t: TestApp;
  let ds: DataSource;
  const channelKey = new Map<number, string>(); // channel id → the upstream key it carries

  beforeAll(async () => {
    const fast = { processingAfterMs: 30, completeAfterMs: 300 };
    [kling, kie, viva] = await Promise.all([
      startKlingSimulator({ behavior: fast }),
      startKieSimulator({ behavior: fast }),
      startVivaSimulator({ behavior: fast }),
    ]);
    // Channel A takes few tasks at once, so some creates fail over from A to B.
    kling.addKey('ak-a', 'sk-a', { concurrency: 3 });
    kling.addKey('ak-b', 'sk-b');
    kie.addKey('kie-a', { webhookKey: 'whk-key-a', concurrency: 3 });
    kie.addKey('kie-b', { webhookKey: 'whk-key-b' });
    viva.addKey('viva-a', { ratePerSecond: 4 });
    viva.addKey('viva-b');
    t = await startTestApp({
      env: {
        POLL_TICK_MS: '100',
        POLL_SCHEDULE_MS: '0:1000',
        UPSTREAM_TIMEOUT_MS: '3000',
        BATCH_TIME_SCALE: '0.05', // a 720p item times out after 15 s: a leaked item would sit that long
        BATCH_TICK_MS: '25',
        METRICS_TOKEN: METRICS_TOKEN,
      },
    });
    ds = t.app.get(DataSource);
    const add = async (type: string, name: string, key: string, models: string[], webhookKey?: string) => {
      const admin = await loginAdmin(t);
      const body = { name, type, key, models, priority: 5, weight: 1, webhook_key: webhookKey };
      const url = { kling: kling.url, kie: kie.url, viva: viva.url }[type] as string;
      const res = await t
        .http()
        .post('/api/admin/channels')
        .set(bearer(admin.jwt))
        .send({ ...body, base_url: url });
      expect([res.status, res.body]).toEqual([201, expect.objectContaining({ id: expect.any(Number) })]);
      channelKey.set(res.body.id as number, key);
    };
    await add('kling', 'kling-a', 'ak-a|sk-a', ['kling-v1-6-std']);
    await add('kling', 'kling-b', 'ak-b|sk-b', ['kling-v1-6-std']);
    await add('kie', 'kie-a', 'kie-a', ['sora-2', 'sora-2-pro'], 'whk-key-a');
    await add('kie', 'kie-b', 'kie-b', ['sora-2', 'sora-2-pro'], 'whk-key-b');
    await add('viva', 'viva-a', 'viva-a', ['veo3']);
    await add('viva', 'viva-b', 'viva-b', ['veo3']);
  });
  afterAll(async () => {
    await t.close();
    await Promise.all([kling.close(), kie.close(), viva.close()]);
  });

  const tasksOf = (u: FundedUser): Promise<TaskRow[]> =>
    ds.query('SELECT task_id, channel_id, upstream_task_id, status FROM videos WHERE user_id = ?', [u.id]);
  const captures = async (refType: string, refIds: string[]): Promise<Map<string, number>> => {
    const rows: Array<{ ref_id: string }> = await ds.query(
      "SELECT ref_id FROM ledger_entries WHERE kind = 'capture' AND ref_type = ?",
      [refType],
    );
    const counts = new Map(refIds.map((id) => [id, 0]));
    for (const r of rows) if (counts.has(r.ref_id)) counts.set(r.ref_id, (counts.get(r.ref_id) ?? 0) + 1);
    return counts;
  };
  const expectClean = async (u: FundedUser) => {
    const balance = (await t.http().get('/api/billing/balance').set(bearer(u.jwt)).expect(200)).body;
    expect(balance.held).toBe(0);
    expect((await t.app.get(ReconciliationService).runAndLog()).ok).toBe(true);
  };
  // Every task is on the channel whose key the upstream saw create it.
  const expectOnAcceptingChannel = (tasks: TaskRow[], upstreamKeyOf: Map<string, string>) => {
    for (const task of tasks) {
      expect(task.upstream_task_id).not.toBeNull();
      expect(channelKey.get(Number(task.channel_id))).toContain(upstreamKeyOf.get(task.upstream_task_id as string));
    }
    return new Set(tasks.map((x) => Number(x.channel_id))).size;
  };

  it('Kling: 24 direct submits, some failing over; each task on its accepting channel, charged once', async () => {
    const u = await fundedUser(t, 5000, 'kling2');
    const results = await Promise.all(
      Array.from({ length: 24 }, (_, i) =>
        t
          .http()
          .post('/kling/v1/videos/text2video')
          .set(bearer(u.key))
          .send({ model: 'kling-v1-6-std', prompt: `two channels ${i}`, duration: 5 }),
      ),
    );
    expect(results.map((r) => r.status)).toEqual(Array(24).fill(200));
    const tasks = await waitFor(async () => {
      const rows = await tasksOf(u);
      return rows.every((r) => r.status === 'succeed') ? rows : null;
    }, 20_000);
    expect(tasks).toHaveLength(24);
    const made = kling.tasks().filter((x) => String(x.body.prompt).startsWith('two channels'));
    expect(made).toHaveLength(24); // nothing created upstream twice
    const channelsUsed = expectOnAcceptingChannel(tasks, new Map(made.map((m) => [m.task_id, m.ak])));
    expect(channelsUsed).toBe(2);
    for (const n of (
      await captures(
        'task',
        tasks.map((x) => x.task_id),
      )
    ).values())
      expect(n).toBe(1);
    await expectClean(u);
  });

  it('Viva: 20 direct Veo submits, rate-limited on one channel; each on its accepting channel, charged once', async () => {
    const u = await fundedUser(t, 5000, 'viva2');
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        t
          .http()
          .post('/api/generate/video')
          .set(bearer(u.key))
          .send({ prompt: `veo pair ${i}` }),
      ),
    );
    expect(results.map((r) => r.status)).toEqual(Array(20).fill(200));
    const tasks = await waitFor(async () => {
      const rows = await tasksOf(u);
      return rows.every((r) => r.status === 'succeed') ? rows : null;
    }, 20_000);
    const made = viva.tasks().filter((x) => x.prompt.startsWith('veo pair'));
    expect(made).toHaveLength(20);
    expect(expectOnAcceptingChannel(tasks, new Map(made.map((m) => [m.id, m.key])))).toBe(2);
    for (const n of (
      await captures(
        'task',
        tasks.map((x) => x.task_id),
      )
    ).values())
      expect(n).toBe(1);
    await expectClean(u);
  });

  it('KIE: a 30-row batch over two channels with webhook keys finishes by signed callbacks, each item charged once', async () => {
    const u = await fundedUser(t, 5000, 'kie2');
    const admin = await loginAdmin(t);
    await t.http().patch(`/api/admin/users/${u.id}`).set(bearer(admin.jwt)).send({ plan: 'enterprise' }).expect(200);
    const rows = Array.from({ length: 30 }, (_, i) => ({ prompt: `pair batch ${i}`, model: 'sora-2' }));
    const started = Date.now();
    const created = await t
      .http()
      .post('/api/v1/workflow/batch-generate')
      .set(bearer(u.key))
      .send({ rows, generationType: 'video', defaultResolution: '720p', defaultDuration: 10 })
      .expect(201);
    const done = await waitFor(async () => {
      const d = (await t.http().get(`/api/v1/workflow/batches/${created.body.id}`).set(bearer(u.key))).body;
      return d.status === 'completed' ? d : null;
    }, 30_000);
    // A leaked item would only end at its 15 s timeout, failed; these all finish by callback.
    expect(Date.now() - started).toBeLessThan(14_000);
    expect(done.counts).toEqual({ succeed: 30 });
    const tasks = await tasksOf(u);
    expect(tasks).toHaveLength(30);
    const made = kie.tasks().filter((x) => x.prompt.startsWith('pair batch'));
    expect(made).toHaveLength(30);
    expect(expectOnAcceptingChannel(tasks, new Map(made.map((m) => [m.taskId, m.key])))).toBe(2);
    const batchId = (await ds.query('SELECT id FROM batches WHERE public_id = ?', [created.body.id]))[0].id;
    const counts = await captures(
      'batch',
      rows.map((_, i) => `${batchId}:${i}`),
    );
    for (const n of counts.values()) expect(n).toBe(1);
    await expectClean(u);
  });

  const callbacks = async (provider: string) => {
    const all = parsePrometheus((await t.http().get('/metrics').set(bearer(METRICS_TOKEN)).expect(200)).text);
    const n = (outcome: string) => sumOf(all, 'reelay_callbacks_total', { provider, outcome });
    return { verified: n('accepted') + n('duplicate'), rejected: n('rejected') };
  };
  // A batch of `rows`, finished well before an item's timeout; each item charged exactly once.
  const runBatch = async (u: FundedUser, rows: object[]) => {
    const admin = await loginAdmin(t);
    await t.http().patch(`/api/admin/users/${u.id}`).set(bearer(admin.jwt)).send({ plan: 'enterprise' }).expect(200);
    const started = Date.now();
    const created = await t
      .http()
      .post('/api/v1/workflow/batch-generate')
      .set(bearer(u.key))
      .send({ rows, generationType: 'video' })
      .expect(201);
    const done = await waitFor(async () => {
      const d = (await t.http().get(`/api/v1/workflow/batches/${created.body.id}`).set(bearer(u.key))).body;
      return d.status === 'completed' ? d : null;
    }, 30_000);
    expect(Date.now() - started).toBeLessThan(14_000); // a leaked item would end only at its 15 s timeout
    expect(done.counts).toEqual({ succeed: rows.length });
    const batchId = (await ds.query('SELECT id FROM batches WHERE public_id = ?', [created.body.id]))[0].id;
    const counts = await captures(
      'batch',
      rows.map((_, i) => `${batchId}:${i}`),
    );
    expect([...counts.values()]).toEqual(Array(rows.length).fill(1));
  };

  it('KIE: 24 direct Sora submits (POST /v1/videos) fail over between two webhook-keyed channels; each callback verified with its own channel’s key, each task charged once', async () => {
    const u = await fundedUser(t, 5000, 'kie2-direct');
    const before = await callbacks('kie');
    const results = await Promise.all(
      Array.from({ length: 24 }, (_, i) =>
        t
          .http()
          .post('/v1/videos')
          .set(bearer(u.key))
          .send({ model: 'sora-2', prompt: `kie direct ${i}`, seconds: '10' }),
      ),
    );
    expect(results.map((r) => r.status)).toEqual(Array(24).fill(200));
    const tasks = await waitFor(async () => {
      const rows = await tasksOf(u);
      return rows.length === 24 && rows.every((r) => r.status === 'succeed') ? rows : null;
    }, 20_000);
    const made = kie.tasks().filter((x) => x.prompt.startsWith('kie direct'));
    expect(made).toHaveLength(24); // nothing created upstream twice
    expect(expectOnAcceptingChannel(tasks, new Map(made.map((m) => [m.taskId, m.key])))).toBe(2);
    // Every task's callback passed the signature check of the channel it is recorded on.
    const after = await waitFor(async () => {
      const c = await callbacks('kie');
      return c.verified - before.verified >= 24 ? c : null;
    });
    expect(after.rejected - before.rejected).toBe(0);
    expect(t.logs.text()).not.toContain('callback signed by another channel');
    const counts = await captures(
      'task',
      tasks.map((x) => x.task_id),
    );
    expect([...counts.values()]).toEqual(Array(24).fill(1));
    await expectClean(u);
  });

  it('Kling: a 24-row batch over two channels; each item on its accepting channel, charged once, none timed out', async () => {
    const u = await fundedUser(t, 5000, 'kling2-batch');
    const before = await callbacks('kling');
    const rows = Array.from({ length: 24 }, (_, i) => ({
      prompt: `kling batch ${i}`,
      model: 'kling-v1-6-std',
      duration: 5,
    }));
    await runBatch(u, rows);
    const tasks = await tasksOf(u);
    expect(tasks).toHaveLength(24);
    const made = kling.tasks().filter((x) => String(x.body.prompt).startsWith('kling batch'));
    expect(made).toHaveLength(24);
    expect(expectOnAcceptingChannel(tasks, new Map(made.map((m) => [m.task_id, m.ak])))).toBe(2);
    expect((await callbacks('kling')).rejected - before.rejected).toBe(0);
    await expectClean(u);
  });

  it('Viva: a 20-row Veo batch over two channels, one rate-limited; each item on its accepting channel, charged once, none timed out', async () => {
    const u = await fundedUser(t, 5000, 'viva2-batch');
    const rows = Array.from({ length: 20 }, (_, i) => ({ prompt: `veo batch ${i}`, model: 'veo3' }));
    await runBatch(u, rows);
    const tasks = await tasksOf(u);
    expect(tasks).toHaveLength(20);
    const made = viva.tasks().filter((x) => x.prompt.startsWith('veo batch'));
    expect(made).toHaveLength(20);
    expect(expectOnAcceptingChannel(tasks, new Map(made.map((m) => [m.id, m.key])))).toBe(2);
    await expectClean(u);
  });

  describe('data written by the old bug: a task recorded on the wrong channel', () => {
    // One batch item, made by channel B's account, then recorded on A as the old engine did.
    async function misrecordedTask(u: FundedUser, prompt: string) {
      const admin = await loginAdmin(t);
      await t.http().patch(`/api/admin/users/${u.id}`).set(bearer(admin.jwt)).send({ plan: 'pro' }).expect(200);
      await t
        .http()
        .post('/api/v1/workflow/batch-generate')
        .set(bearer(u.key))
        .send({ rows: [{ prompt }], generationType: 'video', defaultModel: 'sora-2', defaultDuration: 10 })
        .expect(201);
      const task = await waitFor(async () => (await tasksOf(u)).find((x) => x.upstream_task_id !== null));
      const made = kie.tasks().find((x) => x.taskId === task.upstream_task_id);
      const ids = [...channelKey.entries()].filter(([, key]) => key.startsWith('kie-'));
      const wrong = ids.find(([, key]) => key !== made?.key)?.[0] as number;
      const right = ids.find(([, key]) => key === made?.key)?.[0] as number;
      await ds.query('UPDATE videos SET channel_id = ? WHERE task_id = ?', [wrong, task.task_id]);
      return { task, made: made!, wrong, right };
    }

    it('a callback signed by the other channel moves the task there (logged) and finishes it, charged once', async () => {
      kie.setBehavior({ dropCallbacks: true, completeAfterMs: 100 });
      kie.setKey('kie-a', { concurrency: null });
      // No poll of this item for 10 s (scaled): only the callback can finish it.
      const admin = await loginAdmin(t);
      const config = (body: object) => t.http().put('/api/admin/batch/config').set(bearer(admin.jwt)).send(body);
      await config({ polling: { '720p': [[0, 200_000]] } }).expect(200);
      try {
        const u = await fundedUser(t, 100, 'misrecorded-cb');
        const { task, made, right } = await misrecordedTask(u, 'misrecorded callback');
        await waitFor(() => Promise.resolve(kie.tasks().find((x) => x.taskId === made.taskId)?.state === 'success'));
        const rec = kie.tasks().find((x) => x.taskId === made.taskId)!;
        const webhookKey = made.key === 'kie-a' ? 'whk-key-a' : 'whk-key-b';
        const ts = String(Math.floor(Date.now() / 1000));
        const url = new URL(t.app.get(CallbackUrls).urlFor('kie', task.task_id));
        const body = {
          code: 200,
          msg: 'Playground task completed successfully.',
          data: { taskId: rec.taskId, state: 'success', resultJson: JSON.stringify({ resultUrls: rec.resultUrls }) },
        };
        await t
          .http()
          .post(`${url.pathname}${url.search}`)
          .set(KIE_WEBHOOK_TIMESTAMP_HEADER, ts)
          .set(KIE_WEBHOOK_SIGNATURE_HEADER, signKieWebhook(webhookKey, rec.taskId, ts))
          .send(body)
          .expect(200);
        const [row] = await tasksOf(u);
        expect(row).toMatchObject({ status: 'succeed' });
        expect(Number(row.channel_id)).toBe(right);
        expect(t.logs.text()).toContain('callback signed by another channel than the recorded one');
        expect(t.logs.text()).not.toContain('moved to the channel that does');
        await expectClean(u);
        // A signature no channel verifies is still refused.
        await t
          .http()
          .post(`${url.pathname}${url.search}`)
          .set(KIE_WEBHOOK_TIMESTAMP_HEADER, ts)
          .set(KIE_WEBHOOK_SIGNATURE_HEADER, signKieWebhook('whk-key-other', rec.taskId, ts))
          .send(body)
          .expect(401);
      } finally {
        await config({}).expect(200);
        kie.setBehavior({ dropCallbacks: false, completeAfterMs: 300 });
        kie.setKey('kie-a', { concurrency: 3 });
      }
    });

    it('a poll the recorded channel cannot answer finds the task on the other channel and finishes it', async () => {
      kie.setBehavior({ dropCallbacks: true, completeAfterMs: 100 });
      try {
        const u = await fundedUser(t, 100, 'misrecorded-poll');
        const { right } = await misrecordedTask(u, 'misrecorded poll');
        const [row] = await waitFor(async () => {
          const rows = await tasksOf(u);
          return rows[0]?.status === 'succeed' ? rows : null;
        }, 10_000);
        expect(Number(row.channel_id)).toBe(right);
        expect(t.logs.text()).toContain('moved to the channel that does');
        await expectClean(u);
      } finally {
        kie.setBehavior({ dropCallbacks: false, completeAfterMs: 300 });
      }
    });
  });
});
