import { Module, OnModuleInit } from '@nestjs/common';
import { CatalogModule } from '../../catalog/catalog.module';
import { ErrorShapes } from '../../common/errors/error-shapes';
import { IdempotencyModule } from '../../common/idempotency/idempotency.module';
import { MediaModule } from '../../media/media.module';
import { RelayCoreModule } from '../core/relay-core.module';
import { openAiError } from './openai-error.shape';
import { OpenAiModelsService } from './openai-models.service';
import { OpenAiVideosController } from './openai-videos.controller';
import { OpenAiVideosService } from './openai-videos.service';
import { UploadedReferences } from './uploaded-references.service';

// OpenAI's videos API over the relay core (`/v1/videos`, `/v1/models`).
@Module({
  imports: [RelayCoreModule, CatalogModule, IdempotencyModule, MediaModule],
  controllers: [OpenAiVideosController],
  providers: [OpenAiVideosService, OpenAiModelsService, UploadedReferences],
})
export class OpenAiModule implements OnModuleInit {
  constructor(private readonly shapes: ErrorShapes) {}

  onModuleInit(): void {
    this.shapes.register(1, (path) => path === '/v1' || path.startsWith('/v1/'), openAiError);
  }
}
