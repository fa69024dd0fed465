import { Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiAcceptedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Auth, CurrentUser } from '../common/auth/auth.decorators';
import { AuthUser } from '../common/auth/auth-user';
import { ApiBadRequest, ApiNotFound } from '../common/http/api-responses';
import { Page } from '../common/pagination/page.dto';
import { WebhookAdminService } from './webhook-admin.service';
import { AdminDeliveryQueryDto, AdminWebhookDeliveryDto, AdminWebhookDeliveryPageDto } from './webhooks.dto';

@ApiTags('admin')
@Controller('api/admin/webhooks')
@Auth({ admin: true })
export class WebhookAdminController {
  constructor(private readonly webhooks: WebhookAdminService) {}

  @Get('deliveries')
  @ApiOperation({
    summary: "Every user's webhook deliveries, newest first (filters: user_id, endpoint_id, status, event_type)",
  })
  @ApiOkResponse({ type: AdminWebhookDeliveryPageDto })
  @ApiBadRequest()
  list(@CurrentUser() admin: AuthUser, @Query() q: AdminDeliveryQueryDto): Promise<Page<AdminWebhookDeliveryDto>> {
    return this.webhooks.list(admin, q);
  }

  @Post('deliveries/:delivery_id/redeliver')
  @HttpCode(202)
  @ApiOperation({
    summary: 'Send a delivery again (same event id; audited). One already queued and untried stays as it is',
  })
  @ApiAcceptedResponse({ type: AdminWebhookDeliveryDto })
  @ApiNotFound('Delivery')
  redeliver(@CurrentUser() admin: AuthUser, @Param('delivery_id') id: string): Promise<AdminWebhookDeliveryDto> {
    return this.webhooks.redeliver(admin, id);
  }
}
