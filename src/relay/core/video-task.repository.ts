import { Injectable } from '@nestjs/common';
import { EntityManager, In, LessThan } from 'typeorm';
import { Batcher } from '../../common/database/batcher';
import { RowInserts } from '../../common/database/multi-row-insert';
import { Db, DbRepository, WriteResult } from '../../common/database/db.service';
import { PageRequest } from '../../common/pagination/page.dto';
import { ACTIVE, parseSchedule, pollIntervalMs as intervalAt, sourcesFor, TaskStatus, TERMINAL } from './task-state';
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

const FINISH_FIELDS: Array<keyof TaskResultFields> = [
  'upstreamTaskId',
  'videoId',
  'storeUrl',
  'duration',
  'failReason',
  'endedBy',
];

// One terminal move of a group (finishMany).
export interface TaskFinish {
  taskId: string;
  to: 'succeed' | 'failed';
  fields: TaskResultFields;
  now: number;
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
// Tasks in flight whose next poll is due, one lane per poll interval: each lane reads
// idx_videos_poll_lane alone (the id rides in the index on both databases), in due order, no sort.
// The claim then takes the most overdue relative to their intervals (claimDuePolls), so when the
// poller falls behind every task waits the same number of its own intervals, not the same seconds.
// No status or lease test here: finished tasks have no next poll, and a claim moves the next poll to
// its lease's end; the claiming UPDATE checks both.
const ACTIVE_IN = `(${ACTIVE.map(() => '?').join(', ')})`;
const LAPSED = '(`lease_until_ms` IS NULL OR `lease_until_ms` < ?)';
const laneSql = (i: number): string =>
  'SELECT * FROM (SELECT `id`, `next_poll_at_ms` AS `due`, `poll_interval_ms` AS `every` FROM `videos` ' +
  `WHERE \`poll_interval_ms\` = ? AND \`next_poll_at_ms\` <= ? ORDER BY \`next_poll_at_ms\` ASC LIMIT ?) AS \`l${i}\``;
export const pollDueSql = (lanes: number): string =>
  Array.from({ length: lanes }, (_, i) => laneSql(i)).join(' UNION ALL ');
export const pollDueParams = (lanes: readonly number[], nowMs: number, limit: number): number[] =>
  lanes.flatMap((every) => [every, nowMs, limit]);
// The intervals tasks are polled at, a few index seeks, not a read of the index: MariaDB's loose
// index scan ("Using index for group-by") serves DISTINCT, but not the recursive form (its
// correlated MIN reads the index from the start each step); SQLite has no loose scan for DISTINCT
// and seeks each step of the recursive form.
export const pollLanesSql = (isMysql: boolean): string =>
  isMysql
    ? 'SELECT DISTINCT `poll_interval_ms` AS `every` FROM `videos` ORDER BY `poll_interval_ms`'
    : 'WITH RECURSIVE `lanes` (`every`) AS (SELECT MIN(`poll_interval_ms`) FROM `videos` UNION ALL ' +
      'SELECT (SELECT MIN(`poll_interval_ms`) FROM `videos` WHERE `poll_interval_ms` > `lanes`.`every`) ' +
      'FROM `lanes` WHERE `lanes`.`every` IS NOT NULL) SELECT `every` FROM `lanes` WHERE `every` IS NOT NULL';
// Lanes per claim statement (more are read in several, rarely: schedules share a few intervals).
const LANES_PER_STATEMENT = 16;

// `IN (?, …)` for a list, padded (with its last value, which changes nothing) to a power of two so
// that lists of any length share a few statement texts, which SQLite keeps prepared.
function inList<T extends string | number>(values: readonly T[]): { marks: string; params: T[] } {
  let size = 1;
  while (size < values.length) size *= 2;
  const params = [...values];
  while (params.length < size) params.push(values[values.length - 1]);
  return { marks: params.map(() => '?').join(', '), params };
}

const taskInsertValues = (row: VideoTask) => TASK_INSERT_FIELDS.map((f) => row[f]);

// MySQL: lookups by task id and accepted-submit writes that arrive together share one statement
// (a round trip each was most of a callback's, a query's and a submit's remaining cost). SQLite
// answers in-process, where one statement each costs no round trip.
// One statement in flight: lookups that arrive meanwhile go together in the next (changed from four
// together with the group commits and measured with them, not alone).
const BATCH = { maxBatch: 64, maxConcurrent: 1 };

interface Accepted {
  taskId: string;
  channelId: number;
  upstreamTaskId: string;
  nextPollAtMs: number;
  now: number;
}

@Injectable()
export class VideoTaskRepository extends DbRepository {
  private readonly lookups: Batcher<string, VideoTask | null> | null = null;
  private readonly accepts: Batcher<Accepted, void> | null = null;
  // New tasks; a group commit's go together as it commits.
  private readonly newTasks: RowInserts<VideoTask>;

  constructor(db: Db) {
    super(db);
    this.newTasks = new RowInserts(db, TASK_INSERT_SQL, taskInsertValues);
    if (db.isMysql) {
      this.lookups = new Batcher({ run: (ids) => this.lookUpMany(ids), ...BATCH });
      this.accepts = new Batcher({ run: (rows) => this.acceptMany(rows), ...BATCH });
    }
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
      pollIntervalMs: intervalAt(0, parseSchedule(t.pollSchedule)),
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
    // Alone it is written first, so a taken external_task_id is reported (400) before the hold is
    // judged (402); in a group commit it goes with the commit (its id known once that returns).
    await this.newTasks.insert(m, row.taskId, row);
    return row;
  }

  findByTaskId(taskId: string): Promise<VideoTask | null> {
    return this.lookups ? this.lookups.run(taskId) : this.one(BY_TASK_ID, [taskId]);
  }

  // Scoped to the owner: another user's task id matches nothing.
  async findOwned(userId: number, taskId: string): Promise<VideoTask | null> {
    if (!this.lookups) return this.one(OWNED, [taskId, userId]);
    const task = await this.lookups.run(taskId);
    return task?.userId === userId ? task : null;
  }

  // One SELECT for a batch of lookups; each caller gets its own copy of its row.
  private async lookUpMany(taskIds: string[]): Promise<Array<PromiseSettledResult<VideoTask | null>>> {
    const ids = [...new Set(taskIds)];
    const rows = await this.db.rows<Record<string, unknown>>(
      undefined,
      `SELECT ${TASK_SELECT} FROM \`videos\` WHERE \`task_id\` IN (${ids.map(() => '?').join(', ')})`,
      ids,
    );
    const byId = new Map(rows.map((r) => [String(r.taskId), r]));
    return taskIds.map((id) => {
      const row = byId.get(id);
      return { status: 'fulfilled', value: row ? toVideoTask(row) : null };
    });
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
    if (this.accepts) return this.accepts.run({ taskId, channelId, upstreamTaskId, nextPollAtMs, now });
    await this.db.write(undefined, RECORD_ACCEPTED, [channelId, upstreamTaskId, nextPollAtMs, now, taskId, ...ACTIVE]);
  }

  // RECORD_ACCEPTED for a batch in one UPDATE (each row's values by CASE, the same condition per
  // row), in task id order like any other multi-row write.
  private async acceptMany(batch: Accepted[]): Promise<Array<PromiseSettledResult<void>>> {
    const rows = [...batch].sort((a, b) => (a.taskId < b.taskId ? -1 : 1));
    const cases = (col: string) => `\`${col}\` = CASE \`task_id\` ${rows.map(() => 'WHEN ? THEN ?').join(' ')} END`;
    const pairs = (value: (r: Accepted) => string | number) => rows.flatMap((r) => [r.taskId, value(r)]);
    await this.db.write(
      undefined,
      `UPDATE \`videos\` SET ${cases('channel_id')}, ${cases('upstream_task_id')}, ${cases('next_poll_at_ms')}, ` +
        `${cases('updated_at')}, \`lease_owner\` = NULL, \`lease_until_ms\` = NULL, ${SUBMITTED_STATUS} ` +
        `WHERE \`task_id\` IN (${rows.map(() => '?').join(', ')}) AND \`status\` IN ${ACTIVE_IN}`,
      [
        ...pairs((r) => r.channelId),
        ...pairs((r) => r.upstreamTaskId),
        ...pairs((r) => r.nextPollAtMs),
        ...pairs((r) => r.now),
        ...rows.map((r) => r.taskId),
        ...ACTIVE,
      ],
    );
    return batch.map(() => ({ status: 'fulfilled', value: undefined }));
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

  // The terminal moves of a group commit's ends, in its transaction: the ids that won. One end
  // is one conditional UPDATE; several lock their still-active rows (task id order), then one
  // multi-row UPDATE ends them (each row's values by CASE); a task listed twice is won by its first.
  async finishMany(m: EntityManager, ends: readonly TaskFinish[]): Promise<Set<string>> {
    if (ends.length === 1) {
      const e = ends[0];
      return new Set((await this.finish(m, e.taskId, e.to, e.fields, e.now)) ? [e.taskId] : []);
    }
    const ids = [...new Set(ends.map((e) => e.taskId))];
    // `+status`: with 100,000 in flight SQLite's planner otherwise reads
    // idx_status, every active row, for each group (about 50 ms a statement).
    const active = await this.db.rows<{ taskId: string }>(
      m,
      `SELECT \`task_id\` AS \`taskId\` FROM \`videos\` WHERE \`task_id\` IN (${ids.map(() => '?').join(', ')}) ` +
        `AND +\`status\` IN ${ACTIVE_IN} ORDER BY \`task_id\`${this.db.isMysql ? ' FOR UPDATE' : ''}`,
      [...ids, ...ACTIVE],
    );
    const live = new Set(active.map((r) => String(r.taskId)));
    const winners = ends.filter((e) => live.delete(e.taskId)); // first of each id
    if (winners.length > 0) await this.endRows(m, winners);
    return new Set(winners.map((e) => e.taskId));
  }

  // One UPDATE for rows locked as active: each must change, or the group is spoiled.
  private async endRows(m: EntityManager, ends: TaskFinish[]): Promise<void> {
    const sets: string[] = [];
    const params: Array<string | number | null> = [];
    const column = (col: string, value: (e: TaskFinish) => string | number | null | undefined) => {
      const given = ends.filter((e) => value(e) !== undefined);
      if (given.length === 0) return;
      sets.push(`\`${col}\` = CASE \`task_id\` ${given.map(() => 'WHEN ? THEN ?').join(' ')} ELSE \`${col}\` END`);
      for (const e of given) params.push(e.taskId, value(e) as string | number | null);
    };
    for (const k of FINISH_FIELDS) column(TASK_COLUMNS[k], (e) => e.fields[k]);
    column('status', (e) => e.to);
    column('finished_at', (e) => e.now);
    column('updated_at', (e) => e.now);
    const sql =
      `UPDATE \`videos\` SET ${sets.join(', ')}, \`next_poll_at_ms\` = NULL, \`lease_owner\` = NULL, ` +
      `\`lease_until_ms\` = NULL WHERE \`task_id\` IN (${ends.map(() => '?').join(', ')}) AND +\`status\` IN ${ACTIVE_IN}`;
    const check = (res: WriteResult) => {
      if (res.affected !== ends.length) throw new Error(`Ended ${res.affected} of ${ends.length} locked tasks`);
    };
    const all = [...params, ...ends.map((e) => e.taskId), ...ACTIVE];
    // The rows are locked as active, so nothing can make this UPDATE miss: in a group commit it
    // goes with the commit (a round trip fewer per group), still checked there.
    if (this.db.isShared(m)) return this.db.writeAtCommit(m, sql, all, { check, expect: ends.length });
    check(await this.db.write(m, sql, all));
  }

  // The poll intervals of tasks (the poller's lanes), ascending.
  async pollLanes(): Promise<number[]> {
    const rows = await this.db.rows<{ every: number | string }>(undefined, pollLanesSql(this.db.isMysql), []);
    return rows.map((r) => Number(r.every));
  }

  // Claims up to `limit` due tasks for `owner` with a lease, so two replicas never poll the same
  // task; a lapsed lease (crashed poller) makes a task claimable again. Three plain statements: the
  // due tasks of each lane; the conditional UPDATE that decides who wins each, leasing it and moving
  // its next poll to the lease's end (so it leaves the due range while asked); the rows won, with
  // their due times (for the lag metric).
  async claimDuePolls(
    owner: string,
    nowMs: number,
    limit: number,
    leaseMs: number,
    lanes: readonly number[],
  ): Promise<VideoTask[]> {
    const due = await this.dueCandidates(nowMs, limit, lanes);
    if (due.length === 0) return [];
    const ids = inList(due.map((d) => d.id));
    const leaseUntil = nowMs + leaseMs;
    const won = await this.db.write(
      undefined,
      `UPDATE \`videos\` SET \`lease_owner\` = ?, \`lease_until_ms\` = ?, \`next_poll_at_ms\` = ? ` +
        `WHERE \`id\` IN (${ids.marks}) AND \`status\` IN ${ACTIVE_IN} AND ${LAPSED}`,
      [owner, leaseUntil, leaseUntil, ...ids.params, ...ACTIVE, nowMs],
    );
    if (won.affected < due.length) await this.clearFinishedDue(ids);
    const rows = await this.db.rows<Record<string, unknown>>(
      undefined,
      `SELECT ${TASK_SELECT} FROM \`videos\` WHERE \`id\` IN (${ids.marks}) AND \`lease_owner\` = ?`,
      [...ids.params, owner],
    );
    const dueAt = new Map(due.map((d) => [d.id, d.due]));
    return rows.map(toVideoTask).map((t) => Object.assign(t, { nextPollAtMs: dueAt.get(t.id) ?? t.nextPollAtMs }));
  }

  // Up to `limit` due tasks over all lanes, the most overdue in units of their own interval first.
  private async dueCandidates(nowMs: number, limit: number, lanes: readonly number[]): Promise<DueTask[]> {
    const due: DueTask[] = [];
    for (let i = 0; i < lanes.length; i += LANES_PER_STATEMENT) {
      const part = lanes.slice(i, i + LANES_PER_STATEMENT);
      const rows = await this.db.rows<Record<string, number | string>>(
        undefined,
        pollDueSql(part.length),
        pollDueParams(part, nowMs, limit),
      );
      for (const r of rows) due.push({ id: Number(r.id), due: Number(r.due), every: Number(r.every) });
    }
    return byRelativeLateness(due, nowMs).slice(0, limit);
  }

  // A due task no claim can win because it already ended: finished tasks keep no next poll (every
  // terminal write clears it), and one that kept it would sit at the head of its lane.
  private async clearFinishedDue(ids: { marks: string; params: number[] }): Promise<void> {
    await this.db.write(
      undefined,
      `UPDATE \`videos\` SET \`next_poll_at_ms\` = NULL WHERE \`id\` IN (${ids.marks}) AND \`status\` NOT IN ${ACTIVE_IN}`,
      [...ids.params, ...ACTIVE],
    );
  }

  // Hands polled tasks back with their next poll times and the intervals they were scheduled at
  // (their lanes): one statement for a whole batch.
  async rescheduleMany(
    owner: string,
    next: Array<{ taskId: string; nextPollAtMs: number; intervalMs: number }>,
  ): Promise<void> {
    if (next.length === 0) return;
    const cases = next.map(() => 'WHEN ? THEN ?').join(' ');
    const ids = inList(next.map((n) => n.taskId));
    await this.db.write(
      undefined,
      `UPDATE \`videos\` SET \`next_poll_at_ms\` = CASE \`task_id\` ${cases} END, ` +
        `\`poll_interval_ms\` = CASE \`task_id\` ${cases} END, \`lease_owner\` = NULL, ` +
        `\`lease_until_ms\` = NULL, \`poll_count\` = \`poll_count\` + 1 WHERE \`task_id\` IN (${ids.marks}) AND \`lease_owner\` = ?`,
      [
        ...next.flatMap((n) => [n.taskId, n.nextPollAtMs]),
        ...next.flatMap((n) => [n.taskId, n.intervalMs]),
        ...ids.params,
        owner,
      ],
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
const SUBMITTED_STATUS =
  "`status` = CASE WHEN `status` IN ('submitting', 'unknown') THEN 'submitted' ELSE `status` END";
const RECORD_ACCEPTED =
  'UPDATE `videos` SET `channel_id` = ?, `upstream_task_id` = ?, `next_poll_at_ms` = ?, `lease_owner` = NULL, ' +
  `\`lease_until_ms\` = NULL, \`updated_at\` = ?, ${SUBMITTED_STATUS} WHERE \`task_id\` = ? AND \`status\` IN ${ACTIVE_IN}`;

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

export interface DueTask {
  id: number;
  due: number;
  every: number;
}

// Most overdue first, in units of each task's interval (a task with none, from before lanes, first).
export function byRelativeLateness(due: DueTask[], nowMs: number): DueTask[] {
  const late = (d: DueTask) => (nowMs - d.due) / Math.max(d.every, 1);
  return due.sort((a, b) => late(b) - late(a) || a.due - b.due);
}
