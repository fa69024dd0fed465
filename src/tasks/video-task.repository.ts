import { Injectable } from '@nestjs/common';
import { Brackets, EntityManager, In, LessThan } from 'typeorm';
import { Db, DbRepository } from '../common/database/db.service';
import { PageRequest } from '../common/pagination/page.dto';
import { ACTIVE, sourcesFor, TaskStatus, TERMINAL } from './task-state';
import { VideoTask } from './video-task.entity';

export type NewVideoTask = Pick<
  VideoTask,
  | 'taskId'
  | 'userId'
  | 'channelId'
  | 'model'
  | 'provider'
  | 'type'
  | 'quota'
  | 'prompt'
  | 'duration'
  | 'requestKind'
  | 'requestParams'
> & { nextPollAtMs: number; now: number; pollClass?: string | null; billedBy?: string | null };

export interface TaskResultFields {
  upstreamTaskId?: string | null;
  videoId?: string | null;
  storeUrl?: string | null;
  duration?: string | null;
  failReason?: string | null;
}

export interface TaskFilter {
  userId?: number;
  channelId?: number;
  status?: string;
  model?: string;
  createdFrom?: number;
  createdTo?: number;
}

// Every query on `videos`. A status change is one conditional UPDATE whose WHERE names the
// statuses it may leave, so racing callbacks and polls apply it at most once.
@Injectable()
export class VideoTaskRepository extends DbRepository {
  constructor(db: Db) {
    super(db);
  }

  async insertTask(m: EntityManager, t: NewVideoTask): Promise<void> {
    await m.insert(VideoTask, {
      taskId: t.taskId,
      userId: t.userId,
      channelId: t.channelId,
      model: t.model,
      provider: t.provider,
      type: t.type,
      status: 'submitting',
      quota: t.quota,
      prompt: t.prompt,
      duration: t.duration,
      requestKind: t.requestKind,
      requestParams: t.requestParams,
      videoId: null,
      storeUrl: null,
      failReason: null,
      upstreamTaskId: null,
      nextPollAtMs: t.nextPollAtMs,
      leaseOwner: null,
      leaseUntilMs: null,
      pollCount: 0,
      finishedAt: null,
      pollClass: t.pollClass ?? null,
      billedBy: t.billedBy ?? null,
      createdAt: t.now,
      updatedAt: t.now,
    });
  }

  findByTaskId(taskId: string): Promise<VideoTask | null> {
    return this.db.run((em) => em.findOneBy(VideoTask, { taskId }));
  }

  // Scoped to the owner: another user's task id matches nothing.
  findOwned(userId: number, taskId: string): Promise<VideoTask | null> {
    return this.db.run((em) => em.findOneBy(VideoTask, { taskId, userId }));
  }

  // The channel a failover moved a still-submitting task to.
  async moveToChannel(taskId: string, channelId: number, now: number): Promise<void> {
    await this.db.run((em) => em.update(VideoTask, { taskId, status: 'submitting' }, { channelId, updatedAt: now }));
  }

  // The upstream took the task: record its id and the first poll time, and move a task that is
  // still submitting/unknown to submitted (a faster callback may already have moved it further).
  async recordAccepted(taskId: string, upstreamTaskId: string, nextPollAtMs: number, now: number): Promise<void> {
    await this.db.run((em) =>
      em
        .createQueryBuilder()
        .update(VideoTask)
        .set({
          upstreamTaskId,
          nextPollAtMs,
          updatedAt: now,
          status: () => "CASE WHEN status IN ('submitting', 'unknown') THEN 'submitted' ELSE status END",
        })
        .where('task_id = :taskId AND status IN (:...active)', { taskId, active: [...ACTIVE] })
        .execute(),
    );
  }

  // A non-terminal move (submitted, processing, unknown); returns whether it applied.
  async advance(
    taskId: string,
    to: TaskStatus,
    fields: TaskResultFields & { nextPollAtMs?: number | null },
    now: number,
  ): Promise<boolean> {
    const res = await this.db.run((em) =>
      em
        .createQueryBuilder()
        .update(VideoTask)
        .set({ ...definedOnly(fields), status: to, updatedAt: now })
        .where('task_id = :taskId AND status IN (:...from)', { taskId, from: sourcesFor(to) })
        .execute(),
    );
    return (res.affected ?? 0) > 0;
  }

  // The terminal move, inside the caller's transaction (with the billing capture or release).
  async finish(
    m: EntityManager,
    taskId: string,
    to: 'succeed' | 'failed',
    fields: TaskResultFields,
    now: number,
  ): Promise<boolean> {
    const res = await m
      .createQueryBuilder()
      .update(VideoTask)
      .set({
        ...definedOnly(fields),
        status: to,
        finishedAt: now,
        updatedAt: now,
        nextPollAtMs: null,
        leaseOwner: null,
        leaseUntilMs: null,
      })
      .where('task_id = :taskId AND status IN (:...from)', { taskId, from: [...ACTIVE] })
      .execute();
    return (res.affected ?? 0) > 0;
  }

  // Claims up to `limit` due tasks for `owner` with a lease, so two replicas never poll the
  // same task; an expired lease (crashed poller) makes the task claimable again.
  async claimDuePolls(owner: string, nowMs: number, limit: number, leaseMs: number): Promise<VideoTask[]> {
    const due = await this.db.run((em) =>
      em
        .createQueryBuilder(VideoTask, 'v')
        .select('v.id', 'id')
        .where('v.next_poll_at_ms <= :nowMs', { nowMs })
        .andWhere('v.status IN (:...active)', { active: [...ACTIVE] })
        .andWhere(
          new Brackets((q) => q.where('v.lease_until_ms IS NULL').orWhere('v.lease_until_ms < :nowMs', { nowMs })),
        )
        .orderBy('v.next_poll_at_ms', 'ASC')
        .limit(limit)
        .getRawMany<{ id: number | string }>(),
    );
    if (due.length === 0) return [];
    const ids = due.map((d) => Number(d.id));
    await this.db.run((em) =>
      em
        .createQueryBuilder()
        .update(VideoTask)
        .set({ leaseOwner: owner, leaseUntilMs: nowMs + leaseMs })
        .where('id IN (:...ids)', { ids })
        .andWhere('(lease_until_ms IS NULL OR lease_until_ms < :nowMs)', { nowMs })
        .andWhere('status IN (:...active)', { active: [...ACTIVE] })
        .execute(),
    );
    return this.db.run((em) => em.find(VideoTask, { where: { id: In(ids), leaseOwner: owner } }));
  }

  // Hands polled tasks back with their next poll times: one statement for a whole batch.
  async rescheduleMany(owner: string, next: Array<{ taskId: string; nextPollAtMs: number }>): Promise<void> {
    if (next.length === 0) return;
    const params: Record<string, string | number> = { owner };
    const cases = next.map((n, i) => {
      params[`t${i}`] = n.taskId;
      params[`n${i}`] = n.nextPollAtMs;
      return `WHEN :t${i} THEN :n${i}`;
    });
    await this.db.run((em) =>
      em
        .createQueryBuilder()
        .update(VideoTask)
        .set({
          nextPollAtMs: () => `CASE task_id ${cases.join(' ')} END`,
          leaseOwner: null,
          leaseUntilMs: null,
          pollCount: () => 'poll_count + 1',
        })
        .where('task_id IN (:...ids) AND lease_owner = :owner', { ids: next.map((n) => n.taskId) })
        .setParameters(params)
        .execute(),
    );
  }

  listTasks(filter: TaskFilter, page: PageRequest): Promise<[VideoTask[], number]> {
    return this.db.run((em) => {
      const q = em.createQueryBuilder(VideoTask, 'v');
      if (filter.userId !== undefined) q.andWhere('v.user_id = :userId', { userId: filter.userId });
      if (filter.channelId !== undefined) q.andWhere('v.channel_id = :channelId', { channelId: filter.channelId });
      if (filter.status) q.andWhere('v.status = :status', { status: filter.status });
      if (filter.model) q.andWhere('v.model = :model', { model: filter.model });
      if (filter.createdFrom !== undefined) q.andWhere('v.created_at >= :from', { from: filter.createdFrom });
      if (filter.createdTo !== undefined) q.andWhere('v.created_at < :to', { to: filter.createdTo });
      return q
        .orderBy('v.created_at', 'DESC')
        .addOrderBy('v.id', 'DESC')
        .skip((page.page - 1) * page.pageSize)
        .take(page.pageSize)
        .getManyAndCount();
    });
  }

  async countByStatus(): Promise<Array<{ status: string; n: number }>> {
    const rows = await this.db.run((em) =>
      em
        .createQueryBuilder(VideoTask, 'v')
        .select('v.status', 'status')
        .addSelect('COUNT(*)', 'n')
        .groupBy('v.status')
        .getRawMany<{ status: string; n: number | string }>(),
    );
    return rows.map((r) => ({ status: r.status, n: Number(r.n) }));
  }

  // Seed 002's monitoring query: per UTC day since `from`, tasks, successes, failures, quota charged.
  async dailyStats(
    from: number,
  ): Promise<Array<{ day: number; total: number; succeeded: number; failed: number; quota: number }>> {
    const rows = await this.db.run((em) =>
      em
        .createQueryBuilder(VideoTask, 'v')
        .select('FLOOR(v.created_at / 86400)', 'day')
        .addSelect('COUNT(*)', 'total')
        .addSelect("SUM(CASE WHEN v.status = 'succeed' THEN 1 ELSE 0 END)", 'succeeded')
        .addSelect("SUM(CASE WHEN v.status = 'failed' THEN 1 ELSE 0 END)", 'failed')
        .addSelect("SUM(CASE WHEN v.status = 'succeed' THEN v.quota ELSE 0 END)", 'quota')
        .where('v.created_at >= :from', { from })
        .groupBy('FLOOR(v.created_at / 86400)')
        .getRawMany<Record<string, string | number>>(),
    );
    return rows.map((r) => ({
      day: Number(r.day),
      total: Number(r.total),
      succeeded: Number(r.succeeded),
      failed: Number(r.failed),
      quota: Number(r.quota),
    }));
  }

  // Deletes up to `limit` finished tasks created before `before`; returns how many went.
  async deleteFinishedBefore(before: number, limit: number): Promise<number> {
    const rows = await this.db.run((em) =>
      em.find(VideoTask, {
        select: { id: true },
        where: { status: In([...TERMINAL]), createdAt: LessThan(before) },
        order: { id: 'ASC' },
        take: limit,
      }),
    );
    if (rows.length === 0) return 0;
    const res = await this.db.run((em) => em.delete(VideoTask, { id: In(rows.map((r) => r.id)) }));
    return res.affected ?? rows.length;
  }
}

function definedOnly<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
