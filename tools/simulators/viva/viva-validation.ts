// Request validation for the VivaAPI simulator, restated from docs/reference providers.md §5 (the
// new-api style "unified video" create body). VivaAPI publishes no docs, so the limits below are
// the simulator's own choice, kept strict so a gateway that sends sloppy bodies finds out early.

export const VIVA_MODELS = ['veo_3_1-fast', 'veo3.1-pro', 'veo3', 'veo3-fast'] as const;
export type VivaModel = (typeof VIVA_MODELS)[number];

export const VIVA_ASPECT_RATIOS = ['16:9', '9:16'] as const;
export type VivaAspectRatio = (typeof VIVA_ASPECT_RATIOS)[number];

export const PROMPT_MAX = 5000;
export const IMAGES_MAX = 2;

// What the simulator needs to know about a valid create request.
export interface CreateSpec {
  model: VivaModel;
  prompt: string;
  images: string[];
  enhancePrompt: boolean | null;
  enableUpsample: boolean | null;
  aspectRatio: VivaAspectRatio | null;
}

export type ValidationCode = 'invalid_model' | 'invalid_request';

export type Validation = { ok: true; spec: CreateSpec } | { ok: false; code: ValidationCode; message: string };

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function isVivaModel(v: unknown): v is VivaModel {
  return typeof v === 'string' && (VIVA_MODELS as readonly string[]).includes(v);
}

class Invalid extends Error {
  constructor(
    readonly code: ValidationCode,
    message: string,
  ) {
    super(message);
  }
}

function fail(field: string, why: string): never {
  throw new Invalid('invalid_request', `invalid parameter ${field}: ${why}`);
}

function describe(v: unknown): string {
  if (typeof v === 'string') return `"${v.length > 80 ? `${v.slice(0, 80)}…` : v}"`;
  return v === undefined ? 'undefined' : (JSON.stringify(v) ?? typeof v);
}

function codePoints(s: string, limit: number): number {
  // UTF-16 length is an upper bound on the code-point count; only count exactly when it matters.
  if (s.length <= limit) return s.length;
  let n = 0;
  for (const _ of s) n++;
  return n;
}

const HTTP_URL = /^https?:\/\/[^\s/?#]+[^\s]*$/i;
const DATA_URL = /^data:[\w.+-]+\/[\w.+-]+(;[\w.+-]+(=[\w.+-]+)?)*,./i;

function image(v: unknown, field: string): string {
  if (typeof v !== 'string') fail(field, 'must be a string (http(s) URL or data URL)');
  if (!HTTP_URL.test(v) && !DATA_URL.test(v)) fail(field, 'must be an http(s) URL or a data URL');
  return v;
}

function optionalBoolean(body: Record<string, unknown>, field: string): boolean | null {
  const v = body[field];
  if (v === undefined || v === null) return null;
  if (typeof v !== 'boolean') fail(field, 'must be a boolean');
  return v;
}

function check(body: Record<string, unknown>): CreateSpec {
  const model = body.model;
  if (!isVivaModel(model)) {
    throw new Invalid('invalid_model', `model ${describe(model)} not supported (one of ${VIVA_MODELS.join(', ')})`);
  }

  const prompt = body.prompt;
  if (typeof prompt !== 'string' || prompt.trim() === '') fail('prompt', 'is required and must be a non-empty string');
  if (codePoints(prompt, PROMPT_MAX) > PROMPT_MAX) fail('prompt', `must be at most ${PROMPT_MAX} characters`);

  const images: string[] = [];
  const rawImages = body.images;
  if (rawImages !== undefined && rawImages !== null) {
    if (!Array.isArray(rawImages) || rawImages.length > IMAGES_MAX) {
      fail('images', `must be an array of at most ${IMAGES_MAX} strings (first and last frame)`);
    }
    rawImages.forEach((v: unknown, i) => images.push(image(v, `images[${i}]`)));
  }

  let aspectRatio: VivaAspectRatio | null = null;
  const rawRatio = body.aspect_ratio;
  if (rawRatio !== undefined && rawRatio !== null) {
    if (typeof rawRatio !== 'string' || !(VIVA_ASPECT_RATIOS as readonly string[]).includes(rawRatio)) {
      fail('aspect_ratio', `must be one of ${VIVA_ASPECT_RATIOS.map((a) => `"${a}"`).join(', ')}`);
    }
    aspectRatio = rawRatio as VivaAspectRatio;
  }

  return {
    model,
    prompt,
    images,
    enhancePrompt: optionalBoolean(body, 'enhance_prompt'),
    enableUpsample: optionalBoolean(body, 'enable_upsample'),
    aspectRatio,
  };
}

export function validateCreate(body: Record<string, unknown>): Validation {
  try {
    return { ok: true, spec: check(body) };
  } catch (e) {
    if (e instanceof Invalid) return { ok: false, code: e.code, message: e.message };
    throw e;
  }
}
