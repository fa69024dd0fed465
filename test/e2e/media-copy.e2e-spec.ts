import { DataSource } from 'typeorm';
import { MediaCopyRepository } from '../../src/media/media-copy.repository';
import { MediaStorage } from '../../src/media/media-storage';
import { MediaService } from '../../src/media/media.service';
import { KlingSimulator, startKlingSimulator } from '../../tools/simulators/kling/kling-simulator';
import { simMediaPath, simMediaSha256 } from '../../tools/simulators/sim-media';
import {
  binary,
  DRIVERS,
  enqueueCopy,
  LocalS3,
  mediaUrlParts,
  sha256,
  storageEnv,
  waitCopy,
} from '../helpers/delivery';
import { expectErrorShape } from '../helpers/error-shape';
import { bearer } from '../helpers/factories';
import { addChannel, addFormulaPrices, fundedUser, FundedUser } from '../helpers/relay';
import { startTestApp, TestApp } from '../helpers/test-app';
import { waitFor } from '../helpers/wait';

const MAX_BYTES = 64 * 1024;
const LINK_TTL_SECONDS = 2;

// Copy on success, for each storage driver: when a task succeeds (a real Kling task through the
// relay), the copy job written in its terminal transaction streams the provider's file (the
// Kling simulator's real MP4) into Reelay's storage; the owner reads it, signed links serve it,
// and nothing else (task state, money) is touched by storage. The entry point itself
// (MediaCopies.enqueue) is driven directly where a test needs a source no provider would give.
describe.each(DRIVERS)('media copies (%s storage)', (driver) => {
  let s3: LocalS3;
  let sim: KlingSimulator;
  let t: TestApp;
  let ds: DataSource;

  beforeAll(async () => {
    s3 = await storageEnv(driver);
    sim = await startKlingSimulator({
      behavior: { processingAfterMs: 10, completeAfterMs: 40 },
      media: { serve: true, bytes: 20_000 },
    });
    sim.addKey('ak-media', 'sk-media');
    t = await startTestApp({
      env: {
        ...s3.env,
        POLL_TICK_MS: '100',
        POLL_SCHEDULE_MS: '0:300',
        OUTBOUND_ALLOW_HOSTS: '127.0.0.1',
        MEDIA_COPY_TICK_MS: '50',
        MEDIA_COPY_RETRY_MS: '100,100,100',
        MEDIA_MAX_BYTES: String(MAX_BYTES),
        MEDIA_LINK_TTL_SECONDS: String(LINK_TTL_SECONDS),
      },
    });
    ds = t.app.get(DataSource);
    await addFormulaPrices(t, {});
    await addChannel(t, { name: 'media', base_url: sim.url, key: 'ak-media|sk-media', models: ['kling-v1-6-std'] });
  });
  afterAll(async () => {
    if (process.env.DEBUG_LOGS)
      process.stderr.write(
        t.logs
          .text()
          .split('\n')
          .filter((l) => /media|copy|error/i.test(l))
          .slice(0, 30)
          .join('\n'),
      );
    await t.close();
    await sim.close();
    await s3.close();
  });

  // A real succeeded task (charged), as the relay leaves it.
  async function succeededTask(u: FundedUser, model = 'kling-v1-6-std') {
    const res = await t
      .http()
      .post('/kling/v1/videos/text2video')
      .set(bearer(u.key))
      .send({ model, prompt: 'a lighthouse at dawn', duration: 5 })
      .expect(200);
    const taskId = res.body.task_id as string;
    const done = await waitFor(async () => {
      const r = await t.http().get(`/kling/v1/videos/${taskId}`).set(bearer(u.key)).expect(200);
      return r.body.status === 'succeed' ? r.body : null;
    });
    return { taskId, userId: u.id, sourceUrl: done.video_url as string };
  }

  const content = (u: FundedUser, taskId: string, headers: Record<string, string> = {}) =>
    t.http().get(`/api/videos/${taskId}/content`).set(bearer(u.key)).set(headers).buffer(true).parse(binary);
  const ledger = (userId: number) =>
    ds.query('SELECT kind, amount FROM ledger_entries WHERE user_id = ? ORDER BY id', [userId]);

  it('keeps the paid video: after the copy the provider’s file server is gone and the owner still gets the same bytes', async () => {
    // A provider of its own, so it can be stopped.
    const provider = await startKlingSimulator({
      behavior: { processingAfterMs: 10, completeAfterMs: 40 },
      media: { serve: true, bytes: 30_000 },
    });
    provider.addKey('ak-gone', 'sk-gone');
    await addFormulaPrices(t, { 'kling-v1-6-pro': 40 });
    await addChannel(t, { name: 'gone', base_url: provider.url, key: 'ak-gone|sk-gone', models: ['kling-v1-6-pro'] });
    const u = await fundedUser(t, 1000);
    const task = await succeededTask(u, 'kling-v1-6-pro');
    const parts = mediaUrlParts(task.sourceUrl);
    const expected = simMediaSha256(parts.seed, parts.bytes);

    const copy = await waitCopy(t, task.taskId); // written with the success, nothing else to call
    expect(copy).toMatchObject({
      status: 'stored',
      sizeBytes: 30_000,
      sha256: expected,
      contentType: 'video/mp4',
      storeError: null,
      attempts: 1,
    });
    await provider.close(); // the provider's file is gone for good

    const res = await content(u, task.taskId).expect(200);
    expect(sha256(res.body)).toBe(expected);
    expect(res.headers).toMatchObject({
      'content-type': 'video/mp4',
      'content-length': '30000',
      etag: `"${expected}"`,
      'accept-ranges': 'bytes',
    });

    const part = await content(u, task.taskId, { Range: 'bytes=100-199' }).expect(206);
    expect(part.body.length).toBe(100);
    expect(part.body.equals(res.body.subarray(100, 200))).toBe(true);
    expect(part.headers['content-range']).toBe('bytes 100-199/30000');

    const suffix = await content(u, task.taskId, { Range: 'bytes=-10' }).expect(206);
    expect(suffix.body.equals(res.body.subarray(29_990))).toBe(true);

    const outside = await t
      .http()
      .get(`/api/videos/${task.taskId}/content`)
      .set(bearer(u.key))
      .set('Range', 'bytes=40000-40010')
      .expect(416);
    expect(outside.headers['content-range']).toBe('bytes */30000');
    expectErrorShape(outside.body, 'range_not_satisfiable');

    await content(u, task.taskId, { 'If-None-Match': `"${expected}"` }).expect(304);
  });

  it('serves the video only to its owner', async () => {
    const owner = await fundedUser(t, 1000);
    const other = await fundedUser(t, 1000);
    const task = await succeededTask(owner);
    await waitCopy(t, task.taskId);
    const res = await t.http().get(`/api/videos/${task.taskId}/content`).set(bearer(other.key)).expect(404);
    expectErrorShape(res.body, 'not_found');
    await t.http().get(`/api/videos/${task.taskId}/content`).expect(401);
    // The owner with a session works as well as with a key.
    await t.http().get(`/api/videos/${task.taskId}/content`).set(bearer(owner.jwt)).expect(200);
  });

  it('hands out signed links that work without credentials until they expire (then 410); a forged one is 403', async () => {
    const u = await fundedUser(t, 1000);
    const task = await succeededTask(u);
    const copy = await waitCopy(t, task.taskId);
    const fields = (await t.app.get(MediaService).storeFieldsFor([task.taskId])).get(task.taskId);
    expect(fields).toEqual({
      store_url: expect.stringMatching(/\/media\/[^/]+$/),
      store_status: 'stored',
      store_error: null,
    });
    const path = new URL(fields!.store_url!).pathname;

    const res = await t.http().get(path).buffer(true).parse(binary).expect(200);
    expect(sha256(res.body)).toBe(copy.sha256);
    expect(res.headers['cross-origin-resource-policy']).toBe('cross-origin');
    const part = await t.http().get(path).set('Range', 'bytes=100-199').buffer(true).parse(binary).expect(206);
    expect(part.body.equals(res.body.subarray(100, 200))).toBe(true);

    const [head, exp, sig] = path.slice('/media/'.length).split('.');
    const forged = `/media/${head}.${Number(exp) + 3600}.${sig}`;
    expectErrorShape((await t.http().get(forged).expect(403)).body, 'forbidden');
    await t.http().get('/media/not-a-token').expect(403);

    await new Promise((r) => setTimeout(r, (LINK_TTL_SECONDS + 1) * 1000));
    expectErrorShape((await t.http().get(path).expect(410)).body, 'gone');
  });

  it('refuses a result larger than MEDIA_MAX_BYTES, records why, stores nothing and leaves the task and its charge alone', async () => {
    const u = await fundedUser(t, 1000);
    sim.media.options.bytes = MAX_BYTES + 50_000;
    const task = await succeededTask(u).finally(() => (sim.media.options.bytes = 20_000));
    const before = await ledger(u.id);

    const copy = await waitCopy(t, task.taskId);
    expect(copy).toMatchObject({ status: 'failed', attempts: 1, objectKey: null, sha256: null });
    expect(copy.storeError).toMatch(/larger than MEDIA_MAX_BYTES/);
    expect(await t.app.get(MediaStorage).list(`u${u.id}/`)).toEqual([]);

    const view = (await t.app.get(MediaService).storeFieldsFor([task.taskId])).get(task.taskId);
    expect(view).toEqual({ store_url: null, store_status: 'failed', store_error: copy.storeError });
    const kling = await t.http().get(`/kling/v1/videos/${task.taskId}`).set(bearer(u.key)).expect(200);
    expect(kling.body).toMatchObject({ status: 'succeed', video_url: task.sourceUrl });
    expect(await ledger(u.id)).toEqual(before);
    const missing = await t.http().get(`/api/videos/${task.taskId}/content`).set(bearer(u.key)).expect(404);
    expectErrorShape(missing.body, 'not_found');
    expect(missing.body.error.details).toEqual({ store_status: 'failed', store_error: copy.storeError });
  });

  it('refuses a result that is not a video (checked by its magic bytes, not its Content-Type)', async () => {
    const u = await fundedUser(t, 1000);
    sim.media.options.kind = 'text';
    const task = await succeededTask(u).finally(() => (sim.media.options.kind = 'mp4'));
    const copy = await waitCopy(t, task.taskId);
    expect(copy).toMatchObject({ status: 'failed', attempts: 1, objectKey: null });
    expect(copy.storeError).toMatch(/not a video/);
    expect(await t.app.get(MediaStorage).list(`u${u.id}/`)).toEqual([]);
  });

  it('retries a failing source with backoff and stores the video on a later attempt', async () => {
    const u = await fundedUser(t, 1000);
    sim.media.knobs.failNext = { count: 2, status: 503 };
    const task = await succeededTask(u);
    const copy = await waitCopy(t, task.taskId);
    expect(copy).toMatchObject({ status: 'stored', attempts: 3, storeError: null });
    const parts = mediaUrlParts(task.sourceUrl);
    expect(copy.sha256).toBe(simMediaSha256(parts.seed, parts.bytes));
  });

  it('gives up after the last retry and keeps the error', async () => {
    const u = await fundedUser(t, 1000);
    sim.media.knobs.failNext = { count: 10, status: 502 };
    const task = await succeededTask(u);
    const copy = await waitCopy(t, task.taskId).finally(() => (sim.media.knobs.failNext.count = 0));
    expect(copy).toMatchObject({ status: 'failed', attempts: 4, storeError: 'The source answered HTTP 502' });
  });

  it('follows no redirect and reaches no private address that is not allow-listed', async () => {
    // Sources no simulator gives: the entry point itself, as the relay core calls it.
    const u = await fundedUser(t, 1000);
    const task = { taskId: `kling_redirect_${u.id}`, userId: u.id, sourceUrl: '' };
    const redirected = { ...task, sourceUrl: `${sim.url}/media-redirect${simMediaPath('r', 20_000, 'mp4')}` };
    await enqueueCopy(t, redirected);
    expect((await waitCopy(t, task.taskId)).storeError).toMatch(/302 \(redirects are not followed\)/);

    const other = { taskId: `kling_private_${u.id}`, userId: u.id };
    const port = new URL(sim.url).port;
    await enqueueCopy(t, { ...other, sourceUrl: `http://localhost:${port}${simMediaPath('p', 20_000, 'mp4')}` });
    const copy = await waitCopy(t, other.taskId);
    expect(copy).toMatchObject({ status: 'failed', attempts: 1 });
    expect(copy.storeError).toMatch(/Refused to connect to localhost/);
  });

  it('makes one copy however often the terminal transaction’s enqueue is replayed', async () => {
    const u = await fundedUser(t, 1000);
    const task = await succeededTask(u);
    await Promise.all([enqueueCopy(t, task), enqueueCopy(t, task), enqueueCopy(t, task)]);
    const copy = await waitCopy(t, task.taskId);
    await enqueueCopy(t, task);
    const [{ n }] = await ds.query('SELECT COUNT(*) AS n FROM media_copies WHERE task_id = ?', [task.taskId]);
    expect(Number(n)).toBe(1);
    expect(await t.app.get(MediaCopyRepository).findByTask(task.taskId)).toMatchObject({
      id: copy.id,
      status: 'stored',
    });
    expect(await t.app.get(MediaStorage).list(`u${u.id}/`)).toEqual([copy.objectKey]);
  });

  it('deletes the file with its task: the owner’s delete, a task removed by retention, and files past MEDIA_RETENTION_DAYS', async () => {
    const u = await fundedUser(t, 1000);
    const storage = t.app.get(MediaStorage);
    const media = t.app.get(MediaService);
    const [a, b, c] = [await succeededTask(u), await succeededTask(u), await succeededTask(u)];
    for (const x of [a, b, c]) await waitCopy(t, x.taskId);
    expect(await storage.list(`u${u.id}/`)).toHaveLength(3);

    // The owner deletes task a.
    expect(await media.deleteForTask(undefined, a.taskId)).toBe(true);
    await content(u, a.taskId).expect(404);
    // Task b's row went with the tasks' retention; c's copy is older than MEDIA_RETENTION_DAYS.
    await ds.query('DELETE FROM videos WHERE task_id = ?', [b.taskId]);
    await ds.query('UPDATE media_copies SET created_at = created_at - ? WHERE task_id = ?', [31 * 86400, c.taskId]);
    // (Other tests' copies of tasks that never existed are orphans too.)
    expect(await media.applyRetention()).toBeGreaterThanOrEqual(2);

    const rows = async () =>
      Number((await ds.query('SELECT COUNT(*) AS n FROM media_copies WHERE user_id = ?', [u.id]))[0].n);
    await waitFor(async () => (await rows()) === 0);
    expect(await storage.list(`u${u.id}/`)).toEqual([]);
    expect(await media.deleteForTask(undefined, a.taskId)).toBe(false); // replaying changes nothing
  });
});
