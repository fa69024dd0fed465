// Request validation and credit pricing for the KIE.ai Market API simulator (Sora 2 family), restated
// from docs/reference providers.md §2.1 (createTask input table and the 2025-11 pricing snapshot).

export const KIE_MODELS = [
  'sora-2-text-to-video',
  'sora-2-image-to-video',
  'sora-2-pro-text-to-video',
  'sora-2-pro-image-to-video',
] as const;
export type KieModel = (typeof KIE_MODELS)[number];

export const KIE_ASPECT_RATIOS = ['portrait', 'landscape'] as const;
export type KieAspectRatio = (typeof KIE_ASPECT_RATIOS)[number];

export const KIE_N_FRAMES = ['10', '15'] as const;
export type KieNFrames = (typeof KIE_N_FRAMES)[number];

export const KIE_SIZES = ['standard', 'high'] as const;
export type KieSize = (typeof KIE_SIZES)[number];

export const PROMPT_MAX = 10_000;
export const CHARACTER_IDS_MAX = 5;
const UPLOAD_METHODS = ['s3', 'oss'];

// Credits per task (providers.md §2.1 pricing snapshot; the sora-2 15 s price is marked UNCONFIRMED there).
export const KIE_PRICES: Readonly<
  Record<'sora-2' | 'sora-2-pro-standard' | 'sora-2-pro-high', Record<KieNFrames, number>>
> = {
  'sora-2': { '10': 30, '15': 45 },
  'sora-2-pro-standard': { '10': 150, '15': 270 },
  'sora-2-pro-high': { '10': 330, '15': 630 },
};

// What the simulator needs to know about a valid create request.
export interface CreateSpec {
  model: KieModel;
  pro: boolean;
  imageToVideo: boolean;
  callBackUrl: string | null;
  prompt: string;
  aspectRatio: KieAspectRatio;
  nFrames: KieNFrames;
  size: KieSize;
  imageUrls: string[];
  removeWatermark: boolean;
}

export type Validation = { ok: true; spec: CreateSpec } | { ok: false; message: string };

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function isKieModel(v: unknown): v is KieModel {
  return typeof v === 'string' && (KIE_MODELS as readonly string[]).includes(v);
}

export function creditsFor(spec: Pick<CreateSpec, 'pro' | 'size' | 'nFrames'>): number {
  const tier = !spec.pro ? 'sora-2' : spec.size === 'high' ? 'sora-2-pro-high' : 'sora-2-pro-standard';
  return KIE_PRICES[tier][spec.nFrames];
}

class Invalid extends Error {}

function fail(field: string, why: string): never {
  throw new Invalid(`Invalid parameter ${field}: ${why}`);
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

function oneOf<T extends string>(input: Record<string, unknown>, field: string, allowed: readonly T[], dflt: T): T {
  const v = input[field];
  if (v === undefined || v === null) return dflt;
  if (typeof v !== 'string' || !(allowed as readonly string[]).includes(v)) {
    fail(`input.${field}`, `must be one of ${allowed.map((a) => `"${a}"`).join(', ')} (got ${describe(v)})`);
  }
  return v as T;
}

function check(body: Record<string, unknown>): CreateSpec {
  const model = body.model;
  if (!isKieModel(model)) fail('model', `${describe(model)} is not supported (one of ${KIE_MODELS.join(', ')})`);
  const pro = model.startsWith('sora-2-pro-');
  const imageToVideo = model.endsWith('-image-to-video');

  let callBackUrl: string | null = null;
  const rawCallback = body.callBackUrl;
  if (rawCallback !== undefined && rawCallback !== null && rawCallback !== '') {
    if (typeof rawCallback !== 'string' || !HTTP_URL.test(rawCallback)) fail('callBackUrl', 'must be an http(s) URL');
    callBackUrl = rawCallback;
  }

  const input = body.input;
  if (!isRecord(input)) fail('input', 'is required and must be an object');

  const prompt = input.prompt;
  if (typeof prompt !== 'string' || prompt.trim() === '') {
    fail('input.prompt', 'is required and must be a non-empty string');
  }
  if (codePoints(prompt, PROMPT_MAX) > PROMPT_MAX) fail('input.prompt', `must be at most ${PROMPT_MAX} characters`);

  const aspectRatio = oneOf(input, 'aspect_ratio', KIE_ASPECT_RATIOS, 'landscape');
  const nFrames = oneOf(input, 'n_frames', KIE_N_FRAMES, '10');
  const size = oneOf(input, 'size', KIE_SIZES, 'standard');
  if (size === 'high' && !pro) fail('input.size', `"high" is only available on sora-2-pro models, not ${model}`);

  const imageUrls: string[] = [];
  const rawImages = input.image_urls;
  if (imageToVideo) {
    if (!Array.isArray(rawImages) || rawImages.length !== 1) {
      fail('input.image_urls', `is required for ${model}: an array of exactly 1 public image URL`);
    }
  } else if (rawImages !== undefined && rawImages !== null) {
    if (!Array.isArray(rawImages) || rawImages.length > 0) {
      fail('input.image_urls', `is only accepted by image-to-video models, not ${model}`);
    }
  }
  if (Array.isArray(rawImages)) {
    rawImages.forEach((v: unknown, i) => {
      if (typeof v !== 'string' || !HTTP_URL.test(v)) fail(`input.image_urls[${i}]`, 'must be an http(s) URL');
      imageUrls.push(v);
    });
  }

  const rawWatermark = input.remove_watermark;
  if (rawWatermark !== undefined && rawWatermark !== null && typeof rawWatermark !== 'boolean') {
    fail('input.remove_watermark', 'must be a boolean');
  }

  const characters = input.character_id_list;
  if (characters !== undefined && characters !== null) {
    if (
      !Array.isArray(characters) ||
      characters.length > CHARACTER_IDS_MAX ||
      !characters.every((c) => typeof c === 'string' && c !== '')
    ) {
      fail('input.character_id_list', `must be an array of at most ${CHARACTER_IDS_MAX} non-empty strings`);
    }
  }
  const upload = input.upload_method;
  if (upload !== undefined && upload !== null && (typeof upload !== 'string' || !UPLOAD_METHODS.includes(upload))) {
    fail('input.upload_method', 'must be one of "s3", "oss"');
  }

  return {
    model,
    pro,
    imageToVideo,
    callBackUrl,
    prompt,
    aspectRatio,
    nFrames,
    size,
    imageUrls,
    removeWatermark: rawWatermark === true,
  };
}

export function validateCreate(body: Record<string, unknown>): Validation {
  try {
    return { ok: true, spec: check(body) };
  } catch (e) {
    if (e instanceof Invalid) return { ok: false, message: e.message };
    throw e;
  }
}
