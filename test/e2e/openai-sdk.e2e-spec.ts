import OpenAI, { APIError, BadRequestError, NotFoundError, toFile } from 'openai';
import { DataSource } from 'typeorm';
import { MediaCopyRepository } from '../../src/media/media-copy.repository';
import { MediaStorage } from '../../src/media/media-storage';
import { KieSimulator, startKieSimulator } from '../../tools/simulators/kie/kie-simulator';
import { KlingSimulator, startKlingSimulator } from '../../tools/simulators/kling/kling-simulator';
import { startVivaSimulator, VivaSimulator } from '../../tools/simulators/viva/viva-simulator';
import { sha256 } from '../helpers/delivery';
import { bearer, loginAdmin } from '../helpers/factories';
import { addChannel, fundedUser, FundedUser } from '../helpers/relay';
import { startTestApp, TestApp } from '../helpers/test-app';
import { waitFor } from '../helpers/wait';

// A 1×1 PNG: a first frame to upload.
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
);

// #13: the official `openai` npm package, pointed at Reelay, against the Kling, KIE and Viva
// simulators.
describe('the OpenAI SDK against /v1/videos', () => {
  let kling: KlingSimulator;
  let kie: KieSimulator;
  let viva: VivaSimulator;
  let t: TestApp;
  let ds: DataSource;

  beforeAll(async () => {
    const fast = { processingAfterMs: 50, completeAfterMs: 250 };
    const media = { serve: true, bytes: 12_000 }; // real MP4 files at the result URLs
    [kling, kie, viva] = await Promise.all([
      startKlingSimulator({ behavior: fast, media }),
      startKieSimulator({ behavior: fast, media }),
      startVivaSimulator({ behavior: fast, media }),
    ]);
    kling.addKey('ak-o', 'sk-o');
    kie.addKey('kie-o');
    viva.addKey('viva-o');
    t = await startTestApp({ env: { POLL_TICK_MS: '100', POLL_SCHEDULE_MS: '0:300', MEDIA_COPY_TICK_MS: '100' } });
    ds = t.app.get(DataSource);
    await addChannel(t, { base_url: kling.url, key: 'ak-o|sk-o', models: ['kling-v1-6-std', 'kling-v1-6-pro'] });
    await addChannel(t, { type: 'viva', base_url: viva.url, key: 'viva-o', models: ['veo3'] });
    const admin = await loginAdmin(t);
    await t
      .http()
      .post('/api/admin/channels')
      .set(bearer(admin.jwt))
      .send({ name: 'kie', type: 'kie', base_url: kie.url, key: 'kie-o', models: ['sora-2', 'sora-2-pro'] })
      .expect(201);
  });
  afterAll(async () => {
    await t.close();
    await Promise.all([kling.close(), kie.close(), viva.close()]);
  });

  const client = (u: FundedUser) => new OpenAI({ baseURL: `${t.baseUrl}/v1`, apiKey: u.key, maxRetries: 0 });
  const untilDone = (openai: OpenAI, id: string) =>
    waitFor(
      async () => {
        const v = await openai.videos.retrieve(id);
        return v.status === 'completed' || v.status === 'failed' ? v : null;
      },
      20_000,
      100,
    );
  const balance = async (u: FundedUser) =>
    (await t.http().get('/api/billing/balance').set(bearer(u.jwt)).expect(200)).body;

  it('creates Sora 2 with an image URL, Kling with an uploaded file, Veo with text; each completes, charged once', async () => {
    const u = await fundedUser(t, 500, 'oai-create');
    const openai = client(u);
    const sora = await openai.videos.create({
      model: 'sora-2',
      prompt: 'a lighthouse at dawn',
      seconds: '10' as never,
      size: '720x1280',
      input_reference: { image_url: 'https://example.test/frame.png' },
    });
    expect(sora).toMatchObject({
      id: expect.stringMatching(/^video_/),
      object: 'video',
      model: 'sora-2',
      status: 'queued',
      seconds: '10',
      size: '720x1280',
      remixed_from_video_id: null,
      error: null,
    });
    const klingVideo = await openai.videos.create({
      model: 'kling-v1-6-std',
      prompt: 'the cat wakes up',
      seconds: '5' as never,
      input_reference: await toFile(PNG, 'frame.png', { type: 'image/png' }),
    });
    const veo = await openai.videos.create({
      model: 'veo3',
      prompt: 'rain on a window',
      seconds: '8',
    });

    for (const v of [sora, klingVideo, veo]) {
      const done = await untilDone(openai, v.id);
      expect(done).toMatchObject({ status: 'completed', progress: 100, error: null });
      expect(done.completed_at).toEqual(expect.any(Number));
    }
    // What reached each provider: KIE the image URL and portrait; Kling the uploaded image inline.
    const kieTask = kie.tasks().find((x) => x.prompt === 'a lighthouse at dawn');
    expect(kieTask).toMatchObject({
      aspect_ratio: 'portrait',
      n_frames: '10',
      image_urls: ['https://example.test/frame.png'],
    });
    const klingTask = kling.tasks().find((x) => x.body.prompt === 'the cat wakes up');
    expect(klingTask?.kind).toBe('image2video');
    expect(klingTask?.body.image).toBe(PNG.toString('base64'));
    // Sora 2 10 s 15 + Kling v1.6 std image2video 5 s 16:9 (60 × 1.2 × 1.1 = 79.2) + Veo 15.
    expect(await balance(u)).toEqual({ balance: 500 - 109.2, held: 0, available: 500 - 109.2, used: 109.2 });
  });

  it('lists page by page with after, oldest or newest first, only the caller’s own videos', async () => {
    const u = await fundedUser(t, 500, 'oai-list');
    const other = await fundedUser(t, 100, 'oai-list-other');
    const openai = client(u);
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await openai.videos.create({ prompt: `list ${i}`, model: 'veo3' })).id);
    await client(other).videos.create({ prompt: 'not yours', model: 'veo3' });

    const first = await openai.videos.list({ limit: 2 });
    expect(first.data.map((v) => v.id)).toEqual([ids[4], ids[3]]);
    expect(first.has_more).toBe(true);
    const second = await openai.videos.list({ limit: 2, after: first.data[1].id });
    expect(second.data.map((v) => v.id)).toEqual([ids[2], ids[1]]);
    const all: string[] = [];
    for await (const v of openai.videos.list({ limit: 2, order: 'asc' })) all.push(v.id);
    expect(all).toEqual(ids);
    await expect(client(other).videos.retrieve(ids[0])).rejects.toBeInstanceOf(NotFoundError);
  });

  it('refuses a bad seconds with BadRequestError naming the param, and too few credits with a 402, nothing held', async () => {
    const u = await fundedUser(t, 10, 'oai-errors');
    const openai = client(u);
    const bad = await openai.videos.create({ prompt: 'x', model: 'sora-2', seconds: '12' }).catch((e: unknown) => e);
    expect(bad).toBeInstanceOf(BadRequestError);
    expect((bad as BadRequestError).param).toBe('seconds');
    const size = await openai.videos
      .create({ prompt: 'x', model: 'sora-2', size: '1920x1080' as never })
      .catch((e: unknown) => e);
    expect((size as BadRequestError).param).toBe('size');
    const poor = await openai.videos.create({ prompt: 'x', model: 'sora-2-pro' }).catch((e: unknown) => e);
    expect(poor).toBeInstanceOf(APIError);
    expect((poor as APIError).status).toBe(402);
    expect((poor as APIError).code).toBe('insufficient_credits');
    expect(await balance(u)).toEqual({ balance: 10, held: 0, available: 10, used: 0 });
    const remix = await openai.videos.remix('video_x', { prompt: 'again' }).catch((e: unknown) => e);
    expect((remix as APIError).status).toBe(400);
    expect((remix as APIError).code).toBe('unsupported_operation');
  });

  it('downloads the stored bytes (Range too), uploads a first frame for Sora through a signed link, and refuses content before completion', async () => {
    const u = await fundedUser(t, 500, 'oai-content');
    const openai = client(u);
    const video = await openai.videos.create({
      model: 'sora-2',
      prompt: 'upload for sora',
      input_reference: await toFile(PNG, 'frame.png', { type: 'image/png' }),
    });
    const early = await openai.videos.downloadContent(video.id).catch((e: unknown) => e);
    expect((early as APIError).status).toBe(409);
    // KIE fetches its first frame by URL: a signed link to the image Reelay keeps, which serves it.
    const sent = kie.tasks().find((x) => x.prompt === 'upload for sora');
    expect(sent?.image_urls[0]).toMatch(/\/media\/references\//);
    const frame = await fetch(sent!.image_urls[0]);
    if (frame.status !== 200) throw new Error(`${frame.status} ${await frame.text()}`);
    expect(Buffer.from(await frame.arrayBuffer()).equals(PNG)).toBe(true);

    await untilDone(openai, video.id);
    const bytes = await waitFor(async () => {
      const res = await openai.videos.downloadContent(video.id).catch(() => null);
      return res ? Buffer.from(await res.arrayBuffer()) : null;
    });
    expect(bytes.length).toBe(12_000);
    expect(bytes.subarray(4, 8).toString('ascii')).toBe('ftyp');
    const range = await t.http().get(`/v1/videos/${video.id}/content`).set(bearer(u.key)).set('Range', 'bytes=100-199');
    expect(range.status).toBe(206);
    expect(Buffer.from(range.body as Buffer).equals(bytes.subarray(100, 200))).toBe(true);
    const thumb = await openai.videos.downloadContent(video.id, { variant: 'thumbnail' }).catch((e: unknown) => e);
    expect((thumb as APIError).status).toBe(404);
    const other = await fundedUser(t, 0, 'oai-content-other');
    await expect(client(other).videos.downloadContent(video.id)).rejects.toBeInstanceOf(NotFoundError);
  });

  it('accepts a plain JSON body, and deletes a finished video (not one still running)', async () => {
    const u = await fundedUser(t, 100, 'oai-json');
    const created = await t
      .http()
      .post('/v1/videos')
      .set(bearer(u.key))
      .send({ model: 'sora-2', prompt: 'json body', input_reference: { image_url: 'https://example.test/x.png' } })
      .expect(200);
    expect(created.body).toMatchObject({ object: 'video', size: '1280x720', seconds: '10' });
    const openai = client(u);
    await expect(openai.videos.delete(created.body.id)).rejects.toMatchObject({ status: 409 });
    await untilDone(openai, created.body.id);
    await waitFor(async () => (await openai.videos.downloadContent(created.body.id).catch(() => null)) !== null);
    expect(await openai.videos.delete(created.body.id)).toEqual({
      id: created.body.id,
      object: 'video.deleted',
      deleted: true,
    });
    await expect(openai.videos.retrieve(created.body.id)).rejects.toBeInstanceOf(NotFoundError);
    await expect(openai.videos.downloadContent(created.body.id)).rejects.toBeInstanceOf(NotFoundError);
    const [{ n }] = await ds.query("SELECT COUNT(*) AS n FROM ledger_entries WHERE ref_id = ? AND kind = 'capture'", [
      created.body.id,
    ]);
    expect(Number(n)).toBe(1); // the money record stays
  });

  it('downloads the stored copy (SHA-256 of what the provider served) after the provider is gone; delete removes the file from storage', async () => {
    // A provider of its own, serving one model, so it can be stopped without touching the others.
    const own = await startKlingSimulator({
      behavior: { processingAfterMs: 50, completeAfterMs: 250 },
      media: { serve: true, bytes: 20_000 },
    });
    own.addKey('ak-gone', 'sk-gone');
    const channel = await addChannel(t, {
      name: 'gone',
      base_url: own.url,
      key: 'ak-gone|sk-gone',
      models: ['kling-v1-5-std'],
    });
    const admin = await loginAdmin(t);
    try {
      const u = await fundedUser(t, 500, 'oai-gone');
      const openai = client(u);
      const video = await openai.videos.create({
        model: 'kling-v1-5-std',
        prompt: 'kept after the provider left',
        seconds: '5' as never,
        input_reference: { image_url: 'https://example.test/first.png' },
      });
      expect(await untilDone(openai, video.id)).toMatchObject({ status: 'completed' });
      const copy = await waitFor(async () => {
        const c = await t.app.get(MediaCopyRepository).findByTask(video.id);
        return c?.status === 'stored' ? c : null;
      });
      // What the provider served at the result URL, fetched as any client would.
      const upstream = own.tasks().find((x) => x.body.prompt === 'kept after the provider left');
      const served = Buffer.from(await (await fetch(upstream!.video_url!)).arrayBuffer());
      expect(served.length).toBe(20_000);
      await own.close();
      await expect(fetch(upstream!.video_url!)).rejects.toThrow(); // the provider's file is gone

      const res = await openai.videos.downloadContent(video.id);
      expect(res.headers.get('content-type')).toMatch(/^video\/mp4/);
      const bytes = Buffer.from(await res.arrayBuffer());
      expect(sha256(bytes)).toBe(sha256(served));
      expect(copy.sha256).toBe(sha256(served));

      const storage = t.app.get(MediaStorage);
      expect(await storage.list()).toContain(copy.objectKey);
      expect(await openai.videos.delete(video.id)).toEqual({ id: video.id, object: 'video.deleted', deleted: true });
      // Documented: the video is gone for its owner at once (404), and its file leaves storage.
      await expect(openai.videos.retrieve(video.id)).rejects.toBeInstanceOf(NotFoundError);
      await expect(openai.videos.downloadContent(video.id)).rejects.toBeInstanceOf(NotFoundError);
      await expect(openai.videos.delete(video.id)).rejects.toBeInstanceOf(NotFoundError);
      await waitFor(async () => !(await storage.list()).includes(copy.objectKey!), 15_000, 100);
      expect(await storage.stat(copy.objectKey!)).toBeNull();
      // The money record stays: one capture for the deleted video.
      const [{ n }] = await ds.query("SELECT COUNT(*) AS n FROM ledger_entries WHERE ref_id = ? AND kind = 'capture'", [
        video.id,
      ]);
      expect(Number(n)).toBe(1);
    } finally {
      await t.http().delete(`/api/admin/channels/${channel.id}`).set(bearer(admin.jwt));
      await own.close().catch(() => undefined);
    }
  });

  it('lists the catalog as OpenAI models, and refuses multipart where it does not belong', async () => {
    const u = await fundedUser(t, 0, 'oai-models');
    const models = await client(u).models.list();
    const ids = models.data.map((m) => m.id);
    expect(ids).toEqual(expect.arrayContaining(['sora-2', 'sora-2-pro', 'veo3', 'kling-v1-6-std']));
    expect(models.data.find((m) => m.id === 'sora-2')).toMatchObject({ object: 'model', owned_by: 'kie' });
    const res = await t.http().post('/api/tokens').set(bearer(u.jwt)).field('name', 'x').expect(415);
    expect(res.body.error.code).toBe('unsupported_media_type');
  });
});
