import { Module, OnModuleInit } from '@nestjs/common';
import { CatalogModule } from '../../catalog/catalog.module';
import { ErrorShapes } from '../../common/errors/error-shapes';
import { IdempotencyModule } from '../../common/idempotency/idempotency.module';
import { MediaModule } from '../../media/media.module';
import { WebhooksModule } from '../../webhooks/webhooks.module';
import { RelayCoreModule } from '../core/relay-core.module';
import { isKlingProtocolPath, klingError } from './kling-error.shape';
import { KlingNativeController } from './kling-native.controller';
import { KlingNativeService } from './kling-native.service';

// Kling's own protocol (`/v1/videos/{kind}`) over the relay core.
@Module({
  imports: [RelayCoreModule, CatalogModule, IdempotencyModule, MediaModule, WebhooksModule],
  controllers: [KlingNativeController],
  providers: [KlingNativeService],
})
export class KlingNativeModule implements OnModuleInit {
  constructor(private readonly shapes: ErrorShapes) {}

  onModuleInit(): void {
    this.shapes.register(2, isKlingProtocolPath, klingError);
  }
}
