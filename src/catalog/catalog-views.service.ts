import { Injectable } from '@nestjs/common';
import { QuoteDto, QuoteRequestDto } from '../billing/billing.dto';
import { quotaToCredits } from '../common/money/money';
import { AuthUser } from '../common/auth/auth-user';
import { AppConfig } from '../config/app-config';
import { CatalogDto } from './catalog.dto';
import { CatalogService } from './catalog.service';

// The catalog as the API shows it: a public pricing page in JSON, and the quote.
@Injectable()
export class CatalogViews {
  constructor(
    private readonly catalog: CatalogService,
    private readonly config: AppConfig,
  ) {}

  async models(): Promise<CatalogDto> {
    const entries = await this.catalog.entries();
    return {
      models: entries.map(({ id, capability: c, prices }) => ({
        id,
        provider: c.provider,
        name: c.family,
        kinds: [...c.kinds],
        seconds: [...c.seconds],
        sizes: Object.entries(c.sizes).map(([size, s]) => ({
          size,
          aspect_ratio: s.aspectRatio,
          resolution: s.resolution,
        })),
        image_reference: c.kinds.some((k) => k !== 'text2video'),
        default_seconds: c.defaultSeconds,
        default_size: c.defaultSize,
        prices,
      })),
    };
  }

  async quote(_user: AuthUser, dto: QuoteRequestDto): Promise<QuoteDto> {
    const v = await this.catalog.resolve(
      {
        model: dto.model,
        kind: dto.kind,
        seconds: dto.duration,
        aspectRatio: dto.aspect_ratio,
        resolution: dto.resolution,
      },
      { seconds: 'duration' },
    );
    return {
      model: v.model,
      credits: quotaToCredits(v.quota, this.config.quotaPerCredit),
      quota: v.quota,
      duration: v.seconds,
      aspect_ratio: v.aspectRatio,
      resolution: v.resolution,
    };
  }
}
