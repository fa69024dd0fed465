import { EntityManager } from 'typeorm';
import { BillingService } from '../../src/billing/billing.service';
import { Db } from '../../src/common/database/db.service';
import { DIRECT_OWNER } from '../../src/relay/core/direct-task.owner';
import { TaskLifecycleService } from '../../src/relay/core/task-lifecycle.service';
import { TaskEndListener, TaskOutcome, TaskOwner, TaskOwners } from '../../src/relay/core/task-owner';
import { TaskPollerService } from '../../src/relay/core/task-poller.service';
import { VideoTask } from '../../src/relay/core/video-task.entity';
import {
  pollDueParams,
  pollDueSql,
  pollLanesSql,
  VideoTaskRepository,
} from '../../src/relay/core/video-task.repository';
import { UpstreamTask } from '../../src/providers/video-provider';
import { WebhookEndpointRepository } from '../../src/webhooks/webhook-endpoint.repository';
import { KlingSimulator, startKlingSimulator } from '../../tools/simulators/kling/kling-simulator';
import { channel, CREDIT, fund, newUser } from '../helpers/medium-fixtures';
import { startServices, TestServices } from '../helpers/test-services';

// An owner that records what the core asks of it, and can be told to fail.
class RecordingOwner extends TaskOwner {
  readonly name = 'recording';
  created: string[] = [];
  finished: Array<{ taskId: string; outcome: TaskOutcome; inTransaction: boolean }> = [];
  failFor = new Set<string>(); // tasks whose every end fails

  onCreated(_em: EntityManager, task: VideoTask): Promise<void> {
    this.created.push(task.taskId);
    return Promise.resolve();
  }

  async onFinished(em: EntityManager, task: VideoTask, outcome: TaskOutcome): Promise<{ charged: number }> {
    // The terminal UPDATE is visible through the transaction's own manager.
    const row = await em.findOneBy(VideoTask, { taskId: task.taskId });
    if (this.failFor.has(task.taskId)) {
      throw new Error('owner failed');
    }
    this.finished.push({ taskId: task.taskId, outcome, inTransaction: row?.status === task.status });
    return { charged: 0 };
  }
}

class RecordingListener extends TaskEndListener {
  ended: string[] = [];
  onTaskEnded(_em: EntityManager, task: VideoTask): Promise<void> {
    this.ended.push(task.taskId);
    return Promise.resolve();
  }
}

// The lifecycle's terminal transitions with each owner: the owner and the end listeners run once,
// inside the transaction that ends the task; if they fail, the task does not end.
describe('TaskLifecycleService', () => {
  let sim: KlingSimulator;
  let s: TestServices;
  let lifecycle: TaskLifecycleService;
  let tasks: VideoTaskRepository;
  let billing: BillingService;
  const owner = new RecordingOwner();
  const listener = new RecordingListener();
  let channelId: number;
  let seq = 0;

  beforeAll(async () => {
    sim = await startKlingSimulator({ behavior: { processingAfterMs: 10, completeAfterMs: 30, dropCallbacks: true } });
    sim.addKey('ak-l', 'sk-l');
    s = await startServices({ POLL_SCHEDULE_MS: '0:50', UNKNOWN_GRACE_SECONDS: '30' });
    lifecycle = s.get(TaskLifecycleService);
    tasks = s.get(VideoTaskRepository);
    billing = s.get(BillingService);
    s.get(TaskOwners).register(owner);
    s.get(TaskOwners).listen(listener);
    channelId = await channel(s, { type: 'kling', base_url: sim.url, key: 'ak-l|sk-l', models: ['kling-v1-6-std'] });
  });
  afterAll(async () => {
    await s.close();
    await sim.close();
  });

  // A task row as the submit pipeline writes it, with whatever its owner needs.
  async function task(ownerName: string, userId: number, over: Partial<VideoTask> = {}): Promise<VideoTask> {
    const nowMs = Date.now();
    return s.get(Db).tx(async (em) => {
      const row = await tasks.insertTask(em, {
        taskId: `kling_life${++seq}_${nowMs}`,
        userId,
        channelId,
        model: 'kling-v1-6-std',
        provider: 'kling',
        type: 'text2video',
        quota: 10 * CREDIT,
        prompt: 'p',
        duration: '5',
        requestKind: 'text2video',
        requestParams: '{}',
        owner: ownerName,
        ownerRef: null,
        pollSchedule: '0:50',
        deadlineAtMs: nowMs + 60_000,
        leaseOwner: null,
        leaseUntilMs: null,
        nextPollAtMs: nowMs + 60_000,
        api: null,
        clientRef: null,
        clientCallbackUrl: null,
        tokenId: null,
        now: Math.floor(nowMs / 1000),
        ...over,
      });
      await s.get(TaskOwners).get(ownerName).onCreated(em, row);
      return row;
    });
  }
  async function nTasks(ownerName: string, userId: number, n: number): Promise<VideoTask[]> {
    const out: VideoTask[] = [];
    for (let i = 0; i < n; i++) out.push(await task(ownerName, userId));
    return out;
  }
  const up = (status: UpstreamTask['status'], over: Partial<UpstreamTask> = {}): UpstreamTask => ({
    upstreamTaskId: 'u-1',
    externalTaskId: null,
    status,
    failReason: status === 'failed' ? 'upstream said no' : null,
    videoId: 'v',
    videoUrl: status === 'succeed' ? 'https://cdn/v.mp4' : null,
    duration: '5',
    ...over,
  });

  // First in the file, so that the planner sees only these rows (with other tests' rows beside
  // them MySQL was seen to merge two indexes instead).
  it('claims due polls lane by lane from idx_videos_poll_lane alone, with no sort of the tasks in flight, on either database', async () => {
    const u = await newUser(s);
    const { id: _id, ...template } = await task(owner.name, u.id);
    const now = Date.now();
    const rows = Array.from({ length: 1500 }, (_, i) => ({
      ...template,
      taskId: `kling_plan_${i}_${now}`,
      status: i % 3 === 0 ? 'succeed' : i % 2 === 0 ? 'processing' : 'submitted',
      pollIntervalMs: [5000, 10_000, 30_000][i % 3],
      // A quarter of those in flight are due; the rest are due later.
      nextPollAtMs: i % 3 === 0 ? null : i % 4 === 1 ? now - 1000 - i : now + 60_000 + i,
    }));
    for (let i = 0; i < rows.length; i += 300) await s.ds.getRepository(VideoTask).insert(rows.slice(i, i + 300));
    // MySQL keeps index statistics by itself; SQLite has none unless ANALYZE runs (Reelay never
    // runs it), which is when its planner went for idx_status.
    if (s.get(Db).isMysql) await s.ds.query('ANALYZE TABLE videos');

    const lanes = await tasks.pollLanes();
    expect(lanes).toEqual(expect.arrayContaining([5000, 10_000, 30_000]));
    expect([...lanes].sort((a, b) => a - b)).toEqual(lanes);
    const [sql, params] = [pollDueSql(lanes.length), pollDueParams(lanes, now, 200)];
    if (s.get(Db).isMysql) {
      const plan: Array<{ table: string; key: string | null; Extra: string | null }> = await s.ds.query(
        `EXPLAIN ${sql}`,
        params,
      );
      const reads = plan.filter((p) => p.table === 'videos');
      expect(reads).toHaveLength(lanes.length);
      for (const p of reads)
        expect([p.key, p.Extra]).toEqual(['idx_videos_poll_lane', expect.stringContaining('Using index')]);
      for (const p of plan) expect(p.Extra ?? '').not.toMatch(/filesort|temporary/i);
    } else {
      const plan: Array<{ detail: string }> = await s.ds.query(`EXPLAIN QUERY PLAN ${sql}`, params);
      const details = plan.map((p) => p.detail);
      const lanesRead = details.filter((d) => d.includes('USING COVERING INDEX idx_videos_poll_lane'));
      expect(lanesRead).toHaveLength(lanes.length);
      expect(details.join(' | ')).not.toMatch(/TEMP B-TREE|SCAN videos/);
    }
    // The lanes themselves: a few seeks of the same index, never a read of all of it.
    const lanesSql = pollLanesSql(s.get(Db).isMysql);
    if (s.get(Db).isMysql) {
      const plan: Array<{ key: string | null; Extra: string | null }> = await s.ds.query(`EXPLAIN ${lanesSql}`);
      expect(plan.map((p) => [p.key, p.Extra])).toEqual([['idx_videos_poll_lane', 'Using index for group-by']]);
    } else {
      const plan: Array<{ detail: string }> = await s.ds.query(`EXPLAIN QUERY PLAN ${lanesSql}`);
      const details = plan.map((p) => p.detail).join(' | ');
      expect(details).toContain('SEARCH videos USING COVERING INDEX idx_videos_poll_lane (poll_interval_ms>?)');
      expect(details).not.toMatch(/SCAN videos/);
    }
    const claimed = await tasks.claimDuePolls('plan-test', now, 1000, 60_000, lanes);
    const due = rows.filter((r) => r.nextPollAtMs !== null && r.nextPollAtMs <= now);
    expect(claimed.map((t) => t.taskId).sort()).toEqual(due.map((r) => r.taskId).sort());
    // Each claimed task reports when it was due, and is out of the due range until its lease ends.
    const dueAt = new Map(due.map((r) => [r.taskId, r.nextPollAtMs]));
    for (const t of claimed) expect(t.nextPollAtMs).toBe(dueAt.get(t.taskId));
    expect(await tasks.claimDuePolls('plan-test-2', now + 59_000, 1000, 60_000, lanes)).toEqual([]);
  });

  // Intervals no other test uses, so other tests' tasks (all due by then) stay out of these lanes.
  async function inLane(userId: number, intervalMs: number, nextPollAtMs: number): Promise<string> {
    const { taskId } = await task(owner.name, userId, { nextPollAtMs });
    await s.ds.query('UPDATE videos SET poll_interval_ms = ? WHERE task_id = ?', [intervalMs, taskId]);
    return taskId;
  }

  it('claims the most overdue tasks in units of their own intervals first', async () => {
    const u = await newUser(s);
    const now = Date.now() + 3_600_000;
    // Seconds late: 30, 10, 8, 2 (a quarter, 2, 0.8 and 0.4 of their intervals).
    const slow = await inLane(u.id, 120_001, now - 30_000);
    const fast = await inLane(u.id, 5001, now - 10_000);
    const mid = await inLane(u.id, 10_001, now - 8000);
    const fresh = await inLane(u.id, 5001, now - 2000);
    const lanes = [5001, 10_001, 120_001];
    expect(await tasks.pollLanes()).toEqual(expect.arrayContaining(lanes));
    const order: string[] = [];
    for (let i = 0; i < 4; i++) {
      const [one] = await tasks.claimDuePolls('lateness', now, 1, 60_000, lanes);
      order.push(one.taskId);
    }
    expect(order).toEqual([fast, mid, fresh, slow]);
  });

  it('a finished task left with a next poll is not claimed and stops being due', async () => {
    const u = await newUser(s);
    const now = Date.now() + 7_200_000;
    const stale = await inLane(u.id, 5002, now - 100_000);
    await s.ds.query('UPDATE videos SET status = ? WHERE task_id = ?', ['succeed', stale]);
    const live = await inLane(u.id, 5002, now - 1000);
    const claimed = await tasks.claimDuePolls('stale', now, 1, 60_000, [5002]);
    expect(claimed).toEqual([]); // the stale one headed its lane and lost the claim
    expect((await tasks.findByTaskId(stale))?.nextPollAtMs).toBeNull();
    expect((await tasks.claimDuePolls('stale', now, 1, 60_000, [5002])).map((t) => t.taskId)).toEqual([live]);
  });

  // A full group (50). Without statistics SQLite guesses ~10 rows per value of a non-unique index,
  // so four statuses looked cheaper than 50 task ids: it read idx_status (every task in flight,
  // ~50 ms a group at 100,000) for the group's lock and end until `+status` kept it off.
  it("ends a group's tasks through their task ids, never by reading every task in flight", async () => {
    const u = await newUser(s);
    const group = await nTasks(owner.name, u.id, 50);
    const db = s.get(Db);
    const [rows, write] = [jest.spyOn(db, 'rows'), jest.spyOn(db, 'write')];
    const won = await db.tx((m) =>
      tasks.finishMany(
        m,
        group.map((t) => ({ taskId: t.taskId, to: 'succeed' as const, fields: { endedBy: 'poll' }, now: 1 })),
      ),
    );
    const sent = [...rows.mock.calls, ...write.mock.calls].filter(([, sql]) => /`videos`/.test(sql));
    rows.mockRestore();
    write.mockRestore();
    expect([...won].sort()).toEqual(group.map((t) => t.taskId).sort());
    expect(sent).toHaveLength(2); // the lock (SELECT … FOR UPDATE on MySQL), then one UPDATE
    for (const [, sql, params] of sent) {
      const text = db.isMysql ? sql.replace(/ FOR UPDATE$/, '') : sql;
      const plan: Array<Record<string, unknown>> = await s.ds.query(
        `${db.isMysql ? 'EXPLAIN' : 'EXPLAIN QUERY PLAN'} ${text}`,
        [...params],
      );
      const used = plan.map((p) => String(db.isMysql ? p.key : p.detail)).join(' | ');
      expect(used).toContain('idx_task_id');
      expect(used).not.toContain('idx_status');
    }
  });

  it("in a group commit the locked tasks' UPDATE goes with the commit, and a task already ended is not won", async () => {
    const u = await newUser(s);
    const group = await nTasks(owner.name, u.id, 5);
    const db = s.get(Db);
    await tasks.finish(s.ds.manager, group[0].taskId, 'failed', { endedBy: 'poll' }, 1);
    const [write, atCommit] = [jest.spyOn(db, 'write'), jest.spyOn(db, 'writeAtCommit')];
    const sent = jest.spyOn(
      db as unknown as { mysqlQuery: (t: unknown, sql: string) => Promise<unknown> },
      'mysqlQuery',
    );
    const won = await db.tx((m) => {
      db.markShared(m);
      return tasks.finishMany(
        m,
        group.map((t) => ({ taskId: t.taskId, to: 'succeed' as const, fields: { endedBy: 'callback' }, now: 2 })),
      );
    });
    const direct = write.mock.calls.filter(([, sql]) => /^UPDATE `videos`/.test(sql));
    const deferred = atCommit.mock.calls.filter(([, sql]) => /^UPDATE `videos`/.test(sql));
    const trips = sent.mock.calls.map(([, sql]) => sql.split(';\n').map((q) => q.split(' ').slice(0, 2).join(' ')));
    for (const spy of [write, atCommit, sent]) spy.mockRestore();
    expect([...won].sort()).toEqual(
      group
        .slice(1)
        .map((t) => t.taskId)
        .sort(),
    );
    // On MySQL the UPDATE waits for the commit's multi-statement; SQLite sends it at once (no round trip).
    expect(deferred).toHaveLength(1);
    expect(direct).toHaveLength(db.isMysql ? 0 : 1);
    // Two round trips on MySQL: the lock, then the UPDATE with its guard (the database checks it
    // ended every locked task) and COMMIT.
    if (db.isMysql) expect(trips).toEqual([['SELECT `task_id`'], ['UPDATE `videos`', 'SET @reelay_guard', 'COMMIT']]);
    const after = await Promise.all(group.map((t) => tasks.findByTaskId(t.taskId)));
    expect(after.map((t) => [t?.status, t?.endedBy])).toEqual([
      ['failed', 'poll'],
      ...group.slice(1).map(() => ['succeed', 'callback']),
    ]);
  });

  // The webhook listener asks for the ending users' endpoints before the tasks are locked, and the
  // read goes in the lock's round trip: an end, alone or in a group, is two round trips on MySQL.
  it("reads the users' webhook endpoints with the lock: two round trips per group, each user's event to its own endpoints", async () => {
    const [a, b] = [await newUser(s), await newUser(s)];
    for (const u of [a, b]) await fund(s, u, 100);
    await s.get(WebhookEndpointRepository).create(
      {
        publicId: `we_life_${a.id}`,
        userId: a.id,
        url: 'https://hooks.example.com/a',
        description: null,
        events: 'video.completed,video.failed',
        enabled: true,
        secretEncrypted: 'sealed',
      },
      1,
    );
    const mine = [...(await nTasks(DIRECT_OWNER, a.id, 3)), ...(await nTasks(DIRECT_OWNER, b.id, 3))];
    const db = s.get(Db);
    const sent = jest.spyOn(
      db as unknown as { mysqlQuery: (t: unknown, sql: string) => Promise<unknown> },
      'mysqlQuery',
    );
    // The first end commits alone at once; the five that arrive meanwhile form one group.
    const { failed } = await lifecycle.applyEnds(
      mine.map((t) => ({ task: t, up: up('succeed') })),
      'poll',
    );
    const trips = sent.mock.calls.map(([, sql]) => sql.split(';\n').map((q) => q.split(' ').slice(0, 4).join(' ')));
    sent.mockRestore();
    expect(failed).toEqual([]);
    if (db.isMysql) {
      const endpointsRead = 'SELECT `id`, `public_id` AS';
      expect(trips).toHaveLength(4);
      expect(trips[0]).toEqual([endpointsRead, 'UPDATE `videos` SET `upstream_task_id`']);
      expect(trips[2]).toEqual([endpointsRead, 'SELECT `task_id` AS `taskId`']);
      for (const i of [1, 3]) expect(trips[i].at(-1)).toBe('COMMIT');
    }
    const events = await s.ds.query<Array<{ userId: number | string; n: number | string }>>(
      'SELECT e.user_id AS userId, COUNT(*) AS n FROM webhook_events e JOIN webhook_deliveries d ON d.event_id = e.id ' +
        'WHERE e.user_id IN (?, ?) GROUP BY e.user_id',
      [a.id, b.id],
    );
    // User a's three successes reach its endpoint; user b has none, so nothing is written for b.
    expect(events.map((e) => [Number(e.userId), Number(e.n)])).toEqual([[a.id, 3]]);
    expect(await billing.available(a.id)).toBe(70 * CREDIT);
    expect(await billing.available(b.id)).toBe(70 * CREDIT);
  });

  it('20 concurrent successes end the task once: the owner and the listeners run once, in its transaction', async () => {
    const u = await newUser(s);
    const t = await task('recording', u.id);
    const results = await Promise.all(Array.from({ length: 20 }, () => lifecycle.apply(t, up('succeed'), 'callback')));
    expect(results.filter((r) => r === 'finished')).toHaveLength(1);
    expect(owner.finished.filter((f) => f.taskId === t.taskId)).toEqual([
      { taskId: t.taskId, outcome: { status: 'succeed' }, inTransaction: true },
    ]);
    expect(listener.ended.filter((id) => id === t.taskId)).toHaveLength(1);
    expect(await tasks.findByTaskId(t.taskId)).toMatchObject({
      status: 'succeed',
      storeUrl: 'https://cdn/v.mp4',
      endedBy: 'callback',
    });
  });

  it('stamps processing_at on the first move to processing only, and leaves it null for a task that skipped it', async () => {
    const u = await newUser(s);
    const t = await task('recording', u.id);
    expect(await lifecycle.apply(t, up('processing'), 'callback')).toBe('advanced');
    const first = (await tasks.findByTaskId(t.taskId))?.processingAt;
    expect(first).toEqual(expect.any(Number));
    expect(await lifecycle.apply(t, up('processing'), 'poll')).toBe('unchanged');
    expect(await lifecycle.apply(t, up('succeed'), 'callback')).toBe('finished');
    expect((await tasks.findByTaskId(t.taskId))?.processingAt).toBe(first);

    const direct = await task('recording', u.id);
    expect(await lifecycle.apply(direct, up('submitted'), 'callback')).toBe('advanced');
    expect(await lifecycle.apply(direct, up('succeed'), 'callback')).toBe('finished');
    expect(await tasks.findByTaskId(direct.taskId)).toMatchObject({ status: 'succeed', processingAt: null });
  });

  it('an owner that fails rolls the end back: the task stays active and ends on the next report', async () => {
    const u = await newUser(s);
    const t = await task('recording', u.id);
    owner.failFor.add(t.taskId); // every try (a failed shared end is run again alone)
    await expect(lifecycle.apply(t, up('failed'), 'poll')).rejects.toThrow('owner failed');
    expect(await tasks.findByTaskId(t.taskId)).toMatchObject({ status: 'submitting', endedBy: null });
    expect(listener.ended).not.toContain(t.taskId);
    owner.failFor.delete(t.taskId);
    expect(await lifecycle.apply(t, up('failed'), 'refresh')).toBe('finished');
    expect((await tasks.findByTaskId(t.taskId))?.endedBy).toBe('refresh');
    expect(owner.finished.find((f) => f.taskId === t.taskId)?.outcome).toEqual({
      status: 'failed',
      reason: 'upstream said no',
      atSubmit: false,
      retryable: false,
    });
  });

  it('direct owner: the hold taken at creation is captured once on success and released on failure', async () => {
    const u = await newUser(s);
    await fund(s, u, 100);
    const ok = await task(DIRECT_OWNER, u.id);
    const bad = await task(DIRECT_OWNER, u.id);
    expect(await billing.available(u.id)).toBe(80 * CREDIT);
    await Promise.all([lifecycle.apply(ok, up('succeed'), 'callback'), lifecycle.apply(ok, up('succeed'), 'poll')]);
    await lifecycle.fail(bad, 'timeout', 'timeout');
    expect((await tasks.findByTaskId(bad.taskId))?.endedBy).toBe('timeout');
    expect(await billing.available(u.id)).toBe(90 * CREDIT);
    expect(await billing.capture({ type: 'task', id: ok.taskId })).toEqual({ status: 'already_captured', charged: 0 });
    expect(await billing.capture({ type: 'task', id: bad.taskId })).toEqual({ status: 'already_released', charged: 0 });
  });

  it('settles concurrent ends in shared transactions: each captured once, a bad task fails alone', async () => {
    const [a, b] = [await newUser(s), await newUser(s)];
    await fund(s, a, 1000);
    await fund(s, b, 1000);
    // 70 + 50 direct tasks (more than one chunk for each user), interleaved as a poll batch would be.
    const mine = [...(await nTasks(DIRECT_OWNER, a.id, 70)), ...(await nTasks(DIRECT_OWNER, b.id, 50))];
    const ends = mine.map((task, i) => ({ task, up: up(i % 10 === 9 ? 'failed' : 'succeed') }));
    // Two pollers with the same ends and a callback for every fifth task, all at once.
    const tx = jest.spyOn(s.get(Db), 'tx');
    const writes = jest.spyOn(s.get(Db), 'write');
    const [first, second] = await Promise.all([
      lifecycle.applyEnds(ends, 'poll'),
      lifecycle.applyEnds([...ends].reverse(), 'poll'),
      ...mine.filter((_, i) => i % 5 === 0).map((t) => lifecycle.apply(t, up('succeed'), 'callback')),
    ]);
    expect([first, second]).toEqual([{ failed: [] }, { failed: [] }]);
    // 264 ends committed in groups, not a transaction each.
    expect(tx.mock.calls.length).toBeLessThan(30);
    tx.mockRestore();
    // A group's terminal moves are one UPDATE, not one per end.
    const taskUpdates = writes.mock.calls.filter(([, sql]) => sql.startsWith('UPDATE `videos`')).length;
    writes.mockRestore();
    expect(taskUpdates).toBeLessThan(30);
    const rows = await Promise.all(mine.map((t) => tasks.findByTaskId(t.taskId)));
    expect(rows.every((r) => r?.status === 'succeed' || r?.status === 'failed')).toBe(true);
    const captured = await s.ds.query(
      "SELECT op_key FROM ledger_entries WHERE kind = 'capture' AND user_id IN (?, ?)",
      [a.id, b.id],
    );
    const released = await s.ds.query(
      "SELECT op_key FROM ledger_entries WHERE kind = 'release' AND user_id IN (?, ?)",
      [a.id, b.id],
    );
    const succeeded = rows.filter((r) => r?.status === 'succeed').length;
    expect(captured).toHaveLength(succeeded);
    expect(released).toHaveLength(mine.length - succeeded);
    expect(new Set([...captured, ...released].map((r: { op_key: string }) => r.op_key)).size).toBe(mine.length);
    // Every succeeded video's copy job, once (written per group, as multi-row INSERTs at commit).
    const copies = await s.ds.query<Array<{ task_id: string }>>(
      'SELECT task_id FROM media_copies WHERE user_id IN (?, ?)',
      [a.id, b.id],
    );
    const won = rows.filter((r) => r?.status === 'succeed').map((r) => r?.taskId);
    expect(copies.map((c) => c.task_id).sort()).toEqual(won.sort());
    const chargedA = rows.slice(0, 70).filter((r) => r?.status === 'succeed').length * 10 * CREDIT;
    const chargedB = rows.slice(70).filter((r) => r?.status === 'succeed').length * 10 * CREDIT;
    expect(await billing.available(a.id)).toBe(1000 * CREDIT - chargedA);
    expect(await billing.available(b.id)).toBe(1000 * CREDIT - chargedB);

    // Replayed, nothing moves.
    expect(await lifecycle.applyEnds(ends, 'poll')).toEqual({ failed: [] });
    expect(await billing.available(a.id)).toBe(1000 * CREDIT - chargedA);

    // One task whose owner keeps failing spoils its chunk; the chunk is settled task by task, the
    // others end, and that one is handed back still active.
    const batch = await nTasks('recording', a.id, 5);
    owner.failFor.add(batch[2].taskId);
    const r = await lifecycle.applyEnds(
      batch.map((task) => ({ task, up: up('succeed') })),
      'poll',
    );
    expect(r.failed.map((t) => t.taskId)).toEqual([batch[2].taskId]);
    const after = await Promise.all(batch.map((t) => tasks.findByTaskId(t.taskId)));
    expect(after.map((t) => t?.status)).toEqual(['succeed', 'succeed', 'submitting', 'succeed', 'succeed']);
    owner.failFor.clear();
  });

  it('answers concurrent lookups and accepted writes each with its own row (on MySQL in shared statements)', async () => {
    const [u, other] = [await newUser(s), await newUser(s)];
    const mine = await nTasks(owner.name, u.id, 40);
    const theirs = await task(owner.name, other.id);
    const db = s.get(Db);
    const reads = jest.spyOn(db, 'rows');
    const writes = jest.spyOn(db, 'write');
    const ids = [...mine.map((t) => t.taskId), mine[0].taskId, theirs.taskId, 'kling_nope'];
    const [found, owned] = await Promise.all([
      Promise.all(ids.map((id) => tasks.findByTaskId(id))),
      Promise.all(ids.map((id) => tasks.findOwned(u.id, id))),
    ]);
    expect(found.map((t) => t?.taskId ?? null)).toEqual([...ids.slice(0, -1), null]);
    expect(owned.map((t) => t?.taskId ?? null)).toEqual([...ids.slice(0, -2), null, null]); // not another's
    expect(found[0]).not.toBe(found[40]); // the same row asked twice: two objects, each the caller's own
    if (db.isMysql) expect(reads.mock.calls.length).toBeLessThan(ids.length);

    // The last one ended before its answer is recorded: the write leaves it ended (per-row condition).
    await lifecycle.applyEnds([{ task: mine[39], up: up('failed') }], 'poll');
    const now = Math.floor(Date.now() / 1000);
    writes.mockClear();
    await Promise.all(mine.map((t, i) => tasks.recordAccepted(t.taskId, channelId, `up-${i}`, 1000 + i, now)));
    if (db.isMysql) expect(writes.mock.calls.length).toBeLessThan(mine.length);
    reads.mockRestore();
    writes.mockRestore();
    const rows = await Promise.all(mine.map((t) => tasks.findByTaskId(t.taskId)));
    rows
      .slice(0, 39)
      .forEach((r, i) =>
        expect(r).toMatchObject({ status: 'submitted', upstreamTaskId: `up-${i}`, nextPollAtMs: 1000 + i }),
      );
    expect(rows[39]).toMatchObject({ status: 'failed', upstreamTaskId: 'u-1' });
  });

  describe('a task whose dispatcher died (still submitting after its dispatch lease lapsed)', () => {
    it('is found upstream by our id when the create had arrived, and goes on', async () => {
      const u = await newUser(s);
      await fund(s, u, 100);
      const t = await task(DIRECT_OWNER, u.id, { leaseOwner: 'dead', leaseUntilMs: Date.now() - 1, nextPollAtMs: 0 });
      // The create reached Kling; the process died before recording the answer.
      const res = await fetch(`${sim.url}/v1/videos/text2video`, {
        method: 'POST',
        headers: { authorization: `Bearer ${await klingToken()}`, 'content-type': 'application/json' },
        body: JSON.stringify({ model_name: 'kling-v1-6', prompt: 'p', external_task_id: t.taskId }),
      });
      expect(res.status).toBe(200);
      await s.get(TaskPollerService).pollDue();
      const row = await tasks.findByTaskId(t.taskId);
      expect(row?.upstreamTaskId).toBe(sim.tasks().find((x) => x.external_task_id === t.taskId)?.task_id);
      expect(['submitted', 'processing', 'succeed']).toContain(row?.status);
    });

    it('fails at once, hold released, when the upstream never got it (Kling can be asked by our id)', async () => {
      const u = await newUser(s);
      await fund(s, u, 100);
      const t = await task(DIRECT_OWNER, u.id, { leaseOwner: 'dead', leaseUntilMs: Date.now() - 1, nextPollAtMs: 0 });
      await s.get(TaskPollerService).pollDue();
      expect(await tasks.findByTaskId(t.taskId)).toMatchObject({
        status: 'failed',
        failReason: 'The upstream never received the task',
      });
      expect(await billing.available(u.id)).toBe(100 * CREDIT);
    });

    it('is left alone while its dispatch lease is live', async () => {
      const u = await newUser(s);
      await fund(s, u, 100);
      const t = await task(DIRECT_OWNER, u.id, {
        leaseOwner: 'alive',
        leaseUntilMs: Date.now() + 60_000,
        nextPollAtMs: 0,
      });
      await s.get(TaskPollerService).pollDue();
      expect(await tasks.findByTaskId(t.taskId)).toMatchObject({ status: 'submitting', endedBy: null });
    });
  });

  async function klingToken(): Promise<string> {
    const { SignJWT } = await import('jose');
    const now = Math.floor(Date.now() / 1000);
    return new SignJWT({})
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setIssuer('ak-l')
      .setExpirationTime(now + 1800)
      .setNotBefore(now - 5)
      .sign(new TextEncoder().encode('sk-l'));
  }
});
