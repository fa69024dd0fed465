import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Db, DbRepository } from '../common/database/db.service';
import { PageRequest } from '../common/pagination/page.dto';
import { Channel } from './channel.entity';

export type ChannelFields = Omit<Channel, 'id' | 'createdAt' | 'updatedAt' | 'recheckAtMs'>;

// Channels the re-check job may look at: auto-disabled, and allowed to come back by themselves.
const RECHECKABLE = "status = 'auto_disabled' AND auto_reenable = 1";

@Injectable()
export class ChannelRepository extends DbRepository {
  constructor(db: Db) {
    super(db);
  }

  insertChannel(fields: ChannelFields, now: number, m?: EntityManager): Promise<Channel> {
    return this.use(m, (em) =>
      em.save(em.create(Channel, { ...fields, recheckAtMs: null, createdAt: now, updatedAt: now })),
    );
  }

  findById(id: number, m?: EntityManager): Promise<Channel | null> {
    return this.use(m, (em) => em.findOneBy(Channel, { id }));
  }

  findByIds(ids: number[]): Promise<Channel[]> {
    if (ids.length === 0) return Promise.resolve([]);
    return this.db.run((em) =>
      em.createQueryBuilder(Channel, 'c').where('c.id IN (:...ids)', { ids }).orderBy('c.id', 'ASC').getMany(),
    );
  }

  listChannels(page: PageRequest): Promise<[Channel[], number]> {
    return this.db.run((em) =>
      em.findAndCount(Channel, { order: { id: 'ASC' }, skip: (page.page - 1) * page.pageSize, take: page.pageSize }),
    );
  }

  enabledChannels(): Promise<Channel[]> {
    return this.db.run((em) =>
      em.find(Channel, { where: { status: 'enabled' }, order: { priority: 'DESC', id: 'ASC' } }),
    );
  }

  async updateChannel(id: number, fields: Partial<ChannelFields>, now: number, m?: EntityManager): Promise<boolean> {
    const res = await this.use(m, (em) => em.update(Channel, { id }, { ...fields, updatedAt: now }));
    return (res.affected ?? 0) > 0;
  }

  // Only an enabled channel is auto-disabled, so an admin's manual state is never overwritten.
  // Its first re-check is due at `recheckAtMs`.
  async autoDisable(m: EntityManager, id: number, reason: string, now: number, recheckAtMs: number): Promise<boolean> {
    const res = await m
      .createQueryBuilder()
      .update(Channel)
      .set({ status: 'auto_disabled', disabledReason: reason.slice(0, 255), recheckAtMs, updatedAt: now })
      .where('id = :id AND status = :enabled', { id, enabled: 'enabled' })
      .execute();
    return (res.affected ?? 0) > 0;
  }

  // Back in rotation, only if it is still auto-disabled and still allowed to come back (an admin
  // may have changed either while its key was being checked).
  async autoReenable(m: EntityManager, id: number, now: number): Promise<boolean> {
    const res = await m
      .createQueryBuilder()
      .update(Channel)
      .set({ status: 'enabled', disabledReason: null, recheckAtMs: null, updatedAt: now })
      .where(`id = :id AND ${RECHECKABLE}`, { id })
      .execute();
    return (res.affected ?? 0) > 0;
  }

  // Claims up to `limit` channels due for a re-check: each claim is a conditional UPDATE that
  // moves the channel's next check to `nextAtMs`, so of several replicas exactly one checks it,
  // and a replica that dies mid-check only delays that channel to its next slot.
  async claimDueRechecks(nowMs: number, nextAtMs: number, limit: number): Promise<Channel[]> {
    const due = await this.db.run((em) =>
      em
        .createQueryBuilder(Channel, 'c')
        .select('c.id', 'id')
        .where("c.status = 'auto_disabled' AND c.auto_reenable = 1")
        .andWhere('(c.recheck_at_ms IS NULL OR c.recheck_at_ms <= :nowMs)', { nowMs })
        .orderBy('c.id', 'ASC')
        .limit(limit)
        .getRawMany<{ id: number | string }>(),
    );
    const claimed: number[] = [];
    for (const { id } of due) {
      const res = await this.db.run((em) =>
        em
          .createQueryBuilder()
          .update(Channel)
          .set({ recheckAtMs: nextAtMs })
          .where(`id = :id AND ${RECHECKABLE}`, { id: Number(id) })
          .andWhere('(recheck_at_ms IS NULL OR recheck_at_ms <= :nowMs)', { nowMs })
          .execute(),
      );
      if ((res.affected ?? 0) > 0) claimed.push(Number(id));
    }
    return this.findByIds(claimed);
  }

  async deleteChannel(id: number, m?: EntityManager): Promise<boolean> {
    const res = await this.use(m, (em) => em.delete(Channel, { id }));
    return (res.affected ?? 0) > 0;
  }
}
