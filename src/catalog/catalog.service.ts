import { Injectable } from '@nestjs/common';
import { quotaToCredits } from '../common/money/money';
import { PricesService } from '../billing/prices.service';
import { DomainError } from '../common/errors/domain-error';
import { ErrorCode } from '../common/errors/error-code';
import { AppConfig } from '../config/app-config';
import { CAPABILITIES, Capability, RequestKind, sizeFor } from './model-capabilities';

export interface VideoOptions {
  model: string;
  kind?: string; // a RequestKind; by default from withImage, else the model's first kind
  withImage?: boolean; // whether the request carries an image reference (unknown: undefined)
  seconds?: number;
  size?: string; // WIDTHxHEIGHT
  aspectRatio?: string; // or the aspect ratio and resolution
  resolution?: string;
}

// How the caller's API names each option, so a 400 names the caller's field.
export type FieldNames = Partial<Record<'model' | 'kind' | 'seconds' | 'size' | 'aspect_ratio' | 'resolution', string>>;

export interface VideoShape {
  model: string;
  capability: Capability;
  kind: RequestKind;
  seconds: number;
  size: string;
  aspectRatio: string;
  resolution: string;
}

export interface ResolvedVideo extends VideoShape {
  quota: number;
}

export interface CatalogPrice {
  kind: RequestKind;
  seconds: number;
  size: string;
  credits: number;
}

export interface CatalogEntry {
  id: string;
  capability: Capability;
  prices: CatalogPrice[];
}

// The model catalog: capabilities (model-capabilities.ts) joined with the admin's price table.
// Every surface resolves a request here, the quote endpoint too, so what is quoted is exactly
// what can be submitted and what it costs.
@Injectable()
export class CatalogService {
  constructor(
    private readonly prices: PricesService,
    private readonly config: AppConfig,
  ) {}

  capability(model: string): Capability | null {
    return CAPABILITIES.get(model) ?? null;
  }

  // The request's options checked against the model and priced; a 400 names the wrong field.
  async resolve(opts: VideoOptions, names: FieldNames = {}): Promise<ResolvedVideo> {
    const v = this.shape(opts, names);
    const quote = await this.prices.quote(v.model, {
      kind: v.kind,
      duration: v.seconds,
      aspectRatio: v.aspectRatio,
      resolution: v.resolution,
    });
    return { ...v, quota: quote.quota };
  }

  // The request's options checked against the model, without a price (a batch item priced at
  // creation, dispatched later).
  shape(opts: VideoOptions, names: FieldNames = {}): VideoShape {
    const field = (f: keyof FieldNames) => names[f] ?? f;
    const cap = this.capability(opts.model);
    if (!cap)
      throw DomainError.validation(field('model'), `${opts.model} is not a model Reelay offers (GET /api/models)`);
    const kind = this.kindOf(cap, opts, field('kind'));
    const seconds = opts.seconds ?? cap.defaultSeconds;
    if (!cap.seconds.includes(seconds)) {
      throw DomainError.validation(field('seconds'), `${opts.model} makes ${list(cap.seconds)} second videos`);
    }
    const size = this.sizeOf(cap, opts, field);
    const { aspectRatio, resolution } = cap.sizes[size];
    return { model: opts.model, capability: cap, kind, seconds, size, aspectRatio, resolution };
  }

  // Every offered model (a capability and a price) with the price of each combination.
  async entries(): Promise<CatalogEntry[]> {
    const out: CatalogEntry[] = [];
    for (const [id, cap] of CAPABILITIES) {
      const prices = await this.pricesOf(id, cap);
      if (prices.length > 0) out.push({ id, capability: cap, prices });
    }
    return out;
  }

  private async pricesOf(model: string, cap: Capability): Promise<CatalogPrice[]> {
    const out: CatalogPrice[] = [];
    for (const kind of cap.kinds) {
      for (const seconds of cap.seconds) {
        for (const [size, s] of Object.entries(cap.sizes)) {
          const quota = await this.prices
            .quote(model, { kind, duration: seconds, aspectRatio: s.aspectRatio, resolution: s.resolution })
            .then((q) => q.quota)
            .catch((err: unknown) => {
              if (err instanceof DomainError && err.code === ErrorCode.ModelNotPriced) return null;
              throw err;
            });
          if (quota !== null)
            out.push({ kind, seconds, size, credits: quotaToCredits(quota, this.config.quotaPerCredit) });
        }
      }
    }
    return out;
  }

  private kindOf(cap: Capability, opts: VideoOptions, field: string): RequestKind {
    if (opts.kind !== undefined) {
      if (!(cap.kinds as string[]).includes(opts.kind)) {
        throw DomainError.validation(field, `${opts.model} takes ${list(cap.kinds)} requests, not ${opts.kind}`);
      }
      return opts.kind as RequestKind;
    }
    if (cap.kinds.includes('omni-video')) return 'omni-video'; // references are optional there
    if (opts.withImage === undefined) return cap.kinds[0];
    const wanted: RequestKind = opts.withImage ? 'image2video' : 'text2video';
    if (!cap.kinds.includes(wanted)) {
      throw DomainError.validation(
        opts.withImage ? 'input_reference' : field,
        opts.withImage ? `${opts.model} takes no image reference` : `${opts.model} needs an image reference`,
      );
    }
    return wanted;
  }

  private sizeOf(cap: Capability, opts: VideoOptions, field: (f: keyof FieldNames) => string): string {
    if (opts.size !== undefined) {
      if (!(opts.size in cap.sizes) || !Object.hasOwn(cap.sizes, opts.size)) {
        throw DomainError.validation(field('size'), `${opts.model} renders ${list(Object.keys(cap.sizes))}`);
      }
      return opts.size;
    }
    if (opts.aspectRatio === undefined && opts.resolution === undefined) return cap.defaultSize;
    const aspect = opts.aspectRatio ?? cap.sizes[cap.defaultSize].aspectRatio;
    const ratios = [...new Set(Object.values(cap.sizes).map((s) => s.aspectRatio))];
    if (!ratios.includes(aspect)) {
      throw DomainError.validation(field('aspect_ratio'), `${opts.model} renders ${list(ratios)}`);
    }
    const size = sizeFor(cap, aspect, opts.resolution) ?? (opts.resolution === undefined ? null : undefined);
    if (!size) {
      const resolutions = [...new Set(Object.values(cap.sizes).map((s) => s.resolution))];
      throw DomainError.validation(field('resolution'), `${opts.model} renders ${list(resolutions)}`);
    }
    return size;
  }
}

const list = (xs: Array<string | number>) => xs.join(', ');
