import Papa from 'papaparse';
import type { Schemas } from '../api/client';
import {
  aspectRatiosOf,
  kindFor,
  priceOf,
  resolutionsOf,
  sizeFor,
  type CatalogModel,
  type Resolution,
} from './catalog';
import { sumCredits } from './money';

// A row as the batch API takes it; the enums are checked against the model before it is sent.
export type BatchRow = Schemas['BatchRowDto'];
type Loose = { [K in keyof BatchRow]: K extends 'prompt' ? string : string | number | undefined };

export interface BatchDefaults {
  model: string;
  resolution: Resolution;
  duration: number;
}

// `line` is 1-based, counting the header line of a CSV; `field` is the column.
export interface RowError {
  line: number;
  field: string;
  code: 'required' | 'tooLong' | 'oneOf' | 'url' | 'needsImage' | 'columns';
  allowed?: readonly (string | number)[];
}

export const COLUMNS = ['prompt', 'model', 'resolution', 'duration', 'aspect_ratio', 'image_url'] as const;

export const CSV_TEMPLATE = [
  COLUMNS.join(','),
  '"A red fox running through fresh snow, cinematic",sora-2,720p,10,16:9,',
  '"Aerial shot of a coastline at sunset",sora-2-pro,1080p,15,9:16,',
  '"A paper boat drifting on a pond",kling-v1-6-std,720p,5,1:1,',
  '"The same scene, animated from a still",,,,,https://example.com/first-frame.png',
].join('\n');

// Rows from an uploaded or pasted CSV (header line with the columns above, only `prompt` required),
// checked against the catalog as the server checks them (any catalog model; its seconds,
// resolutions and aspect ratios). Text without a `prompt` header is one prompt per line.
export function parseBatchText(
  text: string,
  defaults: BatchDefaults,
  models: CatalogModel[],
): { rows: BatchRow[]; errors: RowError[] } {
  const trimmed = text.replace(/^\uFEFF/, '').trim();
  if (trimmed === '') return { rows: [], errors: [] };
  const firstLine = trimmed.split(/\r?\n/, 1)[0].toLowerCase();
  if (!/(^|,)\s*"?prompt"?\s*(,|$)/.test(firstLine)) {
    const lines = trimmed.split(/\r?\n/).map((l) => l.trim());
    const rows = lines.filter((l) => l !== '').map((prompt) => ({ prompt }));
    return { rows, errors: rows.flatMap((r, i) => checkRow(r, i + 1, defaults, models)) };
  }
  const parsed = Papa.parse<Record<string, string>>(trimmed, {
    header: true,
    skipEmptyLines: 'greedy',
    transformHeader: (h) => h.trim().toLowerCase(),
  });
  const unknown = (parsed.meta.fields ?? []).filter((f) => !(COLUMNS as readonly string[]).includes(f));
  const errors: RowError[] = unknown.map((field) => ({ line: 1, field, code: 'columns', allowed: COLUMNS }));
  const rows = parsed.data.map(toRow);
  rows.forEach((r, i) => errors.push(...checkRow(r, i + 2, defaults, models)));
  return { rows, errors };
}

function toRow(rec: Record<string, string>): BatchRow {
  const v = (k: string) => (rec[k] ?? '').trim();
  const row: Loose = { prompt: v('prompt') };
  if (v('model')) row.model = v('model');
  if (v('resolution')) row.resolution = v('resolution');
  if (v('duration')) row.duration = Number(v('duration'));
  if (v('aspect_ratio')) row.aspect_ratio = v('aspect_ratio');
  if (v('image_url')) row.image_url = v('image_url');
  return row as BatchRow; // checkRow names every value the model does not take
}

// A row with the defaults filled in.
export function effectiveRow(r: BatchRow, d: BatchDefaults): { model: string; resolution: string; duration: number } {
  return { model: r.model ?? d.model, resolution: r.resolution ?? d.resolution, duration: r.duration ?? d.duration };
}

function checkRow(r: BatchRow, line: number, d: BatchDefaults, models: CatalogModel[]): RowError[] {
  const errors: RowError[] = [];
  const oneOf = (field: keyof BatchRow, value: unknown, allowed: readonly (string | number)[]) => {
    if (value !== undefined && !allowed.includes(value as string | number))
      errors.push({ line, field, code: 'oneOf', allowed });
  };
  if (!r.prompt) errors.push({ line, field: 'prompt', code: 'required' });
  else if (r.prompt.length > 10_000) errors.push({ line, field: 'prompt', code: 'tooLong' });
  if (r.image_url !== undefined && !/^https?:\/\/\S+$/i.test(r.image_url))
    errors.push({ line, field: 'image_url', code: 'url' });
  const e = effectiveRow(r, d);
  const model = models.find((m) => m.id === e.model);
  if (!model) {
    oneOf(
      'model',
      e.model,
      models.map((m) => m.id),
    );
    return errors;
  }
  oneOf('duration', e.duration, model.seconds);
  oneOf('resolution', e.resolution, resolutionsOf(model));
  oneOf('aspect_ratio', r.aspect_ratio, aspectRatiosOf(model));
  if (r.image_url === undefined && 'error' in kindFor(model, false))
    errors.push({ line, field: 'image_url', code: 'needsImage' });
  return errors;
}

// The price of a checked row from the catalog (what the server will hold for it), or null.
export function rowPrice(r: BatchRow, d: BatchDefaults, models: CatalogModel[]): number | null {
  const e = effectiveRow(r, d);
  const model = models.find((m) => m.id === e.model);
  if (!model) return null;
  const kind = kindFor(model, r.image_url !== undefined);
  const size = sizeFor(model, r.aspect_ratio, e.resolution);
  return 'kind' in kind && size ? priceOf(model, kind.kind, e.duration, size) : null;
}

// The whole batch's price, exactly (decimals summed without binary rounding); null while a row
// has no price.
export function batchQuote(rows: BatchRow[], d: BatchDefaults, models: CatalogModel[]): number | null {
  const prices = rows.map((r) => rowPrice(r, d, models));
  if (prices.some((p) => p === null)) return null;
  return sumCredits(prices.map((credits) => ({ credits: credits as number, count: 1 })));
}
