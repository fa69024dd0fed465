import { DataSource } from 'typeorm';
import { KieSimulator, startKieSimulator } from '../../tools/simulators/kie/kie-simulator';
import { KlingSimulator, startKlingSimulator } from '../../tools/simulators/kling/kling-simulator';
import { startVivaSimulator, VivaSimulator } from '../../tools/simulators/viva/viva-simulator';
import { bearer, loginAdmin } from '../helpers/factories';
import { addChannel, fundedUser, FundedUser } from '../helpers/relay';
import { startTestApp, TestApp } from '../helpers/test-app';
import { waitFor } from '../helpers/wait';

interface CatalogModel {
  id: string;
  provider: string;
  kinds: string[];
  seconds: number[];
  sizes: Array<{ size: string; aspect_ratio: string; resolution: string }>;
  prices: Array<{ kind: string; seconds: number; size: string; credits: number }>;
}

const IMAGE = 'https://example.test/frame.png';

// #13: one source of truth per model. The public catalog lists every priced model with each
// combination's price; the quote and a real submit agree with it for every combination.
describe('the model catalog', () => {
  let kling: KlingSimulator;
  let kie: KieSimulator;
  let viva: VivaSimulator;
  let t: TestApp;
  let ds: DataSource;

  beforeAll(async () => {
    const fast = { processingAfterMs: 30, completeAfterMs: 150 };
    [kling, kie, viva] = await Promise.all([
      startKlingSimulator({ behavior: fast }),
      startKieSimulator({ behavior: fast }),
      startVivaSimulator({ behavior: fast }),
    ]);
    kling.addKey('ak-c', 'sk-c');
    kie.addKey('kie-c');
    viva.addKey('viva-c');
    t = await startTestApp({ env: { POLL_TICK_MS: '100', BATCH_TIME_SCALE: '0.01', BATCH_TICK_MS: '25' } });
    ds = t.app.get(DataSource);
    const models = (await t.http().get('/api/models').expect(200)).body.models as CatalogModel[];
    const of = (p: string) => models.filter((m) => m.provider === p).map((m) => m.id);
    await addChannel(t, { base_url: kling.url, key: 'ak-c|sk-c', models: of('kling') });
    await addChannel(t, { type: 'viva', base_url: viva.url, key: 'viva-c', models: of('viva') });
    const admin = await loginAdmin(t);
    await t
      .http()
      .post('/api/admin/channels')
      .set(bearer(admin.jwt))
      .send({ name: 'kie', type: 'kie', base_url: kie.url, key: 'kie-c', models: of('kie') })
      .expect(201);
  });
  afterAll(async () => {
    await t.close();
    await Promise.all([kling.close(), kie.close(), viva.close()]);
  });

  const catalog = async (): Promise<CatalogModel[]> => (await t.http().get('/api/models').expect(200)).body.models;
  const heldFor = async (taskId: string) =>
    Number(
      (await ds.query("SELECT held_delta FROM ledger_entries WHERE ref_id = ? AND kind = 'hold'", [taskId]))[0]
        .held_delta,
    );

  it('is public and lists every priced model with its providers, options and prices', async () => {
    const models = await catalog();
    expect(models.map((m) => m.id).sort()).toEqual(
      ['kling-v1-5-pro', 'kling-v1-5-std', 'kling-v1-6-pro', 'kling-v1-6-std', 'sora-2', 'sora-2-pro', 'veo3'].sort(),
    );
    const sora = models.find((m) => m.id === 'sora-2-pro')!;
    expect(sora).toMatchObject({ provider: 'kie', seconds: [10, 15], kinds: ['text2video', 'image2video'] });
    expect(sora.sizes.map((s) => s.size)).toEqual(['1280x720', '720x1280', '1920x1080', '1080x1920']);
    expect(sora.prices).toContainEqual({ kind: 'text2video', seconds: 15, size: '1920x1080', credits: 130 });
    const kling16 = models.find((m) => m.id === 'kling-v1-6-std')!;
    expect(kling16.prices).toContainEqual({ kind: 'text2video', seconds: 5, size: '1280x720', credits: 72 });
    expect(kling16.prices).toContainEqual({ kind: 'multi-image2video', seconds: 10, size: '720x1280', credits: 187.2 });
  });

  it('quote, catalog and a submit agree on every combination of every model', async () => {
    const u: FundedUser = await fundedUser(t, 100_000, 'walker');
    for (const m of await catalog()) {
      for (const p of m.prices) {
        const size = m.sizes.find((s) => s.size === p.size)!;
        const quote = await t
          .http()
          .post('/api/billing/quote')
          .set(bearer(u.jwt))
          .send({
            model: m.id,
            kind: p.kind,
            duration: p.seconds,
            aspect_ratio: size.aspect_ratio,
            resolution: size.resolution,
          })
          .expect(200);
        expect({ model: m.id, ...p, quoted: quote.body.credits }).toEqual({ model: m.id, ...p, quoted: p.credits });

        const taskId = await submit(u, m, p);
        expect({ model: m.id, ...p, held: (await heldFor(taskId)) / 1000 }).toEqual({
          model: m.id,
          ...p,
          held: p.credits,
        });
      }
    }
  });

  // The OpenAI surface for text and first-frame videos; Kling's protocol for several images.
  async function submit(u: FundedUser, m: CatalogModel, p: CatalogModel['prices'][number]): Promise<string> {
    if (p.kind === 'multi-image2video') {
      const [name, mode] = [m.id.replace(/-(std|pro)$/, ''), m.id.endsWith('-pro') ? 'pro' : 'std'];
      const size = m.sizes.find((s) => s.size === p.size)!;
      const res = await t
        .http()
        .post('/v1/videos/multi-image2video')
        .set(bearer(u.key))
        .send({
          model_name: name,
          mode,
          prompt: 'walk',
          duration: String(p.seconds),
          aspect_ratio: size.aspect_ratio,
          image_list: [{ image: IMAGE }],
        })
        .expect(200);
      return res.body.data.task_id as string;
    }
    const body: Record<string, unknown> = { model: m.id, prompt: 'walk', seconds: String(p.seconds), size: p.size };
    if (p.kind === 'image2video') body.input_reference = { image_url: IMAGE };
    const res = await t.http().post('/v1/videos').set(bearer(u.key)).send(body).expect(200);
    return res.body.id as string;
  }

  it('runs a batch mixing Kling, Sora and Veo rows, each charged once', async () => {
    const u = await fundedUser(t, 1000, 'mixed');
    const admin = await loginAdmin(t);
    await t.http().patch(`/api/admin/users/${u.id}`).set(bearer(admin.jwt)).send({ plan: 'enterprise' }).expect(200);
    const rows = [
      { prompt: 'mixed kling', model: 'kling-v1-6-std', duration: 5, aspect_ratio: '9:16' },
      { prompt: 'mixed kling pro', model: 'kling-v1-6-pro', duration: 10 },
      { prompt: 'mixed sora', model: 'sora-2', duration: 15 },
      { prompt: 'mixed sora pro', model: 'sora-2-pro', resolution: '1080p', duration: 10 },
      { prompt: 'mixed veo', model: 'veo3' },
      { prompt: 'mixed kling image', model: 'kling-v1-5-std', duration: 5, image_url: IMAGE },
    ];
    const created = await t
      .http()
      .post('/api/v1/workflow/batch-generate')
      .set(bearer(u.key))
      .send({ rows, generationType: 'video' })
      .expect(201);
    expect(created.body.items.map((i: { model: string; duration: number }) => [i.model, i.duration])).toEqual([
      ['kling-v1-6-std', 5],
      ['kling-v1-6-pro', 10],
      ['sora-2', 15],
      ['sora-2-pro', 10],
      ['veo3', 8],
      ['kling-v1-5-std', 5],
    ]);
    const done = await waitFor(async () => {
      const d = (await t.http().get(`/api/v1/workflow/batches/${created.body.id}`).set(bearer(u.key))).body;
      return d.status === 'completed' ? d : null;
    }, 30_000);
    expect(done.counts).toEqual({ succeed: 6 });
    const batchId = (await ds.query('SELECT id FROM batches WHERE public_id = ?', [created.body.id]))[0].id;
    const captures: Array<{ ref_id: string; amount: number | string }> = await ds.query(
      "SELECT ref_id, amount FROM ledger_entries WHERE ref_type = 'batch' AND kind = 'capture' AND ref_id LIKE ?",
      [`${batchId}:%`],
    );
    expect(captures.map((c) => c.ref_id).sort()).toEqual(rows.map((_, i) => `${batchId}:${i}`));
    const charged = -captures.reduce((s, c) => s + Number(c.amount), 0) / 1000;
    expect(charged).toBe(done.credits);
    expect(kling.tasks().filter((x) => String(x.body.prompt).startsWith('mixed'))).toHaveLength(3);
    expect(kie.tasks().filter((x) => x.prompt.startsWith('mixed'))).toHaveLength(2);
    expect(viva.tasks().filter((x) => x.prompt.startsWith('mixed'))).toHaveLength(1);
  });
});
