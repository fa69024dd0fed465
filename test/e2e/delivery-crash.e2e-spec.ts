import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { DataSource, EntityManager } from 'typeorm';
import { Db } from '../../src/common/database/db.service';
import { LocalMediaStorage } from '../../src/media/local-media.storage';
import { MediaStorage } from '../../src/media/media-storage';
import { WebhookOutbox } from '../../src/webhooks/webhook-outbox.service';
import { KlingSimulator, startKlingSimulator } from '../../tools/simulators/kling/kling-simulator';
import { SimMediaServer, simMediaSha256, startSimMediaServer } from '../../tools/simulators/sim-media';
import { MediaCopyRepository } from '../../src/media/media-copy.repository';
import { DRIVERS, enqueueCopy, mediaUrlParts, storageEnv, waitCopy } from '../helpers/delivery';
import { bearer, loginAdmin, registerUser } from '../helpers/factories';
import { fundedUser } from '../helpers/relay';
import { buildApp, ReelayProcess, spawnReelay as spawnProcess } from '../helpers/reelay-process';
import { freePort } from '../../tools/common/http-client';
import { startTestApp, TestApp } from '../helpers/test-app';
import { createTestDatabase, TestDatabase } from '../helpers/test-db';
import { waitFor } from '../helpers/wait';
import { verifyBoth, WebhookReceiver } from '../helpers/webhook-receiver';

// Crash and cluster claims with real processes: a copy interrupted by kill -9 completes after a
// restart with one object; an outbox row committed by a process killed at once is still
// delivered; two processes sharing 200 due events deliver each exactly once.
describe('delivery across real processes', () => {
  let db: TestDatabase;
  let files: SimMediaServer;
  let rx: WebhookReceiver;
  const procs: ReelayProcess[] = [];

  beforeAll(async () => {
    buildApp();
    files = await startSimMediaServer();
    rx = await new WebhookReceiver().start();
  }, 180_000);
  beforeEach(async () => {
    db = await createTestDatabase();
  });
  afterEach(async () => {
    for (const p of procs.splice(0)) await p.kill9();
    await db.drop();
  });
  afterAll(async () => {
    await files.close();
    await rx.close();
  });

  const spawnReelay = async (env: Record<string, string>, port?: number) => {
    const p = await spawnProcess(db.url, env, port);
    procs.push(p);
    return p;
  };

  it.each(DRIVERS)(
    'a copy interrupted by kill -9 completes after restart, with exactly one object (%s storage)',
    async (driver) => {
      const s3 = await storageEnv(driver);
      const mediaDir = mkdtempSync(join(tmpdir(), 'reelay-media-'));
      const env = {
        ...s3.env,
        MEDIA_DIR: mediaDir,
        MEDIA_COPY_TICK_MS: '100',
        MEDIA_COPY_LEASE_MS: '1500',
        MEDIA_COPY_RETRY_MS: '100,100,100',
      };
      // The migrated schema, and a window on the database and the storage, without jobs.
      const probe: TestApp = await startTestApp({ database: db, env: { ...env, JOBS_ENABLED: 'false' } });
      try {
        const storage = probe.app.get(MediaStorage);
        const u = await registerUser(probe);
        const bytes = 3 * 1024 * 1024;
        const task = {
          taskId: `kling_crash_${driver}`,
          userId: u.id,
          sourceUrl: files.urlFor(`crash-${driver}`, bytes),
        };
        files.files.knobs.chunkDelayMs = 8; // ~1.5 s for the whole file
        const first = await spawnReelay(env);
        await enqueueCopy(probe, task);
        const sentBefore = files.files.stats.bytesSent;
        await waitFor(() => Promise.resolve(files.files.stats.bytesSent - sentBefore > 512 * 1024), 20_000, 10);
        if (driver === 'local') {
          const tmp = (storage as LocalMediaStorage).incompleteDir;
          expect(readdirSync(tmp).filter((n) => n.endsWith('.part'))).toHaveLength(1);
        }
        await first.kill9();
        expect(await storage.list()).toEqual([]); // nothing half-written under a final name
        files.files.knobs.chunkDelayMs = 0;

        await spawnReelay(env);
        const copy = await waitCopy(probe, task.taskId, (c) => c.status === 'stored', 30_000);
        expect(copy).toMatchObject({ attempts: 2, sizeBytes: bytes, sha256: simMediaSha256(`crash-${driver}`, bytes) });
        expect(await storage.list()).toEqual([copy.objectKey]);
        if (driver === 'local') {
          // The dead writer's temporary file is swept once it is older than two leases.
          const tmp = (storage as LocalMediaStorage).incompleteDir;
          await waitFor(() => Promise.resolve(readdirSync(tmp).length === 0), 15_000, 200);
        }
      } finally {
        files.files.knobs.chunkDelayMs = 0;
        await probe.close();
        await s3.close();
        rmSync(mediaDir, { recursive: true, force: true });
      }
    },
  );

  it('an event committed right before kill -9 is delivered after restart; one killed mid-send is delivered again with the same id', async () => {
    const slowDispatch = { WEBHOOK_TICK_MS: '60000' }; // this process never gets to send
    const a = await spawnReelay(slowDispatch);
    const reg = await registerUserAt(a.url);
    const created = await request(a.url)
      .post('/api/webhooks')
      .set(bearer(reg.jwt))
      .send({ url: `${rx.url}/crash` })
      .expect(201);
    const queued = await request(a.url).post(`/api/webhooks/${created.body.id}/test`).set(bearer(reg.jwt)).expect(202);
    await a.kill9(); // right after the transaction that wrote the outbox row

    // Killed mid-send: the next process holds the first attempt open and dies too.
    rx.respond = ({ path, attempt }) => (path === '/crash' && attempt === 1 ? 'hang' : 200);
    const b = await spawnReelay({ WEBHOOK_TICK_MS: '50', WEBHOOK_TIMEOUT_MS: '1000' });
    await waitFor(() => Promise.resolve(rx.arrivals.some((x) => x.path === '/crash')), 10_000, 20);
    await b.kill9(); // while the receiver holds its request open
    await spawnReelay({ WEBHOOK_TICK_MS: '50', WEBHOOK_TIMEOUT_MS: '1000' });

    await waitFor(() => Promise.resolve(rx.at('/crash').length === 1), 30_000, 100);
    const [got] = rx.at('/crash');
    expect(got.id).toBe(queued.body.event_id);
    await verifyBoth(got, created.body.secret);
    rx.respond = () => 200;
  });

  it('tasks ending by callback while the process is killed mid-delivery: after restart every webhook arrives signed and every video is stored', async () => {
    const kling: KlingSimulator = await startKlingSimulator({
      behavior: { processingAfterMs: 50, completeAfterMs: 250 },
      media: { serve: true, bytes: 256 * 1024 },
    });
    kling.addKey('ak-crash', 'sk-crash');
    const mediaDir = mkdtempSync(join(tmpdir(), 'reelay-media-'));
    const port = await freePort(); // one address across the restart: Kling calls back there
    const env = {
      MEDIA_DIR: mediaDir,
      MEDIA_COPY_TICK_MS: '100',
      MEDIA_COPY_LEASE_MS: '1500',
      MEDIA_COPY_RETRY_MS: '100,100,100',
      WEBHOOK_TICK_MS: '50',
      WEBHOOK_RETRY_SCHEDULE_MS: '200,200,200,200',
      POLL_TICK_MS: '200',
      POLL_SCHEDULE_MS: '0:20000', // callbacks end these tasks; a poll only as a late fallback
    };
    const probe = await startTestApp({ database: db, env: { ...env, JOBS_ENABLED: 'false' } });
    rx.respond = ({ path, attempt }) => (path === '/real' && attempt === 1 ? 'hang' : 200);
    try {
      // The first process holds every first attempt open (a 4 s timeout) and copies slowly.
      await spawnReelay({ ...env, WEBHOOK_TIMEOUT_MS: '4000' }, port);
      const at = { http: () => request(`http://127.0.0.1:${port}`) } as unknown as TestApp;
      const admin = await loginAdmin(at);
      await request(`http://127.0.0.1:${port}`)
        .post('/api/admin/channels')
        .set(bearer(admin.jwt))
        .send({ name: 'k', type: 'kling', base_url: kling.url, key: 'ak-crash|sk-crash', models: ['kling-v1-6-std'] })
        .expect(201);
      const u = await fundedUser(at, 5000, 'crash-real');
      const hook = await at
        .http()
        .post('/api/webhooks')
        .set(bearer(u.jwt))
        .send({ url: `${rx.url}/real` })
        .expect(201);
      const submit = (prompt: string) =>
        at
          .http()
          .post('/kling/v1/videos/text2video')
          .set(bearer(u.key))
          .send({ model: 'kling-v1-6-std', prompt })
          .expect(200)
          .then((r) => r.body.task_id as string);
      const ds = probe.app.get(DataSource);
      const statuses = async (ids: string[]) => {
        const rows = await ds.query<Array<{ task_id: string; status: string }>>(
          'SELECT task_id, status FROM videos WHERE user_id = ?',
          [u.id],
        );
        return rows.filter((r) => ids.includes(r.task_id)).map((r) => r.status);
      };

      kling.media.knobs.chunkDelayMs = 100; // ~1.6 s a file: copies are mid-way at the kill
      const first = await Promise.all(Array.from({ length: 10 }, (_, i) => submit(`crash wave one ${i}`)));
      await waitFor(async () => (await statuses(first)).every((x) => x === 'succeed'), 15_000, 50);
      expect(kling.calls().filter((c) => c.method === 'GET' && c.path.startsWith('/v1/videos'))).toEqual([]); // by callback
      // The second wave's callbacks come while the process is dead or just back.
      kling.setBehavior({ callbackDelayMs: 6000 });
      const second = await Promise.all(Array.from({ length: 10 }, (_, i) => submit(`crash wave two ${i}`)));
      await waitFor(() => Promise.resolve(rx.arrivals.filter((a) => a.path === '/real').length >= 3), 10_000, 20);
      const stored = async () =>
        (
          await Promise.all([...first, ...second].map((id) => probe.app.get(MediaCopyRepository).findByTask(id)))
        ).filter((c) => c?.status === 'stored').length;
      expect(await stored()).toBeLessThan(10); // copies still running
      const open = rx.arrivals.filter((a) => a.path === '/real').length - rx.at('/real').length;
      expect(open).toBeGreaterThan(0); // deliveries held open: the kill lands mid-send
      for (const p of procs.splice(0)) await p.kill9();
      kling.media.knobs.chunkDelayMs = 0;

      await spawnReelay({ ...env, WEBHOOK_TIMEOUT_MS: '1000' }, port);
      const all = [...first, ...second];
      await waitFor(async () => (await statuses(all)).filter((x) => x === 'succeed').length === 20, 40_000, 200);
      // Every task's video.completed is delivered (at least once), signed with the endpoint's secret.
      const completed = await waitFor(
        async () => {
          const byTask = new Map<string, string>();
          for (const r of rx.at('/real').filter((x) => x.status === 200)) {
            const event = (await verifyBoth(r, hook.body.secret)) as { id: string; type: string; data: { id: string } };
            expect(event.id).toBe(r.id);
            if (event.type === 'video.completed') byTask.set(event.data.id, event.id);
          }
          return all.every((id) => byTask.has(id)) ? byTask : null;
        },
        40_000,
        200,
      );
      expect(new Set(completed.values()).size).toBe(20); // one event id per task
      // Every video is stored once, with the bytes the provider served.
      const storage = probe.app.get(MediaStorage);
      const copies = await waitFor(
        async () => {
          const cs = await Promise.all(all.map((id) => probe.app.get(MediaCopyRepository).findByTask(id)));
          return cs.every((c) => c?.status === 'stored') ? cs : null;
        },
        40_000,
        200,
      );
      for (const c of copies) {
        const upstream = kling.tasks().find((x) => x.external_task_id === c!.taskId);
        const { seed, bytes } = mediaUrlParts(upstream!.video_url!);
        expect([c!.sizeBytes, c!.sha256]).toEqual([bytes, simMediaSha256(seed, bytes)]);
      }
      expect((await storage.list()).sort()).toEqual(copies.map((c) => c!.objectKey).sort());
      // Charged once each, nothing held.
      const captures: Array<{ ref_id: string }> = await ds.query(
        "SELECT ref_id FROM ledger_entries WHERE kind = 'capture' AND ref_type = 'task' AND user_id = ?",
        [u.id],
      );
      expect(captures.map((c) => c.ref_id).sort()).toEqual([...all].sort());
      expect((await probe.http().get('/api/billing/balance').set(bearer(u.jwt)).expect(200)).body.held).toBe(0);
    } finally {
      rx.respond = () => 200;
      await probe.close();
      await kling.close();
      rmSync(mediaDir, { recursive: true, force: true });
    }
  });

  it('two processes sharing 200 events due at once deliver each event id successfully exactly once', async () => {
    const env = { WEBHOOK_TICK_MS: '20', LOG_LEVEL: 'debug', WEBHOOK_CONCURRENCY: '8' };
    const [p1, p2] = [await spawnReelay(env), await spawnReelay(env)];
    const probe = await startTestApp({
      database: db,
      env: { JOBS_ENABLED: 'false', OUTBOUND_ALLOW_HOSTS: '127.0.0.1' },
    });
    try {
      const u = await registerUser(probe);
      const created = await probe
        .http()
        .post('/api/webhooks')
        .set(bearer(u.jwt))
        .send({ url: `${rx.url}/many` })
        .expect(201);
      const outbox = probe.app.get(WebhookOutbox);
      // 200 tasks finishing at once: their outbox rows commit together.
      const ids = await probe.app.get(Db).tx(async (em: EntityManager) => {
        const out: string[] = [];
        for (let i = 0; i < 200; i++) {
          const id = await outbox.enqueueTaskEvent(
            em,
            {
              taskId: `kling_many_${i}`,
              userId: u.id,
              model: 'sora-2',
              type: 'text2video',
              status: 'succeed',
              duration: '10',
              storeUrl: `https://cdn.example.test/${i}.mp4`,
              failReason: null,
              createdAt: 1_790_000_000,
              finishedAt: 1_790_000_100,
            },
            'video.completed',
          );
          out.push(id as string);
        }
        return out;
      });
      await waitFor(
        () => Promise.resolve(rx.deliveredById().size >= 200 && [...rx.at('/many')].length >= 200),
        60_000,
        100,
      );
      await new Promise((r) => setTimeout(r, 1000)); // any duplicate would arrive by now
      const delivered = new Map([...rx.deliveredById()].filter(([id]) => ids.includes(id)));
      expect([...delivered.keys()].sort()).toEqual([...ids].sort());
      expect([...delivered.values()].every((n) => n === 1)).toBe(true);
      expect(rx.at('/many')).toHaveLength(200);
      for (const r of rx.at('/many').slice(0, 20)) await verifyBoth(r, created.body.secret);
      // Both processes took part.
      const sent = (p: ReelayProcess) =>
        p
          .output()
          .split('\n')
          .filter((l) => l.includes('webhook round done'))
          .reduce((s, l) => s + (JSON.parse(l) as { delivered: number }).delivered, 0);
      expect(sent(p1) + sent(p2)).toBe(200);
      expect(sent(p1)).toBeGreaterThan(0);
      expect(sent(p2)).toBeGreaterThan(0);
    } finally {
      await probe.close();
    }
  });
});

async function registerUserAt(url: string): Promise<{ jwt: string }> {
  const email = `crash-${Math.random().toString(36).slice(2)}@example.test`;
  const res = await request(url).post('/api/auth/register').send({ email, password: 'crash-password-1' }).expect(201);
  return { jwt: res.body.access_token as string };
}
