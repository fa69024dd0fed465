import { Injectable } from '@nestjs/common';
import { EntityManager, In, LessThan } from 'typeorm';
import { Db, DbRepository } from '../../common/database/db.service';
import { PageRequest } from '../../common/pagination/page.dto';
import { ACTIVE, sourcesFor, TaskStatus, TERMINAL } from './task-state';
import { TASK_COLUMNS, TASK_INSERT_FIELDS, TASK_INSERT_SQL, TASK_SELECT, toVideoTask } from './video-task.columns';
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
  | 'owner'
  | 'ownerRef'
  | 'pollSchedule'
  | 'deadlineAtMs'
  | 'nextPollAtMs'
  | 'leaseOwner'
  | 'leaseUntilMs'
  | 'api'
  | 'clientRef'
  | 'clientCallbackUrl'
  | 'tokenId'
> & { now: number };

export interface TaskResultFields {
  upstreamTaskId?: string | null;
  videoId?: string | null;
  storeUrl?: string | null;
  duration?: string | null;
  failReason?: string | null;
  endedBy?: string;
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
// Tasks in flight whose next poll is due. The unary plus (a no-op on both databases) keeps SQLite's
// planner off idx_status, which would sort every task in flight; it reads idx_videos_next_poll in
// due order, as MySQL does.
// Plain SQL: the poller claims every tick, over up to 100,000 tasks in flight.
const ACTIVE_IN = `(${ACTIVE.map(() => '?').join(', ')})`;
const LAPSED = '(`lease_until_ms` IS NULL OR `lease_until_ms` < ?)';
export const POLL_DUE_SQL =
  `SELECT \`id\` FROM \`videos\` WHERE +\`status\` IN ${ACTIVE_IN} AND \`next_poll_at_ms\` <= ? AND ${LAPSED} ` +
  'ORDER BY `next_poll_at_ms` ASC LIMIT ?';
export const pollDueParams = (nowMs: number, limit: number): Array<string | number> => [...ACTIVE, nowMs, nowMs, limit];

// `IN (?, …)` for a list, padded (with its last value, which changes nothing) to a power of two so
// that lists of any length share a few statement texts, which SQLite keeps prepared.
function inList<T extends string | number>(values: readonly T[]): { marks: string; params: T[] } {
  let size = 1;
  while (size < values.length) size *= 2;
  const params = [...values];
  while (params.length < size) params.push(values[values.length - 1]);
  return { marks: params.map(() => '?').join(', '), params };
}

@Injectable()
export class VideoTaskRepository extends DbRepository {
  constructor(db: Db) {
    super(db);
  }

  // The new task, `submitting`, leased to the process dispatching it. Returns the row as written.
  async insertTask(m: EntityManager, t: NewVideoTask): Promise<VideoTask> {
    const row: VideoTask = Object.assign(new VideoTask(), {
      id: 0,
      taskId: t.taskId,
      videoId: null,
      userId: t.userId,
      channelId: t.channelId,
      model: t.model,
      provider: t.provider,
      type: t.type,
      status: 'submitting',
      quota: t.quota,
      prompt: t.prompt,
      duration: t.duration,
      storeUrl: null,
      failReason: null,
      upstreamTaskId: null,
      requestKind: t.requestKind,
      requestParams: t.requestParams,
      createdAt: t.now,
      updatedAt: t.now,
      nextPollAtMs: t.nextPollAtMs,
      leaseOwner: t.leaseOwner,
      leaseUntilMs: t.leaseUntilMs,
      pollCount: 0,
      finishedAt: null,
      processingAt: null,
      owner: t.owner,
      ownerRef: t.ownerRef,
      pollSchedule: t.pollSchedule,
      deadlineAtMs: t.deadlineAtMs,
      api: t.api,
      clientRef: t.clientRef,
      clientCallbackUrl: t.clientCallbackUrl,
      tokenId: t.tokenId,
      endedBy: null,
    });
    const values = TASK_INSERT_FIELDS.map((f) => row[f]);
    row.id = (await this.db.write(m, TASK_INSERT_SQL, values)).insertId;
    return row;
  }

  findByTaskId(taskId: string): Promise<VideoTask | null> {
    return this.one(BY_TASK_ID, [taskId]);
  }

  // Scoped to the owner: another user's task id matches nothing.
  findOwned(userId: number, taskId: string): Promise<VideoTask | null> {
    return this.one(OWNED, [taskId, userId]);
  }

  // A client's own task id (Kling's external_task_id), scoped to the client.
  findOwnedByClientRef(userId: number, clientRef: string): Promise<VideoTask | null> {
    return this.db.run((em) => em.findOneBy(VideoTask, { userId, clientRef }));
  }

  // One API's tasks of a user, by id (cursor pages: after an id, in either order).
  listByApi(
    userId: number,
    api: string,
    page: { afterId?: number; order: 'asc' | 'desc'; limit: number; offset?: number; type?: string },
  ): Promise<VideoTask[]> {
    return this.db.run((em) => {
      const q = em
        .createQueryBuilder(VideoTask, 'v')
        .where('v.user_id = :userId AND v.api = :api', { userId, api })
        .orderBy('v.id', page.order === 'asc' ? 'ASC' : 'DESC')
        .limit(page.limit);
      if (page.type !== undefined) q.andWhere('v.type = :type', { type: page.type });
      if (page.afterId !== undefined) {
        q.andWhere(page.order === 'asc' ? 'v.id > :afterId' : 'v.id < :afterId', { afterId: page.afterId });
      }
      if (page.offset) q.offset(page.offset);
      return q.getMany();
    });
  }

  // The owner's delete of a finished task (ledger rows stay: they are the money record).
  async deleteOwnedFinished(userId: number, taskId: string, m?: EntityManager): Promise<boolean> {
    const res = await this.use(m, (em) => em.delete(VideoTask, { userId, taskId, status: In([...TERMINAL]) }));
    return (res.affected ?? 0) > 0;
  }

  // The channel a failover is about to offer a still-submitting task to (so a lost answer is
  // looked for where it went), with the dispatch lease renewed for that attempt.
  async moveToChannel(taskId: string, channelId: number, leaseUntilMs: number, now: number): Promise<void> {
    await this.db.run((em) =>
      em.update(
        VideoTask,
        { taskId, status: 'submitting' },
        { channelId, leaseUntilMs, nextPollAtMs: leaseUntilMs, updatedAt: now },
      ),
    );
  }

  // The upstream took the task: the accepting channel and the upstream id in one write, the
  // dispatch lease released and the first poll scheduled. A task still submitting/unknown
  // becomes submitted (a faster callback may already have moved it further).
  async recordAccepted(
    taskId: string,
    channelId: number,
    upstreamTaskId: string,
    nextPollAtMs: number,
    now: number,
  ): Promise<void> {
    await this.db.write(undefined, RECORD_ACCEPTED, [channelId, upstreamTaskId, nextPollAtMs, now, taskId, ...ACTIVE]);
  }

  // The create's answer was lost: the poller resolves it by our id, never by sending it again.
  async recordUnknown(taskId: string, nextPollAtMs: number, now: number): Promise<void> {
    await this.db.run((em) =>
      em.update(
        VideoTask,
        { taskId, status: 'submitting' },
        { status: 'unknown', nextPollAtMs, leaseOwner: null, leaseUntilMs: null, updatedAt: now },
      ),
    );
  }

  // A task the upstream knows under another channel's account than the one recorded (data
  // written by the old batch bug): moves it there so its callbacks verify and its polls find it.
  async repairChannel(
    taskId: string,
    fromChannelId: number | null,
    toChannelId: number,
    now: number,
  ): Promise<boolean> {
    const res = await this.db.run((em) =>
      em
        .createQueryBuilder()
        .update(VideoTask)
        .set({ channelId: toChannelId, updatedAt: now })
        .where('task_id = :taskId', { taskId })
        .andWhere(fromChannelId === null ? 'channel_id IS NULL' : 'channel_id = :fromChannelId', { fromChannelId })
        .execute(),
    );
    return (res.affected ?? 0) > 0;
  }

  // A non-terminal move (submitted, processing, unknown); returns whether it applied. The first
  // move to processing also stamps processing_at (for the timeline) in the same statement.
  async advance(
    taskId: string,
    to: TaskStatus,
    fields: TaskResultFields & { nextPollAtMs?: number | null },
    now: number,
  ): Promise<boolean> {
    const stamp = to === 'processing' ? { processingAt: () => 'COALESCE(processing_at, :now)' } : {};
    const res = await this.db.run((em) =>
      em
        .createQueryBuilder()
        .update(VideoTask)
        .set({ ...definedOnly(fields), ...stamp, status: to, updatedAt: now })
        .where('task_id = :taskId AND status IN (:...from)', { taskId, from: sourcesFor(to), now })
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
    const set = definedOnly(fields);
    const keys = Object.keys(set) as Array<keyof TaskResultFields>;
    const sql = finishSql(keys);
    const params = [...keys.map((k) => set[k] as string | null), to, now, now, taskId, ...ACTIVE];
    return (await this.db.write(m, sql, params)).affected > 0;
  }

  // Claims up to `limit` due tasks for `owner` with a lease, so two replicas never poll the
  // same task; an expired lease (crashed poller) makes the task claimable again.
  // Up to `limit` due tasks leased to `owner` (the lease-claim pattern of lease-claim.ts, in three
  // plain statements: the ids in due order, the conditional UPDATE that decides who wins each,
  // and the rows won).
  async claimDuePolls(owner: string, nowMs: number, limit: number, leaseMs: number): Promise<VideoTask[]> {
    const due = await this.db.rows<{ id: number | string }>(undefined, POLL_DUE_SQL, pollDueParams(nowMs, limit));
    if (due.length === 0) return [];
    const ids = inList(due.map((d) => Number(d.id)));
    await this.db.write(
      undefined,
      `UPDATE \`videos\` SET \`lease_owner\` = ?, \`lease_until_ms\` = ? WHERE \`id\` IN (${ids.marks}) AND \`status\` IN ${ACTIVE_IN} AND ${LAPSED}`,
      [owner, nowMs + leaseMs, ...ids.params, ...ACTIVE, nowMs],
    );
    const rows = await this.db.rows<Record<string, unknown>>(
      undefined,
      `SELECT ${TASK_SELECT} FROM \`videos\` WHERE \`id\` IN (${ids.marks}) AND \`lease_owner\` = ?`,
      [...ids.params, owner],
    );
    return rows.map(toVideoTask);
  }

  // Hands polled tasks back with their next poll times: one statement for a whole batch.
  async rescheduleMany(owner: string, next: Array<{ taskId: string; nextPollAtMs: number }>): Promise<void> {
    if (next.length === 0) return;
    const cases = next.map(() => 'WHEN ? THEN ?').join(' ');
    const ids = inList(next.map((n) => n.taskId));
    await this.db.write(
      undefined,
      `UPDATE \`videos\` SET \`next_poll_at_ms\` = CASE \`task_id\` ${cases} END, \`lease_owner\` = NULL, ` +
        `\`lease_until_ms\` = NULL, \`poll_count\` = \`poll_count\` + 1 WHERE \`task_id\` IN (${ids.marks}) AND \`lease_owner\` = ?`,
      [...next.flatMap((n) => [n.taskId, n.nextPollAtMs]), ...ids.params, owner],
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

  // Tasks in flight per provider (the status index), for the metrics gauge.
  async countActiveByProvider(): Promise<Array<{ provider: string; n: number }>> {
    const rows = await this.db.run((em) =>
      em
        .createQueryBuilder(VideoTask, 'v')
        .select('v.provider', 'provider')
        .addSelect('COUNT(*)', 'n')
        .where('v.status IN (:...active)', { active: [...ACTIVE] })
        .groupBy('v.provider')
        .getRawMany<{ provider: string; n: number | string }>(),
    );
    return rows.map((r) => ({ provider: r.provider, n: Number(r.n) }));
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

  private async one(sql: string, params: Array<string | number>): Promise<VideoTask | null> {
    const rows = await this.db.rows<Record<string, unknown>>(undefined, sql, params);
    return rows.length > 0 ? toVideoTask(rows[0]) : null;
  }
}

const BY_TASK_ID = `SELECT ${TASK_SELECT} FROM \`videos\` WHERE \`task_id\` = ? LIMIT 1`;
const OWNED = `SELECT ${TASK_SELECT} FROM \`videos\` WHERE \`task_id\` = ? AND \`user_id\` = ? LIMIT 1`;
const RECORD_ACCEPTED =
  'UPDATE `videos` SET `channel_id` = ?, `upstream_task_id` = ?, `next_poll_at_ms` = ?, `lease_owner` = NULL, ' +
  "`lease_until_ms` = NULL, `updated_at` = ?, `status` = CASE WHEN `status` IN ('submitting', 'unknown') " +
  `THEN 'submitted' ELSE \`status\` END WHERE \`task_id\` = ? AND \`status\` IN ${ACTIVE_IN}`;

// The terminal UPDATE for the result fields given (a handful of combinations, each one statement text).
const finishSqls = new Map<string, string>();
function finishSql(keys: Array<keyof TaskResultFields>): string {
  const id = keys.join(',');
  let sql = finishSqls.get(id);
  if (!sql) {
    const given = keys.map((k) => `\`${TASK_COLUMNS[k]}\` = ?, `).join('');
    sql =
      `UPDATE \`videos\` SET ${given}\`status\` = ?, \`finished_at\` = ?, \`updated_at\` = ?, ` +
      '`next_poll_at_ms` = NULL, `lease_owner` = NULL, `lease_until_ms` = NULL ' +
      `WHERE \`task_id\` = ? AND \`status\` IN ${ACTIVE_IN}`;
    finishSqls.set(id, sql);
  }
  return sql;
}

function definedOnly<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
