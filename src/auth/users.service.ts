import { Injectable } from '@nestjs/common';
import { AuditService } from '../audit/audit.service';
import { assertAdmin, AuthUser } from '../common/auth/auth-user';
import { Db } from '../common/database/db.service';
import { Clock } from '../common/clock/clock.service';
import { DomainError } from '../common/errors/domain-error';
import { ErrorCode } from '../common/errors/error-code';
import { Page, pageOf, toPageRequest } from '../common/pagination/page.dto';
import { AuthCache } from './auth-cache';
import { User } from './user.entity';
import { UserRepository } from './user.repository';
import { mapUser, UpdateUserDto, UserDto, UserListQueryDto } from './users.dto';

@Injectable()
export class UsersService {
  constructor(
    private readonly users: UserRepository,
    private readonly authCache: AuthCache,
    private readonly clock: Clock,
    private readonly audit: AuditService,
    private readonly db: Db,
  ) {}

  async me(user: AuthUser): Promise<UserDto> {
    const row = await this.users.findById(user.id);
    if (!row) throw DomainError.notFound('User');
    return mapUser(row);
  }

  async list(admin: AuthUser, query: UserListQueryDto): Promise<Page<UserDto>> {
    assertAdmin(admin);
    const page = toPageRequest(query);
    const [rows, total] = await this.users.listUsers(
      { email: query.email, q: query.q, role: query.role, status: query.status, plan: query.plan },
      page,
    );
    return pageOf(rows, total, page, mapUser);
  }

  async update(admin: AuthUser, id: number, dto: UpdateUserDto): Promise<UserDto> {
    assertAdmin(admin);
    if (Object.keys(dto).length === 0) {
      throw DomainError.validation('body', 'give at least one of role, status, plan');
    }
    // An admin cannot lock themselves out; another admin has to do it.
    if (id === admin.id && ((dto.role && dto.role !== 'admin') || (dto.status && dto.status !== 'active'))) {
      throw new DomainError(ErrorCode.Conflict, 'You cannot demote or disable your own account');
    }
    const row = await this.db.tx(async (em) => {
      const before = await this.users.findById(id, em);
      if (!before) throw DomainError.notFound('User');
      await this.users.updateAdminFields(id, dto, this.clock.now(), em);
      const after = (await this.users.findById(id, em)) as User;
      await this.audit.record(em, admin, {
        action: 'user.update',
        target: { type: 'user', id },
        before: adminFields(before),
        after: adminFields(after),
      });
      return after;
    });
    this.authCache.forgetUser(id); // a demotion or a disabled account applies to the next request
    return mapUser(row);
  }
}

// What an admin may change on a user, as the audit trail shows it.
const adminFields = (u: User) => ({ email: u.email, role: u.role, status: u.status, plan: u.plan });
