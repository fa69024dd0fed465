import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import { UserRepository } from '../auth/user.repository';
import { BillingService } from '../billing/billing.service';
import { ChannelRoute, ChannelsService } from '../channels/channels.service';
import { BATCH_MODELS } from './batch.dto';
import { Clock } from '../common/clock/clock.service';
import { CryptoService } from '../common/crypto/crypto.service';
import { Db } from '../common/database/db.service';
import { DomainError } from '../common/errors/domain-error';
import { ErrorCode } from '../common/errors/error-code';
import { AppConfig } from '../config/app-config';
import { BatchEngineConfig } from '../config/batch.config';
import { BatchSettingsService } from '../common/settings/batch-settings.service';
import { TaskSubmitterService } from '../tasks/task-submitter.service';
import { BatchItem } from './batch.entity';
import { BatchRepository } from './batch.repository';
import { actualConcurrency, degradedConcurrency, nextFactorPct, retryDelayMs } from './batch-rules';

const SETTLE_BATCH = 200;

export const itemRef = (batchId: number, idx: number) => ({ type: 'batch' as const, id: `${batchId}:${idx}` });

// The batch scheduler. Everything it knows is in the database, so any replica can run a tick
// and a restarted process carries on: settle finished items (capture or release their hold
// once), wake retries, adopt items a dead replica was submitting, and dispatch queued items
// while each user stays under the concurrency their plan, the item and their recent failures
// allow.
@Injectable()
export class BatchEngineService {
  readonly owner = `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;

  constructor(
    private readonly batches: BatchRepository,
    private readonly users: UserRepository,
    private readonly billing: BillingService,
    private readonly channels: ChannelsService,
    private readonly submitter: TaskSubmitterService,
    private readonly crypto: CryptoService,
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly config: AppConfig,
    private readonly settings: BatchSettingsService,
    private readonly logger: PinoLogger,
  ) {
    this.logger.setContext(BatchEngineService.name);
  }

  async tick(): Promise<void> {
    await this.settleFinished();
    const nowMs = this.clock.nowMs();
    await this.batches.requeueDueRetries(nowMs);
    await this.batches.adoptStaleDispatches(nowMs);
    for (const userId of await this.batches.usersWithQueued()) await this.dispatchFor(userId);
    await this.batches.closeFinished(this.clock.nowMs());
  }

  // A finished task ends its item: success captures the item's hold, failure releases it.
  async settleFinished(): Promise<number> {
    const runs = await this.batches.finishedRuns(SETTLE_BATCH);
    for (const run of runs) {
      const ok = run.taskStatus === 'succeed';
      await this.endItem(run.item, ok ? 'succeed' : 'failed', ok ? null : run.failReason);
    }
    return runs.length;
  }

  // Dispatches as many of the user's items as their limits allow right now.
  async dispatchFor(userId: number): Promise<number> {
    const user = await this.users.findById(userId);
    if (!user) return 0;
    let sent = 0;
    for (;;) {
      const item = await this.claimNext(userId, user.plan);
      if (!item) return sent;
      await this.submit(item);
      sent++;
    }
  }

  // One transaction per claim, under the user's lock: count what is in flight, pick the next
  // item, check its limit, and create its task row. Two replicas cannot both take the last slot.
  private async claimNext(userId: number, plan: Parameters<typeof actualConcurrency>[1]): Promise<BatchItem | null> {
    // Looked up before the transaction: on SQLite nothing else may touch the database inside it.
    const routesByModel = new Map<string, ChannelRoute[]>();
    for (const model of BATCH_MODELS) routesByModel.set(model, await this.channels.routesFor(model, 'kie'));
    const cfg = await this.settings.current();
    return this.db.tx(async (em) => {
      const nowMs = this.clock.nowMs();
      const state = await this.batches.lockUser(em, userId, Math.floor(nowMs / 1000));
      const next = await this.batches.nextQueued(em, userId);
      if (!next) return null;
      // No slow item while a fast one of the same user is waiting (say, for a retry).
      if (next.laneRank >= 1_000_000 && (await this.batches.fastWaiting(em, userId)) > 0) return null;
      const limit = degradedConcurrency(actualConcurrency(cfg, plan, next), state.factorPct);
      if ((await this.batches.inflight(em, userId)) >= limit) return null;
      const routes = routesByModel.get(next.model) ?? [];
      if (routes.length === 0) return null; // no channel now: leave it queued
      const taskId = `kie_${this.crypto.randomString(24)}`;
      const claimed = await this.batches.moveItem(em, next.id, ['queued'], 'dispatching', {
        taskId,
        attempts: next.attempts + 1,
        leaseOwner: this.owner,
        leaseUntilMs: nowMs + this.config.upstreamTimeoutMs * 2 + 5_000,
        startedAtMs: next.startedAtMs ?? nowMs,
        updatedAtMs: nowMs,
      });
      if (!claimed) return null;
      await this.submitter.insert(em, {
        taskId,
        userId,
        provider: 'kie',
        model: next.model,
        kind: 'sora',
        quota: next.quota,
        prompt: next.prompt,
        duration: String(next.duration),
        requestParams: JSON.stringify({
          batch_id: next.batchId,
          idx: next.idx,
          resolution: next.resolution,
          attempt: next.attempts + 1,
        }),
        routes,
        pollClass: next.resolution,
        billedBy: 'batch',
      });
      await this.batches.addEvent(em, next.batchId, next.idx, 'dispatching', `attempt ${next.attempts + 1}`, nowMs);
      return { ...next, taskId, attempts: next.attempts + 1 };
    });
  }

  private async submit(item: BatchItem): Promise<void> {
    const taskId = item.taskId as string;
    const routes = await this.channels.routesFor(item.model, 'kie');
    try {
      const result = await this.submitter.dispatch(
        { taskId, userId: item.userId, provider: 'kie', billedBy: 'batch' },
        routes,
        {
          kind: 'sora',
          body: {
            prompt: item.prompt,
            resolution: item.resolution,
            duration: item.duration,
            aspect_ratio: item.aspectRatio,
            image_url: item.imageUrl,
          },
          callbackUrl: `${this.config.serverAddress}/kie/callback/${taskId}?token=${this.crypto.hmac('kie-callback', taskId)}`,
        },
      );
      await this.db.tx(async (em) => {
        const nowMs = this.clock.nowMs();
        if (
          await this.batches.moveItem(em, item.id, ['dispatching'], 'running', {
            leaseOwner: null,
            leaseUntilMs: null,
            updatedAtMs: nowMs,
          })
        ) {
          await this.batches.addEvent(
            em,
            item.batchId,
            item.idx,
            'running',
            result.status === 'unknown' ? 'submit unconfirmed' : null,
            nowMs,
          );
        }
      });
    } catch (err) {
      // Everything the upstream refused for good fails the item; a submit no channel could take
      // (network, 429, 455, 5xx on every channel) is retried after 2, 4, 8 s.
      const retryable =
        err instanceof DomainError && (err.code === ErrorCode.UpstreamUnavailable || err.code === ErrorCode.NoChannel);
      if (!(err instanceof DomainError))
        this.logger.error({ err, task_id: taskId }, 'batch submit failed unexpectedly');
      await this.afterFailedAttempt(item, retryable, err instanceof Error ? err.message : String(err));
    }
  }

  private async afterFailedAttempt(item: BatchItem, retryable: boolean, reason: string): Promise<void> {
    const cfg = await this.settings.current();
    const delay = retryable ? retryDelayMs(cfg, item.attempts) : null;
    if (delay === null) {
      await this.endItem(item, 'failed', reason, ['dispatching']);
      return;
    }
    await this.db.tx(async (em) => {
      const nowMs = this.clock.nowMs();
      const moved = await this.batches.moveItem(em, item.id, ['dispatching'], 'retry_wait', {
        nextAttemptAtMs: nowMs + delay,
        leaseOwner: null,
        leaseUntilMs: null,
        lastError: reason.slice(0, 255),
        updatedAtMs: nowMs,
      });
      if (!moved) return;
      await this.recordOutcome(em, cfg, item.userId, false);
      await this.batches.addEvent(em, item.batchId, item.idx, 'retry_wait', `retry in ${delay} ms: ${reason}`, nowMs);
    });
  }

  // The item's one money movement, with its status change: capture on success, release on failure.
  private async endItem(
    item: BatchItem,
    to: 'succeed' | 'failed',
    reason: string | null,
    from: BatchItem['status'][] = ['running'],
  ): Promise<void> {
    const cfg = await this.settings.current(); // read before the transaction (SQLite: one connection)
    await this.db.tx(async (em) => {
      const nowMs = this.clock.nowMs();
      const moved = await this.batches.moveItem(em, item.id, from, to, {
        finishedAtMs: nowMs,
        updatedAtMs: nowMs,
        leaseOwner: null,
        leaseUntilMs: null,
        lastError: reason?.slice(0, 255) ?? null,
      });
      if (!moved) return;
      const ref = itemRef(item.batchId, item.idx);
      if (to === 'succeed') await this.billing.capture(ref, undefined, em);
      else await this.billing.release(ref, em);
      await this.recordOutcome(em, cfg, item.userId, to === 'succeed');
      await this.batches.addEvent(em, item.batchId, item.idx, to, reason, nowMs);
    });
  }

  // Sliding window of the user's attempt outcomes; the concurrency share follows it.
  private async recordOutcome(
    em: Parameters<BatchRepository['addEvent']>[0],
    cfg: BatchEngineConfig,
    userId: number,
    ok: boolean,
  ): Promise<void> {
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
