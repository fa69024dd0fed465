import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { KieSimulator, startKieSimulator } from '../../tools/simulators/kie/kie-simulator';
import { binary, DRIVERS, enqueueCopy, LocalS3, sha256, storageEnv } from '../helpers/delivery';
import { expectErrorShape } from '../helpers/error-shape';
import { bearer, loginAdmin } from '../helpers/factories';
import { fundedUser, FundedUser } from '../helpers/relay';
import { startTestApp, TestApp } from '../helpers/test-app';
import { waitFor } from '../helpers/wait';

// Unzips with a real tool (Info-ZIP's unzip, else Python's zipfile) into `dir`.
function unzip(file: string, dir: string): void {
  try {
    execFileSync('unzip', ['-q', file, '-d', dir], { stdio: 'pipe' });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    execFileSync('python3', ['-m', 'zipfile', '-e', file, dir], { stdio: 'pipe' });
  }
}

// manifest.csv read by Python's csv module (a real CSV reader, not ours).
function readManifest(file: string): Array<Record<string, string>> {
  const out = execFileSync('python3', [
    '-c',
    'import csv,json,sys; print(json.dumps(list(csv.DictReader(open(sys.argv[1], newline="", encoding="utf-8")))))',
    file,
  ]);
  return JSON.parse(out.toString('utf8')) as Array<Record<string, string>>;
}

describe.each(DRIVERS)('batch ZIP download (%s storage)', (driver) => {
  let s3: LocalS3;
  let sim: KieSimulator;
  let t: TestApp;
  let ds: DataSource;
  let work: string;

  beforeAll(async () => {
    s3 = await storageEnv(driver);
    sim = await startKieSimulator({
      behavior: { processingAfterMs: 20, completeAfterMs: 80 },
      media: { serve: true, bytes: 6_000 },
    });
    sim.addKey('kie-zip');
    t = await startTestApp({
      env: {
        ...s3.env,
        BATCH_TIME_SCALE: '0.01',
        BATCH_TICK_MS: '20',
        POLL_TICK_MS: '100',
        UNKNOWN_GRACE_SECONDS: '5',
        OUTBOUND_ALLOW_HOSTS: '127.0.0.1',
        MEDIA_COPY_TICK_MS: '50',
        MEDIA_COPY_CONCURRENCY: '8',
      },
    });
    ds = t.app.get(DataSource);
    const admin = await loginAdmin(t);
    await t
      .http()
      .post('/api/admin/channels')
      .set(bearer(admin.jwt))
      .send({ name: 'kie', type: 'kie', base_url: sim.url, key: 'kie-zip', models: ['sora-2', 'sora-2-pro'] })
      .expect(201);
    await t
      .http()
      .put('/api/admin/batch/config')
      .set(bearer(admin.jwt))
      .send({ plans: { enterprise: { max_batch_rows: 200, concurrency: 40 } }, model_caps: { 'sora-2': 40 } })
      .expect(200);
    work = mkdtempSync(join(tmpdir(), 'reelay-zip-'));
  });
  afterAll(async () => {
    await t.close();
    await sim.close();
    await s3.close();
    rmSync(work, { recursive: true, force: true });
  });

  async function enterpriseUser(credits: number): Promise<FundedUser> {
    const u = await fundedUser(t, credits, 'zipper');
    const admin = await loginAdmin(t);
    await t.http().patch(`/api/admin/users/${u.id}`).set(bearer(admin.jwt)).send({ plan: 'enterprise' }).expect(200);
    return u;
  }
  const detail = async (u: FundedUser, id: string) =>
    (await t.http().get(`/api/v1/workflow/batches/${id}`).set(bearer(u.key)).expect(200)).body;
  const download = (u: FundedUser, id: string) =>
    t.http().get(`/api/v1/workflow/batches/${id}/download`).set(bearer(u.key)).buffer(true).parse(binary);

  it('a 200-item batch unzips with a real unzip tool to 200 videos whose SHA-256 match manifest.csv', async () => {
    const u = await enterpriseUser(3000);
    const prompts = Array.from({ length: 200 }, (_, i) =>
      i === 7 ? '一只猫, "quoted" =SUM(A1)' : `A lighthouse at dawn, take ${i}`,
    );
    const batchId = (
      await t
        .http()
        .post('/api/v1/workflow/batch-generate')
        .set(bearer(u.key))
        .send({
          rows: prompts.map((prompt) => ({ prompt, model: 'sora-2', resolution: '720p', duration: 10 })),
          generationType: 'video',
        })
        .expect(201)
    ).body.id as string;
    const done = await waitFor(async () => {
      const d = await detail(u, batchId);
      return d.status === 'completed' ? d : null;
    }, 90_000);
    expect(done.counts).toEqual({ succeed: 200 });

    // What the relay core does when each task succeeds.
    for (const it of done.items as Array<{ task_id: string; video_url: string }>)
      await enqueueCopy(t, { taskId: it.task_id, userId: u.id, sourceUrl: it.video_url });
    await waitFor(async () => {
      const [{ n }] = await ds.query("SELECT COUNT(*) AS n FROM media_copies WHERE user_id = ? AND status = 'stored'", [
        u.id,
      ]);
      return Number(n) === 200;
    }, 60_000);

    const res = await download(u, batchId).expect(200);
    expect(res.headers['content-type']).toBe('application/zip');
    expect(res.headers['content-disposition']).toBe(`attachment; filename="${batchId}.zip"`);
    expect(Number(res.headers['content-length'])).toBe(res.body.length);
    const zipFile = join(work, `${driver}-200.zip`);
    writeFileSync(zipFile, res.body);
    const out = join(work, `${driver}-200`);
    unzip(zipFile, out);

    const names = readdirSync(out).sort();
    expect(names).toHaveLength(201);
    const manifest = readManifest(join(out, 'manifest.csv'));
    expect(manifest).toHaveLength(200);
    expect(Object.keys(manifest[0])).toEqual([
      'idx',
      'prompt',
      'model',
      'resolution',
      'duration',
      'status',
      'credits_charged',
      'task_id',
      'sha256',
      'error',
      'file',
    ]);
    const taskIds = new Set((done.items as Array<{ task_id: string }>).map((i) => i.task_id));
    for (const row of manifest) {
      expect(row).toMatchObject({
        model: 'sora-2',
        resolution: '720p',
        duration: '10',
        status: 'succeed',
        credits_charged: '15',
        error: '',
      });
      expect(taskIds.has(row.task_id)).toBe(true);
      expect(row.file).toBe(
        `${row.idx}-${row.idx === '7' ? 'quoted-sum-a1' : `a-lighthouse-at-dawn-take-${row.idx}`}.mp4`,
      );
      expect(sha256(readFileSync(join(out, row.file)))).toBe(row.sha256);
    }
    expect(manifest[7].prompt).toBe('一只猫, "quoted" =SUM(A1)'); // quotes, comma and all survive
    expect(new Set(manifest.map((r) => r.sha256)).size).toBe(200);

    const other = await enterpriseUser(0);
    const denied = await t
      .http()
      .get(`/api/v1/workflow/batches/${batchId}/download`)
      .set(bearer(other.key))
      .expect(404);
    expectErrorShape(denied.body, 'not_found');
  });

  it('works while the batch still runs: unfinished items are only in the manifest', async () => {
    const u = await enterpriseUser(100);
    sim.setBehavior({ completeAfterMs: 60_000 });
    try {
      const batchId = (
        await t
          .http()
          .post('/api/v1/workflow/batch-generate')
          .set(bearer(u.key))
          .send({ rows: [{ prompt: '=cmd' }, { prompt: 'second' }], generationType: 'video' })
          .expect(201)
      ).body.id as string;
      await waitFor(async () => (await detail(u, batchId)).counts.running === 2);
      const res = await download(u, batchId).expect(200);
      const zipFile = join(work, `${driver}-running.zip`);
      writeFileSync(zipFile, res.body);
      const out = join(work, `${driver}-running`);
      unzip(zipFile, out);
      expect(readdirSync(out)).toEqual(['manifest.csv']);
      const manifest = readManifest(join(out, 'manifest.csv'));
      expect(manifest.map((r) => [r.idx, r.prompt, r.status, r.credits_charged, r.sha256, r.file])).toEqual([
        ['0', "'=cmd", 'running', '0', '', ''],
        ['1', 'second', 'running', '0', '', ''],
      ]);
      await t.http().post(`/api/v1/workflow/batches/${batchId}/cancel`).set(bearer(u.key)).expect(200);
    } finally {
      sim.setBehavior({ completeAfterMs: 80 });
    }
  });
});
