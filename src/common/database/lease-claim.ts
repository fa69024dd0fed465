import { EntityManager, EntityTarget, In, ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { Db } from './db.service';

// What makes a row of one table claimable work (besides its lease having lapsed): pollers, copy
// workers and webhook senders claim their due rows the same way.
export interface LeaseClaimSpec<T extends ObjectLiteral> {
  entity: EntityTarget<T>;
  // SQL condition on the table's own columns, e.g. "status IN (:...work)".
  workWhere: string;
  params: ObjectLiteral;
  // The column holding when a row is next due (epoch ms), oldest first.
  dueColumn: string;
  // Whether claiming counts as an attempt (`attempts + 1`).
  countsAttempt: boolean;
}

export interface LeaseRequest {
  owner: string;
  nowMs: number;
  limit: number;
  leaseMs: number;
}

const LAPSED = '(lease_until_ms IS NULL OR lease_until_ms < :nowMs)';

// Claims up to `limit` due rows for `owner` until nowMs + leaseMs, so two processes never work
// the same row; an expired lease (a crashed worker) makes a row claimable again. Three short
// statements rather than one locking read: the conditional UPDATE decides who wins a row.
export async function claimUnderLease<T extends ObjectLiteral>(
  db: Db,
  spec: LeaseClaimSpec<T>,
  req: LeaseRequest,
): Promise<T[]> {
  const { owner, nowMs, limit, leaseMs } = req;
  const params = { ...spec.params, nowMs };
  const due = await db.run((em) => dueRows(em, spec, nowMs, limit).getRawMany<{ id: number | string }>());
  if (due.length === 0) return [];
  const ids = due.map((d) => Number(d.id));
  const set: ObjectLiteral = { leaseOwner: owner, leaseUntilMs: nowMs + leaseMs };
  if (spec.countsAttempt) set.attempts = () => 'attempts + 1';
  await db.run((em) =>
    em
      .createQueryBuilder()
      .update(spec.entity)
      .set(set as never)
      .where(`id IN (:...ids) AND ${spec.workWhere} AND ${LAPSED}`, { ...params, ids })
      .execute(),
  );
  return db.run((em) => em.find(spec.entity, { where: { id: In(ids), leaseOwner: owner } as never }));
}

// The ids of up to `limit` rows due at nowMs, oldest due first.
function dueRows<T extends ObjectLiteral>(
  em: EntityManager,
  spec: LeaseClaimSpec<T>,
  nowMs: number,
  limit: number,
): SelectQueryBuilder<T> {
  return em
    .createQueryBuilder(spec.entity, 'r')
    .select('r.id', 'id')
    .where(`${spec.workWhere} AND ${spec.dueColumn} <= :nowMs AND ${LAPSED}`, { ...spec.params, nowMs })
    .orderBy(`r.${spec.dueColumn}`, 'ASC')
    .limit(limit);
}
