import { Body, Controller, Get, Put } from '@nestjs/common';
import { ApiConflictResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Auth, CurrentUser } from '../common/auth/auth.decorators';
import { AuthUser } from '../common/auth/auth-user';
import { ErrorBodyDto } from '../common/errors/error-body.dto';
import { ApiBadRequest } from '../common/http/api-responses';
import { BatchSettingsService } from './batch-settings.service';
import { BatchConfigDto, BatchConfigViewDto } from './batch-config.dto';

@ApiTags('admin')
@Controller('api/admin/batch')
@Auth({ admin: true })
export class BatchAdminController {
  constructor(private readonly settings: BatchSettingsService) {}

  @Get('config')
  @ApiOperation({ summary: 'Plan limits and batch engine tuning: defaults, overrides, values in force' })
  @ApiOkResponse({ type: BatchConfigViewDto })
  view(@CurrentUser() admin: AuthUser): Promise<BatchConfigViewDto> {
    return this.settings.view(admin);
  }

  @Put('config')
  @ApiOperation({ summary: 'Replace the overrides (every replica uses them within a second)' })
  @ApiOkResponse({ type: BatchConfigViewDto })
  @ApiBadRequest()
  @ApiConflictResponse({ description: 'expected_version is stale', type: ErrorBodyDto })
  replace(@CurrentUser() admin: AuthUser, @Body() dto: BatchConfigDto): Promise<BatchConfigViewDto> {
    return this.settings.replace(admin, dto);
  }
}
