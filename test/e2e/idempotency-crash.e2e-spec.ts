import request from 'supertest';
import { KlingSimulator, startKlingSimulator } from '../../tools/simulators/kling/kling-simulator';
import { buildApp, ReelayProcess, spawnReelay } from '../helpers/reelay-process';
import { TEST_ADMIN } from '../helpers/test-app';
import { createTestDatabase, TestDatabase } from '../helpers/test-db';
import { openObserver } from '../helpers/observer';
import { waitFor } from '../helpers/wait';

const SUBMITS = 220;
const LEASE_SECONDS = 3;
const UPSTREAM_TIMEOUT_MS = 1000;
const POLL_INTERVAL_MS = 500;
// A task whose dispatcher died is taken by the poller once its dispatch lease lapses (two
// upstream timeouts + 5 s) and asked about by our id at once (Kling can be): the bound on how long
// it may stay `submitting`, plus a poll tick, and one query that timed out and was asked again.
const SUBMITTING_BOUND_MS = 2 * UPSTREAM_TIMEOUT_MS + 5_000 + UPSTREAM_TIMEOUT_MS + POLL_INTERVAL_MS + 1_000;

// #17: a burst of submits, each with its own Idempotency-Key, a `kill -9` in the middle, a restart
// on the same database, and clients retrying every unanswered request with its key.
describe('Idempotency-Key across a crash', () => {
  let sim: KlingSimulator;
  let db: TestDatabase;
  const procs: ReelayProcess[] = [];

  beforeAll(async () => {
    buildApp();
    sim = await startKlingSimulator({
      behavior: { processingAfterMs: 200, completeAfterMs: 1500, createLatencyMs: 150 },
    });
    sim.addKey('ak-crash', 'sk-crash');
    db = await createTestDatabase();
  }, 180_000);
  afterAll(async () => {
    for (const p of procs) p.kill();
    await sim.close();
    await db.drop();
  });

  const start = async () => {
    const p = await spawnReelay(db.url, {
      IDEMPOTENCY_LEASE_SECONDS: String(LEASE_SECONDS),
      UPSTREAM_TIMEOUT_MS: String(UPSTREAM_TIMEOUT_MS),
      POLL_TICK_MS: '100',
      POLL_SCHEDULE_MS: `0:${POLL_INTERVAL_MS}`,
      // Poll failures are logged (warn), for the report of a task that stayed `submitting`.
      LOG_LEVEL: 'warn',
      UNKNOWN_GRACE_SECONDS: '10',
      DB_POOL_SIZE: '40',
    });
    procs.push(p);
    return p;
  };

  // What a task that stayed `submitting` went through: its row (times relative to the kill),
  // whether the upstream has it, and the restarted process's log lines about it.
  const report = async (taskIds: string[], killedAt: number, log: string): Promise<string> => {
    const observer = await openObserver(db.url);
    try {
      const rows = await observer.query<Record<string, unknown>>(
        `SELECT task_id, created_at, lease_owner, lease_until_ms, next_poll_at_ms, poll_count, upstream_task_id
         FROM videos WHERE task_id IN (${taskIds.map(() => '?').join(', ')})`,
        taskIds,
      );
      const known = new Set(sim.tasks().map((t) => t.external_task_id));
      const lines = log.split('\n');
      return rows
        .map((r) => {
          const id = String(r.task_id);
          const rel = (v: unknown) =>
            v === null ? 'null' : `kill${Number(v) - killedAt >= 0 ? '+' : ''}${Number(v) - killedAt}ms`;
          const logged = lines.filter((l) => l.includes(id)).slice(0, 5);
          return (
            `${id} created ${rel(Number(r.created_at) * 1000)} lease ${String(r.lease_owner)} until ${rel(r.lease_until_ms)} ` +
            `next poll ${rel(r.next_poll_at_ms)} polls ${String(r.poll_count)} upstream id ${String(r.upstream_task_id)} ` +
            `upstream has it: ${known.has(id)}\n  ${logged.join('\n  ')}`
          );
        })
        .concat(lines.filter((l) => /poll|sweep/i.test(l)).slice(0, 10))
        .join('\n');
    } finally {
      await observer.close();
    }
  };

  it('every key ends with exactly one task its client learned, nothing is created twice, and every hold settles', async () => {
    let reelay = await start();
    const auth = (token: string) => ({ Authorization: `Bearer ${token}` });
    const admin = (await request(reelay.url).post('/api/auth/login').send(TEST_ADMIN).expect(200)).body.access_token;
    await request(reelay.url)
      .post('/api/admin/channels')
      .set(auth(admin))
      .send({ name: 'kling', type: 'kling', base_url: sim.url, key: 'ak-crash|sk-crash', models: ['kling-v1-6-std'] })
      .expect(201);
    const reg = (
      await request(reelay.url)
        .post('/api/auth/register')
        .send({ email: 'crash@example.test', password: 'quartz-meadow-61-ember' })
        .expect(201)
    ).body;
    await request(reelay.url)
      .post(`/api/admin/users/${reg.user.id}/credits`)
      .set(auth(admin))
      .send({ amount: 100_000, reason: 'crash test' })
      .expect(201);
    const key = (
      await request(reelay.url).post('/api/tokens').set(auth(reg.access_token)).send({ name: 'crash' }).expect(201)
    ).body.key as string;

    const body = (i: number) => ({ model: 'kling-v1-6-std', prompt: `crash burst ${i}`, duration: 5 });
    interface Answer {
      status: number;
      body: { task_id?: string };
      replayed: string | undefined;
    }
    const send = (url: string, i: number): Promise<Answer> =>
      request(url)
        .post('/kling/v1/videos/text2video')
        .set(auth(key))
        .set('Idempotency-Key', `burst-${i}`)
        .send(body(i))
        .then(
          (r) => ({
            status: r.status,
            body: r.body as Answer['body'],
            replayed: r.headers['idempotent-replayed'],
          }),
          () => ({ status: 0, body: {}, replayed: undefined }),
        );

    // The burst, and a kill -9 once part of it has reached the upstream.
    const burst = Promise.all(Array.from({ length: SUBMITS }, (_, i) => send(reelay.url, i)));
    await waitFor(() => Promise.resolve(sim.calls().filter((c) => c.method === 'POST').length >= 40), 60_000, 5);
    reelay.kill();
    const killedAt = Date.now();
    const first = await burst;
    const answered = new Map<number, string>();
    first.forEach((r, i) => {
      if (r.status === 200 && r.body.task_id) answered.set(i, r.body.task_id);
    });
    expect(answered.size).toBeLessThan(SUBMITS); // the kill cut some requests off

    // Restart on the same database; clients retry what got no answer, with the same key.
    reelay = await start();
    const restartedAt = Date.now();
    let resumed = 0; // retries answered for a task their dead request had created
    await Promise.all(
      first.map(async (r, i) => {
        if (answered.has(i)) return;
        const retried = await waitFor(
          async () => {
            const again = await send(reelay.url, i);
            return again.status === 200 ? again : null;
          },
          (LEASE_SECONDS + 20) * 1000,
          250,
        );
        if (retried.replayed === 'true') resumed++;
        answered.set(i, retried.body.task_id as string);
      }),
    );
    // Every key answered within the lease plus a few seconds.
    expect(Date.now() - restartedAt).toBeLessThan((LEASE_SECONDS + 10) * 1000);
    expect(answered.size).toBe(SUBMITS);
    expect(resumed).toBeGreaterThan(0);
    expect(new Set(answered.values()).size).toBe(SUBMITS);
    // A replay of an already answered key is the same task.
    const replay = await send(reelay.url, 0);
    expect([replay.status, replay.body.task_id, replay.replayed]).toEqual([200, answered.get(0), 'true']);

    // Every task belongs to a key whose client got its id, and nothing went upstream twice.
    const tasks = (await request(reelay.url).get('/api/videos?page_size=100&page=1').set(auth(key)).expect(200)).body;
    expect(tasks.total).toBe(SUBMITS);
    const creates = sim.calls().filter((c) => c.method === 'POST' && c.path === '/v1/videos/text2video');
    const externalIds = creates.map((c) => (c.body as { external_task_id: string }).external_task_id);
    expect(new Set(externalIds).size).toBe(externalIds.length);
    for (const id of externalIds) expect([...answered.values()]).toContain(id);

    // Nothing stays submitting past its bound.
    await new Promise((r) => setTimeout(r, Math.max(0, restartedAt + SUBMITTING_BOUND_MS - Date.now())));
    const submitting = await request(reelay.url).get('/api/videos?status=submitting').set(auth(key)).expect(200);
    if (submitting.body.total > 0) {
      const stuck = (submitting.body.items as Array<{ task_id: string }>).map((t) => t.task_id);
      throw new Error(`still submitting past the bound:\n${await report(stuck, killedAt, reelay.output())}`);
    }
    // Every hold ends (captured or released).
    await waitFor(
      async () => {
        const page = async (n: number) =>
          (await request(reelay.url).get(`/api/videos?page_size=100&page=${n}`).set(auth(key)).expect(200)).body
            .items as Array<{ status: string }>;
        const all = [...(await page(1)), ...(await page(2)), ...(await page(3))];
        return all.every((x) => x.status === 'succeed' || x.status === 'failed');
      },
      60_000,
      500,
    );
    const balance = (await request(reelay.url).get('/api/billing/balance').set(auth(reg.access_token)).expect(200))
      .body;
    expect(balance.held).toBe(0);
    const recon = (await request(reelay.url).get('/api/admin/billing/reconciliation').set(auth(admin)).expect(200))
      .body;
    expect(recon.mismatches).toEqual([]);
    // Tasks the upstream made were charged; the others released: used credits match the videos made.
    expect(balance.used).toBe(72 * sim.tasks().filter((x) => x.status === 'succeed').length);
  });
});
