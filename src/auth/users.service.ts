import { Injectable } from '@nestjs/common';
import { assertAdmin, AuthUser } from '../common/auth/auth-user';
import { Clock } from '../common/clock/clock.service';
import { DomainError } from '../common/errors/domain-error';
import { ErrorCode } from '../common/errors/error-code';
import { Page, pageOf, toPageRequest } from '../common/pagination/page.dto';
import { AuthCache } from './auth-cache';
import { UserRepository } from './user.repository';
import { mapUser, UpdateUserDto, UserDto, UserListQueryDto } from './users.dto';

@Injectable()
export class UsersService {
  constructor(
    private readonly users: UserRepository,
    private readonly authCache: AuthCache,
    private readonly clock: Clock,
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
      { email: query.email, role: query.role, status: query.status, plan: query.plan },
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
    const updated = await this.users.updateAdminFields(id, dto, this.clock.now());
    this.authCache.forgetUser(id); // a demotion or a disabled account applies to the next request
    if (!updated) throw DomainError.notFound('User');
    const row = await this.users.findById(id);
    if (!row) throw DomainError.notFound('User');
    return mapUser(row);
  }
}
