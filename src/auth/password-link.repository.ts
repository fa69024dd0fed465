import { Injectable } from '@nestjs/common';
import { EntityManager, IsNull, MoreThan } from 'typeorm';
import { Db, DbRepository } from '../common/database/db.service';
import { PasswordLink, PasswordLinkPurpose } from './password-link.entity';

export interface NewPasswordLink {
  userId: number;
  tokenHash: string;
  purpose: PasswordLinkPurpose;
  createdBy: number | null;
  expiresAt: number;
  now: number;
}

@Injectable()
export class PasswordLinkRepository extends DbRepository {
  constructor(db: Db) {
    super(db);
  }

  // The user's unused links stop working.
  async supersede(m: EntityManager, userId: number, now: number): Promise<void> {
    await m
      .createQueryBuilder()
      .update(PasswordLink)
      .set({ usedAt: now })
      .where('user_id = :userId AND used_at IS NULL', { userId })
      .execute();
  }

  // A new link; the user's earlier unused ones stop working, so only the newest counts.
  async replaceLink(m: EntityManager, link: NewPasswordLink): Promise<PasswordLink> {
    await this.supersede(m, link.userId, link.now);
    return m.save(
      m.create(PasswordLink, {
        userId: link.userId,
        tokenHash: link.tokenHash,
        purpose: link.purpose,
        createdBy: link.createdBy,
        expiresAt: link.expiresAt,
        usedAt: null,
        createdAt: link.now,
      }),
    );
  }

  findUsable(tokenHash: string, now: number): Promise<PasswordLink | null> {
    return this.use(undefined, (em) =>
      em.findOneBy(PasswordLink, { tokenHash, usedAt: IsNull(), expiresAt: MoreThan(now) }),
    );
  }

  // One conditional UPDATE: of two concurrent redeems of the same link exactly one claims it.
  async claim(m: EntityManager, tokenHash: string, now: number): Promise<PasswordLink | null> {
    const res = await m
      .createQueryBuilder()
      .update(PasswordLink)
      .set({ usedAt: now })
      .where('token_hash = :tokenHash AND used_at IS NULL AND expires_at > :now', { tokenHash, now })
      .execute();
    if ((res.affected ?? 0) !== 1) return null;
    return m.findOneBy(PasswordLink, { tokenHash });
  }
}
