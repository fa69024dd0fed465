import { Injectable } from '@nestjs/common';
import { EntityManager, Raw } from 'typeorm';
import { Db, DbRepository } from '../common/database/db.service';
import { PageRequest } from '../common/pagination/page.dto';
import { isUniqueViolation } from '../common/database/db-errors';
import { UserPlan, UserRole, UserStatus } from '../common/auth/auth-user';
import { User } from './user.entity';

export interface NewUser {
  email: string;
  passwordHash: string;
  role: UserRole;
  plan?: UserPlan;
  now: number;
}

export type PasswordRecovery = 'recovered' | 'created';

export interface UserFilter {
  email?: string;
  // Part of the email (case-insensitive; emails are stored lower-case).
  q?: string;
  role?: UserRole;
  status?: UserStatus;
  plan?: UserPlan;
}

export interface UserAdminPatch {
  role?: UserRole;
  status?: UserStatus;
  plan?: UserPlan;
}

@Injectable()
export class UserRepository extends DbRepository {
  constructor(db: Db) {
    super(db);
  }

  findById(id: number, m?: EntityManager): Promise<User | null> {
    return this.use(m, (em) => em.findOneBy(User, { id }));
  }

  findByIds(ids: number[]): Promise<User[]> {
    if (ids.length === 0) return Promise.resolve([]);
    return this.use(undefined, (em) => em.createQueryBuilder(User, 'u').where('u.id IN (:...ids)', { ids }).getMany());
  }

  findByEmail(email: string): Promise<User | null> {
    return this.use(undefined, (em) => em.findOneBy(User, { email }));
  }

  // Returns null when the email is taken (the unique key decides, not a prior read).
  async insertUser(u: NewUser, m?: EntityManager): Promise<User | null> {
    try {
      return await this.use(m, async (em) => {
        const row = em.create(User, {
          email: u.email,
          passwordHash: u.passwordHash,
          role: u.role,
          status: 'active',
          plan: u.plan ?? 'free',
          sessionVersion: 0,
          createdAt: u.now,
          updatedAt: u.now,
        });
        return em.save(row);
      });
    } catch (err) {
      if (isUniqueViolation(err)) return null;
      throw err;
    }
  }

  // New password, and every session issued before ends (the JWT's `sv` no longer matches).
  async setPassword(id: number, passwordHash: string, now: number, m?: EntityManager): Promise<boolean> {
    const res = await this.use(m, (em) =>
      em
        .createQueryBuilder()
        .update(User)
        .set({ passwordHash, sessionVersion: () => 'session_version + 1', updatedAt: now })
        .where('id = :id', { id })
        .execute(),
    );
    return (res.affected ?? 0) > 0;
  }

  // The same password under a fresh hash (new parameters): sessions stay, and a password changed
  // since `current` was read is left alone.
  async replacePasswordHash(id: number, current: string, passwordHash: string): Promise<boolean> {
    const res = await this.use(undefined, (em) =>
      em
        .createQueryBuilder()
        .update(User)
        .set({ passwordHash })
        .where('id = :id AND password_hash = :current', { id, current })
        .execute(),
    );
    return (res.affected ?? 0) > 0;
  }

  // The shell's way back in: the account gets this password, is active and an admin again.
  // `record` runs in the same transaction with the outcome (the audit trail's row).
  async recoverAdmin(
    email: string,
    passwordHash: string,
    now: number,
    record?: (em: EntityManager, done: { outcome: PasswordRecovery; userId: number }) => Promise<void>,
  ): Promise<PasswordRecovery> {
    return this.db.tx(async (em) => {
      const res = await em
        .createQueryBuilder()
        .update(User)
        .set({
          passwordHash,
          role: 'admin',
          status: 'active',
          sessionVersion: () => 'session_version + 1',
          updatedAt: now,
        })
        .where('email = :email', { email })
        .execute();
      let outcome: PasswordRecovery = 'recovered';
      if ((res.affected ?? 0) === 0) {
        await this.insertUser({ email, passwordHash, role: 'admin', plan: 'enterprise', now }, em);
        outcome = 'created';
      }
      const user = await em.findOneBy(User, { email });
      if (user && record) await record(em, { outcome, userId: user.id });
      return outcome;
    });
  }

  hasAdmin(): Promise<boolean> {
    return this.use(undefined, (em) => em.existsBy(User, { role: 'admin' }));
  }

  listUsers(filter: UserFilter, page: PageRequest): Promise<[User[], number]> {
    return this.use(undefined, (em) => {
      const where: Partial<Pick<User, 'email' | 'role' | 'status' | 'plan'>> = {};
      if (filter.email) where.email = filter.email;
      if (filter.role) where.role = filter.role;
      if (filter.status) where.status = filter.status;
      if (filter.plan) where.plan = filter.plan;
      const q = filter.q ? `%${escapeLike(filter.q.toLowerCase())}%` : null;
      const like = q ? Raw((column) => `${column} LIKE :q ESCAPE '!'`, { q }) : undefined;
      return em.findAndCount(User, {
        where: like ? { ...where, email: where.email ?? like } : where,
        order: { id: 'ASC' },
        skip: (page.page - 1) * page.pageSize,
        take: page.pageSize,
      });
    });
  }

  // One UPDATE; returns whether the user exists.
  async updateAdminFields(id: number, patch: UserAdminPatch, now: number, m?: EntityManager): Promise<boolean> {
    const result = await this.use(m, (em) =>
      em
        .createQueryBuilder()
        .update(User)
        .set({ ...patch, updatedAt: now })
        .where('id = :id', { id })
        .execute(),
    );
    return (result.affected ?? 0) > 0;
  }
}

// Plans only go up through purchases; an admin sets any plan directly.
const PLAN_ORDER: UserPlan[] = ['free', 'pro', 'pro_plus', 'enterprise'];

export async function grantPlan(m: EntityManager, userId: number, plan: UserPlan, now: number): Promise<boolean> {
  const lower = PLAN_ORDER.slice(0, PLAN_ORDER.indexOf(plan));
  if (lower.length === 0) return false;
  const res = await m
    .createQueryBuilder()
    .update(User)
    .set({ plan, updatedAt: now })
    .where('id = :userId AND plan IN (:...lower)', { userId, lower })
    .execute();
  return (res.affected ?? 0) > 0;
}

// `%` and `_` in a search are literal characters, not wildcards ('!' escapes on both databases;
// SQLite has no default LIKE escape).
function escapeLike(text: string): string {
  return text.replace(/[!%_]/g, (c) => `!${c}`);
}
