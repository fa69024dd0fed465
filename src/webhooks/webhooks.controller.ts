import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { Auth, CurrentUser } from '../common/auth/auth.decorators';
import { AuthUser } from '../common/auth/auth-user';
import { ApiBadRequest, ApiNotFound } from '../common/http/api-responses';
import { Page, PageQueryDto } from '../common/pagination/page.dto';
import {
  CreatedWebhookDto,
  CreateWebhookDto,
  UpdateWebhookDto,
  WebhookDeliveryDto,
  WebhookDeliveryPageDto,
  WebhookEndpointDto,
  WebhookEndpointPageDto,
  WebhookSecretDto,
} from './webhooks.dto';
import { WebhooksService } from './webhooks.service';

@ApiTags('webhooks')
@Controller('api/webhooks')
@Auth({ apiTokens: true })
export class WebhooksController {
  constructor(private readonly webhooks: WebhooksService) {}

  @Post()
  @ApiOperation({ summary: 'Add an endpoint; the signing secret (whsec_…) is in this response only' })
  @ApiCreatedResponse({ type: CreatedWebhookDto })
  @ApiBadRequest()
  create(@CurrentUser() user: AuthUser, @Body() dto: CreateWebhookDto): Promise<CreatedWebhookDto> {
    return this.webhooks.create(user, dto);
  }

  @Get()
  @ApiOperation({ summary: 'Your endpoints' })
  @ApiOkResponse({ type: WebhookEndpointPageDto })
  list(@CurrentUser() user: AuthUser, @Query() q: PageQueryDto): Promise<Page<WebhookEndpointDto>> {
    return this.webhooks.list(user, q);
  }

  @Get('callback-secret')
  @ApiOperation({ summary: 'The secret that signs your tasks’ callback_url calls (created on first use)' })
  @ApiOkResponse({ type: WebhookSecretDto })
  callbackSecret(@CurrentUser() user: AuthUser): Promise<WebhookSecretDto> {
    return this.webhooks.callbackSecret(user);
  }

  @Post('callback-secret/rotate')
  @HttpCode(200)
  @ApiOperation({ summary: 'Replace the callback secret (takes effect for the next attempt)' })
  @ApiOkResponse({ type: WebhookSecretDto })
  rotateCallbackSecret(@CurrentUser() user: AuthUser): Promise<WebhookSecretDto> {
    return this.webhooks.rotateCallbackSecret(user);
  }

  @Get(':webhook_id')
  @ApiOperation({ summary: 'One endpoint (its secret is never shown again)' })
  @ApiOkResponse({ type: WebhookEndpointDto })
  @ApiNotFound('Webhook endpoint')
  get(@CurrentUser() user: AuthUser, @Param('webhook_id') id: string): Promise<WebhookEndpointDto> {
    return this.webhooks.get(user, id);
  }

  @Patch(':webhook_id')
  @ApiOperation({ summary: 'Change url, events, enabled or description' })
  @ApiOkResponse({ type: WebhookEndpointDto })
  @ApiBadRequest()
  @ApiNotFound('Webhook endpoint')
  update(@CurrentUser() user: AuthUser, @Param('webhook_id') id: string, @Body() dto: UpdateWebhookDto) {
    return this.webhooks.update(user, id, dto);
  }

  @Delete(':webhook_id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete an endpoint (its pending deliveries fail)' })
  @ApiNoContentResponse()
  @ApiNotFound('Webhook endpoint')
  remove(@CurrentUser() user: AuthUser, @Param('webhook_id') id: string): Promise<void> {
    return this.webhooks.remove(user, id);
  }

  @Post(':webhook_id/rotate-secret')
  @HttpCode(200)
  @ApiOperation({ summary: 'A new signing secret, shown once' })
  @ApiOkResponse({ type: WebhookSecretDto })
  @ApiNotFound('Webhook endpoint')
  rotate(@CurrentUser() user: AuthUser, @Param('webhook_id') id: string): Promise<WebhookSecretDto> {
    return this.webhooks.rotateSecret(user, id);
  }

  @Post(':webhook_id/test')
  @HttpCode(202)
  @ApiOperation({ summary: 'Queue a signed `webhook.test` event to this endpoint' })
  @ApiAcceptedResponse({ type: WebhookDeliveryDto })
  @ApiNotFound('Webhook endpoint')
  test(@CurrentUser() user: AuthUser, @Param('webhook_id') id: string): Promise<WebhookDeliveryDto> {
    return this.webhooks.test(user, id);
  }

  @Get(':webhook_id/deliveries')
  @ApiOperation({
    summary: 'Deliveries to this endpoint, newest first (status, attempts, last HTTP status, next attempt)',
  })
  @ApiOkResponse({ type: WebhookDeliveryPageDto })
  @ApiNotFound('Webhook endpoint')
  deliveries(
    @CurrentUser() user: AuthUser,
    @Param('webhook_id') id: string,
    @Query() q: PageQueryDto,
  ): Promise<Page<WebhookDeliveryDto>> {
    return this.webhooks.listDeliveries(user, id, q);
  }

  @Post('deliveries/:delivery_id/redeliver')
  @HttpCode(202)
  @ApiOperation({ summary: 'Send a delivery again (same event id)' })
  @ApiAcceptedResponse({ type: WebhookDeliveryDto })
  @ApiNotFound('Delivery')
  redeliver(@CurrentUser() user: AuthUser, @Param('delivery_id') id: string): Promise<WebhookDeliveryDto> {
    return this.webhooks.redeliver(user, id);
  }
}
