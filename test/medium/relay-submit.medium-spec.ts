import { BillingService } from '../../src/billing/billing.service';
import { ChannelsService } from '../../src/channels/channels.service';
import { Db } from '../../src/common/database/db.service';
import { ErrorCode } from '../../src/common/errors/error-code';
import { DIRECT_OWNER } from '../../src/relay/core/direct-task.owner';
import { RelaySubmitService, SubmitSpec } from '../../src/relay/core/relay-submit.service';
import { TaskPollerService } from '../../src/relay/core/task-poller.service';
import { VideoTaskRepository } from '../../src/relay/core/video-task.repository';
import { KlingSimulator, startKlingSimulator } from '../../tools/simulators/kling/kling-simulator';
import { ADMIN, channel, CREDIT, fund, newUser } from '../helpers/medium-fixtures';
import { startServices, TestServices } from '../helpers/test-services';
import { waitFor } from '../helpers/wait';

const MODEL = 'kling-v1-6-std';

// The one submit pipeline, branch by branch, against the Kling simulator over HTTP: what is
// recorded, on which channel, and what happens to the hold.
describe('RelaySubmitService', () => {
  let sim: KlingSimulator;
  let s: TestServices;
  let relay: RelaySubmitService;
  let tasks: VideoTaskRepository;
  let billing: BillingService;

  beforeAll(async () => {
    sim = await startKlingSimulator({ behavior: { processingAfterMs: 20, completeAfterMs: 60, dropCallbacks: true } });
    sim.addKey('ak-1', 'sk-1');
    sim.addKey('ak-2', 'sk-2');
    s = await startServices({ POLL_SCHEDULE_MS: '0:50', UPSTREAM_TIMEOUT_MS: '1000', UNKNOWN_GRACE_SECONDS: '30' });
    relay = s.get(RelaySubmitService);
    tasks = s.get(VideoTaskRepository);
    billing = s.get(BillingService);
  });
  afterAll(async () => {
    await s.close();
    await sim.close();
  });
  // Each test's channels serve the model alone: the previous test's are disabled.
  const live: number[] = [];
  afterEach(async () => {
    sim.reset();
    for (const id of live.splice(0)) await s.get(ChannelsService).update(ADMIN, id, { status: 'disabled' });
  });

  async function channels(
    ...specs: Array<{ key: string; priority: number }>
  ): Promise<{ model: string; ids: number[] }> {
    const ids: number[] = [];
    for (const c of specs) {
      ids.push(
        await channel(s, { type: 'kling', base_url: sim.url, key: c.key, models: [MODEL], priority: c.priority }),
      );
    }
    live.push(...ids);
    return { model: MODEL, ids };
  }

  const spec = (userId: number, m: string, body: Record<string, unknown> = {}): SubmitSpec => ({
    userId,
    provider: 'kling',
    model: m,
    kind: 'text2video',
    quota: 10 * CREDIT,
    prompt: 'a cat',
    duration: '5',
    requestParams: '{}',
    body: { prompt: 'a cat', duration: '5', ...body },
    taskIdPrefix: 'kling',
    owner: DIRECT_OWNER,
  });
  const funded = async () => {
    const u = await newUser(s);
    await fund(s, u, 100);
    return u;
  };
  // Before any capture, what is held is what is no longer available.
  const heldOf = async (userId: number) => 100 * CREDIT - (await billing.available(userId));

  it('accepted: the task is on the accepting channel with the upstream id, and the price is held', async () => {
    const u = await funded();
    const { model: m, ids } = await channels({ key: 'ak-1|sk-1', priority: 1 });
    const db = s.get(Db);
    await relay.submit(spec(u.id, m)); // the route and account caches warm
    const [atCommit, now] = [jest.spyOn(db, 'writeAtCommit'), jest.spyOn(db, 'write')];
    const sent = jest.spyOn(
      db as unknown as { mysqlQuery: (t: unknown, sql: string) => Promise<unknown> },
      'mysqlQuery',
    );
    const r = await relay.submit(spec(u.id, m));
    await relay.acceptsWritten(); // the answer did not wait for the accepted write
    const trips = sent.mock.calls.map(([, sql]) => sql.split(';\n').map((q) => q.split(' ').slice(0, 3).join(' ')));
    sent.mockRestore();
    const table = (sql: string) => /^(?:INSERT INTO|UPDATE) `(\w+)`/.exec(sql)?.[1];
    const [sentAtCommit, sentNow] = [atCommit, now].map((spy) => spy.mock.calls.map(([, sql]) => table(sql)));
    atCommit.mockRestore();
    now.mockRestore();
    // Even alone, the task, its hold and the hold's ledger row go with the commit; afterwards only
    // the accepted write. On MySQL that is two round trips in all: the hold is judged by the
    // database (a guard after it), so COMMIT goes with the writes. (The holds of a group are summed
    // by account as it commits; on SQLite the ledger row is written in its place before that.)
    expect(sentAtCommit).toEqual(
      db.isMysql ? ['videos', 'credit_accounts', 'ledger_entries'] : ['videos', 'ledger_entries', 'credit_accounts'],
    );
    if (db.isMysql) {
      expect(sentNow).toEqual(['videos']);
      expect(trips).toEqual([
        [
          'INSERT INTO `videos`',
          'UPDATE `credit_accounts` SET',
          'SET @reelay_guard =',
          'INSERT INTO `ledger_entries`',
          'COMMIT',
        ],
        ['UPDATE `videos` SET'],
      ]);
    }
    expect(r.status).toBe('submitted');
    expect(r.task.id).toBeGreaterThan(0); // known once the commit returned
    const row = await tasks.findByTaskId(r.task.taskId);
    expect(row).toMatchObject({
      id: r.task.id,
      status: 'submitted',
      channelId: ids[0],
      upstreamTaskId: r.upstreamTaskId,
    });
    expect(row?.leaseOwner).toBeNull();
    expect(await heldOf(u.id)).toBe(2 * 10 * CREDIT); // this task's and the warm-up's
  });

  it('concurrent submits share transactions, and each still holds once: 10 of 30 fit, the other 20 get 402 and leave nothing', async () => {
    const [rich, poor] = [await newUser(s), await newUser(s)];
    await fund(s, rich, 200);
    await fund(s, poor, 100); // ten 10-credit tasks
    const { model: m } = await channels({ key: 'ak-1|sk-1', priority: 1 });
    const tx = jest.spyOn(s.get(Db), 'tx');
    const together = await Promise.all(Array.from({ length: 8 }, () => relay.submit(spec(rich.id, m))));
    await relay.acceptsWritten();
    expect(tx.mock.calls.length).toBeLessThan(8); // creates that arrive together commit together
    tx.mockRestore();
    // 402s spoil the groups they land in; those are re-run one by one and only the 402s fail.
    const results = await Promise.allSettled([
      ...Array.from({ length: 30 }, () => relay.submit(spec(poor.id, m))),
      ...Array.from({ length: 4 }, () => relay.submit(spec(rich.id, m))),
    ]);
    const poorOnes = results.slice(0, 30);
    expect(poorOnes.filter((r) => r.status === 'fulfilled')).toHaveLength(10);
    for (const r of poorOnes.filter((x): x is PromiseRejectedResult => x.status === 'rejected')) {
      expect(r.reason).toMatchObject({ code: ErrorCode.InsufficientBalance });
    }
    expect(results.slice(30).every((r) => r.status === 'fulfilled')).toBe(true);
    expect(await billing.available(poor.id)).toBe(0);
    expect(await billing.available(rich.id)).toBe(200 * CREDIT - 12 * 10 * CREDIT);
    // Only the accepted ones exist, each on its own row.
    const ids = [
      ...together.map((r) => r.task.taskId),
      ...results.flatMap((r) => (r.status === 'fulfilled' ? [r.value.task.taskId] : [])),
    ];
    expect(new Set(ids).size).toBe(22);
    await relay.acceptsWritten();
    const rows = await Promise.all(ids.map((id) => tasks.findByTaskId(id)));
    expect(rows.every((r) => r?.status === 'submitted')).toBe(true);
    const [{ n }] = await s.ds.query<Array<{ n: number | string }>>(
      'SELECT COUNT(*) AS n FROM videos WHERE user_id IN (?, ?)',
      [poor.id, rich.id],
    );
    expect(Number(n)).toBe(22);
  });

  // What a group of creates sends as it commits, statement by statement (MySQL), and each task's row.
  const groupOf = async (users: number[], m: string) => {
    const sent = jest.spyOn(
      s.get(Db) as unknown as { mysqlQuery: (t: unknown, sql: string) => Promise<unknown> },
      'mysqlQuery',
    );
    const done = await Promise.all(users.map((u) => relay.submit(spec(u, m))));
    const group = sent.mock.calls
      .map(([, sql]) => sql.split(';\n'))
      .filter((q) => q.length > 1)
      .map((q) => q.map((t) => (/^(\w+(?: INTO)?) `?(\w+)/.exec(t) ?? []).slice(1).join(' ')));
    sent.mockRestore(); // (which forgets its calls)
    await relay.acceptsWritten();
    const rows = await Promise.all(done.map((r) => tasks.findByTaskId(r.task.taskId)));
    return { done, group, rows };
  };

  it('a group of creates is one INSERT of its tasks, one hold UPDATE per account and one INSERT of its ledger rows; each task knows its own id', async () => {
    const [a, b] = [await funded(), await funded()];
    const { model: m } = await channels({ key: 'ak-1|sk-1', priority: 1 });
    const warm = await relay.submit(spec(a.id, m)); // the caches warm
    const users = [a.id, b.id, a.id, b.id, a.id, a.id];
    const { done, group, rows } = await groupOf(users, m);
    expect(rows.map((r) => r?.id)).toEqual(done.map((r) => r.task.id));
    expect(rows.map((r) => r?.userId)).toEqual(users);
    expect(new Set(done.map((r) => r.task.id)).size).toBe(users.length);
    expect(await heldOf(a.id)).toBe(5 * 10 * CREDIT);
    expect(await heldOf(b.id)).toBe(2 * 10 * CREDIT);
    const holds = await s.ds.query<Array<{ ref_id: string; held_delta: number | string }>>(
      "SELECT ref_id, held_delta FROM ledger_entries WHERE kind = 'hold' AND user_id IN (?, ?)",
      [a.id, b.id],
    );
    expect(holds.map((h) => h.ref_id).sort()).toEqual([warm.task.taskId, ...done.map((r) => r.task.taskId)].sort());
    expect(holds.every((h) => Number(h.held_delta) === 10 * CREDIT)).toBe(true);
    if (!s.get(Db).isMysql) return;
    // The first create commits alone; the rest arrive meanwhile and commit together. Each commit's
    // multi-statement inserts its tasks in one statement and its ledger rows in another.
    const creates = group.filter((q) => q.includes('INSERT INTO videos'));
    expect(creates.length).toBeLessThan(users.length);
    for (const q of creates) {
      expect(q.filter((t) => t === 'INSERT INTO videos')).toHaveLength(1);
      expect(q.filter((t) => t === 'INSERT INTO ledger_entries')).toHaveLength(1);
      expect(q.filter((t) => t === 'UPDATE credit_accounts').length).toBeLessThanOrEqual(2);
    }
    expect(creates.some((q) => q.filter((t) => t === 'UPDATE credit_accounts').length === 2)).toBe(true);
  });

  it('where the server may interleave auto-increment ids (innodb_autoinc_lock_mode 2), a group inserts row by row and still knows each id', async () => {
    const db = s.get(Db);
    const mode = jest.spyOn(db, 'consecutiveInsertIds', 'get').mockReturnValue(false);
    try {
      const u = await funded();
      const { model: m } = await channels({ key: 'ak-1|sk-1', priority: 1 });
      const { done, group, rows } = await groupOf([u.id, u.id, u.id, u.id], m);
      expect(rows.map((r) => r?.id)).toEqual(done.map((r) => r.task.id));
      expect(await heldOf(u.id)).toBe(4 * 10 * CREDIT);
      const inserts = group.flat().filter((t) => t === 'INSERT INTO videos').length;
      if (db.isMysql) expect(inserts).toBe(4); // one per task, however they were grouped
    } finally {
      mode.mockRestore();
    }
  });

  it('retryable failure: fails over to the next channel, which is recorded with the upstream id', async () => {
    const u = await funded();
    const { model: m, ids } = await channels({ key: 'ak-1|sk-1', priority: 2 }, { key: 'ak-2|sk-2', priority: 1 });
    sim.failNextCreates(5000, 1);
    const r = await relay.submit(spec(u.id, m));
    expect(r.status).toBe('submitted');
    await relay.acceptsWritten();
    expect(await tasks.findByTaskId(r.task.taskId)).toMatchObject({ channelId: ids[1], status: 'submitted' });
    expect(sim.tasks().map((t) => t.ak)).toEqual(['ak-2']);
  });

  it('refused key: the channel is auto-disabled with the reason and the next channel takes the task', async () => {
    const u = await funded();
    const { model: m, ids } = await channels(
      { key: 'ak-unknown|sk-x', priority: 2 },
      { key: 'ak-2|sk-2', priority: 1 },
    );
    const r = await relay.submit(spec(u.id, m));
    await relay.acceptsWritten();
    expect(await tasks.findByTaskId(r.task.taskId)).toMatchObject({ channelId: ids[1] });
    const refused = await s.get(ChannelsService).get(ADMIN, ids[0]);
    expect(refused).toMatchObject({ status: 'auto_disabled', disabled_reason: expect.stringMatching(/^Kling 100\d/) });
  });

  it('refused request: the task fails, the hold is released, and the caller learns why', async () => {
    const u = await funded();
    const { model: m } = await channels({ key: 'ak-1|sk-1', priority: 1 });
    await expect(relay.submit(spec(u.id, m, { duration: '7' }))).rejects.toMatchObject({
      code: ErrorCode.UpstreamRejected,
    });
    const content = relay.submit(spec(u.id, m, { prompt: 'SIM_REJECT please' }));
    await expect(content).rejects.toMatchObject({ code: ErrorCode.ContentRejected });
    expect(await heldOf(u.id)).toBe(0);
    const [failed] = (await tasks.listTasks({ userId: u.id, status: 'failed' }, { page: 1, pageSize: 10 }))[0];
    expect(failed.failReason).toMatch(/content policy|Rejected/);
  });

  it('every channel failing for a passing reason: the task fails retryably, nothing is charged', async () => {
    const u = await funded();
    const { model: m } = await channels({ key: 'ak-1|sk-1', priority: 2 }, { key: 'ak-2|sk-2', priority: 1 });
    sim.failNextCreates(5001, 2);
    await expect(relay.submit(spec(u.id, m))).rejects.toMatchObject({ code: ErrorCode.UpstreamUnavailable });
    expect(await heldOf(u.id)).toBe(0);
    expect(sim.tasks()).toHaveLength(0);
  });

  it('no channel serves the model: nothing is written, nothing is held', async () => {
    const u = await funded();
    await expect(relay.submit(spec(u.id, 'no-such-model'))).rejects.toMatchObject({ code: ErrorCode.NoChannel });
    expect((await tasks.listTasks({ userId: u.id }, { page: 1, pageSize: 10 }))[1]).toBe(0);
    expect(await heldOf(u.id)).toBe(0);
  });

  it('lost answer: the task stays unknown with its hold, and the poller finds it by our id — never sent twice', async () => {
    const u = await funded();
    const { model: m } = await channels({ key: 'ak-1|sk-1', priority: 1 });
    sim.failNextCreates(5002, 1);
    const r = await relay.submit(spec(u.id, m));
    expect(r).toMatchObject({ status: 'unknown', upstreamTaskId: null });
    expect(await heldOf(u.id)).toBe(10 * CREDIT);
    const poller = s.get(TaskPollerService);
    const done = await waitFor(async () => {
      await poller.pollDue();
      const row = await tasks.findByTaskId(r.task.taskId);
      return row?.status === 'succeed' ? row : null;
    });
    expect(done.upstreamTaskId).toBe(sim.tasks()[0].task_id);
    expect(sim.stats().creates).toBe(1);
    expect(await billing.available(u.id)).toBe(90 * CREDIT); // captured: balance 90, nothing held
  });

  it('the answer does not wait for the accepted write; if that write is lost, the poller finds the task by our id once the dispatch lease lapses — never sent twice', async () => {
    const u = await funded();
    const { model: m, ids } = await channels({ key: 'ak-1|sk-1', priority: 1 });
    const lost = jest.spyOn(tasks, 'recordAccepted').mockRejectedValueOnce(new Error('connection lost'));
    const r = await relay.submit(spec(u.id, m));
    await relay.acceptsWritten();
    lost.mockRestore();
    expect(r.status).toBe('submitted');
    const row = await tasks.findByTaskId(r.task.taskId);
    expect(row).toMatchObject({ status: 'submitting', upstreamTaskId: null, leaseOwner: relay.instance });
    expect(await heldOf(u.id)).toBe(10 * CREDIT);
    // The lease is the poller's guard: before it lapses the task is not due.
    const poller = s.get(TaskPollerService);
    await poller.pollDue();
    expect((await tasks.findByTaskId(r.task.taskId))?.status).toBe('submitting');
    // Time passes (the lease, UPSTREAM_TIMEOUT_MS × 2 + 5 s, lapses).
    const past = Date.now() - 1;
    await s.ds.query('UPDATE videos SET lease_until_ms = ?, next_poll_at_ms = ? WHERE task_id = ?', [
      past,
      past,
      r.task.taskId,
    ]);
    const done = await waitFor(async () => {
      await poller.pollDue();
      const now = await tasks.findByTaskId(r.task.taskId);
      return now?.status === 'succeed' ? now : null;
    });
    expect(done).toMatchObject({ upstreamTaskId: sim.tasks()[0].task_id, channelId: ids[0] });
    expect(sim.stats().creates).toBe(1);
    expect(await billing.available(u.id)).toBe(90 * CREDIT); // captured once
  });

  it('shutting down waits for the accepted writes still on their way', async () => {
    const u = await funded();
    const { model: m } = await channels({ key: 'ak-1|sk-1', priority: 1 });
    const real = tasks.recordAccepted.bind(tasks);
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const slow = jest
      .spyOn(tasks, 'recordAccepted')
      .mockImplementationOnce(async (...args: Parameters<VideoTaskRepository['recordAccepted']>) => {
        await gate;
        return real(...args);
      });
    const r = await relay.submit(spec(u.id, m));
    let stopped = false;
    const stopping = relay.beforeApplicationShutdown().then(() => (stopped = true));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(stopped).toBe(false);
    release();
    await stopping;
    slow.mockRestore();
    expect(await tasks.findByTaskId(r.task.taskId)).toMatchObject({ status: 'submitted', leaseOwner: null });
  });
});
