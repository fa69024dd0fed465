import { Module } from '@nestjs/common';
import { CatalogModule } from '../../catalog/catalog.module';
import { IdempotencyModule } from '../../common/idempotency/idempotency.module';
import { MediaModule } from '../../media/media.module';
import { WebhooksModule } from '../../webhooks/webhooks.module';
import { RelayCoreModule } from '../core/relay-core.module';
import { KlingCompatibleController } from './kling-compatible.controller';
import { KlingCompatibleService } from './kling-compatible.service';

// Seed 001's Kling-compatible surface (`/kling/v1/videos/...`) over the relay core.
@Module({
  imports: [RelayCoreModule, CatalogModule, IdempotencyModule, MediaModule, WebhooksModule],
  controllers: [KlingCompatibleController],
  providers: [KlingCompatibleService],
})
export class KlingCompatibleModule {}
