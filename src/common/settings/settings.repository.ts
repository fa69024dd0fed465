import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { isUniqueViolation } from '../database/db-errors';
import { Db, DbRepository } from '../database/db.service';
import { Setting } from './setting.entity';

@Injectable()
export class SettingsRepository extends DbRepository {
  constructor(db: Db) {
    super(db);
  }

  readSetting(key: string, m?: EntityManager): Promise<Setting | null> {
    return this.use(m, (em) => em.findOneBy(Setting, { key }));
  }

  // Compare-and-set: writes only when the stored version is still `expectedVersion` (0: no row
  // yet). Returns the new version, or null when someone else wrote first.
  async writeSetting(
    key: string,
    value: string,
    expectedVersion: number,
    by: number,
    now: number,
    m?: EntityManager,
  ): Promise<number | null> {
    if (expectedVersion === 0) {
      try {
        await this.use(m, (em) => em.insert(Setting, { key, value, version: 1, updatedBy: by, updatedAt: now }));
        return 1;
      } catch (err) {
        if (isUniqueViolation(err)) return null;
        throw err;
      }
    }
    const res = await this.use(m, (em) =>
      em
        .createQueryBuilder()
        .update(Setting)
        .set({ value, version: () => 'version + 1', updatedBy: by, updatedAt: now })
        .where('setting_key = :key AND version = :expectedVersion', { key, expectedVersion })
        .execute(),
    );
    return (res.affected ?? 0) === 1 ? expectedVersion + 1 : null;
  }
}
