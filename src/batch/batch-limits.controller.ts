import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Auth, CurrentUser } from '../common/auth/auth.decorators';
import { AuthUser } from '../common/auth/auth-user';
import { BatchSettingsService } from './batch-settings.service';
import { BatchLimitsDto } from './batch-limits.dto';

@ApiTags('batches')
@Controller('api/v1/workflow')
@Auth({ apiTokens: true, video: true })
export class BatchLimitsController {
  constructor(private readonly settings: BatchSettingsService) {}

  @Get('limits')
  @ApiOperation({ summary: 'Your plan’s batch limits in force now: rows per batch and videos at once' })
  @ApiOkResponse({ type: BatchLimitsDto })
  limits(@CurrentUser() user: AuthUser): Promise<BatchLimitsDto> {
    return this.settings.planLimits(user);
  }
}
