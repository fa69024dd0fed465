import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { request } from 'undici';
import { Db } from '../../src/common/database/db.service';
import { buildDataSourceOptions } from '../../src/common/database/data-source-options';
import { parseDatabaseUrl } from '../../src/config/load-config';
import { MediaCopy } from '../../src/media/media-copy.entity';
import { MediaCopyRepository } from '../../src/media/media-copy.repository';
import { VideoTask } from '../../src/relay/core/video-task.entity';
import { call, sleep } from '../common/http-client';
import { FreshDatabase } from '../common/fresh-database';
import { startSimMediaServer } from '../simulators/sim-media';
import { setUpTenant, startReelay, startSimulator } from './harness';

const KIE_KEY = 'kie-zip-bench';

export interface ZipFigures {
  items: number;
  fileBytes: number;
  zipBytes: number;
  downloadSeconds: number;
  mbPerSecond: number;
  rssBeforeMb: number;
  rssPeakMb: number;
  rssGrowthMb: number;
}

interface BatchView {
  status: string;
  items: Array<{ task_id: string | null }>;
}

// Workload 6 (BENCH_ONLY=zip): a batch of `items` videos run through the batch engine, each
// video copied into local storage by Reelay's copy job (the rows are written as the relay core's
// terminal transaction would), then the whole batch downloaded as one ZIP while Reelay's
// resident memory is sampled: the growth must stay flat, whatever the ZIP's size.
export async function zipDownload(db: FreshDatabase, items = 1000, fileBytes = 256 * 1024): Promise<ZipFigures> {
  const sim = await startSimulator('kie', KIE_KEY);
  const files = await startSimMediaServer();
  const mediaDir = mkdtempSync(join(tmpdir(), 'reelay-bench-media-'));
  await call(sim.url, 'PATCH', '/__control/behavior', { processingAfterMs: 10, completeAfterMs: 50 });
  await call(sim.url, 'PATCH', `/__control/keys/${KIE_KEY}`, { credits: 1_000_000_000 });
  const reelay = await startReelay(db, {
    BATCH_TIME_SCALE: '0.01',
    BATCH_TICK_MS: '20',
    POLL_TICK_MS: '100',
    MEDIA_DIR: mediaDir,
    OUTBOUND_ALLOW_HOSTS: '127.0.0.1',
    MEDIA_COPY_TICK_MS: '100',
    MEDIA_COPY_CONCURRENCY: '16',
  });
  try {
    const t = await setUpTenant(
      reelay.url,
      { type: 'kie', baseUrl: sim.url, key: KIE_KEY, models: ['sora-2'] },
      10_000_000,
    );
    await call(reelay.url, 'PATCH', `/api/admin/users/${t.userId}`, t.adminJwt, { plan: 'enterprise' });
    await call(reelay.url, 'PUT', '/api/admin/batch/config', t.adminJwt, {
      plans: { enterprise: { max_batch_rows: items, concurrency: 40 } },
      model_caps: { 'sora-2': 40 },
    });
    const rows = Array.from({ length: items }, (_, i) => ({ prompt: `bench video ${i}`, model: 'sora-2' }));
    const { id } = await call<{ id: string }>(reelay.url, 'POST', '/api/v1/workflow/batch-generate', t.apiKey, {
      rows,
      generationType: 'video',
    });
    let batch = await call<BatchView>(reelay.url, 'GET', `/api/v1/workflow/batches/${id}`, t.apiKey);
    for (const deadline = Date.now() + 600_000; batch.status !== 'completed'; await sleep(250)) {
      if (Date.now() > deadline) throw new Error(`the ${items}-item batch is still ${batch.status} after 10 minutes`);
      batch = await call<BatchView>(reelay.url, 'GET', `/api/v1/workflow/batches/${id}`, t.apiKey);
    }
    await copyAll(
      db,
      t.userId,
      batch.items.map((i) => i.task_id as string),
      (seed) => files.urlFor(seed, fileBytes),
    );

    await sleep(1000); // let the copy job's buffers go
    const rssBeforeMb = reelay.rssMb();
    let rssPeakMb = rssBeforeMb;
    const sampler = setInterval(() => (rssPeakMb = Math.max(rssPeakMb, reelay.rssMb())), 25);
    const started = Date.now();
    let zipBytes = 0;
    try {
      const res = await request(`${reelay.url}/api/v1/workflow/batches/${id}/download`, {
        headers: { authorization: `Bearer ${t.apiKey}` },
      });
      if (res.statusCode !== 200) throw new Error(`download answered ${res.statusCode}`);
      for await (const chunk of res.body) zipBytes += (chunk as Buffer).length;
    } finally {
      clearInterval(sampler);
    }
    const downloadSeconds = (Date.now() - started) / 1000;
    return {
      items,
      fileBytes,
      zipBytes,
      downloadSeconds,
      mbPerSecond: Math.round(zipBytes / 2 ** 20 / downloadSeconds),
      rssBeforeMb,
      rssPeakMb,
      rssGrowthMb: rssPeakMb - rssBeforeMb,
    };
  } finally {
    await reelay.stop();
    await sim.stop();
    await files.close();
    rmSync(mediaDir, { recursive: true, force: true });
  }
}

// Writes the copy jobs (what MediaCopies.enqueue does in a task's terminal transaction), points
// them at the bench's file server (each task's end already queued one for the simulator's
// unreachable https URL; enqueue keeps that one), and waits until Reelay has stored them all.
async function copyAll(db: FreshDatabase, userId: number, taskIds: string[], urlFor: (seed: string) => string) {
  const options = buildDataSourceOptions(parseDatabaseUrl(db.url));
  const ds = await new DataSource({ ...options, entities: [MediaCopy, VideoTask] }).initialize();
  const d = new Db(ds);
  try {
    const repo = new MediaCopyRepository(d);
    await d.tx(async (em) => {
      for (const taskId of taskIds) {
        await repo.enqueue(em, { taskId, userId, sourceUrl: urlFor(taskId) }, Date.now());
        await em.query(
          "UPDATE media_copies SET source_url = ?, attempts = 0, next_attempt_at_ms = 0, lease_owner = NULL, lease_until_ms = NULL, status = 'pending' WHERE task_id = ? AND status <> 'stored'",
          [urlFor(taskId), taskId],
        );
      }
    });
    for (const deadline = Date.now() + 600_000; ; await sleep(250)) {
      const [{ n }] = await ds.query<Array<{ n: number | string }>>(
        "SELECT COUNT(*) AS n FROM media_copies WHERE status = 'stored'",
      );
      if (Number(n) >= taskIds.length) return;
      if (Date.now() > deadline) throw new Error(`${n} of ${taskIds.length} videos stored after 10 minutes`);
    }
  } finally {
    await d.close();
    await ds.destroy();
  }
}
