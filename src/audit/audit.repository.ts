import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Db, DbRepository } from '../common/database/db.service';
import { PageRequest } from '../common/pagination/page.dto';
import { ActorType, AuditEntry } from './audit-entry.entity';

export type NewAuditEntry = Omit<AuditEntry, 'id'>;

export interface AuditFilter {
  actorType?: ActorType;
  actorId?: number;
  action?: string;
  targetType?: string;
  targetId?: string;
  from?: number;
  to?: number;
}

// The audit trail's table: inserts, and reads for the admin list. Nothing here updates or
// deletes a row.
@Injectable()
export class AuditRepository extends DbRepository {
  constructor(db: Db) {
    super(db);
  }

  // In the caller's transaction when given one, so the row commits with the change it records.
  async insertEntry(row: NewAuditEntry, m?: EntityManager): Promise<void> {
    await this.use(m, (em) => em.insert(AuditEntry, row));
  }

  listEntries(f: AuditFilter, page: PageRequest): Promise<[AuditEntry[], number]> {
    return this.db.run((em) => {
      const q = em.createQueryBuilder(AuditEntry, 'a');
      if (f.actorType !== undefined) q.andWhere('a.actor_type = :actorType', { actorType: f.actorType });
      if (f.actorId !== undefined) q.andWhere('a.actor_id = :actorId', { actorId: f.actorId });
      if (f.action !== undefined) q.andWhere('a.action = :action', { action: f.action });
      if (f.targetType !== undefined) q.andWhere('a.target_type = :targetType', { targetType: f.targetType });
      if (f.targetId !== undefined) q.andWhere('a.target_id = :targetId', { targetId: f.targetId });
      if (f.from !== undefined) q.andWhere('a.created_at >= :from', { from: f.from });
      if (f.to !== undefined) q.andWhere('a.created_at < :to', { to: f.to });
      return q
        .orderBy('a.id', 'DESC')
        .skip((page.page - 1) * page.pageSize)
        .take(page.pageSize)
        .getManyAndCount();
    });
  }

  // Rows of some actions on targets of one type within a time range, oldest first.
  listActions(targetType: string, actions: string[], from: number, to: number): Promise<AuditEntry[]> {
    return this.db.run((em) =>
      em
        .createQueryBuilder(AuditEntry, 'a')
        .where('a.action IN (:...actions) AND a.target_type = :targetType', { actions, targetType })
        .andWhere('a.created_at >= :from AND a.created_at < :to', { from, to })
        .orderBy('a.id', 'ASC')
        .getMany(),
    );
  }
}
