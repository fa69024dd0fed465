import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import { UserRepository } from '../auth/user.repository';
import type { UserPlan } from '../common/auth/auth-user';
import { Clock } from '../common/clock/clock.service';
import { Db } from '../common/database/db.service';
import { DomainError } from '../common/errors/domain-error';
import { ErrorCode } from '../common/errors/error-code';
import { AppConfig } from '../config/app-config';
import { CatalogService } from '../catalog/catalog.service';
import { upstreamRequest } from '../catalog/upstream-request';
import { RelaySubmitService } from '../relay/core/relay-submit.service';
import { WebhookOutbox } from '../webhooks/webhook-outbox.service';
import { BatchEngineConfig } from './batch-config';
import { BatchItem } from './batch.entity';
import { BatchRepository } from './batch.repository';
import { BatchSettingsService } from './batch-settings.service';
import { BATCH_OWNER, BatchTaskOwner } from './batch-task.owner';
import { actualConcurrency, degradedConcurrency } from './batch-rules';

// How long a claimed item may wait for its task to be created before another replica requeues it.
const CLAIM_LEASE_MS = 30_000;

// The batch scheduler. Everything it knows is in the database, so any replica can run a tick
// and a restarted process carries on: wake retries, requeue claims a dead replica left, and
// submit queued items while each user stays under the concurrency their plan, the item and their
// recent failures allow. Items settle in their tasks' own transactions (BatchTaskOwner), not here.
@Injectable()
export class BatchEngineService {
  readonly owner = `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;

  constructor(
    private readonly batches: BatchRepository,
    private readonly users: UserRepository,
    private readonly relay: RelaySubmitService,
    private readonly catalog: CatalogService,
    private readonly items: BatchTaskOwner,
    private readonly outbox: WebhookOutbox,
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly config: AppConfig,
    private readonly settings: BatchSettingsService,
    private readonly logger: PinoLogger,
  ) {
    this.logger.setContext(BatchEngineService.name);
  }

  async tick(): Promise<void> {
    const nowMs = this.clock.nowMs();
    await this.batches.requeueDueRetries(nowMs);
    await this.batches.requeueStaleClaims(nowMs);
    for (const userId of await this.batches.usersWithQueued()) await this.dispatchFor(userId);
    await this.batches.closeFinished(this.clock.nowMs(), (em, b, counts) =>
      this.outbox
        .enqueueBatchEvent(em, {
          publicId: b.publicId,
          userId: b.userId,
          status: b.status,
          total: b.total,
          counts,
          createdAt: b.createdAt,
          finishedAt: b.finishedAt,
        })
        .then(() => undefined),
    );
  }

  // Submits as many of the user's items as their limits allow right now.
  async dispatchFor(userId: number): Promise<number> {
    const user = await this.users.findById(userId);
    if (!user) return 0;
    let sent = 0;
    for (;;) {
      const cfg = await this.settings.current();
      const item = await this.claimNext(userId, user.plan, cfg);
      if (!item) return sent;
      await this.submit(item, cfg);
      sent++;
    }
  }

  // One transaction per claim, under the user's lock: count what is in flight, pick the next
  // item, check its limit, and mark it dispatching. Two replicas cannot both take the last slot.
  private claimNext(userId: number, plan: UserPlan, cfg: BatchEngineConfig): Promise<BatchItem | null> {
    return this.db.tx(async (em) => {
      const nowMs = this.clock.nowMs();
      const state = await this.batches.lockUser(em, userId, Math.floor(nowMs / 1000));
      const next = await this.batches.nextQueued(em, userId);
      if (!next) return null;
      // No slow item while a fast one of the same user is waiting (say, for a retry).
      if (next.laneRank >= 1_000_000 && (await this.batches.fastWaiting(em, userId)) > 0) return null;
      const limit = degradedConcurrency(actualConcurrency(cfg, plan, next), state.factorPct);
      if ((await this.batches.inflight(em, userId)) >= limit) return null;
      const claimed = await this.batches.moveItem(em, next.id, ['queued'], 'dispatching', {
        attempts: next.attempts + 1,
        leaseOwner: this.owner,
        leaseUntilMs: nowMs + CLAIM_LEASE_MS,
        startedAtMs: next.startedAtMs ?? nowMs,
        updatedAtMs: nowMs,
      });
      if (!claimed) return null;
      await this.batches.addEvent(em, next.batchId, next.idx, 'dispatching', `attempt ${next.attempts + 1}`, nowMs);
      return { ...next, attempts: next.attempts + 1 };
    });
  }

  // The relay records the task and starts the item in one transaction (BatchTaskOwner.onCreated)
  // and settles it when the task ends, a refusal at submit included.
  private async submit(item: BatchItem, cfg: BatchEngineConfig): Promise<void> {
    try {
      const shape = this.catalog.shape({
        model: item.model,
        seconds: item.duration,
        aspectRatio: item.aspectRatio,
        resolution: item.resolution,
        withImage: item.imageUrl !== null,
      });
      const request = upstreamRequest(shape, { prompt: item.prompt, imageUrl: item.imageUrl });
      await this.relay.submit({
        userId: item.userId,
        provider: shape.capability.provider,
        model: item.model,
        kind: request.kind,
        quota: item.quota,
        prompt: item.prompt,
        duration: String(item.duration),
        requestParams: JSON.stringify({
          batch_id: item.batchId,
          idx: item.idx,
          resolution: item.resolution,
          attempt: item.attempts,
        }),
        body: request.body,
        taskIdPrefix: shape.capability.provider,
        owner: BATCH_OWNER,
        ownerRef: String(item.id),
        pollSchedule: cfg.polling[item.resolution],
        timeoutMs: cfg.timeoutsMs[item.resolution],
      });
    } catch (err) {
      if (!(err instanceof DomainError))
        this.logger.error({ err, item_id: item.id }, 'batch submit failed unexpectedly');
      // Nothing was created (no channel serves the model right now, say): the item is still
      // dispatching, and waits for its next attempt. Otherwise its task's end settled it.
      const retryable =
        !(err instanceof DomainError) || err.code === ErrorCode.NoChannel || err.code === ErrorCode.UpstreamUnavailable;
      const reason = err instanceof Error ? err.message : String(err);
      await this.db.tx((em) => this.items.endAttempt(em, item, ['dispatching'], { ok: false, reason, retryable }));
    }
  }
}
