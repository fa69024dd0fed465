import { DataSource } from 'typeorm';
import { ChannelRepository } from '../../src/channels/channel.repository';
import { ChannelsService } from '../../src/channels/channels.service';
import { TaskPollerService } from '../../src/relay/core/task-poller.service';
import { KlingSimulator, startKlingSimulator } from '../../tools/simulators/kling/kling-simulator';
import { expectErrorShape } from '../helpers/error-shape';
import { bearer, loginAdmin, registerUser, TestUser } from '../helpers/factories';
import { addChannel, fundedUser } from '../helpers/relay';
import { insertOrders, insertVideos, VideoRow } from '../helpers/stats-fixtures';
import { startTestApp, TestApp } from '../helpers/test-app';
import { waitFor } from '../helpers/wait';

const DAY = 86400;
const KLING = 'kling-v1-6-std';

// The figures against a fixture whose every number is worked out by hand in the comments.
describe('admin stats', () => {
  let t: TestApp;
  let ds: DataSource;
  let admin: TestUser;
  let u1: TestUser;
  let u2: TestUser;
  let u3: TestUser;
  const ch: Record<'c1' | 'c2' | 'c3' | 'c4', number> = { c1: 0, c2: 0, c3: 0, c4: 0 };
  // Midnight UTC two days ago: the range [T, T + 3 days) holds the fixture and now (when the
  // channel events below are recorded).
  const T = Math.floor(Date.now() / 1000 / DAY) * DAY - 2 * DAY;
  const range = `from=${T}&to=${T + 3 * DAY}`;

  const get = async (path: string) => (await t.http().get(path).set(bearer(admin.jwt)).expect(200)).body;

  beforeAll(async () => {
    t = await startTestApp({ env: { JOBS_ENABLED: 'false' } });
    ds = t.app.get(DataSource);
    admin = await loginAdmin(t);
    [u1, u2, u3] = [await registerUser(t, 'u1'), await registerUser(t, 'u2'), await registerUser(t, 'u3')];
    const channel = async (name: string, type: 'kling' | 'viva', models: string[]) =>
      (await addChannel(t, { name, type, base_url: 'http://127.0.0.1:9', key: 'ak-x|sk-x', models })).id;
    ch.c1 = await channel('k-one', 'kling', [KLING]);
    ch.c2 = await channel('k-two', 'kling', [KLING]);
    ch.c3 = await channel('v-one', 'viva', ['veo3']);
    ch.c4 = await channel('k-idle', 'kling', [KLING]);

    const row = (
      n: number,
      user: TestUser,
      channelId: number,
      model: string,
      status: string,
      endedBy: string | null,
      quota: number,
      createdAt: number,
      tookS: number | null,
    ): VideoRow => ({
      taskId: `fx_${n}`,
      userId: user.id,
      channelId,
      model,
      provider: model === 'veo3' ? 'viva' : 'kling',
      status,
      endedBy,
      quota,
      createdAt,
      finishedAt: tookS === null ? null : createdAt + tookS,
    });
    const D1 = T + DAY;
    await insertVideos(ds, [
      // day 0
      row(1, u1, ch.c1, KLING, 'succeed', 'callback', 60_000, T + 100, 60),
      row(2, u1, ch.c1, KLING, 'succeed', 'poll', 60_000, T + 200, 90),
      row(3, u2, ch.c1, KLING, 'failed', 'timeout', 60_000, T + 300, 3600),
      row(4, u2, ch.c2, KLING, 'succeed', 'callback', 120_000, T + 400, 120),
      row(5, u3, ch.c2, KLING, 'failed', 'submit', 120_000, T + 500, 0),
      row(13, u3, ch.c1, KLING, 'failed', null, 60_000, T + 600, 100), // ended before ended_by existed
      // day 1
      row(6, u1, ch.c3, 'veo3', 'succeed', 'poll', 15_000, D1 + 10, 30),
      row(7, u1, ch.c3, 'veo3', 'succeed', 'refresh', 15_000, D1 + 20, 300),
      row(8, u3, ch.c3, 'veo3', 'processing', null, 15_000, D1 + 30, null),
      row(9, u2, ch.c1, KLING, 'succeed', 'callback', 60_000, D1 + 40, 60),
      row(10, u2, ch.c1, KLING, 'failed', 'poll', 60_000, D1 + 50, 30),
      // outside the range: a second before it, and at its (exclusive) end
      row(11, u1, ch.c1, KLING, 'succeed', 'callback', 60_000, T - 1, 60),
      row(12, u1, ch.c1, KLING, 'succeed', 'callback', 60_000, T + 3 * DAY, 60),
    ]);

    // c2 was auto-disabled and came back; c4 was auto-disabled (and has no tasks).
    const channels = t.app.get(ChannelsService);
    await channels.autoDisable(ch.c2, 'Kling 1100: Account exception');
    await channels.autoReenable((await t.app.get(ChannelRepository).findById(ch.c2))!, 'Kling accepted the key');
    await channels.autoDisable(ch.c4, 'Kling 1101: Account in arrears');

    const pkg = async (code: string, priceFen: number, credits: number) =>
      (
        await t
          .http()
          .post('/api/admin/packages')
          .set(bearer(admin.jwt))
          .send({ code, name: code, price_fen: priceFen, credits })
          .expect(201)
      ).body.id as number;
    const small = await pkg('p-small', 990, 100);
    const big = await pkg('p-big', 4990, 600);
    const order = (
      n: number,
      packageId: number,
      fen: number,
      credits: number,
      status: 'paid' | 'pending' | 'closed',
      paidAt: number | null,
    ) => ({
      outTradeNo: `fx-order-${n}`,
      userId: u1.id,
      packageId,
      amountFen: fen,
      credits: credits * 1000,
      status,
      paidAt,
      createdAt: T,
    });
    await insertOrders(ds, [
      order(1, small, 990, 100, 'paid', T + 1000),
      order(2, small, 990, 100, 'paid', D1 + 5),
      order(3, big, 4990, 600, 'paid', D1 + 6),
      order(4, big, 4990, 600, 'pending', null),
      order(5, big, 4990, 600, 'paid', T - 10), // before the range
      order(6, small, 990, 100, 'closed', null),
    ]);
  });
  afterAll(() => t.close());

  it('overview: counts and sums by status, success rate, how tasks ended, and a daily series', async () => {
    const body = await get(`/api/admin/stats/overview?${range}`);
    expect(body.range).toEqual({ from: T, to: T + 3 * DAY });
    expect(body.filters).toEqual({ provider: null, model: null, channel_id: null });
    // Rows 1–10 and 13: eleven tasks; succeeded 1, 2, 4, 6, 7, 9; failed 3, 5, 10, 13; row 8 runs.
    // One failed at submit (5): 10 of 11 accepted.
    expect(body.totals).toEqual({
      tasks: 11,
      succeeded: 6,
      failed: 4,
      in_flight: 1,
      success_rate: 0.6,
      submit_accept_rate: 0.9091,
      credits_charged: 330, // 60 + 60 + 120 + 15 + 15 + 60
    });
    expect(body.by_status).toEqual([
      { status: 'failed', count: 4, quota: 300_000, credits: 300 }, // 60 + 120 + 60 + 60
      { status: 'processing', count: 1, quota: 15_000, credits: 15 },
      { status: 'succeed', count: 6, quota: 330_000, credits: 330 },
    ]);
    // Of the ten finished: callback 1, 4, 9; poll 2, 6, 10; refresh 7; submit 5; timeout 3; unknown 13.
    expect(body.ended_by).toEqual([
      { ended_by: 'callback', count: 3, share: 0.3 },
      { ended_by: 'poll', count: 3, share: 0.3 },
      { ended_by: 'refresh', count: 1, share: 0.1 },
      { ended_by: 'submit', count: 1, share: 0.1 },
      { ended_by: 'timeout', count: 1, share: 0.1 },
      { ended_by: 'unknown', count: 1, share: 0.1 },
    ]);
    expect(body.series).toEqual({
      bucket: 'day',
      size_seconds: DAY,
      points: [
        { start: T, total: 6, succeeded: 3, failed: 3, credits_charged: 240 }, // 1–5, 13
        { start: T + DAY, total: 5, succeeded: 3, failed: 1, credits_charged: 90 }, // 6–10
        { start: T + 2 * DAY, total: 0, succeeded: 0, failed: 0, credits_charged: 0 },
      ],
    });
    const hourly = await get(`/api/admin/stats/overview?${range}&bucket=hour`);
    expect(hourly.series.points).toHaveLength(72);
    expect(hourly.series.points[0]).toEqual({ start: T, total: 6, succeeded: 3, failed: 3, credits_charged: 240 });
  });

  it('overview narrowed to a provider, a model or a channel', async () => {
    // Kling: 1, 2, 3, 4, 5, 9, 10, 13 → succeeded 1, 2, 4, 9; failed 3, 5, 10, 13.
    const kling = await get(`/api/admin/stats/overview?${range}&provider=kling`);
    expect(kling.totals).toMatchObject({ tasks: 8, succeeded: 4, failed: 4, success_rate: 0.5, credits_charged: 300 });
    expect(kling.filters).toEqual({ provider: 'kling', model: null, channel_id: null });
    // veo3: 6, 7 succeeded, 8 runs.
    const veo = await get(`/api/admin/stats/overview?${range}&model=veo3`);
    expect(veo.totals).toMatchObject({ tasks: 3, succeeded: 2, failed: 0, in_flight: 1, success_rate: 1 });
    // c1: 1, 2, 3, 9, 10, 13.
    const c1 = await get(`/api/admin/stats/overview?${range}&channel_id=${ch.c1}`);
    expect(c1.totals).toMatchObject({ tasks: 6, succeeded: 3, failed: 3, credits_charged: 180 });
  });

  it('per model: counts, success rate, credits and completion time p50/p95/average', async () => {
    const body = await get(`/api/admin/stats/models?${range}`);
    expect(body.items).toEqual([
      {
        provider: 'kling',
        model: KLING,
        total: 8,
        succeeded: 4,
        failed: 4,
        success_rate: 0.5,
        credits_charged: 300,
        // Succeeded in 60, 90, 120, 60 s → sorted 60, 60, 90, 120: p50 rank 2 = 60, p95 rank 4 = 120,
        // mean 330 / 4 = 82.5.
        completion_seconds: { count: 4, p50: 60, p95: 120, average: 82.5 },
      },
      {
        provider: 'viva',
        model: 'veo3',
        total: 3,
        succeeded: 2,
        failed: 0,
        success_rate: 1,
        credits_charged: 30,
        // 30 and 300 s: p50 rank 1 = 30, p95 rank 2 = 300, mean 165.
        completion_seconds: { count: 2, p50: 30, p95: 300, average: 165 },
      },
    ]);
  });

  it('per user: tasks, successes and credits charged, most credits first, in pages', async () => {
    // u2: 3, 4, 9, 10 → 2 succeeded, 120 + 60 = 180; u1: 1, 2, 6, 7 → 4, 60 + 60 + 15 + 15 = 150;
    // u3: 5, 8, 13 → none, 0.
    const first = await get(`/api/admin/stats/users?${range}&page_size=2`);
    expect(first).toEqual({
      items: [
        { user_id: u2.id, email: u2.email, total: 4, succeeded: 2, failed: 2, success_rate: 0.5, credits_charged: 180 },
        { user_id: u1.id, email: u1.email, total: 4, succeeded: 4, failed: 0, success_rate: 1, credits_charged: 150 },
      ],
      page: 1,
      page_size: 2,
      total: 3,
    });
    const second = await get(`/api/admin/stats/users?${range}&page=2&page_size=2`);
    expect(second.items).toEqual([
      { user_id: u3.id, email: u3.email, total: 3, succeeded: 0, failed: 2, success_rate: 0, credits_charged: 0 },
    ]);
    const veo = await get(`/api/admin/stats/users?${range}&model=veo3`);
    expect(veo.items.map((i: { user_id: number; succeeded: number }) => [i.user_id, i.succeeded])).toEqual([
      [u1.id, 2],
      [u3.id, 0],
    ]);
  });

  it('per channel: tasks, error rate, and the auto-disable history from the audit trail', async () => {
    const body = await get(`/api/admin/stats/channels?${range}`);
    const byId = new Map(body.items.map((i: { channel_id: number }) => [i.channel_id, i]));
    expect(body.items.map((i: { channel_id: number }) => i.channel_id)).toEqual([ch.c1, ch.c2, ch.c3, ch.c4]);
    // c1: 1, 2, 3, 9, 10, 13 → 3 succeeded, 3 failed.
    expect(byId.get(ch.c1)).toMatchObject({
      name: 'k-one',
      total: 6,
      succeeded: 3,
      failed: 3,
      error_rate: 0.5,
      history: [],
    });
    expect(byId.get(ch.c2)).toMatchObject({
      name: 'k-two',
      type: 'kling',
      status: 'enabled',
      auto_reenable: true,
      total: 2,
      succeeded: 1,
      failed: 1,
      error_rate: 0.5,
      history: [
        { at: expect.any(Number), event: 'auto_disabled', reason: 'Kling 1100: Account exception' },
        { at: expect.any(Number), event: 'auto_reenabled', reason: null },
      ],
    });
    expect(byId.get(ch.c3)).toMatchObject({ total: 3, succeeded: 2, failed: 0, error_rate: 0 });
    expect(byId.get(ch.c4)).toMatchObject({
      status: 'auto_disabled',
      total: 0,
      error_rate: null,
      history: [{ event: 'auto_disabled', reason: 'Kling 1101: Account in arrears' }],
    });
    const viva = await get(`/api/admin/stats/channels?${range}&provider=viva`);
    expect(viva.items.map((i: { channel_id: number }) => i.channel_id)).toEqual([ch.c3]);
  });

  it('revenue: paid orders in the range, per package and per day', async () => {
    const body = await get(`/api/admin/stats/revenue?${range}`);
    // Orders 1, 2 (small, 990 each) and 3 (big, 4990); 4 is pending, 5 paid before, 6 closed.
    expect(body).toMatchObject({
      range: { from: T, to: T + 3 * DAY },
      paid_orders: 3,
      amount_fen: 6970,
      amount_yuan: '69.70',
      credits: 800,
    });
    expect(body.by_package).toEqual([
      { package_id: expect.any(Number), code: 'p-big', name: 'p-big', orders: 1, amount_fen: 4990, credits: 600 },
      { package_id: expect.any(Number), code: 'p-small', name: 'p-small', orders: 2, amount_fen: 1980, credits: 200 },
    ]);
    expect(body.series.points).toEqual([
      { start: T, orders: 1, amount_fen: 990 },
      { start: T + DAY, orders: 2, amount_fen: 5980 },
      { start: T + 2 * DAY, orders: 0, amount_fen: 0 },
    ]);
  });

  it('refuses non-admins and ranges it cannot answer, naming the field', async () => {
    await t.http().get(`/api/admin/stats/overview?${range}`).set(bearer(u1.jwt)).expect(403);
    await t.http().get('/api/admin/stats/revenue').expect(401);
    const backwards = await t
      .http()
      .get(`/api/admin/stats/overview?from=${T}&to=${T}`)
      .set(bearer(admin.jwt))
      .expect(400);
    expectErrorShape(backwards.body, 'validation_failed');
    expect(backwards.body.error.details[0].field).toBe('from');
    const tooFine = await t
      .http()
      .get(`/api/admin/stats/overview?from=0&to=${T}&bucket=hour`)
      .set(bearer(admin.jwt))
      .expect(400);
    expect(tooFine.body.error.details[0].field).toBe('bucket');
    const badProvider = await t.http().get('/api/admin/stats/models?provider=sora').set(bearer(admin.jwt)).expect(400);
    expect(badProvider.body.error.details[0].field).toBe('provider');
  });
});

// How tasks end, recorded by the relay itself: a callback, a poll, a client's refresh, the
// timeout and a refusal at submit each show up once in the overview.
describe('admin stats: ended_by from real tasks', () => {
  let sim: KlingSimulator;
  let t: TestApp;

  beforeAll(async () => {
    sim = await startKlingSimulator({ behavior: { processingAfterMs: 10, completeAfterMs: 40 } });
    sim.addKey('ak-ended', 'sk-ended');
    t = await startTestApp({
      env: { JOBS_ENABLED: 'false', POLL_SCHEDULE_MS: '0:100', TASK_TIMEOUT_SECONDS: '2', STALE_REFRESH_SECONDS: '0' },
    });
    await addChannel(t, { name: 'ended', base_url: sim.url, key: 'ak-ended|sk-ended', models: [KLING] });
  });
  afterAll(async () => {
    await t.close();
    await sim.close();
  });

  it('records callback, poll, refresh, timeout and submit', async () => {
    const from = Math.floor(Date.now() / 1000) - 1;
    const u = await fundedUser(t, 1000);
    const submit = async (prompt: string, expected = 200) =>
      (
        await t
          .http()
          .post('/kling/v1/videos/text2video')
          .set(bearer(u.key))
          .send({ model: KLING, prompt })
          .expect(expected)
      ).body.task_id as string;
    const endedBy = async (taskId: string) =>
      (
        (await t.app.get(DataSource).query('SELECT ended_by FROM videos WHERE task_id = ?', [taskId]))[0] as {
          ended_by: string | null;
        }
      ).ended_by;

    const byCallback = await submit('by callback');
    await waitFor(async () => (await endedBy(byCallback)) === 'callback');

    sim.setBehavior({ dropCallbacks: true });
    const byPoll = await submit('by poll');
    const byRefresh = await submit('by refresh');
    await new Promise((r) => setTimeout(r, 150));
    await t.http().get(`/kling/v1/videos/${byRefresh}`).set(bearer(u.key)).expect(200);
    expect(await endedBy(byRefresh)).toBe('refresh');
    await t.app.get(TaskPollerService).pollDue();
    expect(await endedBy(byPoll)).toBe('poll');

    sim.setBehavior({ completeAfterMs: 600_000, processingAfterMs: 600_000 });
    const byTimeout = await submit('never finishes');
    await new Promise((r) => setTimeout(r, 2100));
    await t.app.get(TaskPollerService).pollDue();
    expect(await endedBy(byTimeout)).toBe('timeout');

    await submit('SIM_REJECT this', 422);

    const admin = await loginAdmin(t);
    const body = (await t.http().get(`/api/admin/stats/overview?from=${from}`).set(bearer(admin.jwt)).expect(200)).body;
    expect(body.ended_by.map((e: { ended_by: string; count: number }) => [e.ended_by, e.count]).sort()).toEqual([
      ['callback', 1],
      ['poll', 1],
      ['refresh', 1],
      ['submit', 1],
      ['timeout', 1],
    ]);
    expect(body.totals).toMatchObject({ tasks: 5, succeeded: 3, failed: 2, submit_accept_rate: 0.8 });
  });
});
