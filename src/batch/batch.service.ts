import { randomBytes } from 'node:crypto';
import { Injectable, MessageEvent, OnModuleInit } from '@nestjs/common';
import { Observable } from 'rxjs';
import { EntityManager } from 'typeorm';
import { UserRepository } from '../auth/user.repository';
import { BillingService } from '../billing/billing.service';
import { SpendCaps } from '../billing/spend-caps.service';
import { MediaService } from '../media/media.service';
import { Provider } from '../metrics/metric-labels';
import { Metrics } from '../metrics/metrics.service';
import { quotaToCredits } from '../common/money/money';
import { CatalogService } from '../catalog/catalog.service';
import { AuthUser } from '../common/auth/auth-user';
import { Clock } from '../common/clock/clock.service';
import { Db } from '../common/database/db.service';
import { DomainError } from '../common/errors/domain-error';
import { ErrorCode } from '../common/errors/error-code';
import { Idempotency } from '../common/idempotency/idempotency.service';
import { Page, PageQueryDto, pageOf, toPageRequest } from '../common/pagination/page.dto';
import { ShutdownSignal } from '../common/lifecycle/shutdown-signal';
import { BatchSettingsService } from './batch-settings.service';
import { AppConfig } from '../config/app-config';
import { Batch, BatchItem, ITEM_DONE } from './batch.entity';
import { BatchDetailDto, BatchDto, BatchGenerateDto } from './batch.dto';
import { BatchRepository, NewItem } from './batch.repository';
import { itemRef } from './batch-task.owner';
import { laneOf, laneRank } from './batch-rules';

const EVENT_POLL_MS = 200;
const RECONNECT_MS = 1_000;
export const BATCH_CREATE_REPLAY = 'batch.create';

// Event ids are the events' row ids; anything else (Infinity, 1e400, text) is a client bug.
function parseLastEventId(value: string | undefined): number {
  if (value === undefined || value === '') return 0;
  if (!/^\d{1,15}$/.test(value)) throw DomainError.validation('last-event-id', 'must be the id of an event');
  return Number(value);
}

// The batch API: create (quote and hold the whole batch up front), read progress, stream
// events, pause, resume, cancel.
@Injectable()
export class BatchService implements OnModuleInit {
  constructor(
    private readonly batches: BatchRepository,
    private readonly users: UserRepository,
    private readonly catalog: CatalogService,
    private readonly billing: BillingService,
    private readonly caps: SpendCaps,
    private readonly media: MediaService,
    private readonly metrics: Metrics,
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly config: AppConfig,
    private readonly settings: BatchSettingsService,
    private readonly idempotency: Idempotency,
    private readonly shutdown: ShutdownSignal,
  ) {}

  onModuleInit(): void {
    this.idempotency.register(BATCH_CREATE_REPLAY, async (userId, ref) => ({
      status: 201,
      body: await this.detail({ id: userId } as AuthUser, ref.id),
    }));
  }

  async create(user: AuthUser, dto: BatchGenerateDto): Promise<BatchDetailDto> {
    if (dto.generationType === 'image') {
      throw new DomainError(
        ErrorCode.Unprocessable,
        'Image batches are not available yet: no image provider is configured',
        [{ field: 'generationType', message: 'only "video" is supported' }],
      );
    }
    const plan = (await this.users.findById(user.id))?.plan ?? 'free';
    const max = (await this.settings.current()).plans[plan].maxBatchRows;
    if (dto.rows.length > max) {
      throw new DomainError(ErrorCode.Unprocessable, `At most ${max} rows per batch on the ${plan} plan`, [
        { field: 'rows', message: `at most ${max} rows on the ${plan} plan (got ${dto.rows.length})` },
      ]);
    }
    const items = await this.quoteRows(dto);
    const nowMs = this.clock.nowMs();
    const publicId = `batch_${randomBytes(12).toString('base64url')}`;
    const batch = await this.db.tx(async (em) => {
      const total = items.reduce((sum, it) => sum + it.quota, 0);
      await this.ensureCovered(em, user.id, total);
      const b = await this.batches.insertBatch(
        em,
        {
          publicId,
          userId: user.id,
          status: 'running',
          total: items.length,
          defaults: JSON.stringify({
            model: dto.defaultModel,
            resolution: dto.defaultResolution,
            duration: dto.defaultDuration,
          }),
          fastLaneDoneAtMs: null,
          createdAt: Math.floor(nowMs / 1000),
          updatedAt: Math.floor(nowMs / 1000),
          finishedAt: null,
          tokenId: user.tokenId ?? null,
        },
        items,
        nowMs,
      );
      // The whole batch within the key's spending caps, then one hold per item, all or nothing:
      // not enough credits for the whole batch → 402.
      if (user.tokenId !== undefined) await this.caps.reserve(em, user.tokenId, total, Math.floor(nowMs / 1000));
      for (const it of items) await this.billing.hold(user.id, it.quota, itemRef(b.id, it.idx), em);
      this.db.afterCommit(em, () => {
        for (const it of items)
          this.metrics.credits({ movement: 'held', provider: this.providerOf(it.model), quota: it.quota });
      });
      await this.idempotency.recordCreated(em, { type: 'batch', id: b.publicId });
      return b;
    });
    return this.detail(user, batch.publicId);
  }

  // The whole batch's price against the credits available, so a 402 names both totals (the
  // holds that follow still guard against a concurrent spend).
  private async ensureCovered(em: EntityManager, userId: number, total: number): Promise<void> {
    const available = await this.billing.available(userId, em);
    if (available >= total) return;
    throw new DomainError(ErrorCode.InsufficientBalance, 'Insufficient balance for the whole batch', {
      required: quotaToCredits(total, this.config.quotaPerCredit),
      available: quotaToCredits(available, this.config.quotaPerCredit),
    });
  }

  async list(user: AuthUser, query: PageQueryDto): Promise<Page<BatchDto>> {
    const page = toPageRequest(query);
    const [rows, total] = await this.batches.listBatches(user.id, page);
    const out: BatchDto[] = [];
    for (const b of rows) out.push(this.summaryOf(b, await this.batches.itemsOf(b.id)));
    return pageOf(out, total, page, (x) => x);
  }

  async detail(user: AuthUser, publicId: string): Promise<BatchDetailDto> {
    return this.detailOf(await this.owned(user, publicId));
  }

  // A batch's progress as its owner sees it (admins read it through AdminBatchesService).
  async detailOf(b: Batch): Promise<BatchDetailDto> {
    const items = await this.batches.itemsOf(b.id);
    const done = items.filter((i) => i.status === 'succeed' && i.taskId).map((i) => i.taskId as string);
    const urls = await this.batches.videoUrls(done);
    const stored = await this.media.storeFieldsFor(done);
    return {
      ...this.summaryOf(b, items),
      items: items.map((i) => ({
        idx: i.idx,
        model: i.model,
        resolution: i.resolution,
        duration: i.duration,
        lane: laneOf(i),
        status: i.status,
        attempts: i.attempts,
        credits: quotaToCredits(i.quota, this.config.quotaPerCredit),
        task_id: i.taskId,
        video_url: i.taskId ? (urls.get(i.taskId) ?? null) : null,
        store_url: i.taskId ? (stored.get(i.taskId)?.store_url ?? null) : null,
        error: i.lastError,
      })),
    };
  }

  async pause(user: AuthUser, publicId: string): Promise<BatchDetailDto> {
    const b = await this.owned(user, publicId);
    if (await this.batches.setBatchStatus(b.id, ['running'], 'paused', this.clock.nowMs()))
      await this.event(b.id, 'paused');
    return this.detail(user, publicId);
  }

  async resume(user: AuthUser, publicId: string): Promise<BatchDetailDto> {
    const b = await this.owned(user, publicId);
    if (await this.batches.setBatchStatus(b.id, ['paused'], 'running', this.clock.nowMs()))
      await this.event(b.id, 'resumed');
    return this.detail(user, publicId);
  }

  // Items not yet submitted are cancelled and their holds released; submitted ones finish.
  async cancel(user: AuthUser, publicId: string): Promise<BatchDetailDto> {
    const b = await this.owned(user, publicId);
    if (await this.batches.setBatchStatus(b.id, ['running', 'paused'], 'cancelled', this.clock.nowMs())) {
      await this.db.tx(async (em) => {
        const nowMs = this.clock.nowMs();
        for (const it of await this.batches.pendingItems(em, b.id)) {
          if (
            !(await this.batches.moveItem(em, it.id, ['queued', 'retry_wait'], 'cancelled', {
              finishedAtMs: nowMs,
              updatedAtMs: nowMs,
            }))
          )
            continue;
          await this.billing.release(itemRef(b.id, it.idx), em);
          this.db.afterCommit(em, () => {
            this.metrics.batchItemFinished('cancelled');
            this.metrics.credits({ movement: 'released', provider: this.providerOf(it.model), quota: it.quota });
          });
          if (b.tokenId !== null) await this.caps.giveBack(em, b.tokenId, it.quota, b.createdAt);
          await this.batches.addEvent(em, b.id, it.idx, 'cancelled', null, nowMs);
        }
        await this.batches.addEvent(em, b.id, null, 'cancelling', null, nowMs);
      });
    }
    return this.detail(user, publicId);
  }

  // Server-Sent Events: every recorded change, in order, until the batch has finished. When the
  // process stops, the stream says `reconnect` (with a retry hint) and ends, so shutdown never
  // waits on a watcher; the client resumes from its Last-Event-ID on another replica.
  async events(user: AuthUser, publicId: string, lastEventId?: string): Promise<Observable<MessageEvent>> {
    let after = parseLastEventId(lastEventId);
    const b = await this.owned(user, publicId);
    return new Observable<MessageEvent>((sub) => {
      let stopped = false;
      const stop = () => {
        if (stopped) return;
        stopped = true;
        sub.next({ type: 'reconnect', retry: RECONNECT_MS, data: { reason: 'server restarting' } });
        sub.complete();
      };
      const unsubscribe = this.shutdown.onShutdown(stop);
      const loop = async () => {
        while (!stopped) {
          const events = await this.batches.eventsAfter(b.id, after, 500);
          if (stopped) return;
          for (const e of events) {
            after = e.id;
            sub.next({
              id: String(e.id),
              type: 'status',
              data: { item: e.itemIdx, status: e.status, detail: e.detail, at_ms: e.createdAtMs },
            });
          }
          const current = await this.batches.findBatch(b.id);
          if (events.length === 0 && current?.finishedAt) {
            stopped = true;
            sub.complete();
            return;
          }
          if (events.length < 500) await new Promise((r) => setTimeout(r, EVENT_POLL_MS));
        }
      };
      if (this.shutdown.closing) stop();
      else loop().catch((err: unknown) => (stopped ? undefined : sub.error(err)));
      return () => {
        stopped = true;
        unsubscribe();
      };
    });
  }

  // Each row checked against its model in the catalog and priced, with the row's fields named.
  private async quoteRows(dto: BatchGenerateDto): Promise<NewItem[]> {
    const items: NewItem[] = [];
    for (const [i, row] of dto.rows.entries()) {
      const at = (f: string) => `rows[${i}].${f}`;
      const v = await this.catalog.resolve(
        {
          model: row.model ?? dto.defaultModel ?? 'sora-2',
          seconds: row.duration ?? dto.defaultDuration,
          aspectRatio: row.aspect_ratio,
          resolution: row.resolution ?? dto.defaultResolution,
          withImage: row.image_url !== undefined,
        },
        { model: at('model'), seconds: at('duration'), aspect_ratio: at('aspect_ratio'), resolution: at('resolution') },
      );
      items.push({
        idx: i,
        prompt: row.prompt,
        model: v.model,
        resolution: v.resolution,
        duration: v.seconds,
        aspectRatio: v.aspectRatio,
        imageUrl: row.image_url ?? null,
        laneRank: laneRank({ resolution: v.resolution, duration: v.seconds }),
        quota: v.quota,
      });
    }
    return items;
  }

  summaryOf(b: Batch, items: BatchItem[]): BatchDto {
    const counts: Record<string, number> = {};
    for (const i of items) counts[i.status] = (counts[i.status] ?? 0) + 1;
    return {
      id: b.publicId,
      status: b.status,
      total: b.total,
      counts,
      credits: quotaToCredits(
        items.reduce((s, i) => s + i.quota, 0),
        this.config.quotaPerCredit,
      ),
      fast_lane_done_at_ms: b.fastLaneDoneAtMs,
      eta_seconds: this.eta(b, items),
      created_at: b.createdAt,
      finished_at: b.finishedAt,
    };
  }

  // Average time of the finished items so far, times the rounds still needed at the current pace.
  private eta(b: Batch, items: BatchItem[]): number | null {
    if (b.finishedAt) return 0;
    const done = items.filter((i) => ITEM_DONE.includes(i.status) && i.startedAtMs && i.finishedAtMs);
    if (done.length === 0) return null;
    const avgMs = done.reduce((s, i) => s + ((i.finishedAtMs as number) - (i.startedAtMs as number)), 0) / done.length;
    const left = items.filter((i) => !ITEM_DONE.includes(i.status)).length;
    const parallel = Math.max(1, items.filter((i) => i.status === 'running' || i.status === 'dispatching').length);
    return Math.round(((left / parallel) * avgMs) / 1000);
  }

  private providerOf(model: string): Provider {
    return (this.catalog.capability(model)?.provider ?? 'other') as Provider;
  }

  private async owned(user: AuthUser, publicId: string): Promise<Batch> {
    const b = await this.batches.findOwned(user.id, publicId);
    if (!b) throw DomainError.notFound('Batch');
    return b;
  }

  private event(batchId: number, status: string): Promise<void> {
    return this.db.tx((em) => this.batches.addEvent(em, batchId, null, status, null, this.clock.nowMs()));
  }
}
