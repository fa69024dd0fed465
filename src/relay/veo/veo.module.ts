import { Module } from '@nestjs/common';
import { CatalogModule } from '../../catalog/catalog.module';
import { IdempotencyModule } from '../../common/idempotency/idempotency.module';
import { MediaModule } from '../../media/media.module';
import { RelayCoreModule } from '../core/relay-core.module';
import { VeoController } from './veo.controller';
import { VeoService } from './veo.service';

// Seed 003's Veo surface (`/api/generate/video`) over the relay core.
@Module({
  imports: [RelayCoreModule, CatalogModule, IdempotencyModule, MediaModule],
  controllers: [VeoController],
  providers: [VeoService],
})
export class VeoModule {}
