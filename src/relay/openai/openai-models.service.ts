import { Injectable } from '@nestjs/common';
import { CatalogService } from '../../catalog/catalog.service';
import { OpenAiModelListDto } from './openai.dto';

// Catalog models fixed at release: a stable `created` for every model.
const CATALOG_CREATED = 1764460800; // 2025-11-30

@Injectable()
export class OpenAiModelsService {
  constructor(private readonly catalog: CatalogService) {}

  async list(): Promise<OpenAiModelListDto> {
    const entries = await this.catalog.entries();
    return {
      object: 'list',
      data: entries.map((e) => ({
        id: e.id,
        object: 'model',
        created: CATALOG_CREATED,
        owned_by: e.capability.provider,
      })),
    };
  }
}
