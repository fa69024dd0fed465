import { SignJWT } from 'jose';
import { DataSource } from 'typeorm';
import { Metrics } from '../../src/metrics/metrics.service';
import { TaskPollerService } from '../../src/relay/core/task-poller.service';
import { KlingSimCall, KlingSimulator, startKlingSimulator } from '../../tools/simulators/kling/kling-simulator';
import { bearer } from '../helpers/factories';
import { parsePrometheus, sumOf } from '../helpers/prometheus';
import { addChannel, fundedUser, FundedUser } from '../helpers/relay';
import { startTestApp, TestApp } from '../helpers/test-app';
import { waitFor } from '../helpers/wait';

const AK = 'ak-lists';
const SK = 'sk-lists';
const PAGE = 25;

// Kling tasks whose callbacks never arrive, finished by the poller from Kling's task list pages
// (newest first, PAGE tasks a page here) rather than one query per task. Jobs are off: the tests
// drive the poller themselves.
describe('polling Kling tasks through list pages', () => {
  let sim: KlingSimulator;
  let a: TestApp;
  let b: TestApp;
  let ds: DataSource;

  beforeAll(async () => {
    sim = await startKlingSimulator({
      behavior: { processingAfterMs: 10, completeAfterMs: 600_000, dropCallbacks: true },
    });
    sim.addKey(AK, SK);
    const env = {
      JOBS_ENABLED: 'false',
      // Longer than a round takes, so a round claims each task once.
      POLL_SCHEDULE_MS: '0:1000',
      POLL_BATCH_SIZE: '40',
      POLL_LIST_MIN_GROUP: '5',
      POLL_LIST_PAGE_SIZE: String(PAGE),
    };
    a = await startTestApp({ env });
    b = await startTestApp({ env, database: a.database });
    ds = a.app.get(DataSource);
    await addChannel(a, { name: 'lists', base_url: sim.url, key: `${AK}|${SK}`, models: ['kling-v1-6-std'] });
  });
  afterAll(async () => {
    await b.close();
    await a.close();
    await sim.close();
  });
  afterEach(() => sim.reset());

  const submit = (u: FundedUser, kind: 'text2video' | 'image2video', i: number) =>
    a
      .http()
      .post(`/kling/v1/videos/${kind}`)
      .set(bearer(u.key))
      .send(
        kind === 'text2video'
          ? { model: 'kling-v1-6-std', prompt: `listed ${i}` }
          : { model: 'kling-v1-6-std', prompt: `listed ${i}`, image: 'https://img.example/a.png' },
      )
      .expect(200)
      .then((r) => r.body.task_id as string);
  const submitMany = async (u: FundedUser, kind: 'text2video' | 'image2video', n: number) => {
    const ids: string[] = [];
    for (let i = 0; i < n; i += 10) {
      ids.push(...(await Promise.all(Array.from({ length: Math.min(10, n - i) }, (_, j) => submit(u, kind, i + j)))));
    }
    return ids;
  };
  // Finishes every task upstream; every seventh fails.
  const finishUpstream = () =>
    sim.tasks().forEach((x, i) => sim.completeTask(x.task_id, i % 7 === 3 ? 'failed' : 'succeed'));
  const due = () => new Promise((r) => setTimeout(r, 1100));
  const inFlight = async (users: FundedUser[], status?: string) => {
    const rows = await ds.query<Array<{ status: string }>>(
      `SELECT status FROM videos WHERE user_id IN (${users.map((u) => Number(u.id)).join(',')})`,
    );
    return rows.filter((r) => (status ? r.status === status : r.status !== 'succeed' && r.status !== 'failed')).length;
  };
  const pollUntilDone = (users: FundedUser[], pollers: TaskPollerService[]) =>
    waitFor(
      async () => {
        await Promise.all(pollers.map((p) => p.pollDue()));
        return (await inFlight(users)) === 0;
      },
      20_000,
      120,
    );
  const ledger = async (userId: number, kind: string) =>
    Number(
      (await ds.query('SELECT COUNT(*) AS n FROM ledger_entries WHERE user_id = ? AND kind = ?', [userId, kind]))[0]
        .n as number,
    );
  const ended = async (taskIds: string[]) =>
    (
      await ds.query<Array<{ task_id: string; status: string; ended_by: string }>>(
        'SELECT task_id, status, ended_by FROM videos',
      )
    ).filter((r) => taskIds.includes(r.task_id));
  const lists = (calls: KlingSimCall[], kind?: string) =>
    calls.filter((c) => c.method === 'GET' && c.query.includes('pageNum') && (!kind || c.path.endsWith(kind)));
  const singles = (calls: KlingSimCall[]) => calls.filter((c) => c.method === 'GET' && c.path.split('/').length === 5);
  const poller = (t: TestApp) => t.app.get(TaskPollerService);
  const taskIdsOf = async (u: FundedUser) =>
    (await ds.query<Array<{ task_id: string }>>('SELECT task_id FROM videos WHERE user_id = ?', [u.id])).map(
      (r) => r.task_id,
    );

  it('finishes 120 tasks of two kinds and two users from list pages, charging each once and only its owner', async () => {
    const [u, v] = [await fundedUser(a, 10_000, 'list-u'), await fundedUser(a, 10_000, 'list-v')];
    const mine = [...(await submitMany(u, 'text2video', 30)), ...(await submitMany(u, 'image2video', 30))];
    const theirs = [...(await submitMany(v, 'text2video', 30)), ...(await submitMany(v, 'image2video', 30))];
    // Tasks someone else made with the same Kling key show in the same pages: Reelay ignores them.
    await createDirectly(sim.url, 5);
    await due();
    // All advance to processing, from the pages.
    expect(await poller(a).pollDue()).toEqual({ claimed: 120, finished: 0, errors: 0 });
    expect(await inFlight([u, v], 'processing')).toBe(120);
    finishUpstream();
    await due();
    const before = sim.calls().length;
    expect(await poller(a).pollDue()).toEqual({ claimed: 120, finished: 120, errors: 0 });

    const calls = sim.calls();
    expect(singles(calls)).toEqual([]);
    // 65 tasks of a kind are 3 pages (4 asked at once): the round's three claimed batches of 40
    // share them, rather than each reading its own.
    const round = lists(calls.slice(before));
    expect(round.length).toBeGreaterThanOrEqual(6);
    expect(round.length).toBeLessThanOrEqual(16);
    expect(lists(round, 'text2video').length).toBeGreaterThanOrEqual(3);
    expect(lists(round, 'image2video').length).toBeGreaterThanOrEqual(3);

    const rows = await ended([...mine, ...theirs]);
    expect(rows).toHaveLength(120);
    expect(rows.every((r) => r.ended_by === 'poll')).toBe(true);
    for (const [user, ids] of [
      [u, mine],
      [v, theirs],
    ] as const) {
      const succeeded = rows.filter((r) => ids.includes(r.task_id) && r.status === 'succeed').length;
      expect(await ledger(user.id, 'capture')).toBe(succeeded);
      expect(await ledger(user.id, 'release')).toBe(60 - succeeded);
      expect(await ledger(user.id, 'hold')).toBe(60);
      const bal = (await a.http().get('/api/billing/balance').set(bearer(user.jwt)).expect(200)).body;
      expect(bal.held).toBe(0);
    }

    const m = parsePrometheus(await a.app.get(Metrics).render());
    expect(sumOf(m, 'reelay_poll_list_pages_total', { provider: 'kling' })).toBe(lists(calls).length);
    expect(sumOf(m, 'reelay_polls_total', { provider: 'kling', via: 'query' })).toBe(0);
    expect(sumOf(m, 'reelay_polls_total', { provider: 'kling', via: 'list' })).toBeGreaterThanOrEqual(240);

    // Replaying a round changes nothing: no task is due, nothing is charged again.
    const captures = await ledger(u.id, 'capture');
    expect(await poller(a).pollDue()).toEqual({ claimed: 0, finished: 0, errors: 0 });
    expect(await ledger(u.id, 'capture')).toBe(captures);
  });

  it('finishes a task the list leaves out by its own query', async () => {
    const u = await fundedUser(a, 10_000, 'list-omit');
    const ids = await submitMany(u, 'text2video', 30);
    const hidden = sim.tasks()[12];
    sim.omitFromList(hidden.task_id);
    finishUpstream();
    await due();
    await pollUntilDone([u], [poller(a)]);

    const calls = sim.calls();
    expect(lists(calls).length).toBeGreaterThan(0);
    expect(new Set(singles(calls).map((c) => c.path))).toEqual(new Set([`/v1/videos/text2video/${hidden.task_id}`]));
    const rows = await ended(ids);
    const hiddenRow = rows.find((r) => r.task_id === hidden.external_task_id);
    const upstream = sim.tasks().find((x) => x.task_id === hidden.task_id);
    expect(hiddenRow).toMatchObject({ status: upstream?.status, ended_by: 'poll' });
    expect((await ledger(u.id, 'capture')) + (await ledger(u.id, 'release'))).toBe(30);
  });

  it('asks one by one for the tasks of a page that failed, and counts no error', async () => {
    const u = await fundedUser(a, 10_000, 'list-fail');
    await submitMany(u, 'text2video', 30);
    finishUpstream();
    sim.failNextLists(1);
    await due();
    expect(await poller(a).pollDue()).toEqual({ claimed: 30, finished: 30, errors: 0 });
    // Whichever of the pages asked at once failed: its tasks (and any after it) were asked alone.
    expect(singles(sim.calls()).length).toBeGreaterThan(0);
    expect(a.logs.text()).toContain('task list page failed');
    expect((await ledger(u.id, 'capture')) + (await ledger(u.id, 'release'))).toBe(30);
  });

  it('charges each task once when two replicas sweep the same lists at once', async () => {
    const u = await fundedUser(a, 10_000, 'list-two');
    await Promise.all([submitMany(u, 'text2video', 50), submitMany(u, 'image2video', 50)]);
    await due();
    finishUpstream();
    await pollUntilDone([u], [poller(a), poller(b)]);

    expect((await ledger(u.id, 'capture')) + (await ledger(u.id, 'release'))).toBe(100);
    expect(await ledger(u.id, 'hold')).toBe(100);
    const rows = await ended(await taskIdsOf(u));
    expect(rows).toHaveLength(100);
    expect(rows.every((r) => r.ended_by === 'poll')).toBe(true);
    // Each replica sweeps its own batches; a last batch too small for a sweep is asked alone.
    expect(lists(sim.calls()).length).toBeGreaterThan(0);
    expect(singles(sim.calls()).length).toBeLessThan(10);
  });
});

// Tasks made on the same Kling account without Reelay.
async function createDirectly(simUrl: string, n: number): Promise<void> {
  const now = Math.floor(Date.now() / 1000);
  const jwt = await new SignJWT({ iss: AK })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setExpirationTime(now + 600)
    .setNotBefore(now - 5)
    .sign(new TextEncoder().encode(SK));
  for (let i = 0; i < n; i++) {
    const res = await fetch(`${simUrl}/v1/videos/text2video`, {
      method: 'POST',
      headers: { authorization: `Bearer ${jwt}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model_name: 'kling-v1-6', prompt: `not Reelay's ${i}` }),
    });
    expect(res.status).toBe(200);
  }
}
