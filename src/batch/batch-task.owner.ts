import { Injectable, OnModuleInit } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import { EntityManager } from 'typeorm';
import { BillingService } from '../billing/billing.service';
import { SpendCaps } from '../billing/spend-caps.service';
import { CatalogService } from '../catalog/catalog.service';
import { Clock } from '../common/clock/clock.service';
import { Db } from '../common/database/db.service';
import { Provider } from '../metrics/metric-labels';
import { Metrics } from '../metrics/metrics.service';
import { TaskOutcome, TaskOwner, TaskOwners } from '../relay/core/task-owner';
import { VideoTask } from '../relay/core/video-task.entity';
import { BatchEngineConfig } from './batch-config';
import { BatchItem, ItemStatus } from './batch.entity';
import { BatchRepository } from './batch.repository';
import { BatchSettingsService } from './batch-settings.service';
import { nextFactorPct, retryDelayMs } from './batch-rules';

export const BATCH_OWNER = 'batch';

export const itemRef = (batchId: number, idx: number) => ({ type: 'batch' as const, id: `${batchId}:${idx}` });

export type AttemptResult = { ok: true } | { ok: false; reason: string; retryable: boolean };

// A batch item owns the tasks of its attempts. The item holds its price once, across attempts
// (from batch creation); each attempt's task starts the item running in the task's creating
// transaction, and the task's end settles the item — capture, retry or release — in the
// transaction that ends the task.
@Injectable()
export class BatchTaskOwner extends TaskOwner implements OnModuleInit {
  readonly name = BATCH_OWNER;

  constructor(
    private readonly batches: BatchRepository,
    private readonly billing: BillingService,
    private readonly caps: SpendCaps,
    private readonly settings: BatchSettingsService,
    private readonly owners: TaskOwners,
    private readonly catalog: CatalogService,
    private readonly db: Db,
    private readonly metrics: Metrics,
    private readonly clock: Clock,
    private readonly logger: PinoLogger,
  ) {
    super();
    this.logger.setContext(BatchTaskOwner.name);
  }

  onModuleInit(): void {
    this.owners.register(this);
  }

  async onCreated(em: EntityManager, task: VideoTask): Promise<void> {
    const nowMs = this.clock.nowMs();
    const item = await this.item(em, task);
    const moved = await this.batches.moveItem(em, item.id, ['dispatching'], 'running', {
      taskId: task.taskId,
      leaseOwner: null,
      leaseUntilMs: null,
      updatedAtMs: nowMs,
    });
    // The claim lapsed and the item went back to the queue: create nothing for it.
    if (!moved) throw new Error(`Batch item ${item.id} is no longer being dispatched`);
    await this.batches.addEvent(em, item.batchId, item.idx, 'running', `attempt ${item.attempts}`, nowMs);
  }

  async onFinished(em: EntityManager, task: VideoTask, outcome: TaskOutcome): Promise<{ charged: number }> {
    const item = await this.item(em, task);
    if (item.taskId !== task.taskId) return { charged: 0 }; // an older attempt's task
    const result: AttemptResult =
      outcome.status === 'succeed'
        ? { ok: true }
        : { ok: false, reason: outcome.reason, retryable: outcome.atSubmit && outcome.retryable };
    return this.endAttempt(em, item, ['running'], result);
  }

  // One attempt's end, with the item's status change: success captures the item's hold; a
  // retryable failure waits for the next attempt (hold kept); anything else releases it.
  async endAttempt(
    em: EntityManager,
    item: BatchItem,
    from: ItemStatus[],
    result: AttemptResult,
  ): Promise<{ charged: number }> {
    const cfg = await this.settings.currentIn(em);
    const nowMs = this.clock.nowMs();
    const delay = !result.ok && result.retryable ? retryDelayMs(cfg, item.attempts) : null;
    const reason = result.ok ? null : result.reason.slice(0, 255);
    const common = { leaseOwner: null, leaseUntilMs: null, lastError: reason, updatedAtMs: nowMs };
    if (delay !== null) {
      const fields = { ...common, nextAttemptAtMs: nowMs + delay };
      if (!(await this.batches.moveItem(em, item.id, from, 'retry_wait', fields))) return { charged: 0 };
      await this.recordOutcome(em, cfg, item.userId, false);
      await this.batches.addEvent(em, item.batchId, item.idx, 'retry_wait', `retry in ${delay} ms: ${reason}`, nowMs);
      return { charged: 0 };
    }
    const to = result.ok ? 'succeed' : 'failed';
    if (!(await this.batches.moveItem(em, item.id, from, to, { ...common, finishedAtMs: nowMs })))
      return { charged: 0 };
    const ref = itemRef(item.batchId, item.idx);
    const settled = result.ok ? await this.billing.capture(ref, undefined, em) : await this.billing.release(ref, em);
    if (settled.status === 'released') await this.giveBack(em, item);
    await this.recordOutcome(em, cfg, item.userId, result.ok);
    await this.batches.addEvent(em, item.batchId, item.idx, to, reason, nowMs);
    const charged = settled.status === 'captured' ? settled.charged : 0;
    this.db.afterCommit(em, () => this.reportEnd(item, result.ok, charged));
    return { charged };
  }

  private reportEnd(item: BatchItem, ok: boolean, charged: number): void {
    const provider = (this.catalog.capability(item.model)?.provider ?? 'other') as Provider;
    this.metrics.batchItemFinished(ok ? 'succeeded' : 'failed');
    this.metrics.credits({ movement: ok ? 'captured' : 'released', provider, quota: ok ? charged : item.quota });
  }

  // A released item no longer counts against the spending caps of the key that made the batch.
  private async giveBack(em: EntityManager, item: BatchItem): Promise<void> {
    const batch = await this.batches.findBatch(item.batchId, em);
    if (batch?.tokenId) await this.caps.giveBack(em, batch.tokenId, item.quota, batch.createdAt);
  }

  private async item(em: EntityManager, task: VideoTask): Promise<BatchItem> {
    const item = task.ownerRef ? await this.batches.findItem(em, Number(task.ownerRef)) : null;
    if (!item) throw new Error(`Task ${task.taskId} names no batch item`);
    return item;
  }

  // Sliding window of the user's attempt outcomes; the concurrency share follows it.
  private async recordOutcome(em: EntityManager, cfg: BatchEngineConfig, userId: number, ok: boolean): Promise<void> {
    const now = this.clock.now();
    const state = await this.batches.lockUser(em, userId, now);
    const recent = (state.recent + (ok ? '1' : '0')).slice(-cfg.degradation.window);
    const factor = nextFactorPct(
      cfg,
      state.factorPct,
      [...recent].map((c) => c === '1'),
    );
    if (factor !== state.factorPct)
      this.logger.info({ user_id: userId, factor_pct: factor }, 'batch concurrency share changed');
    await this.batches.saveUserState(em, userId, factor, recent, now);
  }
}
