import { Injectable } from '@nestjs/common';
import { Db, DbRepository } from '../common/database/db.service';
import { PageRequest } from '../common/pagination/page.dto';
import { Channel } from './channel.entity';

export type ChannelFields = Omit<Channel, 'id' | 'createdAt' | 'updatedAt'>;

@Injectable()
export class ChannelRepository extends DbRepository {
  constructor(db: Db) {
    super(db);
  }

  insertChannel(fields: ChannelFields, now: number): Promise<Channel> {
    return this.db.run((em) => em.save(em.create(Channel, { ...fields, createdAt: now, updatedAt: now })));
  }

  findById(id: number): Promise<Channel | null> {
    return this.db.run((em) => em.findOneBy(Channel, { id }));
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

  async updateChannel(id: number, fields: Partial<ChannelFields>, now: number): Promise<boolean> {
    const res = await this.db.run((em) => em.update(Channel, { id }, { ...fields, updatedAt: now }));
    return (res.affected ?? 0) > 0;
  }

  // Only an enabled channel is auto-disabled, so an admin's manual state is never overwritten.
  async autoDisable(id: number, reason: string, now: number): Promise<boolean> {
    const res = await this.db.run((em) =>
      em
        .createQueryBuilder()
        .update(Channel)
        .set({ status: 'auto_disabled', disabledReason: reason.slice(0, 255), updatedAt: now })
        .where('id = :id AND status = :enabled', { id, enabled: 'enabled' })
        .execute(),
    );
    return (res.affected ?? 0) > 0;
  }

  async deleteChannel(id: number): Promise<boolean> {
    const res = await this.db.run((em) => em.delete(Channel, { id }));
    return (res.affected ?? 0) > 0;
  }
}
