import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Auth, CurrentUser } from '../common/auth/auth.decorators';
import { AuthUser } from '../common/auth/auth-user';
import { ApiBadRequest, ApiNotFound } from '../common/http/api-responses';
import { Page } from '../common/pagination/page.dto';
import { AdminBatchesService } from './admin-batches.service';
import { AdminBatchDetailDto, AdminBatchDto, AdminBatchPageDto, AdminBatchQueryDto } from './batch.dto';

@ApiTags('admin')
@Controller('api/admin/batches')
@Auth({ admin: true })
export class AdminBatchesController {
  constructor(private readonly batches: AdminBatchesService) {}

  @Get()
  @ApiOperation({ summary: "Every user's batches, newest first (filters: user_id, status)" })
  @ApiOkResponse({ type: AdminBatchPageDto })
  @ApiBadRequest()
  list(@CurrentUser() admin: AuthUser, @Query() q: AdminBatchQueryDto): Promise<Page<AdminBatchDto>> {
    return this.batches.list(admin, q);
  }

  @Get(':batch_id')
  @ApiOperation({ summary: "One batch: its owner's view, its owner, and the timeline of its status changes" })
  @ApiOkResponse({ type: AdminBatchDetailDto })
  @ApiNotFound('Batch')
  detail(@CurrentUser() admin: AuthUser, @Param('batch_id') id: string): Promise<AdminBatchDetailDto> {
    return this.batches.detail(admin, id);
  }
}
