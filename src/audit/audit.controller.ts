import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Auth, CurrentUser } from '../common/auth/auth.decorators';
import { AuthUser } from '../common/auth/auth-user';
import { ApiBadRequest } from '../common/http/api-responses';
import { Page } from '../common/pagination/page.dto';
import { AuditEntryDto, AuditPageDto, AuditQueryDto } from './audit.dto';
import { AuditService } from './audit.service';

// Read-only on purpose: the trail has no route that changes or removes a row.
@ApiTags('admin')
@Controller('api/admin/audit')
@Auth({ admin: true })
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  @Get()
  @ApiOperation({
    summary: 'The audit trail, newest first (filters: actor_type, actor_id, action, target_type, target_id, from, to)',
  })
  @ApiOkResponse({ type: AuditPageDto })
  @ApiBadRequest()
  list(@CurrentUser() admin: AuthUser, @Query() query: AuditQueryDto): Promise<Page<AuditEntryDto>> {
    return this.audit.list(admin, query);
  }
}
