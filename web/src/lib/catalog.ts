import { useQuery } from '@tanstack/react-query';
import { api, unwrap, type Schemas } from '../api/client';

export type CatalogModel = Schemas['CatalogModelDto'];
export type RequestKind = Schemas['CatalogPriceDto']['kind'];
export type Provider = CatalogModel['provider'];

// The public model catalog (GET /api/models): what each model renders and the price of every
// combination. The quote and every submit read the same table, so the price shown is the price.
export function useCatalog() {
  return useQuery({
    queryKey: ['catalog'],
    queryFn: () => unwrap(api.GET('/api/models')),
    staleTime: 5 * 60_000,
  });
}

export function modelsOf(models: CatalogModel[], provider: Provider): string[] {
  return models.filter((m) => m.provider === provider).map((m) => m.id);
}

// The request kind POST /v1/videos will use (as the server decides it): omni-video when the model
// takes it, else image2video with a first frame and text2video without one.
export function kindFor(
  model: CatalogModel,
  withImage: boolean,
): { kind: RequestKind } | { error: 'needsImage' | 'noImage' } {
  const kinds = model.kinds as RequestKind[];
  if (kinds.includes('omni-video')) return { kind: 'omni-video' };
  const wanted: RequestKind = withImage ? 'image2video' : 'text2video';
  if (kinds.includes(wanted)) return { kind: wanted };
  return { error: withImage ? 'noImage' : 'needsImage' };
}

// Whether the model can only make a video from a first frame.
export function needsImage(model: CatalogModel): boolean {
  return 'error' in kindFor(model, false);
}

// Whether a first frame may be given.
export function takesImage(model: CatalogModel): boolean {
  return model.image_reference && !('error' in kindFor(model, true));
}

export function priceOf(model: CatalogModel, kind: RequestKind, seconds: number, size: string): number | null {
  return model.prices.find((p) => p.kind === kind && p.seconds === seconds && p.size === size)?.credits ?? null;
}

// "1280x720 · 16:9 · 720p"
export function sizeLabel(model: CatalogModel, size: string): string {
  const s = model.sizes.find((x) => x.size === size);
  return s ? `${s.size} · ${s.aspect_ratio} · ${s.resolution}` : size;
}

// The model's own defaults, or the closest the model offers when switching from another model.
export function optionsFor(
  model: CatalogModel,
  current: { seconds?: number; size?: string } = {},
): { seconds: number; size: string } {
  const seconds =
    current.seconds !== undefined && model.seconds.includes(current.seconds) ? current.seconds : model.default_seconds;
  const size =
    current.size !== undefined && model.sizes.some((s) => s.size === current.size) ? current.size : model.default_size;
  return { seconds, size };
}

export type Resolution = CatalogModel['sizes'][number]['resolution'];

export function resolutionsOf(model: CatalogModel): Resolution[] {
  return [...new Set(model.sizes.map((s) => s.resolution))];
}

export function aspectRatiosOf(model: CatalogModel): string[] {
  return [...new Set(model.sizes.map((s) => s.aspect_ratio))];
}

// The size a request by aspect ratio and resolution gets, as the server picks it: the model's
// default aspect ratio unless one is given; null when the model renders no such size.
export function sizeFor(model: CatalogModel, aspectRatio: string | undefined, resolution: string): string | null {
  const def = model.sizes.find((s) => s.size === model.default_size);
  const aspect = aspectRatio ?? def?.aspect_ratio;
  return model.sizes.find((s) => s.aspect_ratio === aspect && s.resolution === resolution)?.size ?? null;
}
