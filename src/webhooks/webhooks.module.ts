import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '../audit/audit.module';
import { MetricsModule } from '../metrics/metrics.module';
import { RelayCoreModule } from '../relay/core/relay-core.module';
import { WebhookAdminController } from './webhook-admin.controller';
import { WebhookAdminService } from './webhook-admin.service';
import { WebhookTaskEndListener } from './webhook-task-end.listener';
import { WebhookDeliveryRepository } from './webhook-delivery.repository';
import { WebhookDispatcherJob } from './webhook-dispatcher.job';
import { WebhookDispatcher } from './webhook-dispatcher.service';
import { WebhookEndpointRepository } from './webhook-endpoint.repository';
import { WebhookOutbox } from './webhook-outbox.service';
import { WebhookSender } from './webhook-sender';
import { WebhookSigner } from './webhook-signer';
import { WebhookDelivery, WebhookEndpoint, WebhookEvent, WebhookSecret } from './webhook.entity';
import { WebhooksController } from './webhooks.controller';
import { WebhooksService } from './webhooks.service';

// Signed deliveries to clients: webhooks → relay core (a TaskEndListener writes the outbox rows
// in every task's terminal transaction). The batch engine calls WebhookOutbox.enqueueBatchEvent
// when a batch finishes; Kling routes may check a callback_url with WebhooksService.checkCallbackUrl.
@Module({
  imports: [
    RelayCoreModule,
    MetricsModule,
    AuditModule,
    TypeOrmModule.forFeature([WebhookEndpoint, WebhookSecret, WebhookEvent, WebhookDelivery]),
  ],
  controllers: [WebhooksController, WebhookAdminController],
  providers: [
    WebhookTaskEndListener,
    WebhookEndpointRepository,
    WebhookDeliveryRepository,
    WebhookSigner,
    WebhookSender,
    WebhookOutbox,
    WebhookDispatcher,
    WebhookDispatcherJob,
    WebhooksService,
    WebhookAdminService,
  ],
  exports: [WebhookOutbox, WebhooksService],
})
export class WebhooksModule {}
