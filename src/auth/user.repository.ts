import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Db, DbRepository } from '../common/database/db.service';
import { PageRequest } from '../common/pagination/page.dto';
import { User, UserPlan, UserRole, UserStatus } from './user.entity';

export interface NewUser {
  email: string;
  passwordHash: string;
  role: UserRole;
  plan?: UserPlan;
  now: number;
}

export interface UserFilter {
  email?: string;
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

  findByEmail(email: string): Promise<User | null> {
    return this.use(undefined, (em) => em.findOneBy(User, { email }));
  }

  // Returns null when the email is taken (the unique key decides, not a prior read).
  async insertUser(u: NewUser): Promise<User | null> {
    try {
      return await this.db.run(async (em) => {
        const row = em.create(User, {
          email: u.email,
          passwordHash: u.passwordHash,
          role: u.role,
          status: 'active',
          plan: u.plan ?? 'free',
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
      return em.findAndCount(User, {
        where,
        order: { id: 'ASC' },
        skip: (page.page - 1) * page.pageSize,
        take: page.pageSize,
      });
    });
  }

  // One UPDATE; returns whether the user exists.
  async updateAdminFields(id: number, patch: UserAdminPatch, now: number): Promise<boolean> {
    const result = await this.use(undefined, (em) =>
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

export function isUniqueViolation(err: unknown): boolean {
  const e = err as { code?: string; driverError?: { code?: string } };
  const code = e?.driverError?.code ?? e?.code ?? '';
  return code === 'ER_DUP_ENTRY' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}
