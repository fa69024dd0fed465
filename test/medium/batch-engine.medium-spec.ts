import { BillingService } from '../../src/billing/billing.service';
import { AuthUser } from '../../src/common/auth/auth-user';
import { BatchEngineService } from '../../src/batch/batch-engine.service';
import { BatchItem } from '../../src/batch/batch.entity';
import { BatchGenerateDto } from '../../src/batch/batch.dto';
import { BatchRepository } from '../../src/batch/batch.repository';
import { BatchService } from '../../src/batch/batch.service';
import { TaskLifecycleService } from '../../src/relay/core/task-lifecycle.service';
import { VideoTaskRepository } from '../../src/relay/core/video-task.repository';
import { KieSimulator, startKieSimulator } from '../../tools/simulators/kie/kie-simulator';
import { channel, CREDIT, fund, newUser } from '../helpers/medium-fixtures';
import { startServices, TestServices } from '../helpers/test-services';

// The batch engine's claim and the batch owner's settlement, on a real database against the KIE
// simulator, with the test driving the engine instead of its job.
describe('batch engine and batch task owner', () => {
  let sim: KieSimulator;
  let s: TestServices;
  let engine: BatchEngineService;
  let billing: BillingService;

  beforeAll(async () => {
    sim = await startKieSimulator({
      behavior: { processingAfterMs: 5_000, completeAfterMs: 10_000, dropCallbacks: true },
    });
    sim.addKey('kie-m');
    s = await startServices({ BATCH_TIME_SCALE: '0.01' });
    engine = s.get(BatchEngineService);
    billing = s.get(BillingService);
    await channel(s, { type: 'kie', base_url: sim.url, key: 'kie-m', models: ['sora-2', 'sora-2-pro'] });
  });
  afterAll(async () => {
    await s.close();
    await sim.close();
  });
  afterEach(() => sim.reset());

  async function batchOf(user: AuthUser, prompts: string[]): Promise<BatchItem[]> {
    const dto = { rows: prompts.map((prompt) => ({ prompt })), generationType: 'video' } as BatchGenerateDto;
    const created = await s.get(BatchService).create(user, dto);
    const id = (await s.get(BatchRepository).findOwned(user.id, created.id))!.id;
    return s.get(BatchRepository).itemsOf(id);
  }
  const itemsNow = async (items: BatchItem[]) => s.get(BatchRepository).itemsOf(items[0].batchId);
  const funded = async (plan: 'pro' | 'enterprise') => {
    const u = await newUser(s, plan);
    await fund(s, u, 1000);
    return u;
  };

  it('four engines claiming at once for one user never pass the limit (pro: 3 at once)', async () => {
    const u = await funded('pro');
    await batchOf(
      u,
      Array.from({ length: 10 }, (_, i) => `claim race ${i}`),
    );
    await Promise.all([1, 2, 3, 4].map(() => engine.dispatchFor(u.id)));
    const tasks = (await s.get(VideoTaskRepository).listTasks({ userId: u.id }, { page: 1, pageSize: 50 }))[0];
    expect(tasks).toHaveLength(3);
    expect(sim.tasks()).toHaveLength(3);
  });

  it("an item settles in its task's terminal transaction: success captures its hold, a failure releases it", async () => {
    const u = await funded('enterprise');
    const items = await batchOf(u, ['settles ok', 'settles SIM_FAIL later']);
    await engine.dispatchFor(u.id);
    const running = await itemsNow(items);
    expect(running.map((i) => i.status)).toEqual(['running', 'running']);
    const lifecycle = s.get(TaskLifecycleService);
    const repo = s.get(VideoTaskRepository);
    const [okTask, badTask] = await Promise.all(running.map((i) => repo.findByTaskId(i.taskId as string)));
    const base = { externalTaskId: null, failReason: null, videoId: null, duration: null };
    await lifecycle.apply(
      okTask!,
      {
        ...base,
        upstreamTaskId: okTask!.upstreamTaskId!,
        status: 'succeed',
        videoUrl: 'https://v',
      },
      'callback',
    );
    await lifecycle.apply(
      badTask!,
      {
        ...base,
        upstreamTaskId: badTask!.upstreamTaskId!,
        status: 'failed',
        videoUrl: null,
        failReason: 'flagged',
      },
      'poll',
    );
    const after = await itemsNow(items);
    expect(after.map((i) => [i.status, i.lastError])).toEqual([
      ['succeed', null],
      ['failed', 'flagged'],
    ]);
    const ref = (i: BatchItem) => ({ type: 'batch' as const, id: `${i.batchId}:${i.idx}` });
    expect(await billing.release(ref(after[0]))).toEqual({ status: 'already_captured', charged: 0 });
    expect(await billing.capture(ref(after[1]))).toEqual({ status: 'already_released', charged: 0 });
  });

  it('a submit refused for a passing reason waits for a retry with its hold; a refused request fails and releases', async () => {
    const u = await funded('enterprise');
    const items = await batchOf(u, ['retry me', 'SIM_REJECT me']);
    sim.failNextCreates(500, 1);
    await engine.dispatchFor(u.id);
    const after = await itemsNow(items);
    const byPrompt = new Map(after.map((i) => [i.prompt, i]));
    expect(byPrompt.get('retry me')).toMatchObject({ status: 'retry_wait', attempts: 1 });
    expect(byPrompt.get('SIM_REJECT me')).toMatchObject({ status: 'failed' });
    const held = after.reduce((sum, i) => sum + (i.status === 'retry_wait' ? i.quota : 0), 0);
    expect(await billing.available(u.id)).toBe(1000 * CREDIT - held);
  });

  it('a claim whose process died before creating its task goes back to the queue, and creates nothing twice', async () => {
    const u = await funded('enterprise');
    const items = await batchOf(u, ['stale claim']);
    const repo = s.get(BatchRepository);
    await s.ds.query(
      "UPDATE batch_items SET status = 'dispatching', attempts = 1, lease_owner = 'dead', lease_until_ms = 1 WHERE id = ?",
      [items[0].id],
    );
    expect(await repo.requeueStaleClaims(Date.now())).toBe(1);
    expect((await itemsNow(items))[0]).toMatchObject({ status: 'queued', attempts: 0, taskId: null });
    await engine.dispatchFor(u.id);
    expect((await itemsNow(items))[0]).toMatchObject({ status: 'running', attempts: 1 });
    expect(sim.tasks()).toHaveLength(1);
  });
});
