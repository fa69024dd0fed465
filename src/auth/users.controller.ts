import { Body, Controller, Get, Patch, Query } from '@nestjs/common';
import { IdParam } from '../common/validation/id-param';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Auth, CurrentUser } from '../common/auth/auth.decorators';
import { AuthUser } from '../common/auth/auth-user';
import { ApiBadRequest, ApiNotFound } from '../common/http/api-responses';
import { Page } from '../common/pagination/page.dto';
import { UpdateUserDto, UserDto, UserListQueryDto, UserPageDto } from './users.dto';
import { UsersService } from './users.service';

@ApiTags('users')
@Controller('api/users')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Get('me')
  @Auth({ apiTokens: true })
  @ApiOperation({ summary: 'The calling user' })
  @ApiOkResponse({ type: UserDto })
  me(@CurrentUser() user: AuthUser): Promise<UserDto> {
    return this.users.me(user);
  }
}

@ApiTags('admin')
@Controller('api/admin/users')
@Auth({ admin: true })
export class AdminUsersController {
  constructor(private readonly users: UsersService) {}

  @Get()
  @ApiOperation({ summary: 'List users (filters: q, email, role, status, plan)' })
  @ApiOkResponse({ type: UserPageDto })
  @ApiBadRequest()
  list(@CurrentUser() admin: AuthUser, @Query() query: UserListQueryDto): Promise<Page<UserDto>> {
    return this.users.list(admin, query);
  }

  @Patch(':id')
  @ApiOperation({ summary: "Change a user's role, status or plan" })
  @ApiOkResponse({ type: UserDto })
  @ApiBadRequest()
  @ApiNotFound('User')
  update(@CurrentUser() admin: AuthUser, @IdParam() id: number, @Body() dto: UpdateUserDto): Promise<UserDto> {
    return this.users.update(admin, id, dto);
  }
}
