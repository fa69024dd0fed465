import { Injectable } from '@nestjs/common';
import { EntityManager, FindOptionsWhere, In, IsNull, MoreThan } from 'typeorm';
import { Db, DbRepository } from '../common/database/db.service';
import { PageRequest } from '../common/pagination/page.dto';
import { MediaCopy } from '../media/media-copy.entity';
import { User } from '../auth/user.entity';
import { VideoTask } from '../relay/core/video-task.entity';
import { Batch, BatchEvent, BatchItem, BatchUserState, ITEM_DONE, ItemStatus } from './batch.entity';

export type NewItem = Pick<
  BatchItem,
  'idx' | 'prompt' | 'model' | 'resolution' | 'duration' | 'aspectRatio' | 'imageUrl' | 'laneRank' | 'quota'
>;

// One batch item as the ZIP download shows it: the item, its task's failure, its stored copy.
export interface DownloadRow {
  idx: number;
  prompt: string;
  model: string;
  resolution: string;
  duration: number;
  status: string;
  quota: number;
  taskId: string | null;
  itemError: string | null;
  failReason: string | null;
  copyStatus: string | null;
  objectKey: string | null;
  sha256: string | null;
  sizeBytes: number | null;
  storeError: string | null;
}

const FAST_LANE_MAX_RANK = 1_000_000;

// Every query of the batch engine. State changes are conditional UPDATEs naming the statuses
// they leave, so two replicas never move one item twice.
@Injectable()
export class BatchRepository extends DbRepository {
  constructor(db: Db) {
    super(db);
  }

  async insertBatch(em: EntityManager, b: Omit<Batch, 'id'>, items: NewItem[], nowMs: number): Promise<Batch> {
    const batch = await em.save(em.create(Batch, b));
    for (const it of items) {
      await em.insert(BatchItem, {
        ...it,
        batchId: batch.id,
        userId: b.userId,
        status: 'queued',
        attempts: 0,
        nextAttemptAtMs: null,
        leaseOwner: null,
        leaseUntilMs: null,
        taskId: null,
        lastError: null,
        createdAt: b.createdAt,
        updatedAtMs: nowMs,
        startedAtMs: null,
        finishedAtMs: null,
      });
    }
    await this.addEvent(em, batch.id, null, 'created', `${items.length} items`, nowMs);
    return batch;
  }

  async addEvent(
    em: EntityManager,
    batchId: number,
    itemIdx: number | null,
    status: string,
    detail: string | null,
    nowMs: number,
  ): Promise<void> {
    await em.insert(BatchEvent, {
      batchId,
      itemIdx,
      status,
      detail: detail?.slice(0, 255) ?? null,
      createdAtMs: nowMs,
    });
  }

  findOwned(userId: number, publicId: string): Promise<Batch | null> {
    return this.db.run((em) => em.findOneBy(Batch, { userId, publicId }));
  }

  findBatch(id: number, m?: EntityManager): Promise<Batch | null> {
    return this.use(m, (em) => em.findOneBy(Batch, { id }));
  }

  listBatches(userId: number, page: PageRequest): Promise<[Batch[], number]> {
    return this.db.run((em) =>
      em.findAndCount(Batch, {
        where: { userId },
        order: { id: 'DESC' },
        skip: (page.page - 1) * page.pageSize,
        take: page.pageSize,
      }),
    );
  }

  // Every user's batches for admins, newest first.
  listAll(f: { userId?: number; status?: string }, page: PageRequest): Promise<[Batch[], number]> {
    const where: FindOptionsWhere<Batch> = {};
    if (f.userId !== undefined) where.userId = f.userId;
    if (f.status !== undefined) where.status = f.status as Batch['status'];
    return this.db.run((em) =>
      em.findAndCount(Batch, {
        where,
        order: { id: 'DESC' },
        skip: (page.page - 1) * page.pageSize,
        take: page.pageSize,
      }),
    );
  }

  findAny(publicId: string): Promise<Batch | null> {
    return this.db.run((em) => em.findOneBy(Batch, { publicId }));
  }

  itemsOf(batchId: number): Promise<BatchItem[]> {
    return this.db.run((em) => em.find(BatchItem, { where: { batchId }, order: { idx: 'ASC' } }));
  }

  // Every item of a batch with what the download needs, in idx order, in one query.
  async downloadRows(batchId: number): Promise<DownloadRow[]> {
    const rows = await this.db.run((em) =>
      em
        .createQueryBuilder(BatchItem, 'i')
        .leftJoin(VideoTask, 'v', 'v.task_id = i.task_id')
        .leftJoin(MediaCopy, 'c', 'c.task_id = i.task_id')
        .select([
          'i.idx AS idx',
          'i.prompt AS prompt',
          'i.model AS model',
          'i.resolution AS resolution',
          'i.duration AS duration',
          'i.status AS status',
          'i.quota AS quota',
          'i.task_id AS task_id',
          'i.last_error AS item_error',
          'v.fail_reason AS fail_reason',
          'c.status AS copy_status',
          'c.object_key AS object_key',
          'c.sha256 AS sha256',
          'c.size_bytes AS size_bytes',
          'c.store_error AS store_error',
        ])
        .where('i.batch_id = :batchId', { batchId })
        .orderBy('i.idx', 'ASC')
        .getRawMany<Record<string, string | number | null>>(),
    );
    const num = (v: string | number | null) => (v === null ? null : Number(v));
    const str = (v: string | number | null) => (v === null ? null : String(v));
    return rows.map((r) => ({
      idx: Number(r.idx),
      prompt: String(r.prompt),
      model: String(r.model),
      resolution: String(r.resolution),
      duration: Number(r.duration),
      status: String(r.status),
      quota: Number(r.quota),
      taskId: str(r.task_id),
      itemError: str(r.item_error),
      failReason: str(r.fail_reason),
      copyStatus: str(r.copy_status),
      objectKey: str(r.object_key),
      sha256: str(r.sha256),
      sizeBytes: num(r.size_bytes),
      storeError: str(r.store_error),
    }));
  }

  videoUrls(taskIds: string[]): Promise<Map<string, string | null>> {
    if (taskIds.length === 0) return Promise.resolve(new Map<string, string | null>());
    return this.db.run(async (em) => {
      const rows = await em.find(VideoTask, {
        select: { taskId: true, storeUrl: true },
        where: { taskId: In(taskIds) },
      });
      return new Map(rows.map((r) => [r.taskId, r.storeUrl]));
    });
  }

  // Moves one item if it is still in one of `from`; returns whether it moved.
  async moveItem(
    em: EntityManager,
    id: number,
    from: ItemStatus[],
    to: ItemStatus,
    fields: Partial<BatchItem>,
  ): Promise<boolean> {
    const res = await em
      .createQueryBuilder()
      .update(BatchItem)
      .set({ ...fields, status: to })
      .where('id = :id AND status IN (:...from)', { id, from })
      .execute();
    return (res.affected ?? 0) > 0;
  }

  findItem(em: EntityManager, id: number): Promise<BatchItem | null> {
    return em.findOneBy(BatchItem, { id });
  }

  async requeueDueRetries(nowMs: number): Promise<number> {
    const res = await this.db.run((em) =>
      em
        .createQueryBuilder()
        .update(BatchItem)
        .set({ status: 'queued', updatedAtMs: nowMs })
        .where("status = 'retry_wait' AND next_attempt_at_ms <= :nowMs", { nowMs })
        .execute(),
    );
    return res.affected ?? 0;
  }

  // A replica died between claiming an item and creating its task (the task and the item's move
  // to running commit together, so a dispatching item never reached the upstream): queue it again.
  async requeueStaleClaims(nowMs: number): Promise<number> {
    const res = await this.db.run((em) =>
      em
        .createQueryBuilder()
        .update(BatchItem)
        .set({
          status: 'queued',
          attempts: () => 'attempts - 1',
          leaseOwner: null,
          leaseUntilMs: null,
          updatedAtMs: nowMs,
        })
        .where("status = 'dispatching' AND lease_until_ms < :nowMs", { nowMs })
        .execute(),
    );
    return res.affected ?? 0;
  }

  async usersWithQueued(): Promise<number[]> {
    const rows = await this.db.run((em) =>
      em
        .createQueryBuilder(BatchItem, 'i')
        .innerJoin(Batch, 'b', 'b.id = i.batch_id')
        .select('DISTINCT i.user_id', 'user_id')
        .where("i.status = 'queued' AND b.status = 'running'")
        .getRawMany<{ user_id: number | string }>(),
    );
    return rows.map((r) => Number(r.user_id));
  }

  // Serializes dispatch decisions per user across replicas (row lock on MySQL; SQLite has one
  // writer already) and returns the user's engine state.
  async lockUser(em: EntityManager, userId: number, now: number): Promise<BatchUserState> {
    await em
      .createQueryBuilder()
      .insert()
      .into(BatchUserState)
      .values({ userId, factorPct: 100, recent: '', updatedAt: now })
      .orIgnore()
      .execute();
    const q = em.createQueryBuilder(BatchUserState, 's').where('s.user_id = :userId', { userId });
    if (this.db.isMysql) q.setLock('pessimistic_write');
    return (await q.getOne()) as BatchUserState;
  }

  inflight(em: EntityManager, userId: number): Promise<number> {
    return em.countBy(BatchItem, { userId, status: In(['dispatching', 'running']) });
  }

  // The user's next item: fast lane first, shorter first, oldest batch first.
  nextQueued(em: EntityManager, userId: number): Promise<BatchItem | null> {
    return em
      .createQueryBuilder(BatchItem, 'i')
      .innerJoin(Batch, 'b', 'b.id = i.batch_id')
      .where("i.user_id = :userId AND i.status = 'queued' AND b.status = 'running'", { userId })
      .orderBy('i.lane_rank', 'ASC')
      .addOrderBy('i.batch_id', 'ASC')
      .addOrderBy('i.idx', 'ASC')
      .limit(1)
      .getOne();
  }

  // Fast-lane items of the user still waiting (queued or waiting for a retry).
  fastWaiting(em: EntityManager, userId: number): Promise<number> {
    return em
      .createQueryBuilder(BatchItem, 'i')
      .innerJoin(Batch, 'b', 'b.id = i.batch_id')
      .where(
        "i.user_id = :userId AND i.status IN ('queued', 'retry_wait') AND i.lane_rank < :fast AND b.status = 'running'",
        {
          userId,
          fast: FAST_LANE_MAX_RANK,
        },
      )
      .getCount();
  }

  async saveUserState(
    em: EntityManager,
    userId: number,
    factorPct: number,
    recent: string,
    now: number,
  ): Promise<void> {
    await em.update(BatchUserState, { userId }, { factorPct, recent, updatedAt: now });
  }

  pendingItems(em: EntityManager, batchId: number): Promise<BatchItem[]> {
    return em.find(BatchItem, { where: { batchId, status: In(['queued', 'retry_wait']) } });
  }

  async setBatchStatus(id: number, from: string[], to: string, nowMs: number): Promise<boolean> {
    const res = await this.db.run((em) =>
      em
        .createQueryBuilder()
        .update(Batch)
        .set({ status: to as Batch['status'], updatedAt: Math.floor(nowMs / 1000) })
        .where('id = :id AND status IN (:...from)', { id, from })
        .execute(),
    );
    return (res.affected ?? 0) > 0;
  }

  // Marks batches whose items are all done as completed, and when their fast lane finished.
  // `onClosed` runs in the transaction that closes each batch (its webhook outbox row).
  async closeFinished(
    nowMs: number,
    onClosed: (em: EntityManager, batch: Batch, counts: Record<string, number>) => Promise<void> = async () => {},
  ): Promise<Batch[]> {
    return this.db.tx(async (em) => {
      const open = await em.find(Batch, {
        where: { status: In(['running', 'paused', 'cancelled']), finishedAt: IsNull() },
      });
      const closed: Batch[] = [];
      for (const b of open) {
        if (b.finishedAt) continue;
        const notDone = await em.count(BatchItem, {
          where: { batchId: b.id, status: In(['queued', 'dispatching', 'running', 'retry_wait']) },
        });
        if (b.fastLaneDoneAtMs === null) {
          const fastLeft = await em
            .createQueryBuilder(BatchItem, 'i')
            .where('i.batch_id = :id AND i.lane_rank < :fast AND i.status NOT IN (:...done)', {
              id: b.id,
              fast: FAST_LANE_MAX_RANK,
              done: ITEM_DONE,
            })
            .getCount();
          if (fastLeft === 0) await em.update(Batch, { id: b.id }, { fastLaneDoneAtMs: nowMs });
        }
        if (notDone > 0) continue;
        const status = b.status === 'cancelled' ? 'cancelled' : 'completed';
        const finishedAt = Math.floor(nowMs / 1000);
        // Conditional: of two replicas closing the same batch, one does.
        const res = await em.update(
          Batch,
          { id: b.id, finishedAt: IsNull() },
          { status, finishedAt, updatedAt: finishedAt },
        );
        if ((res.affected ?? 0) === 0) continue;
        await this.addEvent(em, b.id, null, status, null, nowMs);
        await onClosed(em, { ...b, status, finishedAt }, await this.countsOf(em, b.id));
        closed.push(b);
      }
      return closed;
    });
  }

  async countItemsByStatus(): Promise<Map<string, number>> {
    const rows = await this.db.run((em) =>
      em
        .createQueryBuilder(BatchItem, 'i')
        .select('i.status', 'status')
        .addSelect('COUNT(*)', 'n')
        .groupBy('i.status')
        .getRawMany<{ status: string; n: number | string }>(),
    );
    return new Map(rows.map((r) => [r.status, Number(r.n)]));
  }

  // Items being submitted or running, per plan of their users.
  async countInFlightByPlan(): Promise<Map<string, number>> {
    const rows = await this.db.run((em) =>
      em
        .createQueryBuilder(BatchItem, 'i')
        .innerJoin(User, 'u', 'u.id = i.user_id')
        .select('u.plan', 'plan')
        .addSelect('COUNT(*)', 'n')
        .where("i.status IN ('dispatching', 'running')")
        .groupBy('u.plan')
        .getRawMany<{ plan: string; n: number | string }>(),
    );
    return new Map(rows.map((r) => [r.plan, Number(r.n)]));
  }

  private async countsOf(em: EntityManager, batchId: number): Promise<Record<string, number>> {
    const rows = await em
      .createQueryBuilder(BatchItem, 'i')
      .select('i.status', 'status')
      .addSelect('COUNT(*)', 'n')
      .where('i.batch_id = :batchId', { batchId })
      .groupBy('i.status')
      .getRawMany<{ status: string; n: number | string }>();
    return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
  }

  eventsAfter(batchId: number, afterId: number, limit: number): Promise<BatchEvent[]> {
    return this.db.run((em) =>
      em.find(BatchEvent, { where: { batchId, id: MoreThan(afterId) }, order: { id: 'ASC' }, take: limit }),
    );
  }
}
