import { randomBytes } from 'node:crypto';
import { Injectable, MessageEvent } from '@nestjs/common';
import { Observable } from 'rxjs';
import { UserRepository } from '../auth/user.repository';
import { BillingService } from '../billing/billing.service';
import { quotaToCredits } from '../billing/money';
import { PricesService } from '../billing/prices.service';
import { AuthUser } from '../common/auth/auth-user';
import { Clock } from '../common/clock/clock.service';
import { Db } from '../common/database/db.service';
import { DomainError } from '../common/errors/domain-error';
import { ErrorCode } from '../common/errors/error-code';
import { Page, PageQueryDto, pageOf, toPageRequest } from '../common/pagination/page.dto';
import { BatchSettingsService } from '../common/settings/batch-settings.service';
import { AppConfig } from '../config/app-config';
import { Batch, BatchItem, ITEM_DONE } from './batch.entity';
import { BatchDetailDto, BatchDto, BatchGenerateDto } from './batch.dto';
import { BatchRepository, NewItem } from './batch.repository';
import { itemRef } from './batch-engine.service';
import { laneOf, laneRank } from './batch-rules';

const EVENT_POLL_MS = 200;

// The batch API: create (quote and hold the whole batch up front), read progress, stream
// events, pause, resume, cancel.
@Injectable()
export class BatchService {
  constructor(
    private readonly batches: BatchRepository,
    private readonly users: UserRepository,
    private readonly prices: PricesService,
    private readonly billing: BillingService,
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly config: AppConfig,
    private readonly settings: BatchSettingsService,
  ) {}

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
        },
        items,
        nowMs,
      );
      // One hold per item, all or nothing: not enough credits for the whole batch → 402.
      for (const it of items) await this.billing.hold(user.id, it.quota, itemRef(b.id, it.idx), em);
      return b;
    });
    return this.detail(user, batch.publicId);
  }

  async list(user: AuthUser, query: PageQueryDto): Promise<Page<BatchDto>> {
    const page = toPageRequest(query);
    const [rows, total] = await this.batches.listBatches(user.id, page);
    const out: BatchDto[] = [];
    for (const b of rows) out.push(this.summary(b, await this.batches.itemsOf(b.id)));
    return pageOf(out, total, page, (x) => x);
  }

  async detail(user: AuthUser, publicId: string): Promise<BatchDetailDto> {
    const b = await this.owned(user, publicId);
    const items = await this.batches.itemsOf(b.id);
    const urls = await this.batches.videoUrls(
      items.filter((i) => i.status === 'succeed' && i.taskId).map((i) => i.taskId as string),
    );
    return {
      ...this.summary(b, items),
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
          await this.batches.addEvent(em, b.id, it.idx, 'cancelled', null, nowMs);
        }
        await this.batches.addEvent(em, b.id, null, 'cancelling', null, nowMs);
      });
    }
    return this.detail(user, publicId);
  }

  // Server-Sent Events: every recorded change, in order, until the batch has finished.
  async events(user: AuthUser, publicId: string, lastEventId?: string): Promise<Observable<MessageEvent>> {
    const b = await this.owned(user, publicId);
    let after = Number(lastEventId) || 0;
    return new Observable<MessageEvent>((sub) => {
      let stopped = false;
      const loop = async () => {
        while (!stopped) {
          const events = await this.batches.eventsAfter(b.id, after, 500);
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
            sub.complete();
            return;
          }
          if (events.length < 500) await new Promise((r) => setTimeout(r, EVENT_POLL_MS));
        }
      };
      loop().catch((err: unknown) => sub.error(err));
      return () => {
        stopped = true;
      };
    });
  }

  private async quoteRows(dto: BatchGenerateDto): Promise<NewItem[]> {
    const items: NewItem[] = [];
    for (const [i, row] of dto.rows.entries()) {
      const model = row.model ?? dto.defaultModel ?? 'sora-2';
      const resolution = row.resolution ?? dto.defaultResolution ?? '720p';
      const duration = row.duration ?? dto.defaultDuration ?? 10;
      if (resolution === '1080p' && model !== 'sora-2-pro') {
        throw DomainError.validation(`rows[${i}].resolution`, '1080p needs sora-2-pro');
      }
      const quote = await this.prices.quote(model, { resolution, duration });
      items.push({
        idx: i,
        prompt: row.prompt,
        model,
        resolution,
        duration,
        aspectRatio: row.aspect_ratio ?? '16:9',
        imageUrl: row.image_url ?? null,
        laneRank: laneRank({ resolution, duration }),
        quota: quote.quota,
      });
    }
    return items;
  }

  private summary(b: Batch, items: BatchItem[]): BatchDto {
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

  private async owned(user: AuthUser, publicId: string): Promise<Batch> {
    const b = await this.batches.findOwned(user.id, publicId);
    if (!b) throw DomainError.notFound('Batch');
    return b;
  }

  private event(batchId: number, status: string): Promise<void> {
    return this.db.tx((em) => this.batches.addEvent(em, batchId, null, status, null, this.clock.nowMs()));
  }
}
