import { Injectable } from '@nestjs/common';
import { EntityManager, In, LessThan, Not } from 'typeorm';
import { Db, DbRepository } from '../common/database/db.service';
import { CommitBuffer, powerOfTwoChunks } from '../common/database/commit-buffer';
import { claimUnderLease } from '../common/database/lease-claim';
import { VideoTask } from '../relay/core/video-task.entity';
import { CopyStatus, MediaCopy } from './media-copy.entity';

export interface NewCopy {
  taskId: string;
  userId: number;
  sourceUrl: string;
}

export interface StoredFields {
  objectKey: string;
  contentType: string;
  sizeBytes: number;
  sha256: string;
}

type SqlRow = Array<string | number>;

export type CopyState = Pick<MediaCopy, 'taskId' | 'status' | 'objectKey' | 'storeError'>;

// Statuses a worker claims: copies to make and objects to delete.
const WORK: CopyStatus[] = ['pending', 'deleting'];

// Every query on `media_copies`. Work is claimed under a lease (like the poller's), so replicas
// share it and a killed worker's rows become claimable again when its lease runs out; every
// move after a claim names the lease owner, so a worker that lost its lease changes nothing.
@Injectable()
export class MediaCopyRepository extends DbRepository {
  // The copy jobs of a transaction's ends, written as one multi-row INSERT just before it commits.
  private readonly enqueued: CommitBuffer<SqlRow>;

  constructor(db: Db) {
    super(db);
    this.enqueued = new CommitBuffer<SqlRow>(db, {
      merge: (earlier) => earlier, // INSERT IGNORE keeps the first too
      write: (m, entries, atCommit) =>
        this.insertCopies(
          m,
          entries.map(([, row]) => row),
          atCommit,
        ),
    });
  }

  // Inside the caller's transaction (the task's terminal one), written when it commits. A second
  // enqueue for the same task is a no-op (unique task_id).
  async enqueue(em: EntityManager, c: NewCopy, nowMs: number): Promise<void> {
    const now = Math.floor(nowMs / 1000);
    await this.enqueued.add(em, c.taskId, [c.taskId, c.userId, c.sourceUrl, nowMs, now, now]);
  }

  private async insertCopies(m: EntityManager, rows: SqlRow[], atCommit: boolean): Promise<void> {
    for (const chunk of powerOfTwoChunks(rows)) {
      const values = chunk.map(() => ENQUEUE_ROW).join(', ');
      await this.db.flushWrite(m, `${this.db.insertIgnore} ${ENQUEUE} ${values}`, chunk.flat(), atCommit);
    }
  }

  claimDue(owner: string, nowMs: number, limit: number, leaseMs: number): Promise<MediaCopy[]> {
    return claimUnderLease(
      this.db,
      {
        entity: MediaCopy,
        workWhere: 'status IN (:...work)',
        params: { work: WORK },
        dueColumn: 'next_attempt_at_ms',
        countsAttempt: true,
      },
      { owner, nowMs, limit, leaseMs },
    );
  }

  // Keeps a long copy's lease alive; false once the row is no longer ours to finish.
  async renewLease(id: number, owner: string, untilMs: number): Promise<boolean> {
    const res = await this.db.run((em) =>
      em.update(MediaCopy, { id, leaseOwner: owner, status: 'pending' }, { leaseUntilMs: untilMs }),
    );
    return (res.affected ?? 0) > 0;
  }

  async markStored(id: number, owner: string, f: StoredFields, nowMs: number): Promise<boolean> {
    const now = Math.floor(nowMs / 1000);
    const res = await this.db.run((em) =>
      em.update(
        MediaCopy,
        { id, leaseOwner: owner, status: 'pending' },
        {
          ...f,
          status: 'stored',
          storeError: null,
          storedAt: now,
          updatedAt: now,
          nextAttemptAtMs: null,
          leaseOwner: null,
          leaseUntilMs: null,
        },
      ),
    );
    return (res.affected ?? 0) > 0;
  }

  // A failed attempt: try again at `nextAtMs`, or give up (nextAtMs null) with the reason.
  async markAttemptFailed(
    id: number,
    owner: string,
    error: string,
    nextAtMs: number | null,
    nowMs: number,
  ): Promise<boolean> {
    const res = await this.db.run((em) =>
      em.update(
        MediaCopy,
        { id, leaseOwner: owner, status: 'pending' },
        {
          status: nextAtMs === null ? 'failed' : 'pending',
          storeError: error.slice(0, 512),
          nextAttemptAtMs: nextAtMs,
          updatedAt: Math.floor(nowMs / 1000),
          leaseOwner: null,
          leaseUntilMs: null,
        },
      ),
    );
    return (res.affected ?? 0) > 0;
  }

  // The object is gone: the row goes too.
  async removeDeleted(id: number, owner: string): Promise<void> {
    await this.db.run((em) => em.delete(MediaCopy, { id, leaseOwner: owner, status: 'deleting' }));
  }

  // Marks a task's copy for deletion (inside the caller's transaction when given one); a
  // worker deletes the object and then the row. Returns whether there was a copy.
  async markDeleting(m: EntityManager | undefined, taskId: string, nowMs: number): Promise<boolean> {
    if (m) await this.enqueued.flush(m, taskId);
    const res = await this.use(m, (em) =>
      em.update(
        MediaCopy,
        { taskId },
        { status: 'deleting', nextAttemptAtMs: nowMs, leaseOwner: null, leaseUntilMs: null },
      ),
    );
    return (res.affected ?? 0) > 0;
  }

  // Retention: copies made before `beforeSec`, and copies whose task row is gone.
  async markExpired(beforeSec: number | null, nowMs: number, limit: number): Promise<number> {
    const old =
      beforeSec === null
        ? []
        : await this.db.run((em) =>
            em.find(MediaCopy, {
              select: { id: true },
              where: { createdAt: LessThan(beforeSec), status: Not('deleting') },
              take: limit,
            }),
          );
    const orphans = await this.db.run((em) =>
      em
        .createQueryBuilder(MediaCopy, 'c')
        .select('c.id', 'id')
        .leftJoin(VideoTask, 'v', 'v.task_id = c.task_id')
        .where('v.id IS NULL')
        .andWhere("c.status <> 'deleting'")
        .limit(limit)
        .getRawMany<{ id: number | string }>(),
    );
    const ids = [...new Set([...old.map((o) => o.id), ...orphans.map((o) => Number(o.id))])];
    if (ids.length === 0) return 0;
    const res = await this.db.run((em) =>
      em.update(
        MediaCopy,
        { id: In(ids), status: Not('deleting') },
        { status: 'deleting', nextAttemptAtMs: nowMs, leaseOwner: null, leaseUntilMs: null },
      ),
    );
    return res.affected ?? ids.length;
  }

  findByTask(taskId: string): Promise<MediaCopy | null> {
    return this.db.run((em) => em.findOneBy(MediaCopy, { taskId }));
  }

  // What a task's answer shows of its copy (the query route's one read of this table).
  async storeStateOf(taskId: string): Promise<CopyState | null> {
    const rows = await this.db.rows<CopyState>(undefined, STORE_STATE, [taskId]);
    return rows[0] ?? null;
  }

  findByTasks(taskIds: string[]): Promise<MediaCopy[]> {
    if (taskIds.length === 0) return Promise.resolve([]);
    return this.db.run((em) => em.find(MediaCopy, { where: { taskId: In(taskIds) } }));
  }

  // The owner's stored copy of a task that still exists; another user's task matches nothing.
  findOwnedCopy(userId: number, taskId: string): Promise<MediaCopy | null> {
    return this.db.run((em) =>
      em
        .createQueryBuilder(MediaCopy, 'c')
        .innerJoin(VideoTask, 'v', 'v.task_id = c.task_id AND v.user_id = :userId', { userId })
        .where('c.task_id = :taskId', { taskId })
        .getOne(),
    );
  }

  // Whether the task exists and belongs to the user (tells "not yours" from "not stored yet").
  async ownsTask(userId: number, taskId: string): Promise<boolean> {
    const n = await this.db.run((em) => em.countBy(VideoTask, { taskId, userId }));
    return n > 0;
  }
}

const ENQUEUE =
  'INTO `media_copies` (`task_id`, `user_id`, `source_url`, `status`, `attempts`, `next_attempt_at_ms`, ' +
  '`created_at`, `updated_at`) VALUES';
const ENQUEUE_ROW = "(?, ?, ?, 'pending', 0, ?, ?, ?)";
const STORE_STATE =
  'SELECT `task_id` AS `taskId`, `status`, `object_key` AS `objectKey`, `store_error` AS `storeError` ' +
  'FROM `media_copies` WHERE `task_id` = ? LIMIT 1';
